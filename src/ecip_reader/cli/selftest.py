"""``ecip-reader self-test``: start the real UI offscreen and check that it works.

Steps, each timed and each with its own time limit: the main window's first
paint (counted from the start of the process), loading the bundled catalogue,
a search (after the index is ready), and opening a document until its first
page is drawn sharp. Prints the time of each step and exits 0, or 1 naming
the step that failed. ``--json`` prints one JSON object instead::

    {"ok": true, "version": "0.1.0", "failed_step": null, "error": null,
     "timings_ms": {"first_paint": 412.0, "load_catalogue": 3.1, "prepare_index": 95.2,
                    "search": 21.4, "open_document": 160.8}, ...}
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading

from ecip_reader.cli import EXIT_FAILURE, EXIT_OK
from ecip_reader.paths import AppPaths

DEFAULT_QUERY = "discharge"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the result as one JSON object")
    parser.add_argument(
        "--query", default=DEFAULT_QUERY, help=f"what to search for (default: {DEFAULT_QUERY!r})"
    )
    parser.add_argument(
        "--step-timeout",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="time limit of each step (default: 60)",
    )
    parser.add_argument(
        "--index-timeout",
        type=float,
        default=600.0,
        metavar="SECONDS",
        help="time limit for building the search index on a first run (default: 600)",
    )


def _print(result: dict[str, object], as_json: bool) -> None:
    if as_json:
        print(json.dumps(result, sort_keys=True))
        return
    timings = result.get("timings_ms")
    if isinstance(timings, dict):
        for step, ms in timings.items():
            print(f"{step:<16} {ms:>9.1f} ms")
    if result["ok"]:
        print("self-test passed")
    else:
        print(
            f"self-test FAILED at step {result['failed_step']}: {result['error']}", file=sys.stderr
        )


def _watchdog(seconds: float, as_json: bool) -> threading.Timer:
    """Whatever happens, the process ends: a hang is reported as a failure."""

    def expire() -> None:
        _print(
            {
                "ok": False,
                "version": _version(),
                "timings_ms": {},
                "failed_step": "timeout",
                "error": f"The self-test did not finish within {seconds:.0f} seconds.",
            },
            as_json,
        )
        sys.stdout.flush()
        os._exit(EXIT_FAILURE)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    return timer


def _version() -> str:
    from ecip_reader import __version__

    return __version__


def run(args: argparse.Namespace, paths: AppPaths) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    budget = args.index_timeout + 4 * args.step_timeout + 30
    watchdog = _watchdog(budget, args.json)
    try:
        from ecip_reader.app.selftest import run_self_test

        report = run_self_test(paths, args.query, args.step_timeout, args.index_timeout)
    finally:
        watchdog.cancel()
    _print(report.to_json(), args.json)
    return EXIT_OK if report.ok else EXIT_FAILURE
