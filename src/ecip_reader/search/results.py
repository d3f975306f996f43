"""What a search returns: documents, their best pages and snippets, facet counts.

These are plain frozen data, safe to hand from a worker thread to the UI.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

FACET_NAMES = ("kind", "organisation", "programme", "topic")


@dataclass(frozen=True)
class PageHit:
    """One page of a result: its number and a snippet with the matched words marked."""

    page: int  # 1-based
    segments: tuple[tuple[str, bool], ...]  # snippet pieces; True = matched term

    @property
    def snippet(self) -> str:
        return "".join(text for text, _ in self.segments)

    def snippet_html(self) -> str:
        return "".join(
            f"<b>{html.escape(text)}</b>" if marked else html.escape(text)
            for text, marked in self.segments
        )

    def to_json(self) -> dict[str, Any]:
        return {"page": self.page, "snippet": self.snippet}


@dataclass(frozen=True)
class DocumentHit:
    """One document of a result, with its best pages first."""

    doc_id: str
    title: str
    kind: str
    organisation: str
    score: float
    pages: tuple[PageHit, ...]
    source: str = "document"
    missing: tuple[str, ...] = ()  # typed words the document does not contain

    def to_json(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "kind": self.kind,
            "organisation": self.organisation,
            "score": round(self.score, 4),
            "missing": list(self.missing),
            "pages": [page.to_json() for page in self.pages],
        }


@dataclass(frozen=True)
class SearchResponse:
    """The answer to one query; ``message`` is a plain sentence to show, if any.

    ``total_documents`` counts every document matching any of the words, and
    ``all_words_documents`` those that contain every word (they are listed
    first). When misspelt words were corrected, ``corrected_query`` is what was
    searched and ``as_typed_query`` searches the words as typed; ``suggestion``
    is a "did you mean" that was not applied. ``fallback_or`` is True when no
    document contains every word of a query of several.
    """

    query: str
    took_ms: float
    total_documents: int
    suggestion: str | None
    fallback_or: bool
    message: str | None
    results: tuple[DocumentHit, ...]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    highlight_terms: tuple[str, ...] = ()
    all_words_documents: int = 0
    corrected_query: str | None = None
    as_typed_query: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "took_ms": round(self.took_ms, 2),
            "total_documents": self.total_documents,
            "all_words_documents": self.all_words_documents,
            "corrected_query": self.corrected_query,
            "as_typed_query": self.as_typed_query,
            "suggestion": self.suggestion,
            "fallback_or": self.fallback_or,
            "message": self.message,
            "results": [hit.to_json() for hit in self.results],
            "facets": self.facets,
        }


def empty_facets() -> dict[str, dict[str, int]]:
    return {name: {} for name in FACET_NAMES}


def message_response(query: str, message: str, took_ms: float = 0.0) -> SearchResponse:
    """A response with no results and a sentence saying why."""
    return SearchResponse(
        query=query,
        took_ms=took_ms,
        total_documents=0,
        suggestion=None,
        fallback_or=False,
        message=message,
        results=(),
        facets=empty_facets(),
        highlight_terms=(),
    )
