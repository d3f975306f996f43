"""Run every benchmark and print one report of markdown tables.

    .venv/bin/python bench/run.py [--quick] [--only startup,search,relevance,render,present,slow]

Each benchmark is its own script in this folder that prints a markdown table
on stdout; this runner calls them one after another (so they never compete for
the two cores), prints the tables under one heading, and keeps a copy in
``bench/results/latest.md``. Targets are printed next to the figures; a missed
target is reported, never hidden, and never turns into a failing exit code.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = {
    "startup": ("bench_startup.py", "Start-up"),
    "search": ("bench_search.py", "Search"),
    "relevance": ("search_relevance.py", "Search relevance"),
    "render": ("bench_render.py", "Page view"),
    "present": ("bench_present.py", "Presenting on two screens"),
    "slow": ("bench_slow_document.py", "A slow document"),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (a smoke run)")
    parser.add_argument("--only", default=",".join(BENCHES), help="comma-separated benchmarks")
    args = parser.parse_args()
    wanted = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in wanted if name not in BENCHES]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")

    lines = [
        f"Benchmarks — {dt.date.today().isoformat()}, Python {platform.python_version()}, "
        f"{platform.machine()}, medians and p95 over repeated runs",
        "",
    ]
    status = 0
    for name in wanted:
        script, heading = BENCHES[name]
        command = [sys.executable, str(HERE / script)] + (["--quick"] if args.quick else [])
        print(f"running {script} …", file=sys.stderr, flush=True)
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        lines.append(f"### {heading}")
        lines.append("")
        if done.returncode != 0:
            status = 1
            lines.append(f"{script} failed (exit {done.returncode}):")
            lines.append("")
            lines.extend("    " + line for line in done.stderr.strip().splitlines()[-15:])
        else:
            lines.append(done.stdout.strip())
        lines.append("")
    report = "\n".join(lines)
    print(report)
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / "latest.md").write_text(report + "\n", encoding="utf-8")
    return status


if __name__ == "__main__":
    sys.exit(main())
