"""Search benchmark: query latency, index build rate and memory, against SQLite FTS5.

Run from the repository root:

    .venv/bin/python bench/bench_search.py [--quick] [--corpus DIR] [--pages N]

What it does, in one run:

1. collects a corpus of real PDFs that are not ours (Debian documentation
   packages, installed with apt-get when missing and allowed) into
   ``bench/corpus/``, or uses ``--corpus DIR``;
2. builds its index with ``ecip-reader index --library`` in a separate process,
   timing it and sampling the peak memory of the whole process tree;
3. adds the same pre-extracted page text to a fresh index with Whoosh's own
   writer, for the build-rate ratio;
4. builds an SQLite FTS5 table of the same pages (stdlib only);
5. times a few hundred mixed queries (terms, AND, phrases, fields, typos,
   prefixes, OR/NOT) through ``SearchService.search`` with snippets for the top
   ten documents, and the same queries through FTS5;
6. times queries on the bundled library.

It prints a markdown table (figures next to their targets) and writes the
details to ``bench/results/``. A missed target is printed, never hidden, and
never turns into a failing exit code.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from ecip_reader.library.catalogue import CATALOGUE_FILE  # noqa: E402
from ecip_reader.paths import AppPaths, bundled_library_dir  # noqa: E402
from ecip_reader.search.service import service_for  # noqa: E402
from ecip_reader.search.store import STORE_FILE, decompress  # noqa: E402
from search_corpus import collect  # noqa: E402
from search_fts5 import Fts5Reference  # noqa: E402
from search_measure import run_index  # noqa: E402
from search_queries import BenchQuery, make_queries  # noqa: E402

TARGETS = {
    "p95_ms": 50.0,
    "fts5_ratio": 2.0,
    "bundled_p95_ms": 10.0,
    "pages_per_s": 300.0,
    "whoosh_ratio": 0.8,
    "peak_rss_mb": 400.0,
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def load_pages(index_dir: Path) -> tuple[list[tuple[str, int, str]], dict[str, str]]:
    """(doc id, page, text) of every indexed page, and every document's title."""
    db = sqlite3.connect(index_dir / STORE_FILE)
    try:
        titles = dict(db.execute("SELECT doc_id, title FROM documents").fetchall())
        rows = [
            (doc, page, decompress(blob))
            for doc, page, blob in db.execute("SELECT doc_id, page, text FROM pages ORDER BY rowid")
        ]
    finally:
        db.close()
    return rows, titles


def whoosh_raw_rate(
    rows: list[tuple[str, int, str]], titles: dict[str, str], folder: Path
) -> tuple[float, float]:
    """Pages per wall-clock second and per CPU second of Whoosh's own writer on
    pre-extracted text (add + commit, one process)."""
    from whoosh import index as whoosh_index

    from ecip_reader.search.schema import build_schema

    folder.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(folder), build_schema())
    began = time.perf_counter()
    cpu = time.process_time()
    writer = ix.writer()
    for doc, page, text in rows:
        writer.add_document(
            doc=doc,
            page=page,
            kind="document",
            title=titles.get(doc, ""),
            organisation="",
            topics="",
            programme="",
            region="",
            body=text,
        )
    writer.commit()
    seconds = time.perf_counter() - began
    cpu = time.process_time() - cpu
    ix.close()
    return len(rows) / seconds, len(rows) / cpu


def time_ours(
    service: Any, queries: list[BenchQuery], warmup: list[BenchQuery]
) -> list[dict[str, Any]]:
    for query in warmup:
        service.search(query.ours, limit=10)
    timings = []
    for query in queries:
        began = time.perf_counter()
        response = service.search(query.ours, limit=10)
        ms = (time.perf_counter() - began) * 1000
        timings.append(
            {
                "kind": query.kind,
                "query": query.ours,
                "ms": ms,
                "documents": response.total_documents,
                "fallback_or": response.fallback_or,
                "suggestion": response.suggestion,
            }
        )
    return timings


def time_fts5(
    fts: Fts5Reference, queries: list[BenchQuery], warmup: list[BenchQuery]
) -> list[dict[str, Any]]:
    for query in warmup:
        fts.query(query.fts5)
    timings = []
    for query in queries:
        top_ms, full_ms, hits = fts.query(query.fts5)
        timings.append(
            {"kind": query.kind, "query": query.fts5, "top_ms": top_ms, "ms": full_ms, "hits": hits}
        )
    return timings


def bundled_latency(home: Path, count: int) -> dict[str, Any] | None:
    root = bundled_library_dir()
    if not (root / CATALOGUE_FILE).is_file():
        log("no bundled library catalogue: bundled latency skipped")
        return None
    log("building the bundled library index …")
    report = run_index(home, None)
    paths = AppPaths.from_environment(home)
    service = service_for(paths, None)
    try:
        rows, titles = load_pages(service.index_dir)
        pages = [text for _doc, _page, text in rows]
        queries = make_queries(pages, list(titles.values()), count, seed=11)
        warmup = make_queries(pages, list(titles.values()), 20, seed=99)
        timings = time_ours(service, queries, warmup)
    finally:
        service.close()
    values = [t["ms"] for t in timings]
    return {
        "pages": report["pages"],
        "queries": len(values),
        "median_ms": statistics.median(values),
        "p95_ms": pct(values, 0.95),
        "timings": timings,
    }


def quick_corpus(source: Path, pages_wanted: int, folder: Path) -> Path:
    """A smaller corpus of links to the first PDFs of ``source`` (page counts from
    the collected corpus, else about sixty files)."""
    try:
        counts = json.loads((source / ".page-counts.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        counts = {p.name: pages_wanted // 60 for p in source.glob("*.pdf")}
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for name in sorted(counts):
        if total >= pages_wanted:
            break
        if (source / name).is_file():
            (folder / name).symlink_to((source / name).resolve())
            total += int(counts[name])
    return folder


def verdict(value: float, target: float, higher_is_better: bool) -> str:
    ok = value >= target if higher_is_better else value <= target
    return "met" if ok else "**missed**"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small corpus and fewer queries")
    parser.add_argument("--corpus", type=Path, help="a folder of PDFs to use as the corpus")
    parser.add_argument("--pages", type=int, default=21_000, help="corpus size in pages")
    parser.add_argument("--queries", type=int, default=320, help="number of timed queries")
    parser.add_argument("--no-install", action="store_true", help="never run apt-get")
    args = parser.parse_args()

    corpus = args.corpus or HERE / "corpus"
    if args.corpus is None:
        collect(corpus, args.pages, allow_install=not args.no_install)
    work = Path(tempfile.mkdtemp(prefix="ecip-bench-search-"))
    try:
        return run(args, corpus, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, corpus: Path, work: Path) -> int:
    if args.quick:
        corpus = quick_corpus(corpus, 3000, work / "quick-corpus")
        args.queries = min(args.queries, 120)
    home = work / "home"

    load_at_start = os.getloadavg()[0]
    log(f"indexing {corpus} (load average {load_at_start:.2f}) …")
    build = run_index(home, corpus)
    paths = AppPaths.from_environment(home)
    service = service_for(paths, corpus)
    rows, titles = load_pages(service.index_dir)
    log(f"indexed {build['pages']} pages in {build['seconds']:.1f} s")

    log("Whoosh's own writer on the same text …")
    raw_rate, raw_cpu_rate = whoosh_raw_rate(rows, titles, work / "whoosh-raw")

    log("building the FTS5 reference …")
    fts = Fts5Reference(work / "fts5.sqlite3")
    began = time.perf_counter()
    fts.add((titles.get(doc, ""), text, doc, page) for doc, page, text in rows)
    fts_build_s = time.perf_counter() - began

    sample = [text for _doc, _page, text in random.Random(3).sample(rows, min(len(rows), 4000))]
    queries = make_queries(sample, list(titles.values()), args.queries, seed=7)
    warmup = make_queries(sample, list(titles.values()), 30, seed=1234)
    log(f"timing {len(queries)} queries …")
    ours = time_ours(service, queries, warmup)
    service.close()
    theirs = time_fts5(fts, queries, warmup)
    fts.close()
    bundled = bundled_latency(home, 60 if args.quick else 200)

    ours_ms = [t["ms"] for t in ours]
    fts_ms = [t["ms"] for t in theirs]
    fts_top_ms = [t["top_ms"] for t in theirs]
    p95 = pct(ours_ms, 0.95)
    fts_p95 = pct(fts_ms, 0.95)
    rate = build["pages"] / build["seconds"]
    summary = {
        "pages": build["pages"],
        "documents": build["documents"],
        "skipped": len(build["skipped"]),
        "queries": len(ours_ms),
        "median_ms": statistics.median(ours_ms),
        "p95_ms": p95,
        "fts5_median_ms": statistics.median(fts_ms),
        "fts5_p95_ms": fts_p95,
        "fts5_top10_p95_ms": pct(fts_top_ms, 0.95),
        "fts5_ratio": p95 / fts_p95,
        "fts5_build_s": fts_build_s,
        "build_s": build["seconds"],
        "pages_per_s": rate,
        "whoosh_raw_pages_per_s": raw_rate,
        "whoosh_ratio": rate / raw_rate,
        "build_cpu_s": build["cpu_seconds"],
        "pages_per_cpu_s": build["pages"] / build["cpu_seconds"],
        "whoosh_raw_pages_per_cpu_s": raw_cpu_rate,
        "load_average_at_build": load_at_start,
        "peak_rss_mb": build["peak_rss_mb"],
        "bundled_p95_ms": bundled["p95_ms"] if bundled else None,
        "bundled_median_ms": bundled["median_ms"] if bundled else None,
        "bundled_pages": bundled["pages"] if bundled else None,
    }
    print_table(summary, ours, theirs)

    results = HERE / "results"
    results.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    detail = {"summary": summary, "build": build, "ours": ours, "fts5": theirs, "bundled": bundled}
    (results / f"search-{stamp}.json").write_text(json.dumps(detail, indent=1), encoding="utf-8")
    log(f"details in {results / f'search-{stamp}.json'}")
    return 0


def print_table(
    s: dict[str, Any], ours: list[dict[str, Any]], theirs: list[dict[str, Any]]
) -> None:
    rows = [
        (
            "Corpus (Debian documentation PDFs)",
            f"{s['documents']} PDFs, {s['pages']:,} pages ({s['skipped']} skipped)",
            "≥ 20,000 pages",
            verdict(s["pages"], 20_000, True),
        ),
        (
            "Query latency with snippets, median",
            f"{s['median_ms']:.1f} ms ({s['queries']} queries)",
            "",
            "",
        ),
        (
            "Query latency with snippets, p95",
            f"{s['p95_ms']:.1f} ms",
            "≤ 50 ms",
            verdict(s["p95_ms"], TARGETS["p95_ms"], False),
        ),
        (
            "SQLite FTS5 p95 (top 10 + snippets + count)",
            f"{s['fts5_p95_ms']:.1f} ms (top 10 only: {s['fts5_top10_p95_ms']:.1f} ms)",
            "",
            "",
        ),
        (
            "p95 ratio to FTS5",
            f"{s['fts5_ratio']:.2f}×",
            "≤ 2×",
            verdict(s["fts5_ratio"], TARGETS["fts5_ratio"], False),
        ),
    ]
    if s["bundled_p95_ms"] is not None:
        rows.append(
            (
                "Bundled library p95",
                f"{s['bundled_p95_ms']:.1f} ms (median {s['bundled_median_ms']:.1f} ms, "
                f"{s['bundled_pages']} pages)",
                "≤ 10 ms",
                verdict(s["bundled_p95_ms"], TARGETS["bundled_p95_ms"], False),
            )
        )
    rows += [
        (
            "Index build (extraction in a worker process)",
            f"{s['pages_per_s']:.0f} pages/s ({s['build_s']:.1f} s; "
            f"{s['build_cpu_s']:.0f} CPU s over both processes; "
            f"load average {s['load_average_at_build']:.1f} at start)",
            "≥ 300 pages/s",
            verdict(s["pages_per_s"], TARGETS["pages_per_s"], True),
        ),
        (
            "Whoosh's own writer, pre-extracted text",
            f"{s['whoosh_raw_pages_per_s']:.0f} pages/s "
            f"({s['whoosh_raw_pages_per_cpu_s']:.0f} pages per CPU s; "
            f"ours: {s['pages_per_cpu_s']:.0f})",
            "",
            "",
        ),
        (
            "Build rate ratio to Whoosh's own writer",
            f"{s['whoosh_ratio']:.2f}",
            "≥ 0.8",
            verdict(s["whoosh_ratio"], TARGETS["whoosh_ratio"], True),
        ),
        (
            "Peak RSS while indexing (process tree)",
            f"{s['peak_rss_mb']:.0f} MB",
            "≤ 400 MB",
            verdict(s["peak_rss_mb"], TARGETS["peak_rss_mb"], False),
        ),
    ]
    print("| Measure | Figure | Target | |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()
    print("| Query kind | Queries | p95 ours | p95 FTS5 |")
    print("|---|---|---|---|")
    kinds = sorted({t["kind"] for t in ours})
    for kind in kinds:
        mine = [t["ms"] for t in ours if t["kind"] == kind]
        other = [t["ms"] for t in theirs if t["kind"] == kind]
        print(f"| {kind} | {len(mine)} | {pct(mine, 0.95):.1f} ms | {pct(other, 0.95):.1f} ms |")


if __name__ == "__main__":
    sys.exit(main())
