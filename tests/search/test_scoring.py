"""The page scorer gives Whoosh's own scores, and still does when Whoosh's internals change.

The scorer reads Whoosh's posting blocks directly for speed. These tests build
a small index of several segments with a deleted page, then compare the
scorer's page scores with those of Whoosh's own matchers on random queries
of terms, AND, OR, phrases and ID fields, with and without the direct reading.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import PostingPool

from ecip_reader.search.analysis import Analyzed
from ecip_reader.search.schema import build_schema
from ecip_reader.search.scoring import PageScorer, PostingCache, fast_reading_available
from ecip_reader.search.writer import open_writer

WORDS = ["discharg", "ward", "bed", "flow", "triag", "home", "care", "frail"]
KINDS = ["case-study", "presentation"]
FIELDS = ["title", "body"]


def _page(n: int) -> dict[str, Any]:
    """A deterministic page: words chosen by the page number, of varying lengths."""
    body = [WORDS[(n * 7 + i * (n % 5 + 1)) % len(WORDS)] for i in range(3 + n % 11)]
    title = [WORDS[(n + i) % len(WORDS)] for i in range(1 + n % 3)]
    return {
        "doc": f"d{n // 3}",
        "page": n % 3 + 1,
        "kind": KINDS[n % 2],
        "title": Analyzed(" ".join(title)),
        "body": Analyzed(" ".join(body)),
    }


def build(folder: Path) -> Any:
    """An index of three segments (written by the app's writer) with one page deleted."""
    folder.mkdir()
    index = FileStorage(str(folder)).create_index(build_schema())
    for segment in range(3):
        writer = open_writer(index)
        for n in range(segment * 40, segment * 40 + 40):
            writer.add_document(**_page(n))
        writer.commit(merge=False)
    writer = index.writer()
    writer.delete_by_term("doc", "d5")
    writer.commit(merge=False)
    return index


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    index = build(tmp_path_factory.mktemp("scoring") / "index")
    with index.searcher() as opened:
        assert len(list(opened.leaf_searchers())) == 3
        yield opened
    index.close()


def whoosh_scores(searcher: Any, query: Any) -> dict[int, float]:
    """Every matching page and its score, from Whoosh's own matchers."""
    scores: dict[int, float] = {}
    for leaf, offset in searcher.leaf_searchers():
        matcher = query.matcher(leaf, leaf.context())
        while matcher.is_active():
            scores[matcher.id() + offset] = matcher.score()
            matcher.next()
    return scores


def assert_same(mine: dict[int, float], theirs: dict[int, float]) -> None:
    assert set(mine) == set(theirs)
    for page, score in theirs.items():
        assert math.isclose(mine[page], score, rel_tol=1e-9, abs_tol=1e-12), page


boosts = st.sampled_from([1.0, 0.5, 2.0, 1.5])
terms = st.builds(
    lambda f, w, b: wq.Term(f, w, boost=b), st.sampled_from(FIELDS), st.sampled_from(WORDS), boosts
)
kinds = st.builds(lambda k: wq.Term("kind", k), st.sampled_from(KINDS))
phrases = st.builds(
    lambda f, ws, b: wq.Phrase(f, ws, boost=b),
    st.sampled_from(FIELDS),
    st.lists(st.sampled_from(WORDS), min_size=2, max_size=3),
    boosts,
)
leaves = st.one_of(terms, kinds, phrases)


def _compound(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    parts = st.lists(children, min_size=2, max_size=3, unique_by=repr)
    return st.one_of(st.builds(wq.Or, parts), st.builds(wq.And, parts))


queries = st.recursive(leaves, _compound, max_leaves=6)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=queries)
def test_page_scores_are_whoosh_scores(searcher: Any, query: Any) -> None:
    assert fast_reading_available(searcher)
    assert_same(PageScorer(searcher).scores(query), whoosh_scores(searcher, query))


@settings(max_examples=100, deadline=None)
@given(query=queries)
def test_read_through_the_public_api_the_scores_are_the_same(searcher: Any, query: Any) -> None:
    assert_same(PageScorer(searcher, fast=False).scores(query), whoosh_scores(searcher, query))


def test_an_id_field_is_scored_by_its_weight_as_whoosh_does(searcher: Any) -> None:
    query = wq.Term("kind", "presentation")
    scores = PageScorer(searcher).scores(query)
    assert scores and set(scores.values()) == {1.0}
    assert_same(scores, whoosh_scores(searcher, query))


def test_a_renamed_whoosh_internal_falls_back_to_the_public_api(
    searcher: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As if a Whoosh release had renamed the block reader: Whoosh still works,
    # the scorer notices at once and reads postings the slow way.
    read_data = W3LeafMatcher._read_data

    def through_renamed(name: str) -> Any:
        original = getattr(W3LeafMatcher, name)

        def reader(self: Any) -> Any:
            if self._data is None:
                self._load_block()
            return original(self)

        return reader

    for name in ("_read_ids", "_read_weights", "_read_values"):
        monkeypatch.setattr(W3LeafMatcher, name, through_renamed(name))
    monkeypatch.setattr(W3LeafMatcher, "_load_block", read_data, raising=False)
    monkeypatch.delattr(W3LeafMatcher, "_read_data")

    assert not fast_reading_available(searcher)
    scorer = PageScorer(searcher)
    assert not scorer.fast
    query = wq.Or([wq.Term("body", "ward"), wq.Phrase("body", ["bed", "flow"], boost=2.0)])
    assert_same(scorer.scores(query), whoosh_scores(searcher, query))


def test_a_renamed_pool_internal_leaves_whoosh_its_own_pool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As if a Whoosh release had renamed the method that reads a spilled run back.
    owner = next(c for c in PostingPool.__mro__ if "_read_run" in vars(c))
    monkeypatch.setattr(owner, "_read_sorted_run", owner._read_run, raising=False)
    monkeypatch.delattr(owner, "_read_run")
    index = FileStorage(str(tmp_path)).create_index(build_schema())
    writer = open_writer(index)
    assert not writer.chunked and writer.postings_held == 0
    for n in range(20):
        writer.add_document(**_page(n))
    writer.commit()
    with index.searcher() as searcher:
        assert searcher.doc_count() == 20
        assert_same(
            PageScorer(searcher).scores(wq.Term("body", "ward")),
            whoosh_scores(searcher, wq.Term("body", "ward")),
        )
    index.close()


def test_cached_postings_give_the_same_scores(
    searcher: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(PostingCache, "MIN_LENGTH", 1)
    scorer = PageScorer(searcher)
    query = wq.Or([wq.Term("body", "ward", boost=2.0), wq.Term("title", "care")])
    first = scorer.scores(query)
    assert scorer._cache.held > 0
    assert_same(scorer.scores(query), first)
    assert_same(first, whoosh_scores(searcher, query))


def test_the_posting_cache_keeps_to_its_budget_dropping_the_least_used() -> None:
    cache = PostingCache(budget=2000)
    long_list = list(range(PostingCache.MIN_LENGTH))
    weights = [1.0] * len(long_list)
    for word in ("a", "b", "c"):
        cache.put(("body", word), long_list, weights)
    assert cache.held == 3 * len(long_list) <= 2000
    assert cache.get(("body", "a")) is not None  # "a" is now the most recently used
    cache.put(("body", "d"), long_list, weights)
    assert cache.held <= 2000
    assert cache.get(("body", "b")) is None and cache.get(("body", "a")) is not None
    cache.put(("body", "short"), [1, 2], [1.0, 1.0])
    assert cache.get(("body", "short")) is None
