"""The notes-pack file format (versions 1 and 2) and its validation.

A notes pack is one UTF-8 JSON file a trainer hands to a workshop::

    {"format": "ecip-notes-pack", "version": 1,
     "author": "A. Trainer", "created": "2025-05-01T09:30:00.000Z",
     "documents": {"<sha256>": {"id": "perfect-week", "title": "…"}},
     "annotations": [{"uuid": "…", "doc": "<sha256>", "page": 2, "kind": "highlight",
                      "colour": "yellow", "quads": [[x, y, x, y, x, y, x, y]],
                      "point": null, "quote": "…", "prefix": "…", "suffix": "…",
                      "note": "…", "author": "…", "created": "…", "modified": "…",
                      "status": "attached"}],
     "bookmarks": [{"uuid": "…", "doc": "<sha256>", "page": 3, "label": "…",
                    "author": "…", "created": "…", "modified": "…"}]}

Version 2 adds drawings: an annotation of kind ``"ink"`` carries ``"strokes"``
(a list of lines, each a list of ``[x, y]`` points in PDF points, all on the
page: from 0 to 14,400) and ``"width"`` (points). A pack without drawings is
still written as version 1, so older readers can import it; a version 1 pack
is read exactly as before.

:func:`parse_pack` checks every field and size limit and raises
:class:`PackError` with one sentence naming the first problem found;
:mod:`ecip_reader.userdata.packs` writes the format.
"""

from __future__ import annotations

import json
import math
import re
import uuid as uuid_module
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ecip_reader.errors import UserError
from ecip_reader.userdata.ink import InkError, clean_ink, clean_width
from ecip_reader.userdata.models import (
    COLOUR_KEYS,
    AnchorStatus,
    Annotation,
    AnnotationKind,
    Bookmark,
    DocumentRef,
    Quad,
    TextAnchor,
    parse_iso,
    rounded_point,
)

FORMAT = "ecip-notes-pack"
VERSION = 2  # the newest version this reader reads and writes
INK_VERSION = 2  # the first version with drawings
MAX_BYTES = 5 * 1024 * 1024
MAX_ITEMS = 10_000
MAX_NOTE = 100_000
MAX_TEXT = 10_000
MAX_NAME = 1_000
MAX_QUADS = 1_000
MAX_PAGE = 100_000
_HASH = re.compile(r"^[0-9a-f]{64}$")


class PackError(UserError):
    """A notes pack that cannot be read or is not valid."""


@dataclass(frozen=True)
class Pack:
    author: str
    created: str
    documents: dict[str, DocumentRef]
    annotations: tuple[Annotation, ...]  # layer_id None until imported
    bookmarks: tuple[Bookmark, ...]


class _Invalid(Exception):
    pass


def _text(item: dict[str, Any], key: str, limit: int, required: bool = True) -> str:
    value = item.get(key, None if required else "")
    if not isinstance(value, str):
        raise _Invalid(f"{key!r} must be text")
    if len(value) > limit:
        raise _Invalid(f"{key!r} is longer than {limit:,} characters")
    return value


def _stamp(item: dict[str, Any], key: str) -> str:
    value = _text(item, key, 64)
    try:
        parse_iso(value)
    except ValueError as exc:
        raise _Invalid(f"{key!r} must be a date and time such as 2025-05-01T09:30:00Z") from exc
    return value


def _page(item: dict[str, Any]) -> int:
    value = item.get("page")
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_PAGE:
        raise _Invalid("'page' must be a whole number from 1")
    return value


def _uuid(item: dict[str, Any]) -> str:
    value = item.get("uuid")
    try:
        return str(uuid_module.UUID(str(value))) if isinstance(value, str) else ""
    except ValueError:
        return ""


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _Invalid("coordinates must be finite numbers")
    return float(value)


def _quads(item: dict[str, Any]) -> tuple[Quad, ...]:
    value = item.get("quads", [])
    if not isinstance(value, list) or len(value) > MAX_QUADS:
        raise _Invalid(f"'quads' must be a list of at most {MAX_QUADS} quads")
    quads = []
    for quad in value:
        if not isinstance(quad, list) or len(quad) != 8:
            raise _Invalid("each quad must be a list of 8 numbers")
        quads.append(Quad(*(_number(v) for v in quad)).rounded())
    return tuple(quads)


def _doc(item: dict[str, Any], documents: dict[str, DocumentRef]) -> str:
    value = item.get("doc")
    if not isinstance(value, str) or value not in documents:
        raise _Invalid("'doc' must name one of the pack's documents")
    return value


def _ink(item: dict[str, Any], version: int) -> tuple[tuple[Any, ...], float]:
    if version < INK_VERSION:
        raise _Invalid(f"drawings need pack version {INK_VERSION}")
    strokes = item.get("strokes")
    if not isinstance(strokes, list) or not all(isinstance(s, list) for s in strokes):
        raise _Invalid("'strokes' must be a list of lines of [x, y] points")
    try:
        return clean_ink(strokes), clean_width(item.get("width"))
    except InkError as exc:
        raise _Invalid(str(exc)) from exc


def _annotation(
    item: dict[str, Any], documents: dict[str, DocumentRef], version: int = VERSION
) -> Annotation:
    try:
        kind = AnnotationKind(str(item.get("kind")))
    except ValueError as exc:
        names = ", ".join(k.value for k in AnnotationKind)
        raise _Invalid(f"'kind' must be one of {names}") from exc
    colour = item.get("colour")
    if colour not in COLOUR_KEYS:
        raise _Invalid(f"'colour' must be one of {', '.join(COLOUR_KEYS)}")
    point_value = item.get("point")
    point = None
    if point_value is not None:
        if not isinstance(point_value, list) or len(point_value) != 2:
            raise _Invalid("'point' must be null or a list of 2 numbers")
        point = rounded_point((_number(point_value[0]), _number(point_value[1])))
    if kind is AnnotationKind.STICKY_NOTE and point is None:
        raise _Invalid("a sticky note needs a 'point'")
    try:
        status = AnchorStatus(str(item.get("status", "attached")))
    except ValueError as exc:
        raise _Invalid("'status' must be attached or detached") from exc
    quads = _quads(item)
    anchor = TextAnchor(
        _text(item, "quote", MAX_TEXT, required=False),
        _text(item, "prefix", MAX_TEXT, required=False),
        _text(item, "suffix", MAX_TEXT, required=False),
    )
    if kind.is_markup and not anchor.quote:
        raise _Invalid("a highlight, underline or strike-through needs a 'quote'")
    strokes, width = _ink(item, version) if kind is AnnotationKind.INK else ((), 0.0)
    return Annotation(
        uuid=_uuid(item),
        doc_hash=_doc(item, documents),
        page=_page(item),
        kind=kind,
        colour=str(colour),
        author=_text(item, "author", MAX_NAME),
        created=_stamp(item, "created"),
        modified=_stamp(item, "modified"),
        quads=quads,
        point=point,
        anchor=anchor,
        note=_text(item, "note", MAX_NOTE, required=False).replace("\r\n", "\n"),
        status=status,
        strokes=strokes,
        width=width,
    )


def _bookmark(item: dict[str, Any], documents: dict[str, DocumentRef]) -> Bookmark:
    return Bookmark(
        uuid=_uuid(item),
        doc_hash=_doc(item, documents),
        page=_page(item),
        label=_text(item, "label", MAX_NAME),
        author=_text(item, "author", MAX_NAME),
        created=_stamp(item, "created"),
        modified=_stamp(item, "modified"),
    )


def _documents(value: object) -> dict[str, DocumentRef]:
    if not isinstance(value, dict) or len(value) > MAX_ITEMS:
        raise _Invalid("'documents' must be an object of document hashes")
    documents: dict[str, DocumentRef] = {}
    for doc_hash, info in value.items():
        if not _HASH.match(doc_hash) or not isinstance(info, dict):
            raise _Invalid(f"document {doc_hash[:70]!r} is not a SHA-256 hash with an object")
        try:
            documents[doc_hash] = DocumentRef(
                doc_hash, _text(info, "id", MAX_NAME), _text(info, "title", MAX_NAME)
            )
        except _Invalid as exc:
            raise _Invalid(f"document {doc_hash[:12]}…: {exc}") from exc
    return documents


def _items(data: dict[str, Any], key: str, parse: Callable[[dict[str, Any]], Any]) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise _Invalid(f"{key!r} must be a list")
    if len(value) > MAX_ITEMS:
        raise _Invalid(f"it holds {len(value):,} {key}; the limit is {MAX_ITEMS:,}")
    singular = key.rstrip("s")
    parsed: list[Any] = []
    seen: set[str] = set()
    for number, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            raise _Invalid(f"{singular} {number} is not an object")
        try:
            record = parse(item)
            if not record.uuid:
                raise _Invalid("'uuid' must be a UUID")
        except _Invalid as exc:
            raise _Invalid(f"{singular} {number}: {exc}") from exc
        if record.uuid in seen:
            raise _Invalid(f"{singular} {number} repeats the uuid {record.uuid}")
        seen.add(record.uuid)
        parsed.append(record)
    return parsed


def _reject_constant(name: str) -> float:
    raise _Invalid(f"it contains {name}, which is not a number")


def parse_pack(raw: bytes, name: str) -> Pack:
    """Validate and read the bytes of a notes pack called ``name``."""

    def fail(problem: str) -> PackError:
        return PackError(f"The notes pack {name} is not valid: {problem}.")

    if len(raw) > MAX_BYTES:
        size = len(raw) / (1024 * 1024)
        raise PackError(
            f"The notes pack {name} is too large ({size:.1f} MB; the limit is "
            f"{MAX_BYTES // (1024 * 1024)} MB)."
        )
    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_constant=_reject_constant)
    except UnicodeDecodeError as exc:
        raise fail("it is not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise fail(f"it is not JSON (line {exc.lineno}, column {exc.colno})") from exc
    except ValueError as exc:  # Python refuses to read whole numbers of thousands of digits
        raise fail("it contains a number with too many digits") from exc
    except _Invalid as exc:
        raise fail(str(exc)) from exc
    except RecursionError as exc:
        raise fail("it is nested too deeply") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise fail("it is not an ECIP notes pack")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise fail("its 'version' must be a whole number")
    if version > VERSION:
        raise PackError(
            f"The notes pack {name} was written by a newer version of the reader "
            f"(pack version {version}; this reader reads versions up to {VERSION})."
        )
    try:
        author = _text(data, "author", MAX_NAME).strip()
        if not author:
            raise _Invalid("'author' must not be empty")
        created = _stamp(data, "created")
        documents = _documents(data.get("documents"))
        annotations = _items(data, "annotations", lambda i: _annotation(i, documents, version))
        bookmarks = _items(data, "bookmarks", lambda i: _bookmark(i, documents))
    except _Invalid as exc:
        raise fail(str(exc)) from exc
    return Pack(author, created, documents, tuple(annotations), tuple(bookmarks))
