"""``ecip-reader build-library``: typeset the bundled library from its sources.

Reads ``bundled_library/sources/*.md``, writes one PDF per source and
``catalogue.json`` beside them. A malformed source stops the build before any
file is written; every problem is printed with its file and line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ecip_reader.paths import AppPaths


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sources",
        metavar="DIR",
        type=Path,
        help="folder of .md sources (default: bundled_library/sources of the installation)",
    )
    parser.add_argument(
        "--output",
        metavar="DIR",
        type=Path,
        help="folder for the PDFs and catalogue.json (default: bundled_library)",
    )
    parser.add_argument(
        "--only",
        metavar="ID",
        nargs="+",
        default=[],
        help="typeset only these documents; the others keep their existing PDFs",
    )


def run(args: argparse.Namespace, paths: AppPaths) -> int:
    from ecip_reader.paths import install_root
    from ecip_reader.typeset.build import Built, SourceProblems, build_library

    library = install_root() / "bundled_library"
    sources: Path = args.sources or library / "sources"
    output: Path = args.output or library
    print(f"Building the library from {sources} into {output}")

    def progress(number: int, total: int, built: Built) -> None:
        entry = built.entry
        unit = "slides" if entry.kind == "presentation" else "pages"
        how = f"{built.seconds:.2f} s" if built.typeset else "kept"
        width = len(str(total))
        print(f"[{number:>{width}}/{total}] {entry.id}: {entry.kind}, {entry.pages} {unit} ({how})")

    try:
        report = build_library(sources, output, args.only, progress)
    except SourceProblems as exc:
        for error in exc.errors:
            print(f"error: {error}", file=sys.stderr)
        print(f"{len(exc.errors)} problem(s) in the sources; nothing was written.", file=sys.stderr)
        return 1
    for warning in report.warnings:
        print(f"warning: {warning}")
    typeset = sum(1 for b in report.documents if b.typeset)
    print(
        f"Done: {len(report.documents)} documents ({typeset} typeset), {report.pages} pages, "
        f"catalogue.json written, in {report.seconds:.1f} s."
    )
    return 0
