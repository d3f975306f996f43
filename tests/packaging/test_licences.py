"""The licence inventory names what is bundled, with versions and licence texts."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

import pytest

from tests.packaging.conftest import ROOT, load_script

licences = load_script("licences.py")
sbom = load_script("sbom.py")
SOURCES = ROOT / "src"


STDLIB_FILE = Path(sysconfig.get_path("stdlib")) / "json" / "__init__.py"


def debian_owner(file: Path) -> str | None:
    """The Debian package that installed ``file``, asked of dpkg directly."""
    if shutil.which("dpkg") is None:
        return None
    found = subprocess.run(["dpkg", "-S", str(file.resolve())], capture_output=True, text=True)
    if found.returncode != 0:
        return None
    return found.stdout.split(":")[0].strip()


def installed_file(distribution: str, suffix: str) -> Path:
    for file in metadata.distribution(distribution).files or []:
        if str(file).endswith(suffix):
            return Path(str(file.locate()))
    raise AssertionError(f"{distribution} has no {suffix}")


pytestmark = pytest.mark.slow  # tracing reads every installed distribution's file list


def bundle_entries() -> list[tuple[str, str]]:
    """Some of the files a build collects, as (place in the bundle, source) pairs."""
    return [
        ("PySide6/QtCore.abi3.so", str(installed_file("PySide6_Essentials", "QtCore.abi3.so"))),
        ("platformdirs", str(installed_file("platformdirs", "platformdirs/__init__.py"))),
        ("whoosh", str(installed_file("Whoosh-Reloaded", "whoosh/__init__.py"))),
        ("json", str(STDLIB_FILE)),
        ("ecip_reader", str(SOURCES / "ecip_reader" / "__init__.py")),
    ]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The two inventory files, written once for this module's tests."""
    out = tmp_path_factory.mktemp("inventory")
    text_path, json_path = licences.write_inventory(bundle_entries(), out, "9.8.7", [SOURCES])
    return text_path, json_path


def test_each_file_is_traced_to_its_distribution_with_licence_texts(
    written: tuple[Path, Path],
) -> None:
    text_path, json_path = written
    inventory = json.loads(json_path.read_text(encoding="utf-8"))
    names = {c["name"]: c for c in inventory["components"]}

    assert inventory["application"] == {
        "name": "ecip-reader",
        "version": "9.8.7",
        "licence": "AGPL-3.0-or-later",
    }
    assert "ecip-reader" not in names  # the reader itself is not third-party
    pyside = names["PySide6_Essentials"]
    assert pyside["version"] == metadata.version("PySide6_Essentials")
    assert pyside["licence"].startswith("LGPL-3.0-only")
    assert pyside["files"] == ["PySide6/QtCore.abi3.so"]
    assert names["platformdirs"]["licence"] == "MIT"
    stdlib_owner = debian_owner(STDLIB_FILE)
    if stdlib_owner is None:  # a Python built from source: its own LICENSE.txt
        assert names["Python"]["version"] == sys.version.split()[0]
        assert names["Python"]["origin"] == "python"
    else:  # Debian's Python: the package that installed the standard library
        assert names[stdlib_owner]["origin"] == "deb"
        assert names[stdlib_owner]["files"] == ["json"]

    text = text_path.read_text(encoding="utf-8")
    assert "Third-party software in the ECIP Case-Study Reader 9.8.7" in text
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text  # Qt's licence, which its wheel lacks
    assert "PYTHON SOFTWARE FOUNDATION LICENSE" in text  # Python's own LICENSE.txt
    assert f"  platformdirs {metadata.version('platformdirs')} — MIT" in text


def test_a_file_of_unknown_origin_stops_a_linux_build(tmp_path: Path) -> None:
    stray = tmp_path / "libmystery.so.1"
    stray.write_bytes(b"\x7fELF")
    with pytest.raises(SystemExit, match="no licence is known for these bundled files"):
        licences.write_inventory(
            [("libmystery.so.1", str(stray))], tmp_path / "out", "1.0", [SOURCES]
        )


def test_debian_packages_are_found_with_version_and_copyright() -> None:
    libc = Path("/usr/lib/x86_64-linux-gnu/libc.so.6")
    found = licences.debian_packages([libc])
    component = found[libc]
    assert component.name == "libc6" and component.origin == "deb"
    assert component.version[0].isdigit()
    assert component.texts and "GNU" in component.texts[0][1]


def test_the_bill_of_materials_describes_the_installer(
    written: tuple[Path, Path], tmp_path: Path
) -> None:
    _text, json_path = written
    installer = tmp_path / "ecip-reader_9.8.7_amd64.deb"
    installer.write_bytes(b"not really a package")

    assert sbom.main([str(installer), str(json_path)]) == 0

    bill = json.loads((tmp_path / "ecip-reader_9.8.7_amd64.deb.cdx.json").read_text("utf-8"))
    assert bill["bomFormat"] == "CycloneDX" and bill["specVersion"] == "1.5"
    assert bill["serialNumber"].startswith("urn:uuid:")
    subject = bill["metadata"]["component"]
    assert (subject["name"], subject["version"]) == ("ecip-reader", "9.8.7")
    assert subject["hashes"] == [{"alg": "SHA-256", "content": sbom.sha256(installer)}]
    by_name = {c["name"]: c for c in bill["components"]}
    version = metadata.version("platformdirs")
    assert by_name["platformdirs"]["purl"] == f"pkg:pypi/platformdirs@{version}"
    assert by_name["platformdirs"]["licenses"] == [{"license": {"id": "MIT"}}]
    assert by_name["PySide6_Essentials"]["licenses"][0]["expression"].startswith("LGPL-3.0")
    assert bill["dependencies"][0]["dependsOn"] == [c["bom-ref"] for c in bill["components"]]
