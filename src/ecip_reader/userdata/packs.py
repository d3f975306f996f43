"""Notes packs for workshops: export the user's own notes, import someone else's as a layer.

An imported pack becomes a *layer* named after the pack's author: shown or
hidden as a whole (:meth:`UserDataStore.set_layer_visible`) and removed as a
whole (:meth:`Annotator.remove_layer`). Annotations keep their UUIDs, so
importing the same pack again updates the layer instead of duplicating it,
and a pack of the user's own notes brought back in adds nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ecip_reader.errors import StorageError, describe_os_error
from ecip_reader.fileio import atomic_write_text
from ecip_reader.userdata import ops
from ecip_reader.userdata.models import (
    Annotation,
    AnnotationKind,
    Bookmark,
    DocumentRef,
    Layer,
    now_iso,
)
from ecip_reader.userdata.pack_format import (
    FORMAT,
    INK_VERSION,
    MAX_BYTES,
    MAX_ITEMS,
    Pack,
    PackError,
    parse_pack,
)
from ecip_reader.userdata.store import UserDataStore


@dataclass(frozen=True)
class ImportResult:
    layer: Layer
    added: int
    updated: int
    unchanged: int
    skipped: int  # already among the user's own notes or another layer

    @property
    def summary(self) -> str:
        text = f"Imported the notes of {self.layer.name}: {self.added} added"
        if self.updated:
            text += f", {self.updated} updated"
        if self.unchanged:
            text += f", {self.unchanged} already there"
        if self.skipped:
            text += f", {self.skipped} skipped (already among other notes)"
        return text + "."


def annotation_to_json(a: Annotation) -> dict[str, Any]:
    item: dict[str, Any] = {
        "uuid": a.uuid,
        "doc": a.doc_hash,
        "page": a.page,
        "kind": a.kind.value,
        "colour": a.colour,
        "quads": [list(q) for q in a.quads],
        "point": list(a.point) if a.point is not None else None,
        "quote": a.anchor.quote,
        "prefix": a.anchor.prefix,
        "suffix": a.anchor.suffix,
        "note": a.note,
        "author": a.author,
        "created": a.created,
        "modified": a.modified,
        "status": a.status.value,
    }
    if a.kind is AnnotationKind.INK:
        item["strokes"] = [[list(p) for p in stroke] for stroke in a.strokes]
        item["width"] = a.width
    return item


def pack_version(pack: Pack) -> int:
    """The oldest format version that holds ``pack`` (older readers can import more packs)."""
    has_ink = any(a.kind is AnnotationKind.INK for a in pack.annotations)
    return INK_VERSION if has_ink else 1


def bookmark_to_json(b: Bookmark) -> dict[str, Any]:
    return {
        "uuid": b.uuid,
        "doc": b.doc_hash,
        "page": b.page,
        "label": b.label,
        "author": b.author,
        "created": b.created,
        "modified": b.modified,
    }


def pack_to_json(pack: Pack) -> dict[str, Any]:
    """The JSON object of ``pack`` (the inverse of :func:`parse_pack`)."""
    return {
        "format": FORMAT,
        "version": pack_version(pack),
        "author": pack.author,
        "created": pack.created,
        "documents": {h: {"id": d.doc_id, "title": d.title} for h, d in pack.documents.items()},
        "annotations": [annotation_to_json(a) for a in pack.annotations],
        "bookmarks": [bookmark_to_json(b) for b in pack.bookmarks],
    }


def build_pack(
    store: UserDataStore,
    author: str,
    doc_hashes: Collection[str] | None = None,
    known: Mapping[str, DocumentRef] | None = None,
) -> Pack:
    """A pack of the user's own notes and bookmarks (all documents, or ``doc_hashes``)."""
    annotations = [
        a
        for a in store.annotations(own_only=True)
        if doc_hashes is None or a.doc_hash in doc_hashes
    ]
    bookmarks = [
        b for b in store.bookmarks(own_only=True) if doc_hashes is None or b.doc_hash in doc_hashes
    ]
    if len(annotations) > MAX_ITEMS or len(bookmarks) > MAX_ITEMS:
        raise PackError(
            f"A notes pack can hold at most {MAX_ITEMS:,} notes and {MAX_ITEMS:,} bookmarks; "
            "export one document at a time."
        )
    recorded = dict(store.documents())
    recorded.update(known or {})
    hashes = sorted({a.doc_hash for a in annotations} | {b.doc_hash for b in bookmarks})
    documents = {h: recorded.get(h, DocumentRef(h)) for h in hashes}
    return Pack(author, now_iso(), documents, tuple(annotations), tuple(bookmarks))


def write_pack(pack: Pack, path: Path) -> None:
    text = json.dumps(pack_to_json(pack), ensure_ascii=False, separators=(",", ":")) + "\n"
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise PackError(
            f"These notes make a pack larger than {MAX_BYTES // (1024 * 1024)} MB; "
            "export one document at a time."
        )
    try:
        atomic_write_text(path, text)
    except OSError as exc:
        raise StorageError(describe_os_error(exc, f"the notes pack {path.name}")) from exc


def read_pack(path: Path) -> Pack:
    """Read and validate the pack at ``path``; :class:`PackError` names the problem."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise PackError(
                f"The notes pack {path.name} is too large ({size / (1024 * 1024):.1f} MB; "
                f"the limit is {MAX_BYTES // (1024 * 1024)} MB)."
            )
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise PackError(f"Cannot read the notes pack {path.name}: {exc.strerror or exc}.") from exc
    return parse_pack(raw, path.name)


def _layer_for(store: UserDataStore, pack: Pack, source: str) -> Layer:
    existing = store.layer_named(pack.author)
    if existing is not None:
        return replace(existing, source=source, imported_at=now_iso())
    next_id = max((la.id for la in store.layers()), default=0) + 1
    return Layer(next_id, pack.author, source, now_iso(), True)


def import_pack(store: UserDataStore, path: Path) -> ImportResult:
    """Import the pack at ``path`` as (or into) the layer of its author, in one transaction."""
    pack = read_pack(path)
    layer = _layer_for(store, pack, path.name)
    changes: list[ops.Op] = [ops.PutLayer(layer)]
    known = store.documents()
    for doc_hash, document in pack.documents.items():
        current = known.get(doc_hash)
        if current is None or not (current.doc_id or current.title):
            changes.append(ops.PutDocument(document))
    owners = {
        str(uuid): layer_id
        for uuid, layer_id in store.query(
            "SELECT uuid, layer_id FROM annotations UNION ALL SELECT uuid, layer_id FROM bookmarks"
        )
    }
    existing: dict[str, Annotation | Bookmark] = {
        a.uuid: a for a in store.annotations(layer_id=layer.id, include_hidden=True)
    }
    existing.update((b.uuid, b) for b in store.bookmarks(layer_id=layer.id, include_hidden=True))
    tally = Counter[str]()
    items: list[Annotation | Bookmark] = [*pack.annotations, *pack.bookmarks]
    for item in items:
        incoming = replace(item, layer_id=layer.id)
        if item.uuid not in owners:
            outcome = "added"
        elif owners[item.uuid] != layer.id:
            outcome = "skipped"
        elif existing.get(item.uuid) == incoming:
            outcome = "unchanged"
        else:
            outcome = "updated"
        tally[outcome] += 1
        if outcome in ("added", "updated"):
            changes.append(
                ops.PutAnnotation(incoming)
                if isinstance(incoming, Annotation)
                else ops.PutBookmark(incoming)
            )
    store.apply(changes, external=True)
    return ImportResult(
        layer, tally["added"], tally["updated"], tally["unchanged"], tally["skipped"]
    )
