"""``ecip-reader search``: ranked documents with page numbers and snippets.

``--json`` prints one JSON object per query::

    {"query", "took_ms", "total_documents", "all_words_documents", "corrected_query",
     "as_typed_query", "suggestion", "fallback_or", "message",
     "results": [{"doc_id", "title", "kind", "organisation", "score", "missing",
                  "pages": [{"page", "snippet"}]}],
     "facets": {"kind": {...}, "organisation": {...}, "programme": {...}, "topic": {...}}}

``--json --stdin`` reads one query per line and writes one JSON object per
line, so many queries can be timed in one process. The index is built first
when it is missing or out of date.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from ecip_reader.cli import EXIT_FAILURE, EXIT_OK, EXIT_USAGE
from ecip_reader.cli.index_cmd import TerminalProgress, resolve_library
from ecip_reader.cli.output import json_text, t
from ecip_reader.paths import AppPaths

_BOLD = "\033[1m"
_RESET = "\033[0m"


EPILOG = """\
To leave out documents with a word, write NOT before it, or end the options
with -- so that a word starting with "-" is read as part of the query:
  ecip-reader search discharge NOT home
  ecip-reader search -- discharge -home
"""

# Control characters on a line of --stdin separate words, as spaces would.
_CONTROLS_TO_SPACES = {code: " " for code in (*range(0x20), 0x7F)}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = EPILOG
    parser.add_argument(
        "query",
        nargs="*",
        metavar="QUERY",
        help='words to search for; "exact phrase", word OR other, NOT word, discharg*, '
        "title:word (see below for words starting with -)",
    )
    parser.add_argument("--library", metavar="DIR", help="search this folder of PDFs")
    parser.add_argument(
        "--limit", type=int, default=10, metavar="N", help="at most N documents (default 10)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument(
        "--stdin",
        action="store_true",
        help="read one query per line from standard input; every line gets one answer "
        "(a blank line an empty one)",
    )
    for name in ("kind", "organisation", "programme", "topic"):
        parser.add_argument(f"--{name}", metavar="VALUE", help=f"only documents with this {name}")


def _print_text(response: Any, stream: TextIO, mark: bool) -> None:
    def render(segments: tuple[tuple[str, bool], ...]) -> str:
        if not mark:
            return "".join(t(text) for text, _ in segments)
        return "".join(f"{_BOLD}{t(text)}{_RESET}" if hit else t(text) for text, hit in segments)

    if response.corrected_query:
        stream.write(
            f"Showing results for: {response.corrected_query} "
            f"(as typed: {response.as_typed_query})\n"
        )
    if response.suggestion:
        stream.write(f"Did you mean: {t(response.suggestion)}\n")
    if response.message:
        stream.write(f"{t(response.message)}\n")
    if response.results:
        noun = "document" if response.total_documents == 1 else "documents"
        every = ""
        if 0 < response.all_words_documents < response.total_documents:
            every = f", {response.all_words_documents} with every word"
        stream.write(
            f"{response.total_documents} {noun} for '{t(response.query)}' "
            f"({response.took_ms:.1f} ms{every})\n"
        )
    for rank, hit in enumerate(response.results, 1):
        organisation = f" — {t(hit.organisation)}" if hit.organisation else ""
        stream.write(f"\n{rank}. {t(hit.title)}{organisation} [{t(hit.kind)}]  ({t(hit.doc_id)})\n")
        if hit.missing:
            stream.write(f"   missing: {t(', '.join(hit.missing))}\n")
        for page in hit.pages:
            stream.write(f"   p. {page.page}: {render(page.segments)}\n")
    kinds = response.facets.get("kind", {})
    if kinds and response.results:
        stream.write("\n" + ", ".join(f"{t(k)} ({n})" for k, n in kinds.items()) + "\n")


def stdin_queries(stream: TextIO) -> Iterator[str]:
    """One query per line of ``stream``, blank ones included.

    Only a line feed ends a line (a lone carriage return does not); NUL, CR and
    the other control characters inside a line become spaces, and bytes that
    are not UTF-8 become U+FFFD.
    """
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(newline="\n", errors="replace")
    for line in stream:
        line = line.removesuffix("\n").removesuffix("\r")
        yield line.translate(_CONTROLS_TO_SPACES)


def run(args: argparse.Namespace, paths: AppPaths) -> int:
    from ecip_reader.search.ingest import BuildProgress
    from ecip_reader.search.service import service_for
    from ecip_reader.search.trust import trusted_folders

    if not args.query and not args.stdin:
        print("ecip-reader search: give words to search for, or --stdin.", file=sys.stderr)
        return EXIT_USAGE
    if args.limit < 1:
        print("ecip-reader search: --limit must be at least 1.", file=sys.stderr)
        return EXIT_USAGE
    try:
        library = resolve_library(args.library)
    except ValueError as exc:
        print(f"ecip-reader search: {exc}", file=sys.stderr)
        return EXIT_USAGE
    filters = {
        name: value
        for name in ("kind", "organisation", "programme", "topic")
        if (value := getattr(args, name))
    }
    service = service_for(paths, library, trusted_folders(paths))
    try:
        if service.status() != "ready":
            terminal = TerminalProgress(sys.stderr)
            try:
                service.prepare(lambda done, total: terminal(BuildProgress(done, total, 0, "")))
            finally:
                terminal.finish()
            if service.status() != "ready":
                print("ecip-reader search: the search index could not be opened.", file=sys.stderr)
                return EXIT_FAILURE
        queries = stdin_queries(sys.stdin) if args.stdin else [" ".join(args.query)]
        mark = sys.stdout.isatty()
        for text in queries:
            response = service.search(text, limit=args.limit, filters=filters)
            if args.json:
                sys.stdout.write(json_text(response.to_json()) + "\n")
                sys.stdout.flush()
            else:
                _print_text(response, sys.stdout, mark)
    finally:
        service.close()
    return EXIT_OK
