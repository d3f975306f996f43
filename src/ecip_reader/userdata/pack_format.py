"""The notes-pack file format (versions 1 to 3) and its validation.

A notes pack is one UTF-8 JSON file a trainer hands to a workshop::

    {"format": "ecip-notes-pack", "version": 1,
     "author": "A. Trainer", "created": "2025-05-01T09:30:00.000Z",
     "name": "Ward 7 — session 2", "id": "<uuid>",
     "documents": {"<sha256>": {"id": "perfect-week", "title": "…"}},
     "annotations": [{"uuid": "…", "doc": "<sha256>", "page": 2, "kind": "highlight",
                      "colour": "yellow", "quads": [[x, y, x, y, x, y, x, y]],
                      "point": null, "quote": "…", "prefix": "…", "suffix": "…",
                      "note": "…", "author": "…", "created": "…", "modified": "…",
                      "status": "attached"}],
     "bookmarks": [{"uuid": "…", "doc": "<sha256>", "page": 3, "label": "…",
                    "author": "…", "created": "…", "modified": "…"}]}

``name`` (the trainer's name for the pack) and ``id`` (a UUID: packs with one
id are one pack, and importing it again updates its layer) may be left out;
readers before them ignore them. A pack without an id is the pack of its
author with no name of its own.

Version 2 adds drawings: an annotation of kind ``"ink"`` carries ``"strokes"``
(a list of lines, each a list of ``[x, y]`` points in PDF points, all on the
page: from 0 to 14,400) and ``"width"`` (points).

Version 3 adds session plans: ``"sessions": [{"uuid", "name", "created",
"modified", "stops": [{"uuid", "doc", "page", "region", "label", "note"}]}]``
where ``region`` is ``null`` or ``[x0, y0, x1, y1]`` in PDF points. A pack is
written in the oldest version that holds it, so older readers can import it.

:func:`parse_pack` checks every field and size limit and raises
:class:`PackError` with one sentence naming the first problem found; names
(author, pack, labels, titles) are reduced to one clean line.
:mod:`ecip_reader.userdata.packs` writes the format.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ecip_reader.errors import UserError
from ecip_reader.userdata import pack_fields as field
from ecip_reader.userdata.ink import InkError, clean_ink, clean_width
from ecip_reader.userdata.models import (
    COLOUR_KEYS,
    AnchorStatus,
    Annotation,
    AnnotationKind,
    Bookmark,
    DocumentRef,
    TextAnchor,
    rounded_point,
)
from ecip_reader.userdata.names import MAX_NAME_CHARS, clean_name, pack_identity
from ecip_reader.userdata.session_plans import (
    MAX_PLANS,
    MAX_STOP_LABEL,
    MAX_STOP_NOTE,
    MAX_STOPS,
    PlanError,
    SessionPlan,
    SessionStop,
    clean_region,
)

FORMAT = "ecip-notes-pack"
VERSION = 3  # the newest version this reader reads and writes
INK_VERSION = 2  # the first version with drawings
SESSION_VERSION = 3  # the first version with session plans
MAX_BYTES = 5 * 1024 * 1024
MAX_ITEMS = field.MAX_ITEMS
MAX_NOTE = 100_000
MAX_TEXT = 10_000
MAX_NAME = 1_000

Invalid = field.Invalid


class PackError(UserError):
    """A notes pack that cannot be read or is not valid."""


@dataclass(frozen=True)
class Pack:
    author: str
    created: str
    documents: dict[str, DocumentRef]
    annotations: tuple[Annotation, ...]  # layer_id None until imported
    bookmarks: tuple[Bookmark, ...]
    name: str = ""  # the trainer's name for the pack; "" for none
    pack_id: str = ""  # "" when the file carries none
    sessions: tuple[SessionPlan, ...] = ()

    @property
    def display_name(self) -> str:
        return self.name or self.author

    @property
    def identity(self) -> str:
        """Which pack this is: importing a pack of the same identity updates its layer."""
        return self.pack_id or pack_identity(self.author, self.name)

    @property
    def is_empty(self) -> bool:
        return not (self.annotations or self.bookmarks or self.sessions)


def _name(
    item: dict[str, Any], key: str, limit: int = MAX_NAME, required: bool = True, shown: int = 0
) -> str:
    """The text ``key`` as one clean line, cut to ``shown`` characters (default: ``limit``)."""
    return clean_name(field.text(item, key, limit, required), shown or limit)


def _ink(item: dict[str, Any], version: int) -> tuple[tuple[Any, ...], float]:
    if version < INK_VERSION:
        raise Invalid(f"drawings need pack version {INK_VERSION}")
    strokes = item.get("strokes")
    if not isinstance(strokes, list) or not all(isinstance(s, list) for s in strokes):
        raise Invalid("'strokes' must be a list of lines of [x, y] points")
    try:
        return clean_ink(strokes), clean_width(item.get("width"))
    except InkError as exc:
        raise Invalid(str(exc)) from exc


def _annotation(
    item: dict[str, Any], documents: dict[str, DocumentRef], version: int = VERSION
) -> Annotation:
    try:
        kind = AnnotationKind(str(item.get("kind")))
    except ValueError as exc:
        names = ", ".join(k.value for k in AnnotationKind)
        raise Invalid(f"'kind' must be one of {names}") from exc
    colour = item.get("colour")
    if colour not in COLOUR_KEYS:
        raise Invalid(f"'colour' must be one of {', '.join(COLOUR_KEYS)}")
    point_value = item.get("point")
    point = None
    if point_value is not None:
        if not isinstance(point_value, list) or len(point_value) != 2:
            raise Invalid("'point' must be null or a list of 2 numbers")
        point = rounded_point((field.number(point_value[0]), field.number(point_value[1])))
    if kind is AnnotationKind.STICKY_NOTE and point is None:
        raise Invalid("a sticky note needs a 'point'")
    try:
        status = AnchorStatus(str(item.get("status", "attached")))
    except ValueError as exc:
        raise Invalid("'status' must be attached or detached") from exc
    quads = field.quads(item)
    anchor = TextAnchor(
        field.text(item, "quote", MAX_TEXT, required=False),
        field.text(item, "prefix", MAX_TEXT, required=False),
        field.text(item, "suffix", MAX_TEXT, required=False),
    )
    if kind.is_markup and not anchor.quote:
        raise Invalid("a highlight, underline or strike-through needs a 'quote'")
    strokes, width = _ink(item, version) if kind is AnnotationKind.INK else ((), 0.0)
    return Annotation(
        uuid=field.uuid_of(item),
        doc_hash=field.doc_of(item, documents),
        page=field.page(item),
        kind=kind,
        colour=str(colour),
        author=_name(item, "author"),
        created=field.stamp(item, "created"),
        modified=field.stamp(item, "modified"),
        quads=quads,
        point=point,
        anchor=anchor,
        note=field.text(item, "note", MAX_NOTE, required=False).replace("\r\n", "\n"),
        status=status,
        strokes=strokes,
        width=width,
    )


def _bookmark(item: dict[str, Any], documents: dict[str, DocumentRef]) -> Bookmark:
    return Bookmark(
        uuid=field.uuid_of(item),
        doc_hash=field.doc_of(item, documents),
        page=field.page(item),
        label=_name(item, "label"),
        author=_name(item, "author"),
        created=field.stamp(item, "created"),
        modified=field.stamp(item, "modified"),
    )


def _stop(item: dict[str, Any], documents: dict[str, DocumentRef]) -> SessionStop:
    region = item.get("region")
    if region is not None and not isinstance(region, list):
        raise Invalid("'region' must be null or a list of 4 numbers")
    try:
        cleaned = clean_region(region)
    except PlanError as exc:
        raise Invalid(str(exc)) from exc
    return SessionStop(
        uuid=field.uuid_of(item),
        doc_hash=field.doc_of(item, documents),
        page=field.page(item),
        region=cleaned,
        label=_name(item, "label", MAX_STOP_LABEL, required=False),
        note=field.text(item, "note", MAX_STOP_NOTE, required=False).replace("\r\n", "\n"),
    )


def _session(item: dict[str, Any], documents: dict[str, DocumentRef], author: str) -> SessionPlan:
    name = _name(item, "name", shown=MAX_NAME_CHARS)
    if not name:
        raise Invalid("'name' must not be empty")
    stops = field.items(item, "stops", lambda i: _stop(i, documents), MAX_STOPS)
    return SessionPlan(
        uuid=field.uuid_of(item),
        name=name,
        author=_name(item, "author", required=False) or author,
        created=field.stamp(item, "created"),
        modified=field.stamp(item, "modified"),
        stops=tuple(stops),
    )


def _documents(value: object) -> dict[str, DocumentRef]:
    if not isinstance(value, dict) or len(value) > MAX_ITEMS:
        raise Invalid("'documents' must be an object of document hashes")
    documents: dict[str, DocumentRef] = {}
    for doc_hash, info in value.items():
        if not field.is_hash(doc_hash) or not isinstance(info, dict):
            raise Invalid(f"document {doc_hash[:70]!r} is not a SHA-256 hash with an object")
        try:
            documents[doc_hash] = DocumentRef(doc_hash, _name(info, "id"), _name(info, "title"))
        except Invalid as exc:
            raise Invalid(f"document {doc_hash[:12]}…: {exc}") from exc
    return documents


def _reject_constant(name: str) -> float:
    raise Invalid(f"it contains {name}, which is not a number")


def _load(raw: bytes, fail: Any) -> Any:
    try:
        return json.loads(raw.decode("utf-8-sig"), parse_constant=_reject_constant)
    except UnicodeDecodeError as exc:
        raise fail("it is not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise fail(f"it is not JSON (line {exc.lineno}, column {exc.colno})") from exc
    except ValueError as exc:  # Python refuses to read whole numbers of thousands of digits
        raise fail("it contains a number with too many digits") from exc
    except Invalid as exc:
        raise fail(str(exc)) from exc
    except RecursionError as exc:
        raise fail("it is nested too deeply") from exc


def too_large(name: str, size: int) -> PackError:
    """The sentence for a pack of ``size`` bytes, its size rounded up to a tenth of a MB."""
    tenths = -(-size * 10 // (1024 * 1024))
    return PackError(
        f"The notes pack {name} is too large ({tenths / 10:.1f} MB; the limit is "
        f"{MAX_BYTES // (1024 * 1024)} MB)."
    )


def parse_pack(raw: bytes, name: str) -> Pack:
    """Validate and read the bytes of a notes pack called ``name``."""

    def fail(problem: str) -> PackError:
        return PackError(f"The notes pack {name} is not valid: {problem}.")

    if len(raw) > MAX_BYTES:
        raise too_large(name, len(raw))
    data = _load(raw, fail)
    broken = field.broken_text_place(data)
    if broken is not None:
        raise fail(f"the text at {broken} is not valid Unicode (it holds a lone surrogate)")
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
        author = _name(data, "author", shown=MAX_NAME_CHARS)
        if not author:
            raise Invalid("'author' must not be empty")
        pack_id = field.uuid_of(data, "id")
        if "id" in data and not pack_id:
            raise Invalid("'id' must be a UUID")
        created = field.stamp(data, "created")
        documents = _documents(data.get("documents"))
        annotations = field.items(data, "annotations", lambda i: _annotation(i, documents, version))
        bookmarks = field.items(data, "bookmarks", lambda i: _bookmark(i, documents))
        if "sessions" in data and version < SESSION_VERSION:
            raise Invalid(f"session plans need pack version {SESSION_VERSION}")
        sessions = field.items(
            data, "sessions", lambda i: _session(i, documents, author), MAX_PLANS, "session plan"
        )
        pack_name = _name(data, "name", required=False, shown=MAX_NAME_CHARS)
    except Invalid as exc:
        raise fail(str(exc)) from exc
    return Pack(
        author,
        created,
        documents,
        tuple(annotations),
        tuple(bookmarks),
        pack_name,
        pack_id,
        tuple(sessions),
    )
