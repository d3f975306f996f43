"""From a parsed query to Whoosh queries, knowing what the index holds.

* Each word (or phrase, or OR group) becomes one *unit*: a query matching it in
  any of the default fields, each field's score weighted as the ranking says.
  The engine finds the pages matching any unit and ranks first the documents
  that match every unit.
* A word found nowhere in the index that is no known word either (a typing
  mistake, most likely) is replaced by the nearest indexed words
  (Damerau-Levenshtein distance 1, or 2 for long words, sharing the first
  letters); the response says so and offers the search as typed. A real word
  that merely does not occur is searched as typed, with a "did you mean".
* A word typed with accents also matches its exact accented form, weighted
  above the folded form, so pages with the same accents come first.
* Thesaurus forms are expanded both ways, also over several typed words
  (``discharge to assess`` ↔ ``d2a``).
* Only fields that hold a term get a sub-query, which keeps matchers few.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from whoosh import query as wq

from ecip_reader.search.analysis import (
    PART_RE,
    RUN_RE,
    cjk_terms,
    exact_term,
    fold,
    split_cjk,
    stem,
    word_term,
)
from ecip_reader.search.lexicon import Lexicon
from ecip_reader.search.query import Clause, ParsedQuery
from ecip_reader.search.ranking import DEFAULT_RANKING, Ranking
from ecip_reader.search.schema import DEFAULT_FIELDS
from ecip_reader.search.thesaurus import Thesaurus
from ecip_reader.search.wordlist import Wordlist

MAX_EXPANSIONS = 24
MAX_CORRECTIONS = 3
# Typed words at least this long may be corrected by two edits; shorter ones by one.
TWO_EDITS_FROM = 8


@dataclass(frozen=True)
class Unit:
    """One thing every result should match: ``query`` None when nothing in the index does."""

    label: str  # the words as typed
    query: Any


@dataclass
class Compiled:
    units: list[Unit]
    exclude: Any
    searchable: bool
    only_negative: bool = False
    corrections: dict[str, str] = field(default_factory=dict)  # typed word -> word searched
    suggestions: dict[str, str] = field(default_factory=dict)  # typed word -> did you mean
    corrected_query: str | None = None  # the query as searched, when words were corrected
    as_typed_query: str | None = None  # the query that searches the typed words as typed
    suggestion: str | None = None  # "did you mean", not applied
    unknown: list[str] = field(default_factory=list)

    @property
    def queries(self) -> list[Any]:
        return [unit.query for unit in self.units if unit.query is not None]


class Form(NamedTuple):
    """One word run of a query: the joined term of a compound (or None), the part
    terms, and the exact (accented) term of a single word (or "")."""

    joined: str | None
    parts: list[str]
    exact: str = ""


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal-string-alignment distance (a transposition counts as one edit)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def run_forms(text: str) -> list[Form]:
    """The :class:`Form` of each word run of ``text``.

    Chinese or Japanese characters give their pairs as the parts: a phrase.
    """
    forms: list[Form] = []
    for match in RUN_RE.finditer(text.lower()):
        for piece, cjk in split_cjk(match.group()):
            if cjk:
                forms.append(Form(None, cjk_terms(piece)))
                continue
            for run in RUN_RE.findall(piece):
                parts = PART_RE.findall(run)
                terms = [t for t in (word_term(p) for p in parts) if t]
                joined = word_term("".join(parts)) if len(parts) > 1 else None
                exact = exact_term(parts[0]) if len(parts) == 1 else ""
                if joined or terms:
                    forms.append(Form(joined or None, terms, exact))
    return forms


def any_of(options: Sequence[Any]) -> Any:
    """One query matching any of ``options`` (None entries and repeats left out)."""
    unique = list(dict.fromkeys(o for o in options if o is not None))
    if not unique:
        return None
    return unique[0] if len(unique) == 1 else wq.Or(unique)


def _principal(form: Form) -> list[str]:
    return [form.joined] if form.joined else form.parts


class QueryCompiler:
    def __init__(
        self,
        reader: Any,
        lexicon: Lexicon,
        thesaurus: Thesaurus,
        surfaces: Callable[[str], list[str]],
        wordlist: Wordlist | None = None,
        ranking: Ranking = DEFAULT_RANKING,
    ) -> None:
        self._reader = reader
        self._lexicon = lexicon
        self._thesaurus = thesaurus
        self._surfaces = surfaces
        self._wordlist = wordlist or Wordlist(frozenset())
        self.ranking = ranking

    # Building blocks

    def _has(self, fieldname: str, term: str) -> bool:
        if self._lexicon.covers(fieldname):
            return self._lexicon.has(fieldname, term)
        return (fieldname, term) in self._reader

    def _term(self, term: str, fields: Sequence[str], bonus: float = 1.0) -> Any:
        weight = self.ranking.weight
        return any_of(
            [wq.Term(f, term, boost=weight(f) * bonus) for f in fields if self._has(f, term)]
        )

    def _sequence(self, terms: list[str], fields: Sequence[str]) -> Any:
        """Terms that must follow one another (a phrase), in any of ``fields``."""
        if len(terms) == 1:
            return self._term(terms[0], fields)
        weight = self.ranking.weight
        return any_of(
            [
                wq.Phrase(f, terms, boost=weight(f))
                for f in fields
                if all(self._has(f, t) for t in set(terms))
            ]
        )

    def _form(self, form: Form, fields: Sequence[str]) -> Any:
        joined, parts, exact = form
        options = []
        if joined:
            options.append(self._term(joined, fields))
        if parts and (not joined or len(parts) > 1):
            options.append(self._sequence(parts, fields))
        if exact and options[-1] is not None:
            options.append(self._term(exact, fields, self.ranking.exact_bonus))
        return any_of(options)

    def _text(self, text: str, fields: Sequence[str]) -> tuple[bool, Any]:
        """Words or a phrase: (anything searchable?, query or None for no match)."""
        forms = run_forms(text)
        if not forms:
            return False, None
        if len(forms) == 1:
            return True, self._form(forms[0], fields)
        terms = [t for form in forms for t in _principal(form)]
        return True, self._sequence(terms, fields)

    def _expand(self, terms: list[str], fields: Sequence[str]) -> Any:
        weight = self.ranking.weight
        return any_of(
            [wq.Term(f, t, boost=weight(f)) for t in terms for f in fields if self._has(f, t)]
        )

    def _prefix(self, text: str, fields: Sequence[str]) -> Any:
        """The most frequent terms starting with the typed letters (or with their stem:
        index terms are stems, so ``discharged*`` looks for ``discharg``…)."""
        prefix = fold("".join(PART_RE.findall(text.lower())))
        terms = self._lexicon.starting_with(prefix, MAX_EXPANSIONS)
        if not terms and prefix.isalpha() and len(stem(prefix)) >= 2:
            terms = self._lexicon.starting_with(stem(prefix), MAX_EXPANSIONS)
        return self._expand(terms, fields)

    def corrections(self, term: str, maxdist: int = 0, typed: str = "") -> list[str]:
        """Indexed terms nearest to ``term`` (best first), sharing its first letter(s).

        A swap of two letters counts as one edit. Two edits are allowed only for a
        ``typed`` word of :data:`TWO_EDITS_FROM` letters or more (a stem is shorter
        than the word typed), or when ``maxdist`` says so.
        """
        if len(term) < 3 or not term.isalpha():
            return []
        allowed = maxdist or (2 if len(typed or term) >= TWO_EDITS_FROM else 1)
        plans = [(maxdist, 1)] if maxdist else [(1, 1), (2, 2)] if len(term) > 4 else [(1, 1)]
        for dist, prefix in plans:
            found = [
                w
                for w in self._lexicon.within(term, dist, prefix)
                if w != term and edit_distance(term, w) <= allowed
            ]
            if found:
                frequency = self._lexicon.frequency
                ranked = sorted(found, key=lambda w: (edit_distance(term, w), -frequency(w), w))
                best = edit_distance(term, ranked[0])
                return [w for w in ranked if edit_distance(term, w) == best][:MAX_CORRECTIONS]
        return []

    # Clauses

    def _clause(self, clause: Clause, compiled: Compiled, allow_fuzzy: bool) -> tuple[bool, Any]:
        fields: Sequence[str] = (clause.field,) if clause.field else DEFAULT_FIELDS
        if clause.field == "kind":
            value = "-".join(clause.text.lower().replace("_", " ").split())
            kinds = {value, value.rstrip("s"), value.replace("ies", "y")}
            subs = [wq.Term("kind", k) for k in sorted(kinds) if self._has("kind", k)]
            return True, any_of(subs)
        if clause.kind == "prefix":
            return True, self._prefix(clause.text, fields)
        if clause.kind == "phrase" or (not allow_fuzzy and clause.kind == "word"):
            ok, query = self._text(clause.text, fields)
            if ok and query is None and not clause.negated:
                compiled.unknown.append(clause.text)
                self._offer(clause, compiled)
            return ok, query
        forms = run_forms(clause.text)
        if not forms:
            return False, None
        if len(forms) > 1 or forms[0].joined is not None or len(forms[0].parts) != 1:
            return self._text(clause.text, fields)
        term = forms[0].parts[0]
        if clause.kind == "fuzzy":
            near = self.corrections(term, maxdist=2 if len(term) > 4 else 1)
            return True, self._expand([term, *near], fields)
        query = self._form(forms[0], fields)
        if query is not None:
            return True, query
        near = self.corrections(term, typed=clause.text)
        surface = self._closest_surface(clause.text.lower(), near[0]) if near else ""
        if not near or surface.lower() == clause.text.lower():
            compiled.unknown.append(clause.text)
            return True, None
        if self._wordlist.knows(clause.text):
            # A real word that this collection lacks: searched as typed.
            compiled.suggestions[clause.text] = surface
            compiled.unknown.append(clause.text)
            return True, None
        compiled.corrections[clause.text] = surface
        return True, self._expand(near, fields)

    def _offer(self, clause: Clause, compiled: Compiled) -> None:
        """A "did you mean" for one word searched as typed that nothing holds."""
        forms = run_forms(clause.text)
        if len(forms) != 1 or forms[0].joined is not None or len(forms[0].parts) != 1:
            return
        near = self.corrections(forms[0].parts[0], typed=clause.text)
        if near:
            surface = self._closest_surface(clause.text.lower(), near[0])
            if surface.lower() != clause.text.lower():
                compiled.suggestions[clause.text] = surface

    def _closest_surface(self, typed: str, term: str) -> str:
        """The word behind ``term`` that looks most like what was typed."""
        words = [w for w in self._surfaces(term) if w.isalpha()] or self._surfaces(term)
        if not words:
            return term
        return min(words, key=lambda w: (edit_distance(typed, w, limit=6), words.index(w)))

    def _thesaurus_unit(self, clauses: list[Clause], alternatives: tuple[str, ...]) -> Any:
        options = []
        originals = [self._text(c.text, DEFAULT_FIELDS) for c in clauses]
        if all(q is not None for ok, q in originals if ok) and any(ok for ok, _ in originals):
            parts = [q for ok, q in originals if ok]
            options.append(parts[0] if len(parts) == 1 else wq.And(parts))
        for form in alternatives:
            _ok, query = self._text(form, DEFAULT_FIELDS)
            if query is not None:
                options.append(query)
        return any_of(options)

    def compile(self, parsed: ParsedQuery) -> Compiled:
        compiled = Compiled([], None, searchable=False)
        units: list[Unit] = []
        groups = parsed.groups
        i = 0
        while i < len(groups):
            group = groups[i]
            if group[0].negated:
                i += 1
                continue
            matched = self._match_thesaurus(groups, i)
            if matched:
                count, alternatives = matched
                clauses = [g[0] for g in groups[i : i + count]]
                label = " ".join(c.text for c in clauses)
                units.append(Unit(label, self._thesaurus_unit(clauses, alternatives)))
                compiled.searchable = True
                i += count
                continue
            options = []
            for clause in group:
                ok, query = self._clause(clause, compiled, allow_fuzzy=clause.field is None)
                if ok:
                    compiled.searchable = True
                    options.append(query)
            known = [q for q in options if q is not None]
            if options:
                units.append(Unit(" or ".join(c.text for c in group), any_of(known)))
            i += 1
        excludes = [self._clause(c, compiled, allow_fuzzy=False)[1] for c in parsed.negated]
        compiled.exclude = any_of(excludes)
        seen: set[Any] = set()
        for unit in units:
            key = unit.query if unit.query is not None else unit.label
            if key not in seen:
                seen.add(key)
                compiled.units.append(unit)
        if not compiled.units:
            compiled.only_negative = bool(parsed.negated)
            return compiled
        if compiled.corrections:
            compiled.corrected_query = _rewrite(parsed, compiled.corrections, quote=False)
            compiled.as_typed_query = _rewrite(
                parsed, {word: word for word in compiled.corrections}, quote=True
            )
        if compiled.suggestions:
            compiled.suggestion = _rewrite(parsed, compiled.suggestions, quote=False)
        return compiled

    def _match_thesaurus(
        self, groups: tuple[tuple[Clause, ...], ...], start: int
    ) -> tuple[int, tuple[str, ...]] | None:
        first = groups[start]
        if len(first) != 1:
            return None
        if first[0].kind == "phrase" and first[0].field is None:
            alternatives = self._thesaurus.alternatives(first[0].text)
            return (1, alternatives) if alternatives else None
        longest = 0
        while (
            start + longest < len(groups)
            and longest < self._thesaurus.max_words
            and len(groups[start + longest]) == 1
            and groups[start + longest][0].plain
        ):
            longest += 1
        for count in range(longest, 0, -1):
            form = " ".join(g[0].text for g in groups[start : start + count])
            alternatives = self._thesaurus.alternatives(form)
            if alternatives:
                return count, alternatives
        return None


def _rewrite(parsed: ParsedQuery, words: dict[str, str], quote: bool) -> str:
    """The query text with the plain words in ``words`` replaced (and quoted when
    ``quote``: a quoted word is searched exactly as written)."""
    text = parsed.text
    spans = [
        (c.start, c.end, f'"{words[c.text]}"' if quote else words[c.text])
        for group in parsed.groups
        for c in group
        if c.text in words and c.field is None and not c.negated and c.kind in ("word", "phrase")
    ]
    for start, end, word in sorted(spans, reverse=True):
        text = text[:start] + word + text[end:]
    return text
