"""BM25F page scores for a whole query, one posting list at a time.

Whoosh scores a query by walking a tree of Python matcher objects, several
method calls per posting; on common words over tens of thousands of pages that
costs tens of milliseconds. Here each term's posting list is read a block at a
time, scored in one comprehension with the same BM25F formula and statistics
as Whoosh (``scoring.BM25F``), and the results are combined with dictionary and
set operations: OR sums, AND intersects (smallest list first) and sums. A
phrase is the intersection of its words' pages, kept where the decoded
positions follow one another. Any other kind of node is scored by Whoosh's own
matcher.

The page sets this produces give the result count directly, and the best
pages come from one partial sort. A field without lengths (an ID field such as
``kind``) is scored by its posting weight, as Whoosh does.

Reading blocks directly uses private parts of Whoosh 2.7's posting matchers.
:func:`fast_reading_available` checks them when an index is opened; when one is
missing (another Whoosh version), every posting list is read through the public
matcher API instead, which gives the same scores more slowly.
"""

from __future__ import annotations

import logging
from array import array
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from itertools import accumulate
from typing import Any

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import FilterMatcher, NullMatcher
from whoosh.reading import TermNotFound

from ecip_reader.search.schema import _BIG_ENDIAN, _COUNT, PagePositions

log = logging.getLogger(__name__)

Scores = dict[int, float]

# What the block reader uses of Whoosh's leaf matcher and filter matcher.
_LEAF_METHODS = ("_read_data", "_read_weights", "_read_values", "_next_block", "is_active")
_LEAF_ATTRIBUTES = ("_data", "_weights", "_values", "_byteids", "_maxid")
_FILTER_ATTRIBUTES = ("_exclude", "_ids", "child")


def fast_reading_available(searcher: Any) -> bool:
    """True when Whoosh's posting matchers have every private part the block reader uses."""
    if not all(callable(getattr(W3LeafMatcher, name, None)) for name in _LEAF_METHODS):
        return False
    try:
        probe = FilterMatcher(NullMatcher(), set(), exclude=True)
    except Exception:
        return False
    if not all(hasattr(probe, name) for name in _FILTER_ATTRIBUTES):
        return False
    for leaf, _offset in searcher.leaf_searchers():
        reader = leaf.reader()
        for fieldname in reader.indexed_field_names():
            for btext in reader.lexicon(fieldname):
                matcher = reader.postings(fieldname, btext)
                if isinstance(matcher, FilterMatcher):
                    matcher = matcher.child
                if not isinstance(matcher, W3LeafMatcher):
                    return False
                try:
                    matcher._read_data()
                except Exception:
                    return False
                return all(hasattr(matcher, name) for name in _LEAF_ATTRIBUTES)
    return True


def _read_postings(
    matcher: Any, with_values: bool = False, fast: bool = True, wanted: list[int] | None = None
) -> tuple[list[int], list[float], list[bytes]]:
    """All ids, weights (and encoded values) of a leaf posting list, a block at a time.

    With ``wanted`` (sorted ids), blocks holding none of them may be left unread.
    """
    deleted: Any = None
    if fast and isinstance(matcher, FilterMatcher) and matcher._exclude:
        deleted = matcher._ids
        matcher = matcher.child
    ids: list[int] = []
    weights: list[float] = []
    values: list[bytes] = []
    if fast and isinstance(matcher, W3LeafMatcher) and not matcher._byteids:
        low = 0
        while matcher.is_active():
            if wanted is not None:
                high = matcher._maxid
                at = bisect_left(wanted, low)
                low = high + 1
                if at == len(wanted) or wanted[at] > high:
                    matcher._next_block()  # no wanted id in this block: not read
                    continue
            if matcher._data is None:
                matcher._read_data()
            if matcher._weights is None:
                matcher._read_weights()
            ids.extend(accumulate(matcher._data[0]))  # the block's ids are stored as deltas
            weights.extend(matcher._weights)
            if with_values:
                if matcher._values is None:
                    matcher._read_values()
                values.extend(matcher._values)
            matcher._next_block()
    else:
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            if with_values:
                values.append(matcher.value())
            matcher.next()
    if deleted:
        keep = [k for k, i in enumerate(ids) if i not in deleted]
        ids = [ids[k] for k in keep]
        weights = [weights[k] for k in keep]
        values = [values[k] for k in keep] if with_values else values
    return ids, weights, values


def _positions_view(value: bytes) -> memoryview:
    """The positions of one posting of :class:`PagePositions`, read in place."""
    return memoryview(value)[_COUNT:].cast("I")


class PostingCache:
    """The postings of the longest lists read recently, within a budget of postings.

    Ids and weights are kept as compact arrays (12 bytes a posting); the least
    recently used list goes first when the budget is exceeded. Short lists are
    not kept: they are cheap to read again.
    """

    MIN_LENGTH = 512

    def __init__(self, budget: int = 1_500_000) -> None:
        self.budget = budget
        self.held = 0
        self._lists: OrderedDict[tuple[str, str], tuple[array[int], array[float]]] = OrderedDict()

    def get(self, key: tuple[str, str]) -> tuple[array[int], array[float]] | None:
        found = self._lists.get(key)
        if found is not None:
            self._lists.move_to_end(key)
        return found

    def put(self, key: tuple[str, str], ids: list[int], weights: list[float]) -> None:
        if len(ids) < self.MIN_LENGTH or len(ids) > self.budget or key in self._lists:
            return
        self._lists[key] = (array("I", ids), array("d", weights))
        self.held += len(ids)
        while self.held > self.budget:
            _key, (old, _weights) = self._lists.popitem(last=False)
            self.held -= len(old)


class PageScorer:
    def __init__(self, searcher: Any, fast: bool | None = None) -> None:
        self._searcher = searcher
        self._leaves: list[tuple[Any, int]] = list(searcher.leaf_searchers())
        weighting = searcher.weighting
        self._k1 = float(getattr(weighting, "K1", 1.2))
        self._b = float(getattr(weighting, "B", 0.75))
        self._field_b: dict[str, float] = dict(getattr(weighting, "_field_B", {}))
        self._lengths: dict[str, list[int]] = {}
        self._doc_count = searcher.doc_count_all()
        self.fast = fast_reading_available(searcher) if fast is None else fast
        self._cache = PostingCache()
        if not self.fast:
            log.warning("this Whoosh version differs from 2.7.5: postings are read the slow way")

    def _field_lengths(self, fieldname: str) -> list[int]:
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            lengths = [1] * self._doc_count
            for leaf, offset in self._leaves:
                reader = leaf.reader()
                for docnum in range(reader.doc_count_all()):
                    lengths[docnum + offset] = reader.doc_field_length(docnum, fieldname, 1)
            self._lengths[fieldname] = lengths
        return lengths

    def warm(self, fieldnames: Iterable[str]) -> None:
        """Load the field lengths now rather than on the first query."""
        for fieldname in fieldnames:
            self._field_lengths(fieldname)

    def scores(self, query: Any, within: set[int] | None = None) -> Scores:
        """Score of every page matching ``query`` (only pages in ``within``, if given)."""
        if isinstance(query, wq.Term):
            result = self._term(query.fieldname, query.text, within)
        elif isinstance(query, wq.Or):
            parts = sorted(
                (self.scores(sub, within) for sub in query.subqueries), key=len, reverse=True
            )
            result = dict(parts[0]) if parts else {}
            for part in parts[1:]:
                for docnum, score in part.items():
                    result[docnum] = result.get(docnum, 0.0) + score
        elif isinstance(query, wq.Phrase) and query.slop == 1 and len(query.words) > 1:
            result = self._phrase(query.fieldname, [str(w) for w in query.words], within)
        elif isinstance(query, wq.And):
            # The rarest part first; the others are scored only on the pages it matched.
            reader = self._searcher.reader()
            subs = sorted(query.subqueries, key=lambda q: q.estimate_size(reader))
            result = self.scores(subs[0], within)
            for sub in subs[1:]:
                if not result:
                    break
                part = self.scores(sub, set(result))
                result = {n: s + part[n] for n, s in result.items() if n in part}
        else:
            result = self._whoosh(query)
            if within is not None:
                result = {n: s for n, s in result.items() if n in within}
        if query.boost != 1.0:
            result = {n: s * query.boost for n, s in result.items()}
        return result

    def _bm25(self, fieldname: str, term: str) -> tuple[float, float, float, list[int]]:
        """``(top, base, per_length, lengths)``: the BM25F score of ``term`` on a page
        where its weight is ``w`` is ``top * w / (w + base + per_length * lengths[page])``."""
        searcher = self._searcher
        idf = searcher.idf(fieldname, term)
        k1, b = self._k1, self._field_b.get(fieldname, self._b)
        avg = searcher.avg_field_length(fieldname) or 1
        return idf * (k1 + 1), k1 * (1 - b), k1 * b / avg, self._field_lengths(fieldname)

    def _postings(
        self,
        fieldname: str,
        term: str,
        with_values: bool = False,
        wanted: list[int] | None = None,
    ) -> tuple[Sequence[int], Sequence[float], list[bytes]]:
        """The term's postings over every segment, with global page numbers.

        Page numbers and weights of long posting lists are kept (see
        :class:`PostingCache`): common words come back in many searches, and
        reading their blocks is most of the cost of a search. With ``wanted``
        (sorted page numbers), only blocks that may hold them need be read.
        """
        key = (fieldname, term)
        if not with_values:
            cached = self._cache.get(key)
            if cached is not None:
                return cached[0], cached[1], []
        btext = term.encode("utf-8")
        ids: list[int] = []
        weights: list[float] = []
        values: list[bytes] = []
        for leaf, offset in self._leaves:
            local: list[int] | None = None
            if wanted is not None:
                end = offset + leaf.doc_count_all()
                local = [n - offset for n in wanted[bisect_left(wanted, offset) :] if n < end]
                if not local:
                    continue
            try:
                matcher = leaf.reader().postings(fieldname, btext)
            except TermNotFound:
                continue
            i, w, v = _read_postings(matcher, with_values, self.fast, local)
            ids.extend([n + offset for n in i] if offset else i)
            weights.extend(w)
            values.extend(v)
        if wanted is None:
            self._cache.put(key, ids, weights)
        return ids, weights, values

    def _term(self, fieldname: str, text: Any, within: set[int] | None = None) -> Scores:
        term = text.decode("utf-8") if isinstance(text, bytes) else str(text)
        ids, weights, _values = self._postings(fieldname, term)
        if not ids:
            return {}
        if not self._searcher.schema[fieldname].scorable:
            # No field lengths (an ID field): Whoosh scores such a field by the weight.
            pairs = zip(ids, weights, strict=True)
            if within is not None:
                return {i: w for i, w in pairs if i in within}
            return dict(pairs)
        top, base, per_length, lengths = self._bm25(fieldname, term)
        if within is not None:
            return {
                i: top * w / (w + base + per_length * lengths[i])
                for i, w in zip(ids, weights, strict=True)
                if i in within
            }
        return dict(
            zip(
                ids,
                [
                    top * w / (w + base + per_length * lengths[i])
                    for i, w in zip(ids, weights, strict=True)
                ],
                strict=True,
            )
        )

    def _phrase(self, fieldname: str, words: list[str], within: set[int] | None) -> Scores:
        """Pages where ``words`` follow one another; scored as the sum of their terms."""
        decode = self._searcher.schema[fieldname].format.decode_positions
        pages = []
        for word in words:
            ids = self._postings(fieldname, word)[0]
            if not ids:
                return {}
            pages.append(ids)
        candidates = set(pages[0]).intersection(*pages[1:])
        if within is not None:
            candidates &= within
        if not candidates:
            return {}
        # Positions are read only from the blocks that hold a candidate page.
        wanted = sorted(candidates)
        lists = [self._postings(fieldname, word, True, wanted) for word in words]
        postings = [
            {i: (w, v) for i, w, v in zip(ids, weights, values, strict=True) if i in candidates}
            for ids, weights, values in lists
        ]
        bm25 = [self._bm25(fieldname, word) for word in words]
        if isinstance(self._searcher.schema[fieldname].format, PagePositions) and not _BIG_ENDIAN:
            decode = _positions_view  # the stored array itself, not a list made from it
        shifts = [(-k).__add__ for k in range(len(words))]
        result: Scores = {}
        for docnum in candidates:
            # Start positions from which every later word sits the right distance on.
            starts = set(decode(postings[0][docnum][1]))
            for k, later in enumerate(postings[1:], 1):
                starts.intersection_update(map(shifts[k], decode(later[docnum][1])))
                if not starts:
                    break
            if starts:
                total = 0.0
                for (top, base, per_length, lengths), p in zip(bm25, postings, strict=True):
                    weight = p[docnum][0]
                    total += top * weight / (weight + base + per_length * lengths[docnum])
                result[docnum] = total
        return result

    def _whoosh(self, query: Any) -> Scores:
        result: Scores = {}
        for leaf, offset in self._leaves:
            matcher = query.matcher(leaf, leaf.context())
            while matcher.is_active():
                result[matcher.id() + offset] = matcher.score()
                matcher.next()
        return result
