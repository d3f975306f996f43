"""Finish a Linux one-folder build before its manifest is written.

PyInstaller copies libraries as they are on the build machine. This script,
run on the ``ecip-reader`` folder, makes the copy fit to ship:

* removes ``RPATH``/``RUNPATH`` entries that name a folder of the build
  machine (the Python of the build machine leaves its own ``lib`` folder in
  ``libpython`` and every ``lib-dynload`` module); ``$ORIGIN``-relative
  entries, which point inside the bundle, stay;
* strips symbol tables and notes from every shared object, as Debian's
  packaging tools do (``strip --strip-unneeded``); the launcher is already
  stripped by PyInstaller and carries its archive, so it is left alone;
* binds a symbol that glibc only recently gave a new version to its older
  version, when the list below names it and the build machine's own library
  still defines that older version: ``hypot`` got ``GLIBC_2.35`` (a faster
  implementation, same results), and a Python built on a newer system asks
  for it although every glibc since 2.2.5 has the function;
* makes shared objects non-executable (mode 0644).

Usage::

    python packaging/linux/finish_bundle.py ONEDIR [--glibc-floor 2.34]

Prints one line per kind of change. Exits 1 when something cannot be fixed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from elfinfo import ElfFile, VersionNeed, glibc_version, is_elf, ldconfig_cache

# Symbols that may be bound to an older glibc version: library -> symbols.
OLDER_VERSION_ALLOWED = {"libm.so.6": {"hypot"}}
STRIP = ["strip", "--strip-unneeded", "--remove-section=.comment", "--remove-section=.note"]


def shared_objects(onedir: Path) -> list[Path]:
    """Every ELF file below ``_internal`` (the launcher stays as PyInstaller made it)."""
    return [
        p
        for p in sorted((onedir / "_internal").rglob("*"))
        if p.is_file() and not p.is_symlink() and is_elf(p)
    ]


def has_symbol_table(elf: ElfFile) -> bool:
    return any(s.name in (".symtab", ".debug_info") for s in elf.sections)


def system_library(name: str) -> Path | None:
    out = ldconfig_cache()
    for line in out.splitlines():
        parts = line.split(" => ")
        if len(parts) == 2 and parts[0].split()[0] == name and "x32" not in parts[0]:
            return Path(parts[1].strip())
    return None


def older_version(elf: ElfFile, need: VersionNeed, floor: tuple[int, ...]) -> str | None:
    """The oldest version under which the system's library defines every symbol that
    uses ``need``, if allowed, not newer than ``floor`` and named in ``elf``."""
    allowed = OLDER_VERSION_ALLOWED.get(need.library, set())
    symbols = set(elf.symbols_by_version().get(need.index, []))
    if not symbols or not symbols <= allowed:
        return None
    library = system_library(need.library)
    if library is None:
        return None
    defined = ElfFile(library)
    common = set.intersection(*(set(defined.defined_versions(s)) for s in symbols))
    usable = [v for v in common if (glibc_version(v) or (99,)) <= floor and elf.has_version_name(v)]
    return min(usable, key=lambda v: glibc_version(v) or (99,), default=None)


def rebind_new_symbols(elf: ElfFile, floor: tuple[int, ...]) -> list[str]:
    changed: list[str] = []
    for need in elf.version_needs():
        version = glibc_version(need.version)
        if version is None or version <= floor:
            continue
        older = older_version(elf, need, floor)
        if older is None:
            continue
        symbols = ", ".join(sorted(elf.symbols_by_version()[need.index]))
        elf.retarget_version(need, older)
        changed.append(f"{symbols}@{need.version} -> {older}")
    return changed


def finish(onedir: Path, floor: tuple[int, ...]) -> list[str]:
    problems: list[str] = []
    cleared = stripped = rebound = 0
    size_before = size_after = 0
    for path in shared_objects(onedir):
        rel = path.relative_to(onedir)
        elf = ElfFile(path)
        foreign = [p for p in elf.search_paths() if not p.startswith("$ORIGIN")]
        if foreign:
            if len(foreign) != len(elf.search_paths()):
                problems.append(f"{rel}: search path mixes $ORIGIN and {':'.join(foreign)}")
            else:
                elf.drop_search_paths()
                cleared += 1
        for change in rebind_new_symbols(elf, floor):
            print(f"    {rel}: {change}")
            rebound += 1
        elf.save()
        size_before += path.stat().st_size
        if has_symbol_table(elf):
            subprocess.run([*STRIP, str(path)], check=True)
            stripped += 1
        size_after += path.stat().st_size
        if ".so" in path.name:
            path.chmod(0o644)
    saved = (size_before - size_after) / 1e6
    print(f"    build-machine search paths removed from {cleared} files")
    print(f"    {stripped} files stripped ({saved:.1f} MB smaller)")
    print(f"    {rebound} symbols bound to an older glibc version")
    return problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("onedir", type=Path)
    parser.add_argument("--glibc-floor", default="2.34", help="highest glibc version allowed")
    args = parser.parse_args(argv)
    floor = tuple(int(part) for part in args.glibc_floor.split("."))
    problems = finish(args.onedir, floor)
    for problem in problems:
        print(f"error: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
