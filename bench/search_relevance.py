"""Relevance on the judged queries of the bundled library, for the app and for SQLite FTS5.

    .venv/bin/python bench/search_relevance.py [--quick]

The judged queries (``bench/judgements/bundled.toml``) grade each document
0–3 for each query. Every query is run against the bundled library's index
and the documents ranked; nDCG@10 (gain 2^grade − 1) and MAP (a document
graded 1 or more counts as relevant) are printed for the app's ranking, for
variations of it (the former index-time weights, coordination instead of
tiers) and for SQLite FTS5's bm25 over the same pages, each query's words
joined with OR. Unless ``--quick``, it also searches a grid of field weights
on the "tune" half of the queries and shows how the best of them does on the
"check" half, which played no part in choosing it.
"""

from __future__ import annotations

import argparse
import itertools
import math
import re
import sqlite3
import sys
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
JUDGEMENTS = HERE / "judgements" / "bundled.toml"

from ecip_reader.library.catalogue import load_catalogue  # noqa: E402
from ecip_reader.paths import bundled_library_dir  # noqa: E402
from ecip_reader.search.engine import Engine  # noqa: E402
from ecip_reader.search.ranking import DEFAULT_RANKING, Ranking  # noqa: E402
from ecip_reader.search.service import SearchService  # noqa: E402
from ecip_reader.search.store import STORE_FILE, decompress  # noqa: E402
from ecip_reader.search.thesaurus import Thesaurus  # noqa: E402
from ecip_reader.search.wordlist import Wordlist  # noqa: E402


@dataclass(frozen=True)
class Judged:
    text: str
    who: str
    split: str
    grades: dict[str, int]


def load_judgements(path: Path = JUDGEMENTS) -> list[Judged]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        Judged(q["text"], q["who"], q["split"], {str(k): int(v) for k, v in q["grades"].items()})
        for q in data["query"]
    ]


def ndcg_at(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    gain = sum((2 ** grades.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal_order = sorted(grades.values(), reverse=True)[:k]
    ideal = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal_order))
    return gain / ideal if ideal else 0.0


def average_precision(ranked: list[str], grades: dict[str, int]) -> float:
    relevant = {d for d, g in grades.items() if g > 0}
    if not relevant:
        return 0.0
    found = 0
    total = 0.0
    for i, doc in enumerate(ranked, 1):
        if doc in relevant:
            found += 1
            total += found / i
    return total / len(relevant)


Ranker = Callable[[str], list[str]]


def evaluate(rank: Ranker, queries: list[Judged]) -> tuple[float, float]:
    """(mean nDCG@10, MAP) of ``rank`` over ``queries``."""
    ndcgs, aps = [], []
    for q in queries:
        ranked = rank(q.text)
        ndcgs.append(ndcg_at(ranked, q.grades))
        aps.append(average_precision(ranked, q.grades))
    return sum(ndcgs) / len(ndcgs), sum(aps) / len(aps)


class Fts5Ranker:
    """FTS5 bm25 over the same pages (title, organisation, topics, body), best page per
    document, the query's words joined with OR."""

    def __init__(self, index_dir: Path) -> None:
        self._db = sqlite3.connect(":memory:")
        self._db.execute(
            "CREATE VIRTUAL TABLE pages USING fts5(title, organisation, topics, body, "
            "doc UNINDEXED, tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        store = sqlite3.connect(index_dir / STORE_FILE)
        docs = {
            row[0]: row[1:]
            for row in store.execute("SELECT doc_id, title, organisation, topics FROM documents")
        }
        rows = store.execute("SELECT doc_id, text FROM pages").fetchall()
        store.close()
        with self._db:
            self._db.executemany(
                "INSERT INTO pages VALUES (?, ?, ?, ?, ?)",
                ((*docs[doc], decompress(blob), doc) for doc, blob in rows if doc in docs),
            )

    def __call__(self, text: str) -> list[str]:
        words = re.findall(r"\w+", text.lower())
        if not words:
            return []
        match = " OR ".join(f'"{w}"' for w in words)
        rows = self._db.execute(
            "SELECT doc FROM pages WHERE pages MATCH ? ORDER BY bm25(pages)", (match,)
        ).fetchall()
        return list(dict.fromkeys(doc for (doc,) in rows))


def app_ranker(engine: Engine, ranking: Ranking) -> Ranker:
    def rank(text: str) -> list[str]:
        engine.set_ranking(ranking)
        return [hit.doc_id for hit in engine.search(text, limit=200).results]

    return rank


# The weights the index used to bake in (title 4.0, organisation 2.5 …).
FORMER = DEFAULT_RANKING.with_weights(
    title=4.0, organisation=2.5, topics=2.0, programme=1.2, region=1.0, body=1.0
)


def grid() -> list[Ranking]:
    rankings = []
    for title, organisation, topics, minor in itertools.product(
        (1.0, 1.5, 2.0, 3.0, 4.0), (1.0, 1.5, 2.5), (1.0, 1.5, 2.0), (0.5, 1.0)
    ):
        rankings.append(
            DEFAULT_RANKING.with_weights(
                title=title, organisation=organisation, topics=topics, programme=minor, region=minor
            )
        )
    return rankings


def describe(ranking: Ranking) -> str:
    w = ranking.weight
    return (
        f"title {w('title'):g}, organisation {w('organisation'):g}, topics {w('topics'):g}, "
        f"programme/region {w('programme'):g}, body {w('body'):g}"
    )


def measure(tune: bool) -> list[tuple[str, str, str, str]]:
    """Rows of (ranking, all queries, tune half, check half): each 'nDCG@10 / MAP'."""
    queries = load_judgements()
    halves = {
        "all": queries,
        "tune": [q for q in queries if q.split == "tune"],
        "check": [q for q in queries if q.split == "check"],
    }
    root = bundled_library_dir()
    with tempfile.TemporaryDirectory(prefix="ecip-relevance-") as work:
        service = SearchService(Path(work) / "index", root, load_catalogue(root))
        service.prepare()
        service.close()
        engine = Engine(Path(work) / "index", Thesaurus.load(), wordlist=Wordlist.load())
        fts = Fts5Ranker(Path(work) / "index")
        try:
            rankers: list[tuple[str, Ranker]] = [
                (
                    f"app ({describe(DEFAULT_RANKING)}; {DEFAULT_RANKING.mode})",
                    app_ranker(engine, DEFAULT_RANKING),
                ),
                (
                    "app, every-word documents first (tiers) instead",
                    app_ranker(engine, Ranking(DEFAULT_RANKING.weights, mode="tiers")),
                ),
                (
                    "app with the former weights (title 4, organisation 2.5)",
                    app_ranker(engine, FORMER),
                ),
                ("SQLite FTS5 bm25 (porter), words joined with OR", fts),
            ]
            if tune:
                best = max(grid(), key=lambda r: evaluate(app_ranker(engine, r), halves["tune"]))
                rankers.append(
                    (f"best on the tune half: {describe(best)}", app_ranker(engine, best))
                )
            rows = []
            for name, ranker in rankers:
                cells = []
                for half in ("all", "tune", "check"):
                    ndcg, mean_ap = evaluate(ranker, halves[half])
                    cells.append(f"{ndcg:.3f} / {mean_ap:.3f}")
                rows.append((name, *cells))
            return rows  # type: ignore[return-value]
        finally:
            engine.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the grid of field weights")
    args = parser.parse_args()
    queries = load_judgements()
    tune_count = sum(q.split == "tune" for q in queries)
    print(
        f"{len(queries)} judged queries ({tune_count} tune, {len(queries) - tune_count} check); "
        "nDCG@10 / MAP"
    )
    print()
    print("| Ranking | All queries | Tune half | Check half |")
    print("|---|---|---|---|")
    for row in measure(tune=not args.quick):
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
