"""Start-up benchmark: time to the main window's first paint, against a bare Qt window.

    .venv/bin/python bench/bench_startup.py [--runs N] [--quick] [--json]

Each round runs, one after the other so they never compete for the cores:

* a "hello window" — a Python process that imports Qt Widgets and shows an
  empty QMainWindow, timed to its first paint from the start of the process:
  the floor no Qt application in Python can go below on this machine;
* ``ecip-reader self-test --json`` — the real application, offscreen, which
  reports its own first paint the same way, then searches and opens a page.

Prints a markdown table: medians (and p95 where it says something) of first
paint for both, their ratio, the self-test's search and open times and the
peak memory of the GUI process and of its worker processes. A missed target
is printed, never hidden.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

TARGET_FIRST_PAINT_MS = 1000.0

HELLO = """
import os
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from ecip_reader.timing import ms_since_process_start
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

app = QApplication([])
window = QMainWindow()
window.setCentralWidget(QLabel("Hello"))
window.resize(1360, 860)


class Watch(QObject):
    def eventFilter(self, watched, event):
        if watched is window and event.type() == QEvent.Type.Paint:
            print(ms_since_process_start(), flush=True)
            window.removeEventFilter(self)
            QTimer.singleShot(0, app.quit)
        return False


watch = Watch()
window.installEventFilter(watch)
window.show()
app.exec()
"""


def hello_first_paint(env: dict[str, str]) -> float:
    done = subprocess.run(
        [sys.executable, "-c", HELLO],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def self_test(env: dict[str, str]) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "ecip_reader", "self-test", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )
    try:
        report = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError) as exc:
        raise SystemExit(
            f"self-test gave no report (exit {done.returncode}):\n{done.stderr}"
        ) from exc
    if not report.get("ok"):
        raise SystemExit(f"self-test failed at {report.get('failed_step')}: {report.get('error')}")
    return dict(report)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="measured rounds (default: 7)")
    parser.add_argument("--quick", action="store_true", help="three rounds")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    runs = 3 if args.quick else max(args.runs, 1)

    with tempfile.TemporaryDirectory(prefix="ecip-bench-startup-") as home:
        env = dict(os.environ, ECIP_READER_HOME=home, QT_QPA_PLATFORM="offscreen")
        # Installed copies run from compiled bytecode; let the warm-up round write it.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        warm = self_test(env)  # builds the search index and covers; not counted
        hello: list[float] = []
        app: list[float] = []
        search: list[float] = []
        opening: list[float] = []
        gui_rss: list[float] = []
        worker_rss: list[float] = []
        for _ in range(runs):
            hello.append(hello_first_paint(env))
            report = self_test(env)
            timings = report["timings_ms"]
            assert isinstance(timings, dict)
            app.append(float(timings["first_paint"]))
            search.append(float(timings["search"]))
            opening.append(float(timings["open_document"]))
            rss = report.get("peak_rss_mb", {})
            assert isinstance(rss, dict)
            gui_rss.append(float(rss.get("gui", 0.0)))
            worker_rss.append(float(rss.get("workers", 0.0)))

    first_paint = statistics.median(app)
    floor = statistics.median(hello)
    figures = {
        "runs": runs,
        "first_paint_ms": {"median": first_paint, "p95": p95(app)},
        "hello_window_ms": {"median": floor, "p95": p95(hello)},
        "ratio": first_paint / floor if floor else None,
        "search_ms": statistics.median(search),
        "open_document_ms": statistics.median(opening),
        "peak_rss_mb": {"gui": max(gui_rss), "workers": max(worker_rss)},
        "first_run_prepare_index_ms": warm["timings_ms"].get("prepare_index"),  # type: ignore[union-attr]
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0

    met = "met" if first_paint < TARGET_FIRST_PAINT_MS else "**missed**"
    rows = [
        (
            "First paint (median)",
            f"{first_paint:.0f} ms",
            f"< {TARGET_FIRST_PAINT_MS:.0f} ms ({met})",
            f"p95 {p95(app):.0f} ms; from process start, offscreen",
        ),
        (
            "Bare Qt window (median)",
            f"{floor:.0f} ms",
            "floor",
            f"p95 {p95(hello):.0f} ms; same measure",
        ),
        (
            "Ratio app / bare window",
            f"{figures['ratio']:.2f}×",
            "—",
            "what the reader adds to Qt's own start",
        ),
        (
            "Search after start (median)",
            f"{figures['search_ms']:.0f} ms",
            "—",
            "typed query to results shown",
        ),
        (
            "Open a document (median)",
            f"{figures['open_document_ms']:.0f} ms",
            "—",
            "request to first page sharp",
        ),
        ("Peak RSS, GUI process", f"{max(gui_rss):.0f} MiB", "—", "max over runs"),
        ("Peak RSS, worker processes", f"{max(worker_rss):.0f} MiB", "—", "largest single worker"),
    ]
    print(f"{runs} rounds; each round a bare Qt window, then `ecip-reader self-test --json`.")
    print("")
    print("| Measure | Result | Target | Notes |")
    print("|---|---|---|---|")
    for name, value, target, notes in rows:
        print(f"| {name} | {value} | {target} | {notes} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
