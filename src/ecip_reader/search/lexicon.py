"""Every term of the searchable fields, for prefixes, misspellings and field checks.

The lexicon is computed once when an index is built (:func:`lexicon_rows`) and
kept in the side store, sorted. Looking a word up, listing the words with a
prefix, or walking Whoosh's Levenshtein automaton through it are then a few
indexed SQLite reads, where Whoosh itself would search the term tables of every
segment. The automaton requires the first letter(s) to match, which keeps the
walk short.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

from whoosh.automata.lev import levenshtein_automaton

from ecip_reader.search.store import Store

_NUL = "\x00"


def lexicon_rows(reader: Any, fieldnames: Sequence[str]) -> list[tuple[str, int, int]]:
    """(term, pages, field bit mask) for every term of ``fieldnames``, segment by segment."""
    info: dict[bytes, tuple[int, int]] = {}
    for leaf, _offset in reader.leaf_readers():
        indexed = set(leaf.indexed_field_names())
        for bit, fieldname in enumerate(fieldnames):
            if fieldname not in indexed:
                continue
            mask = 1 << bit
            for btext, terminfo in leaf.iter_field(fieldname):
                pages, fields = info.get(btext, (0, 0))
                info[btext] = (pages + terminfo.doc_frequency(), fields | mask)
    return [(btext.decode("utf-8"), pages, fields) for btext, (pages, fields) in info.items()]


class Lexicon:
    def __init__(self, store: Store, fieldnames: Sequence[str]) -> None:
        self._store = store
        self._bits = {name: 1 << n for n, name in enumerate(fieldnames)}
        self._row = lru_cache(maxsize=16_384)(store.lexicon_row)
        self._sorted: list[str] | None = None

    def covers(self, fieldname: str) -> bool:
        return fieldname in self._bits

    def has(self, fieldname: str, term: str) -> bool:
        return bool(self._row(term)[1] & self._bits.get(fieldname, 0))

    def frequency(self, term: str) -> int:
        """Pages holding ``term`` in any of the fields (a page counted once per field)."""
        return self._row(term)[0]

    def within(self, term: str, maxdist: int, prefix: int) -> Iterator[str]:
        """Terms at most ``maxdist`` edits from ``term`` sharing its first ``prefix`` letters."""
        if len(term) <= prefix:
            return
        if self._sorted is None:
            self._sorted = self._store.lexicon_terms()
        terms = self._sorted
        dfa = levenshtein_automaton(term, maxdist, prefix).to_dfa()
        match = dfa.next_valid_string(_NUL)
        while match:
            at = bisect_left(terms, match)
            if at == len(terms):
                return
            found = terms[at]
            if found == match:
                yield found
                found += _NUL
            match = dfa.next_valid_string(found)

    def starting_with(self, prefix: str, limit: int) -> list[str]:
        """Up to ``limit`` terms that start with ``prefix``, the most frequent first."""
        return self._store.lexicon_prefix(prefix, limit)
