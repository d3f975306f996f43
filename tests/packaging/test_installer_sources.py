"""The installer sources agree with the application: names, paths and policy keys."""

from __future__ import annotations

import configparser
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

from ecip_reader import APP_NAME, APP_TITLE, __version__
from ecip_reader.settings import Settings, load_policy
from ecip_reader.settings.registry import POLICY_KEY
from ecip_reader.settings.rules import POLICY_KEYS
from tests.packaging.conftest import PACKAGING, ROOT

WIX = "{http://schemas.microsoft.com/wix/2006/wi}"
POLICY_EXAMPLE = PACKAGING / "policy-example.toml"
WORKFLOW = ROOT / ".github" / "workflows" / "build-installers.yml"


def uncommented_example() -> str:
    """The example policy with every setting switched on."""
    lines = POLICY_EXAMPLE.read_text(encoding="utf-8").splitlines()
    setting = re.compile(r"^# ([a-z_]+) = ")
    return "\n".join(line[2:] for line in lines if setting.match(line)) + "\n"


def test_policy_example_changes_nothing_as_shipped() -> None:
    policy = load_policy(POLICY_EXAMPLE)
    assert policy.values == {} and policy.locked == frozenset()


def test_policy_example_settings_are_all_valid(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(uncommented_example(), encoding="utf-8")

    policy = load_policy(path)
    settings = Settings(tmp_path / "settings.json", policy)

    # Every key an organisation can set in the registry is documented in the file.
    assert set(policy.values) == set(POLICY_KEYS)
    assert policy.locked == {"allow_import", "allow_export"}
    assert settings.get("extra_library_folders") == ["/srv/case-studies"]
    assert settings.is_locked("allow_import")


def test_policy_example_names_the_real_policy_locations() -> None:
    text = POLICY_EXAMPLE.read_text(encoding="utf-8")
    assert "/etc/xdg/ecip-reader/policy.toml" in text
    assert rf"%ProgramData%\{APP_NAME}\policy.toml" in text
    assert rf"HKLM\{POLICY_KEY}" in text
    assert f"/Library/Application Support/{APP_NAME}/policy.toml" in text


# Main categories of the freedesktop menu specification: an entry names one.
MAIN_CATEGORIES = {
    "AudioVideo",
    "Audio",
    "Video",
    "Development",
    "Education",
    "Game",
    "Graphics",
    "Network",
    "Office",
    "Science",
    "Settings",
    "System",
    "Utility",
}


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(PACKAGING / "linux" / "ecip-reader.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_starts_the_installed_command_with_the_chosen_pdfs() -> None:
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Version"] == "1.4"  # the newest that Debian 12's validator knows
    assert entry["Name"] == APP_TITLE
    assert entry["Exec"] == f"{APP_NAME} %F" and entry["TryExec"] == APP_NAME
    assert entry["MimeType"] == "application/pdf;"
    assert entry["Icon"] == APP_NAME
    assert entry["Terminal"] == "false"
    categories = entry["Categories"].rstrip(";").split(";")
    assert entry["Categories"].endswith(";")
    assert len(MAIN_CATEGORIES.intersection(categories)) == 1


METAINFO = PACKAGING / "linux" / "uk.nhs.ecip.reader.metainfo.xml"


def test_appstream_metadata_describes_this_version_and_its_desktop_entry() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == "uk.nhs.ecip.reader"
    assert root.findtext("name") == APP_TITLE
    assert root.findtext("project_license") == "AGPL-3.0-or-later"
    assert root.findtext("launchable") == f"{APP_NAME}.desktop"
    assert root.findtext("provides/binary") == APP_NAME
    assert root.findtext("provides/mediatype") == "application/pdf"
    release = root.find("releases/release")
    assert release is not None and release.get("version") == __version__
    categories = [c.text for c in root.iterfind("categories/category")]
    assert categories == desktop_entry()["Categories"].rstrip(";").split(";")


def test_debian_changelog_starts_with_this_version() -> None:
    text = (PACKAGING / "linux" / "changelog").read_text(encoding="utf-8")
    assert text.startswith(f"{APP_NAME} ({__version__}) ")
    trailer = re.search(
        r"^ -- (.+) <(.+)>  (\w{3}, \d{2} \w{3} \d{4} [\d:]{8} [+-]\d{4})$", text, re.MULTILINE
    )
    assert trailer is not None, "a Debian changelog entry ends with its maintainer line"
    release = ET.parse(METAINFO).getroot().find("releases/release")
    assert release is not None
    day = datetime.strptime(trailer.group(3), "%a, %d %b %Y %H:%M:%S %z").date()
    assert day.isoformat() == release.get("date")


def test_msi_is_per_machine_with_a_start_menu_shortcut() -> None:
    text = (PACKAGING / "windows" / "ecip-reader.wxs").read_text(encoding="utf-8")
    root = ET.fromstring(text)
    product = root.find(f"{WIX}Product")
    assert product is not None and product.get("Name") == APP_TITLE
    package = product.find(f"{WIX}Package")
    assert package is not None and package.get("InstallScope") == "perMachine"
    upgrade = product.find(f"{WIX}Upgrade")
    assert upgrade is not None and upgrade.get("Id") == product.get("UpgradeCode")

    shortcut = root.find(f".//{WIX}DirectoryRef[@Id='ProgramMenuFolder']//{WIX}Shortcut")
    assert shortcut is not None
    assert shortcut.get("Target") == f"[INSTALLDIR]{APP_NAME}.exe"

    # The policy folder is the one the reader reads: %ProgramData%\ecip-reader.
    program_data = root.find(f".//{WIX}Directory[@Id='CommonAppDataFolder']")
    assert program_data is not None
    policy_dir = program_data.find(f"{WIX}Directory")
    assert policy_dir is not None and policy_dir.get("Name") == APP_NAME

    feature = product.find(f"{WIX}Feature")
    assert feature is not None
    assert feature.find(f"{WIX}ComponentGroupRef").get("Id") == "AppFiles"  # type: ignore[union-attr]


def test_msi_replaces_a_build_of_the_same_version_and_keeps_the_policy_file() -> None:
    root = ET.fromstring((PACKAGING / "windows" / "ecip-reader.wxs").read_text(encoding="utf-8"))
    older = root.find(f".//{WIX}UpgradeVersion[@Property='OLDER_VERSION_FOUND']")
    assert older is not None
    assert older.get("Maximum") == "$(var.Version)" and older.get("IncludeMaximum") == "yes"
    policy = root.find(f".//{WIX}Component[@Id='PolicyFile']")
    assert policy is not None and policy.get("Permanent") == "yes"
    # wixl drops both attributes; the build script writes them into the tables.
    script = (PACKAGING / "windows" / "build_msi.sh").read_text(encoding="utf-8")
    assert "768" in script and "Attributes = 272 WHERE Component = 'PolicyFile'" in script
    properties = {p.get("Id") for p in root.iter(f"{WIX}Property")}
    assert {"ARPCONTACT", "ARPHELPLINK", "ARPURLINFOABOUT", "ARPPRODUCTICON"} <= properties


def test_workflow_builds_on_three_platforms_with_files_that_exist() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    for runner in ("ubuntu-latest", "windows-latest", "macos-latest"):
        assert f"runs-on: {runner}" in text
    assert (
        "container: python:3.11-bookworm" in text
    )  # the Linux build never uses the runner's libraries
    assert 'image: ["debian:12", "ubuntu:24.04"]' in text
    assert "run: bash packaging/linux/test_install.sh" in text
    scripts = set(re.findall(r"packaging/[\w./-]+\.(?:sh|py)", text))
    assert {
        "packaging/linux/build.sh",
        "packaging/linux/test_install.sh",
        "packaging/build.py",
        "packaging/sbom.py",
        "packaging/windows/build_msi.sh",
        "packaging/macos/build_dmg_pkg.sh",
    } <= scripts
    for script in scripts:
        assert (ROOT / script).is_file(), script
    assert "msiexec.exe" in text and "/qn" in text


def test_workflow_signs_only_with_secrets_and_says_so_otherwise() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    for secret in ("WINDOWS_CERTIFICATE", "MACOS_CERTIFICATE", "APPLE_ID"):
        assert f"secrets.{secret} != ''" in text
    # every signing step runs only when its secrets exist, with a notice when they do not
    assert text.count("if: env.HAS_CERTIFICATE == 'true'") == 4
    assert text.count("::notice title=") == 4
    assert "xcrun notarytool submit" in text and "xcrun stapler staple" in text
    assert "signtool" in text and "osslsigncode sign" in text
