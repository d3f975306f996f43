"""Hostile files: what an attacker or an unlucky share puts where the reader looks.

Each ``make_*`` function writes one entry into a folder and returns a
:class:`Hostile` with the one sentence the reader must say about it, or no
sentence when it must simply work (a valid PDF whose name is not UTF-8). The
entries are not plain files: a named pipe, a link to a device, a socket, a link
loop, a dangling link. Whatever reads one of them without checking first hangs
or reads for ever, so every test here doubles as a hang test (the suite's time
limit fails it).

The damaged notes databases are here too: :func:`scramble_middle` writes random
bytes over pages in the middle of a database, :func:`truncate` cuts it short.
"""

from __future__ import annotations

import os
import random
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.badfiles import _raw_pdf, write_good_pdf

# A name with the bytes 0xFF 0xFE, which are not UTF-8, and how the reader shows it.
NON_UTF8_NAME = os.fsdecode(b"rota-\xff\xfe.pdf")
NON_UTF8_SHOWN = "rota-\\xff\\xfe.pdf"
HUGE_PAGE_COUNT = 2_147_483_647


@dataclass(frozen=True)
class Hostile:
    case: str
    path: Path
    error: str | None  # the one sentence; None when the file must open and be found
    words: tuple[str, ...] = ()  # words a search must find in it, when it opens

    @property
    def shown(self) -> str:
        """The file name as the reader prints it."""
        return NON_UTF8_SHOWN if self.path.name == NON_UTF8_NAME else self.path.name


def make_fifo(folder: Path) -> Hostile:
    path = folder / "pipe.pdf"
    os.mkfifo(path)
    return Hostile("fifo", path, "pipe.pdf is a named pipe, not a file.")


def make_device_link(folder: Path) -> Hostile:
    """A link to /dev/zero: read it and it never ends."""
    path = folder / "zeros.pdf"
    path.symlink_to("/dev/zero")
    return Hostile("device-link", path, "zeros.pdf is a device, not a file.")


def make_symlink_loop(folder: Path) -> Hostile:
    path = folder / "loop.pdf"
    partner = folder / ".loop-partner.pdf"
    path.symlink_to(partner.name)
    partner.symlink_to(path.name)
    return Hostile("symlink-loop", path, "loop.pdf is a link that leads back to itself.")


def make_dangling_link(folder: Path) -> Hostile:
    path = folder / "moved-away.pdf"
    path.symlink_to(folder / "no-longer-here.pdf")
    return Hostile("dangling-link", path, "moved-away.pdf is a link to a file that does not exist.")


def make_non_utf8_name(folder: Path) -> Hostile:
    """A valid PDF whose name holds the bytes 0xFF 0xFE."""
    made = write_good_pdf(folder / NON_UTF8_NAME, ["nightingale", "rotation"])
    return Hostile("non-utf8-name", made.path, None, made.words)


def make_huge_page_count(folder: Path) -> Hostile:
    """One real page, but a page tree that claims 2,147,483,647."""
    path = folder / "endless.pdf"
    data = _raw_pdf([b"BT /F1 12 Tf 72 770 Td (Only one page is here.) Tj ET"])
    path.write_bytes(data.replace(b"/Count 1/", b"/Count %d/" % HUGE_PAGE_COUNT))
    return Hostile(
        "huge-page-count",
        path,
        "endless.pdf is damaged: the number of pages it claims is not valid.",
    )


CASES: dict[str, Callable[[Path], Hostile]] = {
    "fifo": make_fifo,
    "device-link": make_device_link,
    "symlink-loop": make_symlink_loop,
    "dangling-link": make_dangling_link,
    "non-utf8-name": make_non_utf8_name,
    "huge-page-count": make_huge_page_count,
}


def build_hostile(folder: Path) -> dict[str, Hostile]:
    """Write every case into ``folder``; returns them by case name."""
    folder.mkdir(parents=True, exist_ok=True)
    return {case: make(folder) for case, make in CASES.items()}


@contextmanager
def listening_socket(folder: Path, name: str = "socket.pdf") -> Iterator[Hostile]:
    """A Unix socket named like a PDF, for as long as the block runs."""
    path = folder / name
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        server.listen(1)
        yield Hostile("socket", path, f"{name} is a socket, not a file.")
    finally:
        server.close()
        path.unlink(missing_ok=True)


# -- damaged databases -----------------------------------------------------------------

PAGE = 4096


def scramble_middle(path: Path, pages: int = 1, seed: int = 15) -> None:
    """Write random bytes over ``pages`` pages in the middle of the file."""
    data = bytearray(path.read_bytes())
    middle = (len(data) // PAGE // 2) * PAGE
    data[middle : middle + pages * PAGE] = random.Random(seed).randbytes(pages * PAGE)
    path.write_bytes(bytes(data))


def truncate(path: Path, keep: float = 0.6) -> None:
    """Cut the file to ``keep`` of its length (on a page boundary)."""
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.truncate(max(PAGE, int(size * keep) // PAGE * PAGE))
