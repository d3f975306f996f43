"""The query language, parsed without reference to any index.

What people can type, with no manual:

* plain words — every word must match (in the title, organisation, topics or text);
* ``"exact phrase"``;
* ``-word`` or ``-"phrase"`` (also ``NOT word``) — leave out documents that match;
* ``word OR other`` (also ``|``) — either word;
* ``discharg*`` — any word starting with ``discharg``;
* ``title:``, ``org:``, ``kind:``, ``topic:``, ``programme:``, ``region:`` before a
  word or a phrase — match in that field only;
* ``word~`` — also words spelt nearly the same (misspelt words get this anyway).

Anything else is read as words; stray quotes, brackets and operators are
ignored. :func:`parse_query` never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ecip_reader.search.schema import FIELD_ALIASES
from ecip_reader.text import clean_text

MAX_QUERY_LENGTH = 500

ClauseKind = Literal["word", "phrase", "prefix", "fuzzy"]


@dataclass(frozen=True)
class Clause:
    """One searchable item of a query."""

    text: str
    kind: ClauseKind
    field: str | None  # canonical field name; None = the default fields
    negated: bool
    start: int  # span of the item in ParsedQuery.text
    end: int

    @property
    def plain(self) -> bool:
        """A bare word: no field, no operator, not excluded."""
        return self.kind == "word" and self.field is None and not self.negated


@dataclass(frozen=True)
class ParsedQuery:
    """``groups`` are combined with AND; the clauses inside one group with OR."""

    text: str
    groups: tuple[tuple[Clause, ...], ...]

    @property
    def negated(self) -> tuple[Clause, ...]:
        return tuple(g[0] for g in self.groups if g[0].negated)


_FIELD_RE = re.compile(r"([A-Za-z]+):")
_FUZZY_RE = re.compile(r"^(.*?)~([12])?$")
_BRACKETS = "()[]{}"


@dataclass
class _Token:
    text: str
    start: int
    end: int
    quoted: bool
    negated: bool
    field: str | None


def _lex(text: str) -> list[_Token | str]:
    """Split into tokens; the operators ``OR`` and ``NOT`` come back as plain strings."""
    out: list[_Token | str] = []
    i = 0
    n = len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        start = i
        negated = False
        if text[i] in "-+" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] not in "-+":
            negated = text[i] == "-"
            i += 1
        field = None
        match = _FIELD_RE.match(text, i)
        if match and match.group(1).lower() in FIELD_ALIASES and match.end() < n:
            nxt = text[match.end()]
            if not nxt.isspace():
                field = FIELD_ALIASES[match.group(1).lower()]
                i = match.end()
        if text[i] == '"':
            close = text.find('"', i + 1)
            end = n if close < 0 else close + 1
            body = text[i + 1 : close if close >= 0 else n]
            out.append(_Token(body, start, end, True, negated, field))
            i = end
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] != '"':
            j += 1
        word = text[i:j]
        if not negated and field is None and word in ("OR", "|", "||"):
            out.append("OR")
        elif not negated and field is None and word in ("NOT",):
            out.append("NOT")
        elif not negated and field is None and word in ("AND", "&&", "+"):
            pass
        else:
            out.append(_Token(word, start, j, False, negated, field))
        i = j
    return out


def _clause(token: _Token, negated: bool) -> Clause | None:
    text = token.text
    if token.quoted:
        text = text.strip()
        kind: ClauseKind = "phrase"
    else:
        text = text.strip(_BRACKETS)
        kind = "word"
        fuzzy = _FUZZY_RE.match(text)
        if fuzzy and fuzzy.group(1):
            text = fuzzy.group(1)
            kind = "fuzzy"
        elif text.endswith("*"):
            stripped = text.rstrip("*")
            alnum = sum(ch.isalnum() for ch in stripped)
            if alnum >= 2 and "*" not in stripped:
                text = stripped
                kind = "prefix"
        text = text.replace("*", " ").strip(_BRACKETS + " ")
    if not any(ch.isalnum() for ch in text):
        return None
    return Clause(text, kind, token.field, negated, token.start, token.end)


def parse_query(raw: object) -> ParsedQuery:
    """Parse what a user typed; never raises."""
    text = clean_text(raw)[:MAX_QUERY_LENGTH]
    text = text.replace("“", '"').replace("”", '"').replace("„", '"')
    groups: list[list[Clause]] = []
    join_next = False
    negate_next = False
    for item in _lex(text):
        if item == "OR":
            join_next = bool(groups) and not groups[-1][0].negated
            continue
        if item == "NOT":
            negate_next = True
            continue
        assert isinstance(item, _Token)
        clause = _clause(item, item.negated or negate_next)
        negate_next = False
        if clause is None:
            continue
        if join_next and not clause.negated:
            groups[-1].append(clause)
        else:
            groups.append([clause])
        join_next = False
    return ParsedQuery(text, tuple(tuple(g) for g in groups))
