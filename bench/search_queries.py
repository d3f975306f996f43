"""Mixed benchmark queries drawn from the indexed pages themselves.

Each query comes in two spellings: ours, and the request in SQLite FTS5 syntax
that gives the reader's answer. The reader lists every document with any of
the words (those with more of them first), so several words are joined with
OR for FTS5; a misspelt word is searched by the reader as it corrects it, so
FTS5 is given the word before the typing mistake. Kinds: single terms, two-
and three-word queries, phrases, field queries (``title:``), misspelt words,
prefixes, OR and exclusion. The draw is seeded, so every run uses the same
queries.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from ecip_reader.search.analysis import STOP_WORDS

_WORD = re.compile(r"[A-Za-z]{4,}")
_PAIR = re.compile(r"\b([A-Za-z]{3,})\s+([A-Za-z]{3,})\b")

# kind -> share of the queries
MIX = {
    "term": 0.26,
    "and2": 0.18,
    "and3": 0.09,
    "phrase": 0.15,
    "field": 0.09,
    "typo": 0.12,
    "prefix": 0.06,
    "or/not": 0.05,
}


@dataclass(frozen=True)
class BenchQuery:
    kind: str
    ours: str
    fts5: str


def _q(word: str) -> str:
    return '"' + word.replace('"', "") + '"'


def _misspell(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    edit = rng.choice(("drop", "swap", "double", "change"))
    if edit == "drop":
        return word[:i] + word[i + 1 :]
    if edit == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if edit == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice("aeiourstln") + word[i + 1 :]


def make_queries(
    pages: list[str], titles: list[str], count: int, seed: int = 7
) -> list[BenchQuery]:
    """``count`` queries from sample page texts and document titles."""
    rng = random.Random(seed)

    def words_of(text: str) -> list[str]:
        return [w.lower() for w in _WORD.findall(text) if w.lower() not in STOP_WORDS]

    usable = [p for p in pages if len(words_of(p)) >= 12]
    title_words = [w for t in titles for w in words_of(t) if len(w) >= 4]
    out: list[BenchQuery] = []
    for kind, share in MIX.items():
        made = 0
        wanted = max(1, round(count * share))
        while made < wanted:
            words = words_of(rng.choice(usable))
            if kind == "term":
                w = rng.choice(words)
                out.append(BenchQuery(kind, w, _q(w)))
            elif kind in ("and2", "and3"):
                chosen = rng.sample(words, 2 if kind == "and2" else 3)
                out.append(BenchQuery(kind, " ".join(chosen), " OR ".join(_q(w) for w in chosen)))
            elif kind == "phrase":
                pairs = [
                    (a.lower(), b.lower())
                    for a, b in _PAIR.findall(rng.choice(usable))
                    if a.lower() not in STOP_WORDS and b.lower() not in STOP_WORDS
                ]
                if not pairs:
                    continue
                a, b = rng.choice(pairs)
                out.append(BenchQuery(kind, f'"{a} {b}"', f'"{a} {b}"'))
            elif kind == "field":
                if not title_words:
                    continue
                t = rng.choice(title_words)
                extra = rng.choice(words)
                out.append(
                    BenchQuery(kind, f"title:{t} {extra}", f"title : {_q(t)} OR {_q(extra)}")
                )
            elif kind == "typo":
                long_words = [w for w in words if len(w) >= 6]
                if not long_words:
                    continue
                word = rng.choice(long_words)
                out.append(BenchQuery(kind, _misspell(word, rng), _q(word)))
            elif kind == "prefix":
                long_words = [w for w in words if len(w) >= 7]
                if not long_words:
                    continue
                stem = rng.choice(long_words)[:5]
                out.append(BenchQuery(kind, stem + "*", stem + "*"))
            else:
                a, b = rng.sample(words, 2)
                if rng.random() < 0.5:
                    out.append(BenchQuery(kind, f"{a} OR {b}", f"{_q(a)} OR {_q(b)}"))
                else:
                    out.append(BenchQuery(kind, f"{a} -{b}", f"{_q(a)} NOT {_q(b)}"))
            made += 1
    rng.shuffle(out)
    return out
