"""What an opened PDF holds beyond its pages, in plain sentences.

A document that opens may still surprise its reader: it was repaired, it has
no text layer (a scan), its author restricted copying or printing, it carries
scripts, links that would start programs, or attached files. The reader never
runs scripts, never starts programs and never opens attachments; these notes
let the interface and the command line say so.

Every function takes a ``pymupdf.Document`` returned by
:func:`ecip_reader.pdf.document.open_pdf` and must run in the process that
owns that document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pymupdf

from ecip_reader.fileio import shown_path
from ecip_reader.pdf.document import clean_text

# Pages read to decide that a document has no text layer at all.
TEXT_SAMPLE_PAGES = 50
# Objects scanned for scripts and program-starting actions (bounded for huge files).
MAX_SCANNED_OBJECTS = 100_000
# Longest metadata value kept; a title is not a novel.
MAX_METADATA_CHARS = 500

# Permission bits of the PDF standard (ISO 32000, table 22).
PERM_PRINT = 1 << 2
PERM_COPY = 1 << 4

METADATA_KEYS = ("title", "author", "subject", "keywords", "creator", "producer")

_ACTION = re.compile(rb"/S\s*/(JavaScript|Launch)\b")
_SCRIPT_KEY = re.compile(rb"/JS\b|/JavaScript\b")

_LINK_KINDS = {
    pymupdf.LINK_GOTO: "page",
    pymupdf.LINK_URI: "web",
    pymupdf.LINK_LAUNCH: "file",
    pymupdf.LINK_GOTOR: "file",
    pymupdf.LINK_NAMED: "named",
}


@dataclass(frozen=True)
class PageLink:
    """A link on a page, described but never acted on.

    ``kind`` is "page" (a place in this document; ``page`` is 1-based),
    "web" (``target`` is the address), "file" (a file or program on the
    computer, from a Launch or remote go-to action; ``target`` is its path) or
    "named" (a viewer command). Only "page" links are ever followed by the
    reader. Script links are not listed: MuPDF drops them, and no script runs.
    """

    kind: str
    target: str
    rect: tuple[float, float, float, float]
    page: int | None = None


def document_name(doc: Any, name: str | None = None) -> str:
    return shown_path(name or Path(str(doc.name or "")).name or "The document")


def describe_pdf(doc: Any, name: str | None = None) -> tuple[str, ...]:
    """One sentence for each thing a reader of ``doc`` should know; empty when nothing."""
    name = document_name(doc, name)
    notes = list(reading_notes(doc, name))
    scripts, launches = active_content(doc)
    if scripts:
        notes.append(f"{name} contains scripts, which the reader never runs.")
    if launches:
        notes.append(
            f"{name} has links that would start other programs; the reader never follows them."
        )
    attached = int(doc.embfile_count())
    if attached:
        files = "1 attached file" if attached == 1 else f"{attached} attached files"
        notes.append(f"{name} has {files}, which the reader does not open.")
    return tuple(notes)


def reading_notes(doc: Any, name: str | None = None) -> tuple[str, ...]:
    """The notes a reader needs when a document opens; cheap enough to compute then.

    Repairs, a missing text layer and copy/print restrictions. Scanning every
    object for scripts (:func:`describe_pdf`) can take half a second on a large
    manual, so it is left out here: nothing active ever runs anyway.
    """
    name = document_name(doc, name)
    notes: list[str] = []
    if doc.is_repaired:
        notes.append(f"{name} was damaged and has been repaired; some pages may be incomplete.")
    if not has_text(doc):
        notes.append(no_text_note(name))
    restricted = restrictions(doc)
    if restricted:
        notes.append(f"{name} does not allow {' or '.join(restricted)}.")
    return tuple(notes)


def no_text_note(name: str) -> str:
    """The sentence for a document with no text layer (a scan or pictures only)."""
    return f"{shown_path(name)} has no searchable text."


def has_text(doc: Any, max_pages: int = TEXT_SAMPLE_PAGES) -> bool:
    """True if one of the first ``max_pages`` pages has any text to search."""
    for number in range(min(doc.page_count, max_pages)):
        try:
            if str(doc[number].get_text()).strip():
                return True
        except Exception:  # a damaged page has no text we can reach
            continue
    return False


def restrictions(doc: Any) -> tuple[str, ...]:
    """What the author's permissions forbid: "copying text", "printing" (in that order)."""
    permissions = int(doc.permissions)
    forbidden: list[str] = []
    if not permissions & PERM_COPY:
        forbidden.append("copying text")
    if not permissions & PERM_PRINT:
        forbidden.append("printing")
    return tuple(forbidden)


def active_content(doc: Any) -> tuple[bool, bool]:
    """(has scripts, has Launch actions), from the document's objects."""
    scripts = launches = False
    for xref in range(1, min(int(doc.xref_length()), MAX_SCANNED_OBJECTS)):
        try:
            source = str(doc.xref_object(xref, compressed=True)).encode("latin-1", "replace")
        except Exception:  # a damaged object: nothing active can come from it
            continue
        for match in _ACTION.finditer(source):
            if match.group(1) == b"Launch":
                launches = True
            else:
                scripts = True
        if not scripts and _SCRIPT_KEY.search(source):
            scripts = True
        if scripts and launches:
            break
    return scripts, launches


def safe_metadata(doc: Any) -> dict[str, str]:
    """The document's descriptive metadata, cleaned for display; empty values left out."""
    raw = doc.metadata or {}
    cleaned: dict[str, str] = {}
    for key in METADATA_KEYS:
        value = " ".join(clean_text(raw.get(key)).split())
        if value:
            cleaned[key] = value[:MAX_METADATA_CHARS]
    return cleaned


def page_links(page: Any) -> tuple[PageLink, ...]:
    """The links of ``page``, described for display; following them is up to the caller."""
    links: list[PageLink] = []
    for link in page.get_links():
        kind = _LINK_KINDS.get(link.get("kind"))
        if kind is None:
            continue
        box = link["from"]
        rect = (float(box.x0), float(box.y0), float(box.x1), float(box.y1))
        if kind == "page":
            links.append(PageLink(kind, "", rect, int(link.get("page", 0)) + 1))
            continue
        target = link.get("uri") if kind == "web" else link.get("file") or link.get("name")
        links.append(PageLink(kind, clean_text(target), rect))
    return tuple(links)
