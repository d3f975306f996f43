"""The installer sources agree with the application: names, paths and policy keys."""

from __future__ import annotations

import configparser
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from ecip_reader import APP_NAME, APP_TITLE
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


def test_desktop_entry_starts_the_installed_command() -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(PACKAGING / "linux" / "ecip-reader.desktop", encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Name"] == APP_TITLE
    assert entry["Exec"] == APP_NAME and entry["TryExec"] == APP_NAME
    assert entry["Icon"] == APP_NAME
    assert entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";")


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


def test_workflow_builds_on_three_platforms_with_files_that_exist() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "os: [ubuntu-latest, windows-latest, macos-latest]" in text
    scripts = set(re.findall(r"packaging/[\w./-]+\.(?:sh|py)", text))
    assert {
        "packaging/linux/build.sh",
        "packaging/linux/test_install.sh",
        "packaging/build.py",
        "packaging/windows/build_msi.sh",
        "packaging/macos/build_dmg_pkg.sh",
    } <= scripts
    for script in scripts:
        assert (ROOT / script).is_file(), script
    assert "msiexec.exe" in text and "/qn" in text
