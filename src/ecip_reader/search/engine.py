"""An open index: one Whoosh searcher, reused for every query until the index changes.

Every page matching any word of the query is scored
(:mod:`ecip_reader.search.scoring`); the best pages, at most three per
document, are grouped by document, a document scoring as its best page. The
documents that contain every word come first (or, in coordination mode, a
document's score is scaled by the share of the words it contains), so results
always fill up to the limit. The total and the facet counts are taken over
every matching document, each facet counted as if its own filter were not set,
so the UI can offer the other values. Snippets mark the words behind the
query's body terms.
"""

from __future__ import annotations

import contextlib
import heapq
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from whoosh import query as wq
from whoosh.filedb.filestore import FileStorage

from ecip_reader.library.catalogue import CatalogueEntry
from ecip_reader.search.lexicon import Lexicon
from ecip_reader.search.manifest import WHOOSH_DIR
from ecip_reader.search.query import parse_query
from ecip_reader.search.querybuild import Compiled, QueryCompiler, Unit
from ecip_reader.search.ranking import DEFAULT_RANKING, Ranking
from ecip_reader.search.results import (
    FACET_NAMES,
    DocumentHit,
    PageHit,
    SearchResponse,
    message_response,
)
from ecip_reader.search.schema import DEFAULT_FIELDS
from ecip_reader.search.scoring import PageScorer
from ecip_reader.search.snippets import make_snippet, surface_pattern
from ecip_reader.search.store import STORE_FILE, Store
from ecip_reader.search.thesaurus import Thesaurus
from ecip_reader.search.wordlist import Wordlist

log = logging.getLogger(__name__)

PAGES_PER_DOCUMENT = 3


def _facet_values(meta: CatalogueEntry) -> dict[str, tuple[str, ...]]:
    return {
        "kind": (meta.kind,),
        "organisation": (meta.organisation,) if meta.organisation else (),
        "programme": (meta.programme,) if meta.programme else (),
        "topic": meta.topics,
    }


class Engine:
    """Searching one index folder; not thread-safe (the service serialises calls)."""

    def __init__(
        self,
        folder: Path,
        thesaurus: Thesaurus,
        immutable: bool = False,
        wordlist: Wordlist | None = None,
        ranking: Ranking = DEFAULT_RANKING,
    ) -> None:
        self._wordlist = wordlist
        self.ranking = ranking
        storage = FileStorage(str(folder / WHOOSH_DIR), supports_mmap=False, readonly=True)
        # A damaged index fails anywhere below: whatever was opened is closed again,
        # so no file of the index stays open (it is about to be replaced).
        with contextlib.ExitStack() as opened:
            self._index = storage.open_index()
            opened.callback(self._index.close)
            self._searcher = self._index.searcher()
            opened.callback(self._searcher.close)
            self._store = Store.open(folder / STORE_FILE, immutable=immutable)
            opened.callback(self._store.close)
            self._load(thesaurus)
            opened.pop_all()

    def _load(self, thesaurus: Thesaurus) -> None:
        reader = self._searcher.reader()
        self.docs = self._store.documents()
        self._doc_of: list[str] = list(reader.column_reader("doc"))
        self._page_of: list[int] = list(reader.column_reader("page"))
        self._scorer = PageScorer(self._searcher)
        self._scorer.warm(("body", "title"))
        self._facets = {doc_id: _facet_values(meta) for doc_id, meta in self.docs.items()}
        self._surfaces = lru_cache(maxsize=4096)(self._store.surfaces)
        self._marker = lru_cache(maxsize=128)(self._pattern)
        lexicon = Lexicon(self._store, DEFAULT_FIELDS)
        self._compiler = QueryCompiler(
            reader, lexicon, thesaurus, self._surfaces, self._wordlist, self.ranking
        )
        self._related: dict[str, list[str]] = {}

    def set_ranking(self, ranking: Ranking) -> None:
        """Rank later searches with ``ranking`` (for tuning and measuring)."""
        self.ranking = self._compiler.ranking = ranking

    def close(self) -> None:
        self._searcher.close()
        self._store.close()
        self._index.close()

    # Filters and facets

    def _passes(self, doc_id: str, filters: Mapping[str, str], skip: str | None = None) -> bool:
        values = self._facets.get(doc_id)
        if values is None:
            return False
        return all(v in values.get(k, ()) for k, v in filters.items() if k != skip)

    def _facet_counts(
        self, matched: set[str], filters: Mapping[str, str]
    ) -> dict[str, dict[str, int]]:
        facets: dict[str, dict[str, int]] = {}
        all_facets = self._facets
        for name in FACET_NAMES:
            counts: dict[str, int] = {}
            get = counts.get
            for doc_id in matched:
                if filters and not self._passes(doc_id, filters, skip=name):
                    continue
                for value in all_facets[doc_id][name]:
                    counts[value] = get(value, 0) + 1
            facets[name] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        return facets

    # Searching

    def search(
        self, text: str, limit: int = 20, filters: Mapping[str, str] | None = None
    ) -> SearchResponse:
        began = time.perf_counter()
        parsed = parse_query(text)
        clean_filters = {k: v for k, v in (filters or {}).items() if k in FACET_NAMES and v}
        compiled = self._compiler.compile(parsed)
        message = _plain_message(compiled)
        if message is not None:
            return message_response(parsed.text, message, _ms(began))
        limit = max(1, min(int(limit), 200))
        excluded: set[int] = set()
        if compiled.exclude is not None:
            excluded = set(self._scorer.scores(compiled.exclude))
        found = self._match(compiled.units, excluded, clean_filters)
        hits = self._rank(found, limit)
        results, words = self._documents(compiled, found, hits, limit) if hits else ((), [])
        total = len(found.passing)
        every = len(found.every_word)
        fallback = total > 0 and every == 0 and len(compiled.units) > 1
        return SearchResponse(
            query=parsed.text,
            took_ms=_ms(began),
            total_documents=total,
            all_words_documents=every,
            suggestion=compiled.suggestion,
            corrected_query=compiled.corrected_query,
            as_typed_query=compiled.as_typed_query,
            fallback_or=fallback,
            message=_result_message(compiled, total, fallback),
            results=results,
            facets=self._facet_counts(found.matched, clean_filters),
            highlight_terms=tuple(words),
        )

    def _match(self, units: list[Unit], excluded: set[int], filters: Mapping[str, str]) -> _Found:
        """The pages matching any unit, scored as their sum, and which documents
        contain each unit."""
        doc_of = self._doc_of
        per_unit: list[Scores] = []
        for unit in units:
            scores = self._scorer.scores(unit.query) if unit.query is not None else {}
            if excluded and scores:
                scores = {n: s for n, s in scores.items() if n not in excluded}
            per_unit.append(scores)
        per_unit_docs = [{doc_of[n] for n in scores} for scores in per_unit]
        matched = set().union(*per_unit_docs) & self.docs.keys()
        passing = {d for d in matched if self._passes(d, filters)} if filters else matched
        pages = _sum_scores(per_unit)
        if len(passing) < len(matched) or len(matched) < len(set().union(*per_unit_docs)):
            pages = {n: s for n, s in pages.items() if doc_of[n] in passing}
        every = set(passing)
        for docs in per_unit_docs:
            every &= docs
        labels = [_shown(u.label) for u in units]
        return _Found(matched, passing, every, pages, per_unit_docs, labels)

    def _rank(self, found: _Found, limit: int) -> list[tuple[int, float]]:
        """The best pages of the best ``limit`` documents, at most three per document,
        in the order the documents are shown."""
        pages = found.pages
        units = len(found.unit_docs)
        rest: Scores = {}
        first = pages
        if units < 2 or len(found.every) == len(found.passing):
            pass  # every document holds every word
        elif self.ranking.mode == "coordination":
            doc_of = self._doc_of
            share = {d: sum(d in docs for docs in found.unit_docs) / units for d in found.passing}
            if len(set(share.values())) > 1:
                first = {n: s * share[doc_of[n]] for n, s in pages.items()}
        elif found.every:
            doc_of, every = self._doc_of, found.every
            first = {n: s for n, s in pages.items() if doc_of[n] in every}
            rest = {n: s for n, s in pages.items() if doc_of[n] not in every}
        hits = self._top(first, limit)
        shown = len({self._doc_of[n] for n, _s in hits})
        if shown < limit and rest:
            hits += self._top(rest, limit - shown)
        return hits

    def _top(self, pages: dict[int, float], limit: int) -> list[tuple[int, float]]:
        """The best pages of the best ``limit`` documents, at most three per document."""
        ranked = heapq.nlargest(limit * 8, pages, key=pages.__getitem__)
        best = _best_pages([(n, pages[n]) for n in ranked], self._doc_of)
        if len({self._doc_of[n] for n, _s in best}) < limit and len(ranked) < len(pages):
            ranked = sorted(pages, key=pages.__getitem__, reverse=True)
            best = _best_pages([(n, pages[n]) for n in ranked], self._doc_of)
        return best

    def _documents(
        self, compiled: Compiled, found: _Found, hits: list[tuple[int, float]], limit: int
    ) -> tuple[tuple[DocumentHit, ...], list[str]]:
        grouped: dict[str, list[tuple[int, float]]] = {}
        for hit in hits:
            doc_id = self._doc_of[hit[0]]
            if doc_id in self.docs and (doc_id in grouped or len(grouped) < limit):
                grouped.setdefault(doc_id, []).append(hit)
        body_terms = frozenset(
            text.decode("utf-8") if isinstance(text, bytes) else str(text)
            for query in compiled.queries
            for fieldname, text in query.all_terms()
            if fieldname == "body"
        )
        pattern = self._marker(body_terms)
        documents: list[DocumentHit] = []
        words: dict[str, None] = {}
        for doc_id, page_hits in grouped.items():
            meta = self.docs[doc_id]
            pages = []
            for docnum, _score in page_hits:
                page = self._page_of[docnum]
                segments, seen = make_snippet(self._store.page_text(doc_id, page), pattern)
                words.update(dict.fromkeys(seen))
                pages.append(PageHit(page, segments))
            documents.append(
                DocumentHit(
                    doc_id,
                    meta.title,
                    meta.kind,
                    meta.organisation,
                    page_hits[0][1],
                    tuple(pages),
                    missing=found.missing(doc_id),
                )
            )
        return tuple(documents), list(words)

    def _pattern(self, terms: frozenset[str]) -> Any:
        words: list[str] = []
        stems: list[str] = []
        for term in terms:
            surfaces = self._surfaces(term)
            if surfaces:
                words.extend(surfaces)
            else:
                stems.append(term)
        return surface_pattern(words, stems)

    def more_like_this(self, doc_id: str, limit: int = 5) -> list[str]:
        """Documents about the same things as ``doc_id``, from its key terms."""
        if doc_id not in self._related:
            self._related[doc_id] = self._find_related(doc_id)
        return self._related[doc_id][: max(0, limit)]

    def _find_related(self, doc_id: str) -> list[str]:
        meta = self.docs.get(doc_id)
        if meta is None:
            return []
        text = (
            " ".join((meta.title, *meta.topics)) + "\n" + self._store.document_text(doc_id, 30_000)
        )
        key_terms = self._searcher.key_terms_from_text("body", text, numterms=20)
        if not key_terms:
            return []
        query = wq.Or([wq.Term("body", term, boost=weight) for term, weight in key_terms])
        best: dict[str, float] = {}
        for docnum, score in self._scorer.scores(query).items():
            other = self._doc_of[docnum]
            if other != doc_id and other in self.docs and score > best.get(other, 0.0):
                best[other] = score
        return sorted(best, key=lambda d: (-best[d], d))[:20]


Scores = dict[int, float]


@dataclass(frozen=True)
class _Found:
    matched: set[str]  # documents matching any unit, before the filters
    passing: set[str]  # those that pass the filters
    every: set[str]  # those of them that match every unit
    pages: Scores  # every page of a passing document that matched, and its score
    unit_docs: list[set[str]]  # the documents matching each unit
    labels: list[str]  # each unit as typed

    @property
    def every_word(self) -> set[str]:
        return self.every if len(self.unit_docs) > 1 else self.passing

    def missing(self, doc_id: str) -> tuple[str, ...]:
        """The typed words ``doc_id`` does not contain (none for one-word queries)."""
        if len(self.unit_docs) < 2 or doc_id in self.every:
            return ()
        return tuple(
            label
            for label, docs in zip(self.labels, self.unit_docs, strict=True)
            if doc_id not in docs
        )


def _sum_scores(parts: list[Scores]) -> Scores:
    """Page scores summed over ``parts`` (the largest copied, the others added)."""
    ordered = sorted(parts, key=len, reverse=True)
    if not ordered:
        return {}
    total = dict(ordered[0])
    for part in ordered[1:]:
        get = total.get
        for docnum, score in part.items():
            total[docnum] = get(docnum, 0.0) + score
    return total


def _best_pages(hits: list[tuple[int, float]], doc_of: list[str]) -> list[tuple[int, float]]:
    """``hits`` (best first) with at most three pages of any one document."""
    seen: dict[str, int] = {}
    kept = []
    for docnum, score in hits:
        doc_id = doc_of[docnum]
        if seen.get(doc_id, 0) < PAGES_PER_DOCUMENT:
            seen[doc_id] = seen.get(doc_id, 0) + 1
            kept.append((docnum, score))
    return kept


def _ms(began: float) -> float:
    return (time.perf_counter() - began) * 1000.0


def _plain_message(compiled: Compiled) -> str | None:
    if compiled.only_negative:
        return "Add a word to search for: a search cannot only leave words out."
    if not compiled.searchable:
        return "Type a word to search for (very common words such as “the” are not searched)."
    return None


def _shown(text: str, limit: int = 60) -> str:
    """Typed words for a one-line message: spaces tidied, a long run shortened."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _result_message(compiled: Compiled, total: int, fallback: bool) -> str | None:
    if total == 0:
        if compiled.unknown:
            words = ", ".join(f"“{_shown(w)}”" for w in compiled.unknown)
            return f"No document contains {words}."
        return "No document matches this search."
    if fallback:
        return (
            "No document contains all of these words; showing documents that contain some of them."
        )
    return None
