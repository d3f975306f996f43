"""The shape of the search index: one Whoosh document per PDF page.

Each page carries its document's catalogue fields, so a search for words in a
title or an organisation finds the pages of that document. Every field is
indexed with the plain count of each term; how much a match in the title or
the organisation weighs against one in the body text is decided when a query
is built (:mod:`ecip_reader.search.ranking`), so it can be tuned without
rebuilding any index. Page text itself is not stored in Whoosh: the side store
keeps it once, compressed.

Bump :data:`SCHEMA_VERSION` whenever the schema, the analysis or the side store
changes; an index built with another version is rebuilt.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterator
from typing import Any

from whoosh import fields, formats
from whoosh.system import pack_uint

from ecip_reader.search.analysis import Analyzed, PageAnalyzer

SCHEMA_VERSION = 5

# The text fields, searched when a query names no field.
DEFAULT_FIELDS = ("title", "organisation", "topics", "programme", "region", "body")

# Names a user may type before a colon, and the field each one searches.
FIELD_ALIASES: dict[str, str] = {
    "title": "title",
    "org": "organisation",
    "organisation": "organisation",
    "organization": "organisation",
    "topic": "topics",
    "topics": "topics",
    "programme": "programme",
    "program": "programme",
    "region": "region",
    "kind": "kind",
    "type": "kind",
}


class PagePositions(formats.Positions):  # type: ignore[misc]
    """Positions stored as an array of 32-bit integers after the usual count.

    Whoosh's own format pickles the list of position deltas: a Python call per
    posting when indexing and a pickle load per posting when matching phrases.
    An array is written and read in one C call.
    """

    def encode(self, poslist: list[int]) -> bytes:
        return _encode_positions(poslist)

    def decode_positions(self, valuestring: bytes) -> list[int]:
        positions = array("I", valuestring[_COUNT:])
        if _BIG_ENDIAN:
            positions.byteswap()
        return positions.tolist()


_COUNT = 4  # bytes of the count before the positions (Whoosh's own layout)
_BIG_ENDIAN = sys.byteorder == "big"  # positions are stored little-endian


def _encode_positions(positions: list[int]) -> bytes:
    if len(positions) == 1 and positions[0] < _SINGLE_LIMIT:
        return _SINGLE[positions[0]]  # most words occur once on a page
    packed = array("I", positions)
    if _BIG_ENDIAN:
        packed.byteswap()
    return bytes(pack_uint(len(positions))) + packed.tobytes()


def _lone_positions(limit: int) -> list[bytes]:
    """The encoding of a lone position, for each of the first ``limit`` positions."""
    encoded = []
    for position in range(limit):
        packed = array("I", [position])
        if _BIG_ENDIAN:
            packed.byteswap()
        encoded.append(bytes(pack_uint(1)) + packed.tobytes())
    return encoded


_SINGLE_LIMIT = 2048
_SINGLE = _lone_positions(_SINGLE_LIMIT)


class PageText(fields.TEXT):  # type: ignore[misc]
    """A text field that reads analysed page text directly, without token objects."""

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        if not isinstance(value, Analyzed):
            yield from super().index(value, **kwargs)
            return
        positions: dict[str, list[int]] = {}
        for pos, group in enumerate(value.split(" ") if value else ()):
            if "|" in group:
                for term in group.split("|"):
                    positions.setdefault(term, []).append(pos)
            else:
                positions.setdefault(group, []).append(pos)
        for term, poslist in positions.items():
            count = len(poslist)
            yield (term.encode("utf-8"), count, float(count), _encode_positions(poslist))


def build_schema() -> fields.Schema:
    analyzer = PageAnalyzer()
    text_fields = {}
    for name in DEFAULT_FIELDS:
        field = PageText(analyzer=analyzer, phrase=True)
        field.format = PagePositions()
        text_fields[name] = field
    return fields.Schema(
        doc=fields.ID(sortable=True),
        page=fields.NUMERIC(int, bits=32, sortable=True, signed=False),
        kind=fields.ID(),
        **text_fields,
    )
