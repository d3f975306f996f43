"""Finishing a Linux bundle: build-machine search paths go, hypot binds to its old glibc version.

The test library ``data/libhypot.so`` (source and build command in
``data/hypot.c``) was built on glibc 2.36 with a build machine's RUNPATH, as
the build machine's Python is.
"""

from __future__ import annotations

import ctypes
import shutil
from pathlib import Path

import pytest

from tests.packaging.conftest import load_script

DATA = Path(__file__).parent / "data"
elfinfo = load_script("linux/elfinfo.py")
finish_bundle = load_script("linux/finish_bundle.py")


@pytest.fixture
def onedir(tmp_path: Path) -> Path:
    internal = tmp_path / "ecip-reader" / "_internal"
    internal.mkdir(parents=True)
    shutil.copy(DATA / "libhypot.so", internal / "libhypot.so")
    (internal / "libhypot.so").chmod(0o755)
    return tmp_path / "ecip-reader"


def glibc_needs(path: Path) -> dict[str, list[str]]:
    elf = elfinfo.ElfFile(path)
    symbols = elf.symbols_by_version()
    return {n.version: symbols.get(n.index, []) for n in elf.version_needs()}


def test_the_test_library_has_both_problems() -> None:
    elf = elfinfo.ElfFile(DATA / "libhypot.so")
    assert elf.search_paths() == ["/build/machine/lib"]
    assert elf.needed() == ["libm.so.6"]
    assert glibc_needs(DATA / "libhypot.so")["GLIBC_2.35"] == ["hypot"]


def test_finishing_removes_the_search_path_and_binds_hypot_to_the_old_version(
    onedir: Path,
) -> None:
    library = onedir / "_internal" / "libhypot.so"

    assert finish_bundle.finish(onedir, (2, 34)) == []

    elf = elfinfo.ElfFile(library)
    assert elf.search_paths() == []
    needs = glibc_needs(library)
    assert "GLIBC_2.35" not in needs
    assert "hypot" in needs["GLIBC_2.2.5"]
    assert max(elfinfo.glibc_version(v) for v in needs) <= (2, 34)
    assert library.stat().st_mode & 0o777 == 0o644
    # The patched library still loads and computes: the old hypot is the same function.
    length = ctypes.CDLL(str(library)).length
    length.restype = ctypes.c_double
    length.argtypes = [ctypes.c_double, ctypes.c_double]
    assert length(3.0, 4.0) == 5.0


def test_a_symbol_not_on_the_list_is_left_for_the_check_to_report(
    onedir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(finish_bundle, "OLDER_VERSION_ALLOWED", {})
    finish_bundle.finish(onedir, (2, 34))
    assert glibc_needs(onedir / "_internal" / "libhypot.so")["GLIBC_2.35"] == ["hypot"]


def test_elf_hash_is_the_system_v_hash() -> None:
    # values from the version tables of glibc's own libraries
    assert elfinfo.elf_hash("GLIBC_2.2.5") == 0x09691A75
    assert elfinfo.elf_hash("GLIBC_2.35") == 0x069691B5
