"""Notes packs for workshops: export the user's own notes, import someone else's as a layer.

An imported pack becomes a *layer* named after the pack (after its author
when the pack has no name): shown or hidden as a whole
(:meth:`UserDataStore.set_layer_visible`) and removed as a whole
(:meth:`Annotator.remove_layer`). Each pack is one layer: importing the same
pack again (same author and name, or the same id) updates its layer, while two
packs of one trainer stay apart. Annotations, bookmarks and session plans keep
their UUIDs, so nothing is duplicated, and a pack of the user's own notes
brought back in adds nothing — and makes no layer.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ecip_reader.errors import StorageError, describe_os_error
from ecip_reader.fileio import NotAFile, atomic_write_text, open_regular, shared_mode
from ecip_reader.userdata import ops
from ecip_reader.userdata.models import (
    Annotation,
    AnnotationKind,
    Bookmark,
    DocumentRef,
    Layer,
    now_iso,
)
from ecip_reader.userdata.names import clean_name, pack_identity, shown_file_name
from ecip_reader.userdata.pack_format import (
    FORMAT,
    INK_VERSION,
    MAX_BYTES,
    MAX_ITEMS,
    SESSION_VERSION,
    Pack,
    PackError,
    parse_pack,
    too_large,
)
from ecip_reader.userdata.session_plans import SessionPlan
from ecip_reader.userdata.store import UserDataStore


@dataclass(frozen=True)
class ImportResult:
    layer: Layer | None  # None when the pack brought nothing new
    added: int  # notes and bookmarks
    updated: int
    unchanged: int  # notes, bookmarks and session plans already there as they are
    skipped: int  # already among the user's own notes or another layer
    author: str = ""
    plans: int = 0  # session plans added or updated
    source: str = ""  # the pack's file name, as shown

    @property
    def summary(self) -> str:
        if self.layer is None:
            return (
                f"Nothing was imported from {self.source}: its {self.skipped} notes, bookmarks "
                "and session plans are already among your own or another layer's."
            )
        layer = self.layer
        if not self.author or layer.name == self.author:
            head = f"Imported the notes of {layer.name}: "
        else:
            head = f"Imported “{layer.name}” from {self.author}: "
        parts = [f"{self.added} added"] if self.added or not self.plans else []
        if self.updated:
            parts.append(f"{self.updated} updated")
        if self.unchanged:
            parts.append(f"{self.unchanged} already there")
        if self.skipped:
            parts.append(f"{self.skipped} skipped (already among other notes)")
        text = head + ", ".join(parts)
        if self.plans:
            plans = f"{self.plans} session plan{'s' if self.plans != 1 else ''}"
            text += f"; {plans}" if parts else plans
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
    if pack.sessions:
        return SESSION_VERSION
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


def session_to_json(plan: SessionPlan) -> dict[str, Any]:
    return {
        "uuid": plan.uuid,
        "name": plan.name,
        "author": plan.author,
        "created": plan.created,
        "modified": plan.modified,
        "stops": [
            {
                "uuid": s.uuid,
                "doc": s.doc_hash,
                "page": s.page,
                "region": list(s.region) if s.region is not None else None,
                "label": s.label,
                "note": s.note,
            }
            for s in plan.stops
        ],
    }


def pack_to_json(pack: Pack) -> dict[str, Any]:
    """The JSON object of ``pack`` (the inverse of :func:`parse_pack`)."""
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": pack_version(pack),
        "author": pack.author,
        "created": pack.created,
    }
    if pack.name:
        data["name"] = pack.name
    data["id"] = pack.identity
    data["documents"] = {h: {"id": d.doc_id, "title": d.title} for h, d in pack.documents.items()}
    data["annotations"] = [annotation_to_json(a) for a in pack.annotations]
    data["bookmarks"] = [bookmark_to_json(b) for b in pack.bookmarks]
    if pack.sessions:
        data["sessions"] = [session_to_json(p) for p in pack.sessions]
    return data


def build_pack(
    store: UserDataStore,
    author: str,
    doc_hashes: Collection[str] | None = None,
    known: Mapping[str, DocumentRef] | None = None,
    name: str = "",
    sessions: Sequence[SessionPlan] = (),
) -> Pack:
    """A pack of the user's own notes and bookmarks (all documents, or ``doc_hashes``).

    ``name`` is the trainer's name for the pack ("Ward 7 — session 2");
    ``sessions`` are session plans to carry, whole, whatever ``doc_hashes`` says.
    """
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
    hashes = {a.doc_hash for a in annotations} | {b.doc_hash for b in bookmarks}
    for plan in sessions:
        hashes |= plan.doc_hashes
    documents = {h: recorded.get(h, DocumentRef(h)) for h in sorted(hashes)}
    author = clean_name(author)
    name = clean_name(name)
    plans = tuple(replace(p, layer_id=None) for p in sessions)
    return Pack(
        author,
        now_iso(),
        documents,
        tuple(annotations),
        tuple(bookmarks),
        name,
        pack_identity(author, name),
        plans,
    )


def write_pack(pack: Pack, path: Path) -> None:
    """Write ``pack`` as a file others can read (0644, or what the user's umask allows)."""
    text = json.dumps(pack_to_json(pack), ensure_ascii=False, separators=(",", ":")) + "\n"
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise PackError(
            f"These notes make a pack larger than {MAX_BYTES // (1024 * 1024)} MB; "
            "export one document at a time."
        )
    try:
        atomic_write_text(path, text, shared_mode())
    except OSError as exc:
        raise StorageError(describe_os_error(exc, f"the notes pack {path.name}")) from exc


def read_pack(path: Path) -> Pack:
    """Read and validate the pack at ``path``; :class:`PackError` names the problem.

    Only a regular file is read (a link to one is fine): a named pipe, a device
    or a folder is refused before any byte is read, so none can stall the reader.
    """
    name = shown_file_name(path.name)
    try:
        with open_regular(path) as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_BYTES:
                raise too_large(name, size)
            raw = handle.read(MAX_BYTES + 1)
    except NotAFile as exc:
        raise PackError(
            f"The notes pack {name} {exc.reason}; choose the pack's .json file."
        ) from exc
    except OSError as exc:
        raise PackError(f"Cannot read the notes pack {name}: {exc.strerror or exc}.") from exc
    if len(raw) > MAX_BYTES:  # it grew while being read
        raise too_large(name, len(raw))
    return parse_pack(raw, name)


def _layer_name(store: UserDataStore, pack: Pack) -> str:
    """The pack's name, told apart from another pack's layer of the same name."""
    taken = {la.name for la in store.layers()}
    wanted = pack.display_name
    candidates = [wanted]
    if pack.name and pack.name != pack.author:
        candidates.append(f"{wanted} ({pack.author})")
    candidates += [f"{wanted} ({n})" for n in range(2, len(taken) + 3)]
    return next(c for c in candidates if c not in taken)


def _layer_for(store: UserDataStore, pack: Pack, source: str) -> tuple[Layer, bool]:
    """The pack's layer (made now, or the one an earlier import made) and whether it is new."""
    identity = pack.identity
    existing = next((la for la in store.layers() if la.pack_id == identity), None)
    if existing is not None:
        updated = replace(existing, source=source, imported_at=now_iso(), author=pack.author)
        return updated, False
    next_id = max((la.id for la in store.layers()), default=0) + 1
    name = _layer_name(store, pack)
    return Layer(next_id, name, source, now_iso(), True, identity, pack.author), True


def _owners(store: UserDataStore) -> dict[str, int | None]:
    return {
        str(uuid): layer_id
        for uuid, layer_id in store.query(
            "SELECT uuid, layer_id FROM annotations UNION ALL SELECT uuid, layer_id FROM bookmarks "
            "UNION ALL SELECT uuid, layer_id FROM sessions"
        )
    }


def import_pack(store: UserDataStore, path: Path) -> ImportResult:
    """Import the pack at ``path`` as (or into) its layer, in one transaction."""
    pack = read_pack(path)
    source = shown_file_name(path.name)
    if pack.is_empty:
        raise PackError(
            f"The notes pack {source} holds no notes, bookmarks or session plans; "
            "nothing was imported."
        )
    layer, new_layer = _layer_for(store, pack, source)
    owners = _owners(store)
    existing: dict[str, Annotation | Bookmark | SessionPlan] = {
        a.uuid: a for a in store.annotations(layer_id=layer.id, include_hidden=True)
    }
    existing.update((b.uuid, b) for b in store.bookmarks(layer_id=layer.id, include_hidden=True))
    existing.update((p.uuid, p) for p in store.sessions(layer_id=layer.id, include_hidden=True))
    tally = Counter[str]()  # notes and bookmarks
    plans = Counter[str]()  # session plans
    changes: list[ops.Op] = []
    items: list[Annotation | Bookmark | SessionPlan] = [
        *pack.annotations,
        *pack.bookmarks,
        *pack.sessions,
    ]
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
        (plans if isinstance(incoming, SessionPlan) else tally)[outcome] += 1
        if outcome not in ("added", "updated"):
            continue
        if isinstance(incoming, Annotation):
            changes.append(ops.PutAnnotation(incoming))
        elif isinstance(incoming, Bookmark):
            changes.append(ops.PutBookmark(incoming))
        else:
            changes.append(ops.PutSession(incoming))
    skipped = tally["skipped"] + plans["skipped"]
    if new_layer and not changes:
        return ImportResult(None, 0, 0, tally["unchanged"], skipped, pack.author, 0, source)
    known = store.documents()
    documents: list[ops.Op] = [
        ops.PutDocument(document)
        for doc_hash, document in pack.documents.items()
        if (current := known.get(doc_hash)) is None or not (current.doc_id or current.title)
    ]
    store.apply([ops.PutLayer(layer), *documents, *changes], external=True)
    return ImportResult(
        layer,
        tally["added"],
        tally["updated"],
        tally["unchanged"] + plans["unchanged"],
        skipped,
        pack.author,
        plans["added"] + plans["updated"],
        source,
    )
