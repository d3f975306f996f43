"""Check the shared libraries of a Linux one-folder build against the .deb's Depends.

For every ELF file in the folder, each library it needs must be either in the
bundle or provided by the system; a system library must belong to a package
named in ``--depends``. Libraries in the bundle that nothing needs are
reported too (they only make the package bigger), and so is any file that
asks for a glibc symbol version newer than ``--glibc-max`` (the oldest glibc
the README promises) or keeps a library search path outside the bundle.
Prints the highest glibc symbol version the bundle needs, for the
``libc6 (>= …)`` dependency.

Usage::

    python packaging/linux/check_bundle.py ONEDIR --depends "libx11-6, ..." --glibc-max 2.34

Exit code 0 when everything is accounted for, 1 otherwise. A library that is
not installed on the build machine cannot be traced to a package; it is listed
as a warning (the install test then checks it on a system with the Depends
installed).
"""

from __future__ import annotations

import argparse
import functools
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from elfinfo import ElfFile, glibc_version, is_elf, ldconfig_cache

# Provided by libc6 itself.
LIBC = re.compile(r"^(libc|libm|libdl|libpthread|librt|libutil|libresolv|ld-linux[-\w]*)\.so")


def glibc_needs(elf: ElfFile) -> dict[tuple[int, ...], list[str]]:
    """glibc version -> the symbols of ``elf`` that require it."""
    symbols = elf.symbols_by_version()
    found: dict[tuple[int, ...], list[str]] = {}
    for need in elf.version_needs():
        version = glibc_version(need.version)
        if version is not None:
            found.setdefault(version, []).extend(symbols.get(need.index, []))
    return found


def system_libraries() -> dict[str, str]:
    out = ldconfig_cache()
    found: dict[str, str] = {}
    for line in out.splitlines():
        match = re.match(r"\s*(\S+) \(([^)]*)\) => (\S+)", line)
        if match and ("x86-64" in match.group(2) or "AArch64" in match.group(2)):
            found.setdefault(match.group(1), match.group(3))
    return found


@functools.cache
def package_of(path: str) -> str | None:
    real = str(Path(path).resolve())
    for candidate in (
        real,
        path,
        real.replace("/usr/lib/", "/lib/"),
        real.replace("/lib/", "/usr/lib/", 1),
    ):
        result = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if result.returncode == 0:
            return result.stdout.split(":", 1)[0].strip()
    return None


def depends_clauses(depends: str) -> list[set[str]]:
    """Each comma-separated clause as the set of its alternatives' package names."""
    return [
        {a.strip().split(" ", 1)[0].split("(", 1)[0] for a in clause.split("|") if a.strip()}
        for clause in depends.split(",")
        if clause.strip()
    ]


def depends_packages(depends: str) -> set[str]:
    names: set[str] = set()
    for clause in depends.split(","):
        for alternative in clause.split("|"):
            name = alternative.strip().split(" ", 1)[0].split("(", 1)[0]
            if name:
                names.add(name)
    return names


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("onedir", type=Path)
    parser.add_argument("--depends", required=True, help="the Depends field of the .deb")
    parser.add_argument("--glibc-max", default="2.34", help="the newest glibc version allowed")
    args = parser.parse_args(argv)
    glibc_max = tuple(int(part) for part in args.glibc_max.split("."))
    onedir: Path = args.onedir
    elves = [
        p for p in sorted(onedir.rglob("*")) if p.is_file() and not p.is_symlink() and is_elf(p)
    ]
    bundled = {p.name for p in onedir.rglob("*") if ".so" in p.name}
    system = system_libraries()
    allowed = depends_packages(args.depends)
    problems: list[str] = []
    warnings: list[str] = []
    glibc: tuple[int, ...] = (2, 0)
    packages_used: set[str] = set()
    needs: dict[Path, list[str]] = {}
    for elf in elves:
        info = ElfFile(elf)
        rel = elf.relative_to(onedir)
        for version, symbols in sorted(glibc_needs(info).items()):
            glibc = max(glibc, version)
            if version > glibc_max:
                names = ", ".join(sorted(symbols)) or "(no symbol)"
                problems.append(
                    f"{rel} needs glibc {'.'.join(map(str, version))} for {names}: newer "
                    f"than the {'.'.join(map(str, glibc_max))} the README promises"
                )
        for path in info.search_paths():
            if not path.startswith("$ORIGIN"):
                problems.append(f"{rel} searches libraries in {path}, outside the bundle")
        needs[elf] = info.needed()
        for lib in needs[elf]:
            if lib in bundled or LIBC.match(lib):
                continue
            where = system.get(lib)
            if where is None:
                warnings.append(f"{lib} (needed by {rel}) is not installed on this machine")
                continue
            package = package_of(where)
            if package is not None:
                packages_used.add(package.split(":")[0])
            if package is None:
                problems.append(f"{lib} (needed by {rel}) belongs to no package")
            elif package.split(":")[0] not in allowed:
                problems.append(f"{lib} (needed by {rel}) is in {package}, missing from Depends")
    # Libraries in _internal/ must be reachable from what is loaded by path: the
    # launcher, libpython, Python extension modules and Qt plugins.
    top = onedir / "_internal"
    by_name = {p.name: p for p in elves if p.parent == top}
    todo = [p for p in elves if p.parent != top or p.name.startswith("libpython")]
    reached: set[str] = set()
    while todo:
        for lib in needs.get(todo.pop(), []):
            if lib in by_name and lib not in reached:
                reached.add(lib)
                todo.append(by_name[lib])
    for name in sorted(set(by_name) - reached):
        if not name.startswith("libpython"):
            problems.append(f"{name} is in the bundle but nothing needs it")
    if not warnings:
        for clause in depends_clauses(args.depends):
            if clause & packages_used or any(
                p == "libc6" or p.startswith("fonts-") for p in clause
            ):
                continue
            names = " | ".join(sorted(clause))
            problems.append(f"Depends names {names}, but no bundled file needs it")
    for line in sorted(set(warnings)):
        print(f"warning: {line}")
    for line in problems:
        print(f"error: {line}")
    print(f"glibc={'.'.join(map(str, glibc))}")
    print(
        f"{len(elves)} ELF files checked, {len(problems)} problems, {len(set(warnings))} warnings"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
