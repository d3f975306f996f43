"""Turning text into index terms, the same way for pages, catalogue fields and queries.

A *word run* is a sequence of letters and digits that may be joined inside by
punctuation (``A&E``, ``4-hour``, ``re-admission``, ``nhs.uk``, ``file_name``,
``24/7``). A plain word gives one term; a joined run gives the term of each part
and the term of the parts written together, all at the same position, so
``re-admission``, ``readmission`` and ``re admission`` find one another.

Terms are lower case, common function words are dropped and English words are
reduced to their stem (``discharge``, ``discharged`` and ``discharging`` all
become ``discharg``).

Accents are folded: a word written with them (``wŷn``, ``Łódź``) gives its term
without them (``wyn``, ``lodz``), so a search typed without accents finds it,
and also its exact term at the same position, so a search typed with the same
accents can rank those pages first (:func:`exact_term`).

Chinese and Japanese are written without spaces, so a run of their characters
is no word: it is indexed as overlapping pairs of characters, one per position
(``急诊护理`` gives ``急诊``, ``诊护``, ``护理``), and a lone character as itself.
A query is analysed the same way, so a word of two or more such characters
becomes a phrase of pairs and finds the word anywhere in a run.

Page text is analysed in the extraction worker process; the result travels to
the index writer as an :class:`Analyzed` string (positions separated by spaces,
terms sharing a position separated by ``|``), which :class:`PageAnalyzer` reads
without analysing again.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from typing import Any

from whoosh.analysis import Token, Tokenizer
from whoosh.lang.porter import stem as porter_stem

# Letters and digits; underscores count as punctuation.
_WORD_PART = r"[^\W_]+"
# Characters that join the parts of one word run.
_JOINERS = "&'’._/\\-‐‑‒–"
RUN_RE = re.compile(rf"{_WORD_PART}(?:[{re.escape(_JOINERS)}]{_WORD_PART})*")
PART_RE = re.compile(_WORD_PART)
MAX_TERM_LENGTH = 40
# Han ideographs (with their extensions and compatibility forms), kana and the
# iteration and closing marks written inside Japanese words.
CJK_RE = re.compile(
    "[\u3005-\u3007\u3040-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\U00020000-\U0003134f]+"
)

# Common function words, left out of the index and of queries. "it", "us", "ed"
# and other short words that are also acronyms are kept on purpose.
_STOP_TEXT = """
a about after all also am an and any are as at be been being but by can could did do
does doing for from had has have having he her here hers him his how i if in into is
its itself me more most my no nor not of off on once only or other our ours out over
own same she should so some such than that the their theirs them then there these
they this those through to too under until up very was were what when where which
while who whom why will with would you your yours
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())

_stem_cache: dict[str, str] = {}

# Letters that lose no mark in Unicode decomposition but are written without
# one on a keyboard that lacks them.
_UNMARKED = {
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "ø": "o",
    "ł": "l",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "ı": "i",
    "ħ": "h",
    "ŧ": "t",
    "ŀ": "l",
    "ĸ": "k",
}


def _fold_table() -> dict[int, str]:
    """Lower-case Latin letters with accents (and the letters above) to plain ones.

    Only the Latin blocks are folded: elsewhere (kana, for one) a decomposed mark
    changes the letter rather than decorating it.
    """
    table: dict[int, str] = {}
    blocks = (range(0x00C0, 0x0250), range(0x1E00, 0x1F00))
    for code in (c for block in blocks for c in block):
        char = chr(code)
        if char != char.lower():
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        if base != char and base.isascii() and base.isalpha():
            table[code] = base.lower()
    table.update({ord(k): v for k, v in _UNMARKED.items()})
    return table


_FOLD = _fold_table()


def fold(word: str) -> str:
    """``word`` (lower case) without accents: ``wŷn`` → ``wyn``, ``łódź`` → ``lodz``."""
    return word if word.isascii() else word.translate(_FOLD)


def stem(word: str) -> str:
    """The stem of one lower-case word (digits and mixed words are kept as they are)."""
    cached = _stem_cache.get(word)
    if cached is None:
        cached = porter_stem(word) if word.isalpha() else word
        if len(_stem_cache) > 200_000:
            _stem_cache.clear()
        _stem_cache[word] = cached
    return cached


def word_term(word: str) -> str:
    """The index term of one lower-case word part (accents folded), or ``""`` when it
    is not indexed."""
    word = fold(word)
    if len(word) < 2 and not word.isdigit():
        return ""
    if word in STOP_WORDS or len(word) > MAX_TERM_LENGTH:
        return ""
    return stem(word)


def exact_term(word: str) -> str:
    """The term of a lower-case word part written with its accents, or ``""`` when it
    has none (its only term is then :func:`word_term`)."""
    if word.isascii() or fold(word) == word or not word_term(word):
        return ""
    return stem(word) if len(word) <= MAX_TERM_LENGTH else ""


def run_terms(run: str) -> list[str]:
    """The terms of one lower-case word run; the joined form comes first for compounds,
    and exact (accented) forms come after the folded ones."""
    parts = PART_RE.findall(run)
    if len(parts) == 1:
        term = word_term(parts[0])
        if not term:
            return []
        exact = exact_term(parts[0])
        return [term, exact] if exact else [term]
    terms: list[str] = []
    joined = word_term("".join(parts))
    if joined:
        terms.append(joined)
    for part in parts:
        term = word_term(part)
        if term and term not in terms:
            terms.append(term)
    if not run.isascii():
        for part in parts:
            exact = exact_term(part)
            if exact and exact not in terms:
                terms.append(exact)
    return terms


def cjk_terms(chars: str) -> list[str]:
    """The terms of a run of Chinese or Japanese characters, one per position."""
    if len(chars) == 1:
        return [chars]
    return [chars[i : i + 2] for i in range(len(chars) - 1)]


def split_cjk(run: str) -> list[tuple[str, bool]]:
    """The pieces of a word run: (text, True) for Chinese or Japanese characters."""
    if run.isascii() or CJK_RE.search(run) is None:
        return [(run, False)]
    pieces: list[tuple[str, bool]] = []
    end = 0
    for match in CJK_RE.finditer(run):
        if match.start() > end:
            pieces.append((run[end : match.start()], False))
        pieces.append((match.group(), True))
        end = match.end()
    if end < len(run):
        pieces.append((run[end:], False))
    return pieces


def run_groups(run: str) -> list[list[str]]:
    """The terms of one lower-case word run, one list per position.

    A run is one position unless it holds Chinese or Japanese characters.
    """
    pieces = split_cjk(run)
    if len(pieces) == 1 and not pieces[0][1]:
        terms = run_terms(run)
        return [terms] if terms else []
    groups: list[list[str]] = []
    for piece, cjk in pieces:
        if cjk:
            groups.extend([term] for term in cjk_terms(piece))
            continue
        # What is left beside the characters may begin or end with a joiner.
        for part in RUN_RE.findall(piece):
            terms = run_terms(part)
            if terms:
                groups.append(terms)
    return groups


def analyze(text: str) -> list[list[str]]:
    """The terms of ``text``, one list per position."""
    groups: list[list[str]] = []
    for match in RUN_RE.finditer(text.lower()):
        groups.extend(run_groups(match.group()))
    return groups


class Analyzed(str):
    """Page text already analysed: positions separated by spaces, alternatives by ``|``."""

    __slots__ = ()


class PageVocabulary:
    """Analyses page text and counts the surface form behind every term.

    The counts let snippets find the words on a page that matched a term and let
    "did you mean" show a real word rather than a stem.
    """

    MEMO_LIMIT = 150_000

    def __init__(self, memo: dict[str, str] | None = None) -> None:
        # word run -> its terms joined by "|" (may be shared by several vocabularies)
        self._memo: dict[str, str] = {} if memo is None else memo
        self.counts: Counter[str] = Counter()

    def _encoded(self, run: str) -> str:
        encoded = self._memo.get(run)
        if encoded is None:
            encoded = " ".join("|".join(group) for group in run_groups(run))
            if len(self._memo) < self.MEMO_LIMIT:
                self._memo[run] = encoded
        return encoded

    def analyze_page(self, text: str) -> Analyzed:
        runs = RUN_RE.findall(text.lower())
        page_counts = Counter(runs)
        self.counts.update(page_counts)
        encoded = {run: self._encoded(run) for run in page_counts}
        return Analyzed(" ".join(filter(None, map(encoded.__getitem__, runs))))

    def take_vocabulary(self) -> list[tuple[str, str, int]]:
        """(surface, term, count) for every word seen since the last call; resets the counts."""
        rows: list[tuple[str, str, int]] = []
        for run, count in self.counts.items():
            encoded = self._encoded(run)
            if not encoded or len(run) > MAX_TERM_LENGTH:
                continue
            if " " in encoded:  # Chinese or Japanese: the run stands behind each pair
                firsts = (group.split("|", 1)[0] for group in encoded.split(" "))
                rows.extend((run, term, count) for term in dict.fromkeys(firsts))
            else:
                rows.append((run, encoded.split("|", 1)[0], count))
        self.counts = Counter()
        return rows


class PageAnalyzer(Tokenizer):  # type: ignore[misc]
    """The Whoosh analyzer of every text field (Whoosh calls it with keyword options)."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Any]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.boost = 1.0
        token.stopped = False
        if isinstance(value, Analyzed):
            groups: Any = (group.split("|") for group in value.split(" ") if group)
        else:
            groups = analyze(value)
        pos = start_pos
        for group in groups:
            for term in group:
                token.text = term
                if keeporiginal:
                    token.original = term
                if positions:
                    token.pos = pos
                if chars:
                    token.startchar = start_char
                    token.endchar = start_char
                yield token
            pos += 1
