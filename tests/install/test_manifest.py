"""The install manifest: every installed file is checked against its build-time hash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ecip_reader.install.manifest import (
    MANIFEST_NAME,
    app_bundle,
    check_program_files,
    write_manifest,
)


@pytest.fixture
def onedir(tmp_path: Path) -> Path:
    """A one-folder application as PyInstaller lays it out, with its manifest."""
    top = tmp_path / "ecip-reader"
    internal = top / "_internal"
    (internal / "bundled_library").mkdir(parents=True)
    (top / "ecip-reader").write_bytes(b"\x7fELF launcher")
    (internal / "libpython3.so").write_bytes(b"\x7fELF python")
    (internal / "bundled_library" / "about.pdf").write_bytes(b"%PDF-1.7 about")
    (internal / "libpython.so.link").symlink_to("libpython3.so")
    write_manifest(internal, top)
    return top


def test_manifest_lists_every_file_but_itself_and_links(onedir: Path) -> None:
    data = json.loads((onedir / "_internal" / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert data["base"] == ".."
    assert sorted(data["files"]) == [
        "_internal/bundled_library/about.pdf",
        "_internal/libpython3.so",
        "ecip-reader",
    ]


def test_intact_installation(onedir: Path) -> None:
    check = check_program_files(onedir / "_internal", frozen=True)
    assert check is not None and check.ok and not check.warning
    assert check.detail == f"3 files intact in {onedir}"


def test_changed_and_missing_files_are_named(onedir: Path) -> None:
    (onedir / "_internal" / "libpython3.so").write_bytes(b"\x7fELF patched")
    (onedir / "_internal" / "bundled_library" / "about.pdf").unlink()

    check = check_program_files(onedir / "_internal", frozen=True)

    assert check is not None and not check.ok
    assert check.line() == (
        "FAIL program files: 3 files listed; 1 missing (_internal/bundled_library/about.pdf); "
        "1 changed or unreadable (_internal/libpython3.so)"
    )


def test_files_added_after_install_are_a_warning(onedir: Path) -> None:
    (onedir / "_internal" / "stray.log").write_text("written by someone")
    check = check_program_files(onedir / "_internal", frozen=True)
    assert check is not None and check.ok and check.warning
    assert "1 files added since install (_internal/stray.log)" in check.detail
    assert check.line().startswith("WARN program files:")


def test_many_problems_are_summarised(onedir: Path) -> None:
    internal = onedir / "_internal"
    for number in range(8):
        (internal / f"plugin{number}.so").write_bytes(b"x")
    write_manifest(internal, onedir)
    for number in range(8):
        (internal / f"plugin{number}.so").write_bytes(b"y")
    check = check_program_files(internal, frozen=True)
    assert check is not None and not check.ok
    assert "8 changed or unreadable (" in check.detail and "and 3 more)" in check.detail


def test_missing_manifest(onedir: Path) -> None:
    (onedir / "_internal" / MANIFEST_NAME).unlink()
    frozen = check_program_files(onedir / "_internal", frozen=True)
    assert frozen is not None and not frozen.ok and "is missing" in frozen.detail
    assert check_program_files(onedir / "_internal", frozen=False) is None  # from source


def test_unreadable_manifest(onedir: Path) -> None:
    (onedir / "_internal" / MANIFEST_NAME).write_text("{not json")
    check = check_program_files(onedir / "_internal", frozen=True)
    assert check is not None and not check.ok and "cannot be read" in check.detail


def test_manifest_without_a_file_table_cannot_be_read(onedir: Path) -> None:
    (onedir / "_internal" / MANIFEST_NAME).write_text(json.dumps({"format": 1, "files": []}))
    check = check_program_files(onedir / "_internal", frozen=True)
    assert check is not None and not check.ok and "cannot be read" in check.detail


def test_app_bundle_of_a_macos_executable() -> None:
    exe = Path("/Applications/ECIP Case-Study Reader.app/Contents/MacOS/ecip-reader")
    assert app_bundle(exe) == Path("/Applications/ECIP Case-Study Reader.app")
    assert app_bundle(Path("/opt/ecip-reader/ecip-reader")) is None
