"""One search over the bundled collection and every other ready source.

:class:`CombinedSearch` is the bundled library's service that also asks the
:class:`~ecip_reader.search.other_sources.SourceSearches` of the other sources
and merges the answers: hits of the other sources carry qualified ids
(``"<source>:<id>"``) so the window can open them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.library.sources import local_id, qualify, source_key
from ecip_reader.search.other_sources import SourceSearches
from ecip_reader.search.results import SearchResponse
from ecip_reader.search.service import SearchService

__all__ = ["CombinedSearch", "SourceSearches", "merge"]


def merge(base: SearchResponse, others: list[SearchResponse], limit: int) -> SearchResponse:
    """``base`` with the hits of ``others`` added, best first, and their counts summed."""
    found = [r for r in others if r.results]
    if not found:
        return base
    results = sorted(
        (*base.results, *(hit for r in found for hit in r.results)),
        key=lambda hit: -hit.score,
    )[:limit]
    facets: dict[str, dict[str, int]] = {k: dict(v) for k, v in base.facets.items()}
    for response in found:
        for facet, counts in response.facets.items():
            merged = facets.setdefault(facet, {})
            for value, count in counts.items():
                merged[value] = merged.get(value, 0) + count
    terms = list(base.highlight_terms)
    for response in found:
        terms += [t for t in response.highlight_terms if t not in terms]
    # The message and suggestion come from the first answer with results.
    lead = base if base.results else found[0]
    fallback = all(r.fallback_or for r in (lead, *found))
    return dataclasses.replace(
        base,
        took_ms=base.took_ms + sum(r.took_ms for r in found),
        total_documents=base.total_documents + sum(r.total_documents for r in found),
        all_words_documents=base.all_words_documents + sum(r.all_words_documents for r in found),
        message=lead.message if lead is base or fallback else None,
        suggestion=lead.suggestion,
        corrected_query=lead.corrected_query,
        as_typed_query=lead.as_typed_query,
        fallback_or=fallback,
        results=tuple(results),
        facets=facets,
        highlight_terms=tuple(terms),
    )


class CombinedSearch(SearchService):
    """The bundled library's search service, also searching ``extra``."""

    def __init__(
        self,
        index_dir: Path,
        library_dir: Path,
        catalogue: Catalogue | None,
        extra: SourceSearches,
        trusted: Sequence[Path] = (),
    ) -> None:
        super().__init__(index_dir, library_dir, catalogue, trusted)
        self.extra = extra

    def search(
        self, query: str, limit: int = 20, filters: Mapping[str, str] | None = None
    ) -> SearchResponse:
        base = super().search(query, limit, filters)
        return merge(base, self.extra.search(query, limit, filters), limit)

    def more_like_this(self, doc_id: str, limit: int = 5) -> list[str]:
        key = source_key(doc_id)
        service = self.extra.get(key)
        if service is None:
            return super().more_like_this(doc_id, limit)
        return [qualify(key, d) for d in service.more_like_this(local_id(doc_id), limit)]

    def close(self) -> None:
        super().close()
        self.extra.close()
