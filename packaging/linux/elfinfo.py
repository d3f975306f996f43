"""Read (and minimally edit) the dynamic-linking facts of 64-bit little-endian ELF files.

Enough of the format for the Linux build: the libraries a file needs
(``DT_NEEDED``), its ``RPATH``/``RUNPATH``, the symbol versions it requires
from each library (``.gnu.version_r``), which imported symbols use which of
those versions, and one edit: pointing a required version at an older one.
Pure Python, so the build and its tests need no binutils for it.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

ELF_MAGIC = b"\x7fELF"
SHT_DYNSYM = 11
SHT_GNU_VERDEF = 0x6FFFFFFD
SHT_GNU_VERNEED = 0x6FFFFFFE
SHT_GNU_VERSYM = 0x6FFFFFFF
SHT_DYNAMIC = 6
DT_NULL, DT_NEEDED, DT_RPATH, DT_RUNPATH = 0, 1, 15, 29


class NotElf(ValueError):
    """The file is not a 64-bit little-endian ELF file."""


@dataclass(frozen=True)
class Section:
    name: str
    kind: int
    offset: int
    size: int
    link: int
    entsize: int


@dataclass(frozen=True)
class VersionNeed:
    """One required symbol version: ``GLIBC_2.35`` from ``libm.so.6``."""

    library: str
    version: str
    index: int  # the value the versym table uses for it
    entry_offset: int  # file offset of its Vernaux entry


def elf_hash(name: str) -> int:
    """The System V ELF hash, used for version names."""
    h = 0
    for byte in name.encode("ascii"):
        h = ((h << 4) + byte) & 0xFFFFFFFF
        g = h & 0xF0000000
        if g:
            h ^= g >> 24
        h &= ~g & 0xFFFFFFFF
    return h


def is_elf(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(4) == ELF_MAGIC
    except OSError:
        return False


class ElfFile:
    """An ELF file read into memory; :meth:`save` writes edits back."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data = bytearray(path.read_bytes())
        if self.data[:4] != ELF_MAGIC or self.data[4] != 2 or self.data[5] != 1:
            raise NotElf(f"{path} is not a 64-bit little-endian ELF file")
        shoff = struct.unpack_from("<Q", self.data, 0x28)[0]
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", self.data, 0x3A)
        raw = [
            struct.unpack_from("<IIQQQQIIQQ", self.data, shoff + i * shentsize)
            for i in range(shnum)
        ]
        names_at = raw[shstrndx][4] if shnum else 0
        self.sections = [
            Section(self._string(names_at, r[0]), r[1], r[4], r[5], r[6], r[9]) for r in raw
        ]

    def _string(self, table_offset: int, index: int) -> str:
        start = table_offset + index
        end = self.data.index(b"\0", start)
        return self.data[start:end].decode("utf-8", "replace")

    def _section(self, kind: int) -> Section | None:
        return next((s for s in self.sections if s.kind == kind), None)

    def _dynamic(self) -> list[tuple[int, int]]:
        dynamic = self._section(SHT_DYNAMIC)
        if dynamic is None:
            return []
        entries = []
        for at in range(dynamic.offset, dynamic.offset + dynamic.size, 16):
            tag, value = struct.unpack_from("<qQ", self.data, at)
            if tag == DT_NULL:
                break
            entries.append((tag, value))
        return entries

    def _dynstr(self) -> int:
        dynamic = self._section(SHT_DYNAMIC)
        assert dynamic is not None
        return self.sections[dynamic.link].offset

    def needed(self) -> list[str]:
        """The ``DT_NEEDED`` library names, in order."""
        if self._section(SHT_DYNAMIC) is None:
            return []
        strings = self._dynstr()
        return [self._string(strings, v) for tag, v in self._dynamic() if tag == DT_NEEDED]

    def search_paths(self) -> list[str]:
        """Every ``RPATH`` and ``RUNPATH`` entry."""
        if self._section(SHT_DYNAMIC) is None:
            return []
        strings = self._dynstr()
        found: list[str] = []
        for tag, value in self._dynamic():
            if tag in (DT_RPATH, DT_RUNPATH):
                found += [p for p in self._string(strings, value).split(":") if p]
        return found

    def version_needs(self) -> list[VersionNeed]:
        section = self._section(SHT_GNU_VERNEED)
        if section is None:
            return []
        strings = self.sections[section.link].offset
        needs: list[VersionNeed] = []
        at = section.offset
        while True:
            _version, count, file_name, aux, next_need = struct.unpack_from("<HHIII", self.data, at)
            library = self._string(strings, file_name)
            entry = at + aux
            for _ in range(count):
                _hash, _flags, other, name, next_aux = struct.unpack_from(
                    "<IHHII", self.data, entry
                )
                needs.append(VersionNeed(library, self._string(strings, name), other, entry))
                if not next_aux:
                    break
                entry += next_aux
            if not next_need:
                break
            at += next_need
        return needs

    def symbols_by_version(self) -> dict[int, list[str]]:
        """Imported and exported dynamic symbols, grouped by their versym index."""
        dynsym = self._section(SHT_DYNSYM)
        versym = self._section(SHT_GNU_VERSYM)
        if dynsym is None or versym is None:
            return {}
        strings = self.sections[dynsym.link].offset
        grouped: dict[int, list[str]] = {}
        for i in range(dynsym.size // 24):
            name = struct.unpack_from("<I", self.data, dynsym.offset + i * 24)[0]
            index = struct.unpack_from("<H", self.data, versym.offset + i * 2)[0] & 0x7FFF
            grouped.setdefault(index, []).append(self._string(strings, name))
        return grouped

    def defined_versions(self, symbol: str) -> list[str]:
        """The versions under which this file (a library) defines ``symbol``."""
        dynsym = self._section(SHT_DYNSYM)
        versym = self._section(SHT_GNU_VERSYM)
        verdef = self._section(SHT_GNU_VERDEF)
        if dynsym is None or versym is None or verdef is None:
            return []
        strings = self.sections[dynsym.link].offset
        names: dict[int, str] = {}
        at = verdef.offset
        while True:
            _v, _flags, index, _count, _hash, aux, next_def = struct.unpack_from(
                "<HHHHIII", self.data, at
            )
            name = struct.unpack_from("<I", self.data, at + aux)[0]
            names[index] = self._string(self.sections[verdef.link].offset, name)
            if not next_def:
                break
            at += next_def
        found: list[str] = []
        for i in range(dynsym.size // 24):
            name, _info, _other, shndx = struct.unpack_from(
                "<IBBH", self.data, dynsym.offset + i * 24
            )
            if shndx == 0 or self._string(strings, name) != symbol:
                continue
            index = struct.unpack_from("<H", self.data, versym.offset + i * 2)[0] & 0x7FFF
            if index in names:
                found.append(names[index])
        return found

    def drop_search_paths(self) -> list[str]:
        """Remove the ``RPATH``/``RUNPATH`` entries; returns the paths they held.

        The entries are taken out of the dynamic table (later entries move up);
        the strings stay in the string table, unused.
        """
        dynamic = self._section(SHT_DYNAMIC)
        if dynamic is None:
            return []
        removed = self.search_paths()
        kept = [(t, v) for t, v in self._dynamic() if t not in (DT_RPATH, DT_RUNPATH)]
        if len(kept) == len(self._dynamic()):
            return []
        capacity = dynamic.size // 16
        kept += [(DT_NULL, 0)] * (capacity - len(kept))
        for i, (tag, value) in enumerate(kept):
            struct.pack_into("<qQ", self.data, dynamic.offset + i * 16, tag, value)
        return removed

    def has_version_name(self, version: str) -> bool:
        return self._version_name_offset(version) is not None

    def _version_name_offset(self, version: str) -> int | None:
        section = self._section(SHT_GNU_VERNEED)
        if section is None:
            return None
        table = self.sections[section.link]
        data = bytes(self.data[table.offset : table.offset + table.size])
        wanted = version.encode("ascii") + b"\0"
        at = data.find(wanted)
        while at > 0 and data[at - 1] != 0:  # a whole string, not the end of a longer one
            at = data.find(wanted, at + 1)
        return None if at < 0 else at

    def retarget_version(self, need: VersionNeed, version: str) -> None:
        """Make every symbol that requires ``need`` require ``version`` instead.

        ``version`` must already be a string of the file's string table (it is,
        when any library is asked for it), so only the entry's hash and name
        offset change: the file keeps its size and layout.
        """
        offset = self._version_name_offset(version)
        if offset is None:
            raise ValueError(f"{self.path} has no string {version!r} to point at")
        struct.pack_into("<I", self.data, need.entry_offset, elf_hash(version))
        struct.pack_into("<I", self.data, need.entry_offset + 8, offset)

    def save(self) -> None:
        self.path.write_bytes(bytes(self.data))


def ldconfig_cache() -> str:
    """What ``ldconfig -p`` prints: the system's shared libraries and where they are.

    An ordinary user's PATH on Debian has no ``/sbin``, where ``ldconfig`` lives.
    """
    search = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
    ldconfig = shutil.which("ldconfig", path=search)
    if ldconfig is None:
        raise SystemExit("ldconfig was not found (package libc-bin)")
    return subprocess.run([ldconfig, "-p"], capture_output=True, text=True, check=True).stdout


def glibc_version(version: str) -> tuple[int, ...] | None:
    """``GLIBC_2.35`` -> ``(2, 35)``; None for other version names."""
    if not version.startswith("GLIBC_"):
        return None
    try:
        return tuple(int(part) for part in version[6:].split("."))
    except ValueError:
        return None


def main(argv: list[str]) -> int:
    """``elfinfo.py search-paths FILE...``: print each file's library search paths."""
    if len(argv) < 1 or argv[0] != "search-paths":
        print("usage: elfinfo.py search-paths FILE...")
        return 2
    for name in argv[1:]:
        path = Path(name)
        if is_elf(path):
            for entry in ElfFile(path).search_paths():
                print(f"{name}: {entry}")
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
