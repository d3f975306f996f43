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
import json
import sys
from typing import Any, TextIO

from ecip_reader.cli import EXIT_FAILURE, EXIT_OK, EXIT_USAGE
from ecip_reader.cli.index_cmd import TerminalProgress, resolve_library
from ecip_reader.paths import AppPaths

_BOLD = "\033[1m"
_RESET = "\033[0m"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", nargs="*", metavar="QUERY", help="words to search for")
    parser.add_argument("--library", metavar="DIR", help="search this folder of PDFs")
    parser.add_argument(
        "--limit", type=int, default=10, metavar="N", help="at most N documents (default 10)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument(
        "--stdin", action="store_true", help="read one query per line from standard input"
    )
    for name in ("kind", "organisation", "programme", "topic"):
        parser.add_argument(f"--{name}", metavar="VALUE", help=f"only documents with this {name}")


def _print_text(response: Any, stream: TextIO, mark: bool) -> None:
    def render(segments: tuple[tuple[str, bool], ...]) -> str:
        if not mark:
            return "".join(text for text, _ in segments)
        return "".join(f"{_BOLD}{t}{_RESET}" if hit else t for t, hit in segments)

    if response.corrected_query:
        stream.write(
            f"Showing results for: {response.corrected_query} "
            f"(as typed: {response.as_typed_query})\n"
        )
    if response.suggestion:
        stream.write(f"Did you mean: {response.suggestion}\n")
    if response.message:
        stream.write(f"{response.message}\n")
    if response.results:
        noun = "document" if response.total_documents == 1 else "documents"
        every = ""
        if 0 < response.all_words_documents < response.total_documents:
            every = f", {response.all_words_documents} with every word"
        stream.write(
            f"{response.total_documents} {noun} for {response.query!r} "
            f"({response.took_ms:.1f} ms{every})\n"
        )
    for rank, hit in enumerate(response.results, 1):
        organisation = f" — {hit.organisation}" if hit.organisation else ""
        stream.write(f"\n{rank}. {hit.title}{organisation} [{hit.kind}]  ({hit.doc_id})\n")
        if hit.missing:
            stream.write(f"   missing: {', '.join(hit.missing)}\n")
        for page in hit.pages:
            stream.write(f"   p. {page.page}: {render(page.segments)}\n")
    kinds = response.facets.get("kind", {})
    if kinds and response.results:
        stream.write("\n" + ", ".join(f"{k} ({n})" for k, n in kinds.items()) + "\n")


def run(args: argparse.Namespace, paths: AppPaths) -> int:
    from ecip_reader.search.ingest import BuildProgress
    from ecip_reader.search.service import service_for

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
    service = service_for(paths, library)
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
        queries = (
            (line.rstrip("\r\n") for line in sys.stdin) if args.stdin else [" ".join(args.query)]
        )
        mark = sys.stdout.isatty()
        for text in queries:
            if args.stdin and not text.strip():
                continue
            response = service.search(text, limit=args.limit, filters=filters)
            if args.json:
                sys.stdout.write(json.dumps(response.to_json(), ensure_ascii=False) + "\n")
                sys.stdout.flush()
            else:
                _print_text(response, sys.stdout, mark)
    finally:
        service.close()
    return EXIT_OK
