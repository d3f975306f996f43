"""Search benchmark: query latency, index build rate and memory, against SQLite FTS5.

Run from the repository root:

    .venv/bin/python bench/bench_search.py [--quick] [--corpus DIR] [--pages N] [--no-scale]

What it does, in one run:

1. collects a corpus of real PDFs that are not ours (Debian documentation
   packages, installed with apt-get when missing and allowed) into
   ``bench/corpus/``, or uses ``--corpus DIR``;
2. extracts the text of every page in this one process, the indexer's
   PyMuPDF call alone, for the rate indexing is measured against;
3. builds its index with ``ecip-reader index --library`` in a separate process,
   timing it and sampling the peak memory of the whole process tree;
4. builds an SQLite FTS5 table of the same pages (stdlib only);
5. times a few hundred mixed queries (terms, AND, phrases, fields, typos,
   prefixes, OR/NOT) through ``SearchService.search`` with snippets for the top
   ten documents, each followed at once by the same query through FTS5 giving
   the same answer (ten pages with snippets and the number of matching
   documents), so both see the same load on a shared machine;
6. times queries on the bundled library;
7. at scale: indexes 50,000+ pages (``bench/corpus-large/``) and times the
   same kinds of queries through ``ecip-reader search --json --stdin``,
   recording the index size and the peak memory of building and searching.

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
import subprocess
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
from search_measure import PeakSampler, bare_extraction, run_index  # noqa: E402
from search_queries import BenchQuery, make_queries  # noqa: E402

TARGETS = {
    "p95_ms": 50.0,
    "fts5_ratio": 2.0,
    "bundled_p95_ms": 10.0,
    "extraction_ratio": 0.8,
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


def time_both(
    service: Any, fts: Fts5Reference, queries: list[BenchQuery], warmup: list[BenchQuery]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Each query through the app and at once through FTS5 (in alternating order)."""
    for query in warmup:
        service.search(query.ours, limit=10)
        fts.query(query.fts5)
    ours: list[dict[str, Any]] = []
    theirs: list[dict[str, Any]] = []

    def app(query: BenchQuery) -> None:
        began = time.perf_counter()
        response = service.search(query.ours, limit=10)
        ms = (time.perf_counter() - began) * 1000
        ours.append(
            {
                "kind": query.kind,
                "query": query.ours,
                "ms": ms,
                "documents": response.total_documents,
                "all_words": response.all_words_documents,
                "corrected": response.corrected_query,
            }
        )

    def reference(query: BenchQuery) -> None:
        top_ms, full_ms, pages, documents = fts.query(query.fts5)
        theirs.append(
            {
                "kind": query.kind,
                "query": query.fts5,
                "top_ms": top_ms,
                "ms": full_ms,
                "pages": pages,
                "documents": documents,
            }
        )

    for number, query in enumerate(queries):
        first, second = (app, reference) if number % 2 == 0 else (reference, app)
        first(query)
        second(query)
    return ours, theirs


def time_ours(
    service: Any, queries: list[BenchQuery], warmup: list[BenchQuery]
) -> list[dict[str, Any]]:
    for query in warmup:
        service.search(query.ours, limit=10)
    timings = []
    for query in queries:
        began = time.perf_counter()
        service.search(query.ours, limit=10)
        timings.append({"kind": query.kind, "ms": (time.perf_counter() - began) * 1000})
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
    parser.add_argument("--scale-pages", type=int, default=51_000, help="pages of the scale run")
    parser.add_argument("--no-scale", action="store_true", help="skip the scale run")
    parser.add_argument("--no-install", action="store_true", help="never run apt-get")
    args = parser.parse_args()

    corpus = args.corpus or HERE / "corpus"
    if args.corpus is None:
        collect(corpus, args.pages, allow_install=not args.no_install)
    large = None
    if not (args.quick or args.no_scale):
        large = HERE / "corpus-large"
        collect(large, args.scale_pages, allow_install=not args.no_install)
    work = Path(tempfile.mkdtemp(prefix="ecip-bench-search-"))
    try:
        return run(args, corpus, large, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def scale_run(home: Path, corpus: Path, queries: int) -> dict[str, Any]:
    """Index ``corpus`` and time queries through ``ecip-reader search --json --stdin``."""
    log(f"scale: indexing {corpus} …")
    build = run_index(home, corpus)
    paths = AppPaths.from_environment(home)
    service = service_for(paths, corpus)
    index_dir = service.index_dir
    rows, titles = load_pages(index_dir)
    service.close()
    sample = [text for _doc, _page, text in random.Random(5).sample(rows, min(len(rows), 4000))]
    del rows
    timed = make_queries(sample, list(titles.values()), queries, seed=17)
    warmup = make_queries(sample, list(titles.values()), 30, seed=4321)
    lines = [q.ours for q in warmup + timed]
    command = [sys.executable, "-m", "ecip_reader", "--data-dir", str(home), "search"]
    command += ["--library", str(corpus), "--json", "--stdin", "--limit", "10"]
    log(f"scale: timing {len(timed)} queries …")
    process = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    sampler = PeakSampler(process.pid)
    sampler.start()
    out, err = process.communicate("\n".join(lines) + "\n")
    peak = sampler.stop()
    if process.returncode != 0:
        raise RuntimeError(f"search failed ({process.returncode}): {err.strip()[-500:]}")
    answers = [json.loads(line) for line in out.splitlines()][len(warmup) :]
    ms = [float(a["took_ms"]) for a in answers]
    kinds: dict[str, list[float]] = {}
    for query, value in zip(timed, ms, strict=True):
        kinds.setdefault(query.kind, []).append(value)
    return {
        "pages": build["pages"],
        "documents": build["documents"],
        "build_s": build["seconds"],
        "build_peak_rss_mb": build["peak_rss_mb"],
        "index_mb": folder_size(index_dir) / 2**20,
        "queries": len(ms),
        "median_ms": statistics.median(ms),
        "p95_ms": pct(ms, 0.95),
        "search_peak_rss_mb": peak / 2**20,
        "kinds": {k: pct(v, 0.95) for k, v in sorted(kinds.items())},
    }


def run(args: argparse.Namespace, corpus: Path, large: Path | None, work: Path) -> int:
    if args.quick:
        corpus = quick_corpus(corpus, 3000, work / "quick-corpus")
        args.queries = min(args.queries, 120)
    home = work / "home"

    log("bare text extraction, one process …")
    bare = bare_extraction(corpus)
    load_at_start = os.getloadavg()[0]
    log(f"indexing {corpus} (load average {load_at_start:.2f}) …")
    build = run_index(home, corpus)
    paths = AppPaths.from_environment(home)
    service = service_for(paths, corpus)
    rows, titles = load_pages(service.index_dir)
    index_mb = folder_size(service.index_dir) / 2**20
    log(f"indexed {build['pages']} pages in {build['seconds']:.1f} s")

    log("building the FTS5 reference …")
    fts = Fts5Reference(work / "fts5.sqlite3")
    began = time.perf_counter()
    fts.add((titles.get(doc, ""), text, doc, page) for doc, page, text in rows)
    fts_build_s = time.perf_counter() - began

    sample = [text for _doc, _page, text in random.Random(3).sample(rows, min(len(rows), 4000))]
    del rows
    queries = make_queries(sample, list(titles.values()), args.queries, seed=7)
    warmup = make_queries(sample, list(titles.values()), 30, seed=1234)
    log(f"timing {len(queries)} queries, each through both …")
    ours, theirs = time_both(service, fts, queries, warmup)
    service.close()
    fts.close()
    bundled = bundled_latency(home, 60 if args.quick else 200)
    scale = scale_run(work / "scale-home", large, args.queries) if large is not None else None

    ours_ms = [t["ms"] for t in ours]
    fts_ms = [t["ms"] for t in theirs]
    p95 = pct(ours_ms, 0.95)
    fts_p95 = pct(fts_ms, 0.95)
    rate = build["pages"] / build["seconds"]
    bare_rate = bare["pages"] / bare["seconds"]
    summary = {
        "pages": build["pages"],
        "documents": build["documents"],
        "skipped": len(build["skipped"]),
        "index_mb": index_mb,
        "queries": len(ours_ms),
        "median_ms": statistics.median(ours_ms),
        "p95_ms": p95,
        "fts5_median_ms": statistics.median(fts_ms),
        "fts5_p95_ms": fts_p95,
        "fts5_top10_p95_ms": pct([t["top_ms"] for t in theirs], 0.95),
        "fts5_ratio": p95 / fts_p95,
        "fts5_build_s": fts_build_s,
        "build_s": build["seconds"],
        "pages_per_s": rate,
        "bare_pages": bare["pages"],
        "bare_pages_per_s": bare_rate,
        "bare_pages_per_cpu_s": bare["pages"] / bare["cpu_seconds"],
        "extraction_ratio": rate / bare_rate,
        "build_cpu_s": build["cpu_seconds"],
        "pages_per_cpu_s": build["pages"] / build["cpu_seconds"],
        "load_average_at_build": load_at_start,
        "peak_rss_mb": build["peak_rss_mb"],
        "bundled_p95_ms": bundled["p95_ms"] if bundled else None,
        "bundled_median_ms": bundled["median_ms"] if bundled else None,
        "bundled_pages": bundled["pages"] if bundled else None,
        "scale": scale,
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
            f"{s['documents']} PDFs, {s['pages']:,} pages ({s['skipped']} skipped), "
            f"index {s['index_mb']:.0f} MB",
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
            "SQLite FTS5, same answer (10 pages + snippets + documents counted), p95",
            f"{s['fts5_p95_ms']:.1f} ms (median {s['fts5_median_ms']:.1f} ms; "
            f"top 10 alone: {s['fts5_top10_p95_ms']:.1f} ms)",
            "",
            "",
        ),
        (
            "p95 ratio to FTS5 (same run, queries interleaved)",
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
            "Bare text extraction, one process (same pages)",
            f"{s['bare_pages_per_s']:.0f} pages/s ({s['bare_pages_per_cpu_s']:.0f} per CPU s)",
            "",
            "",
        ),
        (
            "Index build (extraction in a worker process)",
            f"{s['pages_per_s']:.0f} pages/s ({s['build_s']:.1f} s; "
            f"{s['pages_per_cpu_s']:.0f} pages per CPU s over both processes; "
            f"load average {s['load_average_at_build']:.1f} at start)",
            "",
            "",
        ),
        (
            "Build rate ratio to bare extraction",
            f"{s['extraction_ratio']:.2f}",
            "≥ 0.8",
            verdict(s["extraction_ratio"], TARGETS["extraction_ratio"], True),
        ),
        (
            "Peak RSS while indexing (process tree)",
            f"{s['peak_rss_mb']:.0f} MB",
            "≤ 400 MB",
            verdict(s["peak_rss_mb"], TARGETS["peak_rss_mb"], False),
        ),
    ]
    scale = s["scale"]
    if scale is not None:
        rows += [
            (
                "Scale: corpus",
                f"{scale['documents']} PDFs, {scale['pages']:,} pages; "
                f"index {scale['index_mb']:.0f} MB",
                "≥ 50,000 pages",
                verdict(scale["pages"], 50_000, True),
            ),
            (
                "Scale: query latency (search command), p95",
                f"{scale['p95_ms']:.1f} ms (median {scale['median_ms']:.1f} ms, "
                f"{scale['queries']} queries)",
                "",
                "",
            ),
            (
                "Scale: peak RSS, building / searching",
                f"{scale['build_peak_rss_mb']:.0f} MB / {scale['search_peak_rss_mb']:.0f} MB "
                f"(build {scale['build_s']:.0f} s)",
                "",
                "",
            ),
        ]
    print("| Measure | Figure | Target | |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()
    header = "| Query kind | Queries | p95 ours | p95 FTS5 | ratio |"
    if scale is not None:
        header += " p95 ours at scale |"
    print(header)
    print("|---|---|---|---|---|" + ("---|" if scale is not None else ""))
    for kind in sorted({t["kind"] for t in ours}):
        mine = pct([t["ms"] for t in ours if t["kind"] == kind], 0.95)
        other = pct([t["ms"] for t in theirs if t["kind"] == kind], 0.95)
        count = sum(t["kind"] == kind for t in ours)
        line = f"| {kind} | {count} | {mine:.1f} ms | {other:.1f} ms | {mine / other:.1f}× |"
        if scale is not None:
            line += f" {scale['kinds'].get(kind, float('nan')):.1f} ms |"
        print(line)


if __name__ == "__main__":
    sys.exit(main())
