"""From a parsed query to Whoosh queries, knowing what the index holds.

* Each word must match in one of the default fields (AND); an OR query of the
  same parts is kept for the fall-back when the AND query finds nothing.
* A word found nowhere in the index is matched by the nearest indexed words
  (Damerau-Levenshtein distance 1, else 2, sharing the first letters) and
  offered as "did you mean".
* Thesaurus forms are expanded both ways, also over several typed words
  (``discharge to assess`` ↔ ``d2a``).
* Only fields that hold a term get a sub-query, which keeps matchers few.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from whoosh import query as wq

from ecip_reader.search.analysis import PART_RE, RUN_RE, cjk_terms, split_cjk, stem, word_term
from ecip_reader.search.lexicon import Lexicon
from ecip_reader.search.query import Clause, ParsedQuery
from ecip_reader.search.schema import DEFAULT_FIELDS
from ecip_reader.search.thesaurus import Thesaurus

MAX_EXPANSIONS = 24
MAX_CORRECTIONS = 3


@dataclass
class Compiled:
    """``query`` None with ``searchable`` True means: matches nothing."""

    query: Any
    fallback: Any
    exclude: Any
    searchable: bool
    only_negative: bool = False
    corrections: dict[str, str] = field(default_factory=dict)  # typed word -> suggested word
    suggestion: str | None = None
    unknown: list[str] = field(default_factory=list)


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


def run_forms(text: str) -> list[tuple[str | None, list[str]]]:
    """For each word run of ``text``: (joined term of a compound or None, part terms).

    Chinese or Japanese characters give their pairs as the parts: a phrase.
    """
    forms: list[tuple[str | None, list[str]]] = []
    for match in RUN_RE.finditer(text.lower()):
        for piece, cjk in split_cjk(match.group()):
            if cjk:
                forms.append((None, cjk_terms(piece)))
                continue
            for run in RUN_RE.findall(piece):
                parts = PART_RE.findall(run)
                terms = [t for t in (word_term(p) for p in parts) if t]
                joined = word_term("".join(parts)) if len(parts) > 1 else None
                if joined or terms:
                    forms.append((joined or None, terms))
    return forms


def any_of(options: Sequence[Any]) -> Any:
    """One query matching any of ``options`` (None entries and repeats left out)."""
    unique = list(dict.fromkeys(o for o in options if o is not None))
    if not unique:
        return None
    return unique[0] if len(unique) == 1 else wq.Or(unique)


def _principal(form: tuple[str | None, list[str]]) -> list[str]:
    joined, parts = form
    return [joined] if joined else parts


class QueryCompiler:
    def __init__(
        self,
        reader: Any,
        lexicon: Lexicon,
        thesaurus: Thesaurus,
        surfaces: Callable[[str], list[str]],
    ) -> None:
        self._reader = reader
        self._lexicon = lexicon
        self._thesaurus = thesaurus
        self._surfaces = surfaces

    # Building blocks

    def _has(self, fieldname: str, term: str) -> bool:
        if self._lexicon.covers(fieldname):
            return self._lexicon.has(fieldname, term)
        return (fieldname, term) in self._reader

    def _term(self, term: str, fields: Sequence[str]) -> Any:
        return any_of([wq.Term(f, term) for f in fields if self._has(f, term)])

    def _sequence(self, terms: list[str], fields: Sequence[str]) -> Any:
        """Terms that must follow one another (a phrase), in any of ``fields``."""
        if len(terms) == 1:
            return self._term(terms[0], fields)
        return any_of(
            [wq.Phrase(f, terms) for f in fields if all(self._has(f, t) for t in set(terms))]
        )

    def _form(self, form: tuple[str | None, list[str]], fields: Sequence[str]) -> Any:
        joined, parts = form
        options = []
        if joined:
            options.append(self._term(joined, fields))
        if parts and (not joined or len(parts) > 1):
            options.append(self._sequence(parts, fields))
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
        return any_of([wq.Term(f, t) for t in terms for f in fields if self._has(f, t)])

    def _prefix(self, text: str, fields: Sequence[str]) -> Any:
        """The most frequent terms starting with the typed letters (or with their stem:
        index terms are stems, so ``discharged*`` looks for ``discharg``…)."""
        prefix = "".join(PART_RE.findall(text.lower()))
        terms = self._lexicon.starting_with(prefix, MAX_EXPANSIONS)
        if not terms and prefix.isalpha() and len(stem(prefix)) >= 2:
            terms = self._lexicon.starting_with(stem(prefix), MAX_EXPANSIONS)
        return self._expand(terms, fields)

    def corrections(self, term: str, maxdist: int = 0) -> list[str]:
        """Indexed terms nearest to ``term`` (best first), sharing its first letter(s)."""
        if len(term) < 3 or not term.isalpha():
            return []
        plans = [(maxdist, 1)] if maxdist else [(1, 1), (2, 2)] if len(term) > 4 else [(1, 1)]
        for dist, prefix in plans:
            found = [w for w in self._lexicon.within(term, dist, prefix) if w != term]
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
            return self._text(clause.text, fields)
        forms = run_forms(clause.text)
        if not forms:
            return False, None
        if len(forms) > 1 or forms[0][0] is not None or len(forms[0][1]) != 1:
            return self._text(clause.text, fields)
        term = forms[0][1][0]
        if clause.kind == "fuzzy":
            near = self.corrections(term, maxdist=2 if len(term) > 4 else 1)
            return True, self._expand([term, *near], fields)
        query = self._term(term, fields)
        if query is not None:
            return True, query
        near = self.corrections(term)
        if not near:
            compiled.unknown.append(clause.text)
            return True, None
        surface = self._closest_surface(clause.text.lower(), near[0])
        if surface.lower() != clause.text.lower():
            compiled.corrections[clause.text] = surface
        return True, self._expand(near, fields)

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
        compiled = Compiled(None, None, None, searchable=False)
        units: list[Any] = []
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
                units.append(
                    self._thesaurus_unit([g[0] for g in groups[i : i + count]], alternatives)
                )
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
                units.append(any_of(known))
            i += 1
        excludes = [self._clause(c, compiled, allow_fuzzy=False)[1] for c in parsed.negated]
        compiled.exclude = any_of(excludes)
        units = list(dict.fromkeys(units))
        if not units:
            compiled.only_negative = bool(parsed.negated)
            return compiled
        if all(u is not None for u in units):
            compiled.query = units[0] if len(units) == 1 else wq.And(units)
        known_units = [u for u in units if u is not None]
        if len(units) > 1 and known_units:
            compiled.fallback = any_of(known_units)
        compiled.suggestion = self._suggest(parsed, compiled.corrections)
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

    @staticmethod
    def _suggest(parsed: ParsedQuery, corrections: dict[str, str]) -> str | None:
        if not corrections:
            return None
        text = parsed.text
        spans = [
            (c.start, c.end, corrections[c.text])
            for group in parsed.groups
            for c in group
            if c.plain and c.text in corrections
        ]
        for start, end, word in sorted(spans, reverse=True):
            text = text[:start] + word + text[end:]
        return text
