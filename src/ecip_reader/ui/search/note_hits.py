"""The reader's own notes as search results: grouped by document, marked as notes.

This module imports the search package's result types, so it is loaded only
where a search has already run (on the search thread, or once results show).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from ecip_reader.library.catalogue import CatalogueEntry
from ecip_reader.search.results import DocumentHit, PageHit, SearchResponse
from ecip_reader.ui.library.model import facet_values
from ecip_reader.userdata import NoteHit

NOTE_SCORE = 1_000_000.0  # note groups sort above the documents' own pages
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class NoteDocumentHit(DocumentHit):
    """A document's notes matching the query; ``author`` is None for the reader's own."""

    author: str | None = None


def note_marker(author: str | None) -> str:
    return "your note" if not author else f"note by {author}"


def empty_response(query: str) -> SearchResponse:
    return SearchResponse(query, 0.0, 0, None, False, None, (), {}, ())


def _fits(entry: CatalogueEntry | None, filters: Mapping[str, str]) -> bool:
    if not filters:
        return True
    if entry is None:
        return False
    return all(value in facet_values(entry, facet) for facet, value in filters.items())


def note_results(
    hits: Sequence[NoteHit],
    entry_of: Callable[[str], CatalogueEntry | None],
    filters: Mapping[str, str] = {},
) -> list[NoteDocumentHit]:
    """One result per document and author, in the order of the best note, notes by page."""
    groups: dict[tuple[str, str | None], list[NoteHit]] = {}
    for hit in hits:
        groups.setdefault((hit.document.doc_id, hit.layer_name), []).append(hit)
    results = []
    for rank, ((doc_id, author), notes) in enumerate(groups.items()):
        entry = entry_of(doc_id)
        if not _fits(entry, filters):
            continue
        pages = tuple(PageHit(n.page, n.segments) for n in sorted(notes, key=lambda n: n.page))
        results.append(
            NoteDocumentHit(
                doc_id,
                entry.title if entry is not None else notes[0].document.title,
                entry.kind if entry is not None else "",
                entry.organisation if entry is not None else "",
                NOTE_SCORE - rank,
                pages,
                source="note",
                author=author,
            )
        )
    return results


def with_notes(
    response: SearchResponse, notes: Sequence[NoteDocumentHit], query: str
) -> SearchResponse:
    """``response`` with the note results first; their matched words are highlighted too."""
    if not notes:
        return response
    terms = list(response.highlight_terms)
    for note in notes:
        for page in note.pages:
            for text, matched in page.segments:
                for word in _WORD.findall(text.lower()) if matched else ():
                    if word not in terms:
                        terms.append(word)
    return replace(
        response,
        query=query,
        results=(*notes, *response.results),
        message=None if not response.results else response.message,
        suggestion=None if not response.results else response.suggestion,
        highlight_terms=tuple(terms),
    )
