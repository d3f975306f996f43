"""The command line: ``ecip-reader [OPTIONS] [COMMAND] ...`` or ``ecip-reader [OPTIONS] [FILE...]``.

With no command the main window opens on the bundled library; with PDF
files it opens those too (the desktop entry passes every file the
user chose). When the reader is already running for this user and data
folder, the running window is raised (and opens the files) and the new
process exits at once. The window also logs to a rotated file in the user's
data folder (:mod:`ecip_reader.cli.logfile`).

Exit codes, the same for every command:

* 0 — the command did what was asked;
* 1 — it ran and failed (a self-test step failed, an index could not be
  written, a verification found a problem); the reason is printed on stderr;
* 2 — usage error (unknown option, missing argument, unreadable query file).

Each command lives in its own module of this package with two functions,
``add_arguments(parser)`` and ``run(args, paths) -> int``. Command modules keep
their top-level imports light (heavy imports go inside ``run``), so building the
parser stays cheap and the GUI start stays fast.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from ecip_reader import APP_NAME, APP_TITLE, __version__
from ecip_reader.cli.output import safe_streams, t
from ecip_reader.errors import UserError
from ecip_reader.paths import AppPaths

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2

# command name -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "self-test": ("selftest", "start the UI offscreen, run a search and open a document"),
    "search": ("search_cmd", "search a library and print ranked documents and pages"),
    "index": ("index_cmd", "build or update the search index of a library"),
    "verify": ("verify_cmd", "check an installation: bundled files, index, user data folder"),
    "notes": ("notes_cmd", "export and import annotations and notes packs"),
    "build-library": ("build_library_cmd", "build the bundled PDFs and catalogue from sources"),
}


def _load(name: str) -> ModuleType:
    return importlib.import_module(f"ecip_reader.cli.{COMMANDS[name][0]}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=APP_NAME,
        usage=f"{APP_NAME} [OPTIONS] [FILE ...]  |  {APP_NAME} [OPTIONS] COMMAND ...",
        description=f"{APP_TITLE}: read, search and annotate the ECIP case studies offline.",
        epilog="Exit codes: 0 success, 1 failure (reason on stderr), 2 usage error.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="keep user data, caches and settings below DIR (default: the platform's "
        "per-user folders; also settable with ECIP_READER_HOME)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more detail")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", prog=APP_NAME)
    for name, (_module, help_text) in COMMANDS.items():
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        _load(name).add_arguments(command_parser)
    return parser


def split_files(args: Sequence[str]) -> tuple[list[str], list[str]]:
    """Take the files of the window start out of ``args``.

    Words that are neither options, an option's value nor a command name are
    files, up to the first command name (whose own arguments are left alone);
    everything else is left for the parser.
    """
    rest = list(args)
    files: list[str] = []
    i = 0
    while i < len(rest):
        word = rest[i]
        if word == "--":
            files += rest[i + 1 :]
            del rest[i:]
            break
        if word == "--data-dir":
            i += 2
            continue
        if word.startswith("-"):
            i += 1
            continue
        if word in COMMANDS:
            break
        files.append(rest.pop(i))
    return files, rest


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    files, args_list = split_files(args_list)
    args = parser.parse_args(args_list)
    if files and args.command is not None:
        parser.error(f"a command cannot follow a file: {files[0]}")
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    paths = AppPaths.from_environment(args.data_dir)
    safe_streams()
    try:
        if args.command is None:
            return _run_window(paths, files)
        return int(_load(args.command).run(args, paths))
    except UserError as exc:
        print(f"{APP_NAME}: {t(exc)}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader of the output went away (``| head``): stop quietly, and keep
        # Python from failing again when it flushes standard output at exit.
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FAILURE


def _run_window(paths: AppPaths, files: list[str]) -> int:
    from ecip_reader.app import run_gui
    from ecip_reader.cli import logfile

    log_path = logfile.start_log_file(paths)
    previous_hook = sys.excepthook
    if log_path is not None:
        sys.excepthook = logfile.log_uncaught
    try:
        return run_gui(paths, files)
    finally:
        sys.excepthook = previous_hook
        if log_path is not None:
            logfile.stop_log_file(log_path)
