"""Reading the rows straight off the pages of a damaged SQLite file.

When a page high in a table's tree is ruined, SQLite can no longer reach the
rows below it, although the pages holding them are intact. This module walks
the file page by page, as the file format describes it, and returns the records
of every table leaf page (rows of tables that have a rowid), with their
rowids. Pages on the free list are skipped, so deleted rows stay deleted, and
so are cells whose bytes do not add up. It is used only on a private copy of a
damaged notes database whose write-ahead log has been folded in.

Format reference: "Database File Format" in the SQLite documentation (the
database header, b-tree pages, cell layout, overflow pages, record format).
"""

from __future__ import annotations

import logging
import struct
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger(__name__)

HEADER = b"SQLite format 3\x00"
DEFAULT_PAGE_SIZE = 4096
TABLE_LEAF = 0x0D
MAX_OVERFLOW_PAGES = 10_000  # a note is never this long; a loop in the chain is stopped here

Value = int | float | str | bytes | None


def _varint(data: bytes, at: int) -> tuple[int, int]:
    """A SQLite varint at ``at``: (value, offset after it). Raises IndexError past the end."""
    value = 0
    for i in range(8):
        byte = data[at + i]
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at + i + 1
    return (value << 8) | data[at + 8], at + 9


class PageFile:
    """The pages of a database file, read as the header describes them."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        size, reserved = DEFAULT_PAGE_SIZE, 0
        if data.startswith(HEADER) and len(data) >= 100:
            raw = int.from_bytes(data[16:18], "big")
            candidate = 65536 if raw == 1 else raw
            if 512 <= candidate <= 65536 and candidate & (candidate - 1) == 0:
                size, reserved = candidate, data[20]
        self.page_size = size
        self.usable = size - reserved
        self.page_count = len(data) // size

    def page(self, number: int) -> bytes:
        """Page ``number`` (1-based); empty past the end of the file."""
        start = (number - 1) * self.page_size
        return self.data[start : start + self.page_size]

    def free_pages(self) -> set[int]:
        """Pages on the free list (as far as the list can be followed)."""
        free: set[int] = set()
        if not self.data.startswith(HEADER) or len(self.data) < 100:
            return free
        trunk = int.from_bytes(self.data[32:36], "big")
        while 0 < trunk <= self.page_count and trunk not in free:
            free.add(trunk)
            page = self.page(trunk)
            count = int.from_bytes(page[4:8], "big")
            if count > (self.usable // 4) - 2:
                break
            for i in range(count):
                leaf = int.from_bytes(page[8 + 4 * i : 12 + 4 * i], "big")
                if 0 < leaf <= self.page_count:
                    free.add(leaf)
            trunk = int.from_bytes(page[0:4], "big")
        return free

    def _payload(self, page: bytes, at: int, length: int) -> bytes | None:
        """The payload of a table leaf cell starting at ``at``, overflow pages included."""
        usable = self.usable
        most = usable - 35
        if length <= most:
            whole = page[at : at + length]
            return whole if len(whole) == length else None
        least = ((usable - 12) * 32 // 255) - 23
        local = least + (length - least) % (usable - 4)
        if local > most:
            local = least
        body = bytearray(page[at : at + local])
        if len(body) != local:
            return None
        following = int.from_bytes(page[at + local : at + local + 4], "big")
        for _ in range(MAX_OVERFLOW_PAGES):
            if len(body) >= length:
                break
            if not 0 < following <= self.page_count:
                return None
            chained = self.page(following)
            following = int.from_bytes(chained[0:4], "big")
            body += chained[4:usable]
        return bytes(body[:length]) if len(body) >= length else None

    def leaf_cells(self, number: int) -> Iterator[tuple[int, bytes]]:
        """(rowid, payload) of every cell of page ``number`` if it is a table leaf page."""
        page = self.page(number)
        base = 100 if number == 1 else 0
        if len(page) < base + 8 or page[base] != TABLE_LEAF:
            return
        cells = int.from_bytes(page[base + 3 : base + 5], "big")
        pointers = base + 8
        if pointers + 2 * cells > self.usable:
            return
        for i in range(cells):
            at = int.from_bytes(page[pointers + 2 * i : pointers + 2 * i + 2], "big")
            if not pointers + 2 * cells <= at < self.usable:
                continue
            try:
                length, after = _varint(page, at)
                rowid, after = _varint(page, after)
            except IndexError:
                continue
            if rowid >= 1 << 63:
                rowid -= 1 << 64
            payload = self._payload(page, after, length)
            if payload is not None:
                yield rowid, payload


def decode_record(payload: bytes) -> list[Value] | None:
    """The values of a record, or None when its header and body do not fit together."""
    try:
        header_size, at = _varint(payload, 0)
        if not 0 < header_size <= len(payload):
            return None
        types: list[int] = []
        while at < header_size:
            serial, at = _varint(payload, at)
            types.append(serial)
        if at != header_size:
            return None
        values: list[Value] = []
        body = header_size
        for serial in types:
            value, body = _value(payload, body, serial)
            values.append(value)
        if body != len(payload):
            return None
        return values
    except (IndexError, ValueError, struct.error, UnicodeDecodeError):
        return None


_INT_SIZES = {1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8}


def _value(payload: bytes, at: int, serial: int) -> tuple[Value, int]:
    if serial == 0:
        return None, at
    if serial in _INT_SIZES:
        size = _INT_SIZES[serial]
        raw = payload[at : at + size]
        if len(raw) != size:
            raise IndexError("record ends inside a number")
        return int.from_bytes(raw, "big", signed=True), at + size
    if serial == 7:
        return struct.unpack(">d", payload[at : at + 8])[0], at + 8
    if serial in (8, 9):
        return serial - 8, at
    if serial >= 12:
        size = (serial - 12) // 2
        raw = payload[at : at + size]
        if len(raw) != size:
            raise IndexError("record ends inside a value")
        if serial % 2:
            return raw.decode("utf-8"), at + size
        return bytes(raw), at + size
    raise ValueError(f"reserved serial type {serial}")


def table_rows(path: Path) -> Iterator[tuple[int, list[Value]]]:
    """(rowid, values) of every readable row on every table leaf page of ``path``."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        log.warning("the pages of %s cannot be read: %s", path, exc)
        return
    pages = PageFile(data)
    free = pages.free_pages()
    for number in range(1, pages.page_count + 1):
        if number in free:
            continue
        for rowid, payload in pages.leaf_cells(number):
            values = decode_record(payload)
            if values is not None:
                yield rowid, values


def missing_pages(path: Path) -> int:
    """How many pages the file's header counts beyond its end (a cut-short file)."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
        size = path.stat().st_size
    except OSError:
        return 0
    if len(header) < 100 or not header.startswith(HEADER):
        return 0
    # The page count in the header is valid only when it was written with the change counter.
    if header[92:96] != header[24:28]:
        return 0
    pages = PageFile(header)
    expected = int.from_bytes(header[28:32], "big")
    return max(0, expected - size // pages.page_size)
