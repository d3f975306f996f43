"""Exporting notes as Markdown or CSV, for one document or all.

The organisation's policy may turn exports off (``allow_export = false``);
every export path calls :func:`ensure_export_allowed` first.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ecip_reader.errors import StorageError, UserError, describe_os_error
from ecip_reader.fileio import atomic_write_bytes, atomic_write_text, shared_mode
from ecip_reader.settings import Settings
from ecip_reader.userdata.models import (
    AnchorStatus,
    Annotation,
    AnnotationKind,
    Bookmark,
    DocumentRef,
    now_iso,
    parse_iso,
)
from ecip_reader.userdata.packs import build_pack, write_pack
from ecip_reader.userdata.session_plans import SessionPlan
from ecip_reader.userdata.store import UserDataStore

CSV_COLUMNS = (
    "document id",
    "document title",
    "page",
    "kind",
    "colour name",
    "quoted text",
    "note",
    "author",
    "created",
    "modified",
)

KIND_NAMES = {
    AnnotationKind.HIGHLIGHT: "Highlight",
    AnnotationKind.UNDERLINE: "Underline",
    AnnotationKind.STRIKE_THROUGH: "Strike-through",
    AnnotationKind.STICKY_NOTE: "Sticky note",
    AnnotationKind.INK: "Drawing",
}


class ExportNotAllowed(UserError):
    """The machine-wide policy turns exports off."""


def ensure_export_allowed(settings: Settings) -> None:
    if not settings.allow_export():
        raise ExportNotAllowed("Exporting notes has been turned off by your organisation.")


@dataclass(frozen=True)
class DocumentNotes:
    document: DocumentRef
    annotations: tuple[Annotation, ...]
    bookmarks: tuple[Bookmark, ...]


def collect(
    store: UserDataStore,
    doc_hashes: Collection[str] | None = None,
    known: Mapping[str, DocumentRef] | None = None,
    own_only: bool = False,
) -> list[DocumentNotes]:
    """The notes to export, grouped by document (sorted by title), visible layers included.

    ``known`` (hash -> document, e.g. from the catalogue) supplies current ids
    and titles; the store's records fill the gaps.
    """
    documents = dict(store.documents())
    documents.update(known or {})
    grouped: dict[str, tuple[list[Annotation], list[Bookmark]]] = {}
    for annotation in store.annotations(own_only=own_only):
        grouped.setdefault(annotation.doc_hash, ([], []))[0].append(annotation)
    for bookmark in store.bookmarks(own_only=own_only):
        grouped.setdefault(bookmark.doc_hash, ([], []))[1].append(bookmark)
    result = [
        DocumentNotes(documents.get(h, DocumentRef(h)), tuple(a), tuple(b))
        for h, (a, b) in grouped.items()
        if doc_hashes is None or h in doc_hashes
    ]
    result.sort(key=lambda d: (d.document.display_title.lower(), d.document.hash))
    return result


def _date(stamp: str) -> str:
    return parse_iso(stamp).strftime("%Y-%m-%d %H:%M UTC")


_MD_LINE_START = re.compile(r"^(\s*)([#>*+\-=|]|\d+[.)])")


def _md_text(text: str) -> str:
    """Escape what would turn a line of plain text into Markdown structure."""
    escaped = text.replace("\\", "\\\\").replace("`", "\\`").replace("<", "&lt;")
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)


def _md_lines(text: str, quote: bool = False) -> list[str]:
    lines = [_md_text(line) for line in text.split("\n")]
    if quote:
        return [f"> {line}".rstrip() for line in lines]
    # A backslash at the end of a line is a hard line break in CommonMark;
    # an empty line already separates paragraphs.
    return [
        line + "\\" if line and i + 1 < len(lines) and lines[i + 1] else line
        for i, line in enumerate(lines)
    ]


def to_markdown(store: UserDataStore, notes: list[DocumentNotes]) -> str:
    """Notes grouped by document and page, with the quoted text and the note."""
    labels = {c.key: c.label for c in store.palette()}
    layers = {la.id: la.name for la in store.layers()}
    out = ["# Notes", "", f"Exported from the ECIP Case-Study Reader on {_date(now_iso())}.", ""]
    if not notes:
        out += ["There are no notes to export.", ""]
    for group in notes:
        doc = group.document
        heading = _md_text(doc.display_title)
        out += [f"## {heading}", ""]
        if doc.doc_id:
            out += [f"Document id: `{doc.doc_id}`", ""]
        if group.bookmarks:
            out += ["### Bookmarks", ""]
            out += [f"- Page {b.page}: {_md_text(b.label)}" for b in group.bookmarks]
            out.append("")
        page = 0
        for a in group.annotations:
            if a.page != page:
                page = a.page
                out += [f"### Page {page}", ""]
            details = [KIND_NAMES[a.kind], labels.get(a.colour, a.colour), a.author]
            if a.layer_id is not None:
                details.append(f"imported notes of {layers.get(a.layer_id, '?')}")
            if a.status is AnchorStatus.DETACHED:
                details.append(a.status.description)
            details.append(_date(a.modified))
            out += [f"**{_md_text(' · '.join(details))}**", ""]
            if a.quote:
                out += [*_md_lines(a.quote, quote=True), ""]
            if a.note:
                out += [*_md_lines(a.note), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _cell(value: str) -> str:
    """Keep spreadsheet programs from running a note as a formula."""
    if value[:1] in ("=", "+", "@", "\t", "\r") or (value[:1] == "-" and value[1:2] != " "):
        return "'" + value
    return value


def to_csv(store: UserDataStore, notes: list[DocumentNotes]) -> str:
    """One row per annotation (bookmarks too, as kind "bookmark"), with :data:`CSV_COLUMNS`.

    The kind column holds the stored kind: ``highlight``, ``sticky-note``, ``ink``…
    """
    labels = {c.key: c.label for c in store.palette()}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for group in notes:
        doc = group.document
        for a in group.annotations:
            row = [
                doc.doc_id,
                doc.title,
                str(a.page),
                a.kind.value,
                labels.get(a.colour, a.colour),
                a.quote,
                a.note,
                a.author,
                a.created,
                a.modified,
            ]
            writer.writerow([_cell(v) for v in row])
        for b in group.bookmarks:
            row = [doc.doc_id, doc.title, str(b.page), "bookmark", "", "", b.label, b.author]
            writer.writerow([_cell(v) for v in [*row, b.created, b.modified]])
    return buffer.getvalue()


def write_notes(
    store: UserDataStore,
    fmt: str,
    dest: Path,
    doc_hashes: Collection[str] | None,
    known: Mapping[str, DocumentRef],
    author: str,
    name: str = "",
    sessions: Sequence[SessionPlan] = (),
) -> int:
    """Write the notes as ``md``, ``csv`` or a notes ``pack``; returns how many were written.

    The count is of notes and bookmarks (a pack holds only the user's own). A
    pack is called ``name`` and carries the session plans ``sessions``. Exports
    are readable by others as any new file of the user is (0644 with the usual umask).
    """
    if fmt == "pack":
        pack = build_pack(store, author, doc_hashes, known, name, sessions)
        write_pack(pack, dest)
        return len(pack.annotations) + len(pack.bookmarks)
    groups = collect(store, doc_hashes, known)
    try:
        if fmt == "md":
            atomic_write_text(dest, to_markdown(store, groups), shared_mode())
        elif fmt == "csv":
            # A byte-order mark lets spreadsheet programs recognise UTF-8.
            atomic_write_bytes(dest, to_csv(store, groups).encode("utf-8-sig"), shared_mode())
        else:
            raise ValueError(f"unknown export format {fmt!r}")
    except OSError as exc:
        raise StorageError(describe_os_error(exc, f"the export {dest.name}")) from exc
    return sum(len(g.annotations) + len(g.bookmarks) for g in groups)
