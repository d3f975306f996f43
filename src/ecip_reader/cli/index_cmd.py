"""``ecip-reader index``: build or update the search index of a library.

Without ``--library`` it indexes the bundled library into the user cache. With
``--library DIR`` it indexes any folder of PDFs (a catalogue is optional),
updating only new, changed and removed files. ``--output DIR`` writes the index
to DIR instead (used at packaging time to ship a prebuilt index).

JSON output: ``{"documents", "pages", "seconds", "skipped": [{"file", "reason"}],
"notes": [{"file", "note"}], "added", "updated", "removed"}``; a note is about a
file that was indexed, for example that it has no searchable text (a scan).
Exit 0 when everything readable was indexed (skipped files are not an error),
1 when the index could not be written, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from ecip_reader.cli import EXIT_OK, EXIT_USAGE
from ecip_reader.cli.output import json_text, t
from ecip_reader.paths import AppPaths


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--library",
        metavar="DIR",
        help="index this folder of PDFs instead of the bundled library",
    )
    parser.add_argument(
        "--output",
        metavar="DIR",
        help="write the index to DIR instead of the user cache (for packaging)",
    )
    parser.add_argument("--rebuild", action="store_true", help="build from scratch")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


class TerminalProgress:
    """One self-rewriting status line on a terminal; silent elsewhere."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._active = stream.isatty()
        self._width = 0

    def __call__(self, event: Any) -> None:
        if not self._active:
            return
        current = t(event.current)
        name = current if len(current) <= 40 else current[:37] + "..."
        pages = f", {event.pages} pages" if event.pages else ""  # not known to every caller
        line = f"Indexing: {event.files_done}/{event.files_total} files{pages}  {name}"
        self._stream.write("\r" + line.ljust(self._width))
        self._stream.flush()
        self._width = len(line)

    def finish(self) -> None:
        if self._active and self._width:
            self._stream.write("\r" + " " * self._width + "\r")
            self._stream.flush()


def resolve_library(value: str | None) -> Path | None:
    """The folder named by ``--library``, or None for the bundled library.

    Raises ``ValueError`` with a message when the folder does not exist or the
    name is empty (which would otherwise mean the current folder).
    """
    if value is None:
        return None
    if not value.strip():
        raise ValueError("--library: give the folder to use (the name given is empty).")
    folder = Path(value).expanduser()
    if not folder.is_dir():
        raise ValueError(f"--library: {value} is not a folder.")
    return folder


def run(args: argparse.Namespace, paths: AppPaths) -> int:
    from ecip_reader.search.builder import build_index
    from ecip_reader.search.service import service_for
    from ecip_reader.search.trust import trusted_folders

    try:
        library = resolve_library(args.library)
    except ValueError as exc:
        print(f"ecip-reader index: {exc}", file=sys.stderr)
        return EXIT_USAGE
    service = service_for(paths, library, trusted_folders(paths))
    target = service.index_dir
    lock_dir = None
    if args.output:
        target = Path(args.output).expanduser().resolve()
        lock_dir = paths.index_root
    progress = TerminalProgress(sys.stderr)
    try:
        report = build_index(
            target,
            service.library,
            rebuild=args.rebuild,
            progress=progress,
            lock_dir=lock_dir,
        )
    finally:
        progress.finish()
        service.close()
    if args.json:
        print(json_text(report.to_json()))
        return EXIT_OK
    print(
        f"Indexed {report.documents} documents ({report.pages} pages) in {report.seconds:.1f} s"
        f" — {report.added} new, {report.updated} changed, {report.removed} removed."
    )
    # Each reason and note is a sentence that names its file already.
    if report.skipped:
        print(f"Skipped {len(report.skipped)} file(s):")
        for _name, reason in report.skipped:
            print(f"  {t(reason)}")
    if report.notes:
        print("Notes:")
        for _name, note in report.notes:
            print(f"  {t(note)}")
    print(f"Index: {t(target)}")
    return EXIT_OK
