"""``ecip-reader verify``: prove that an installation is intact.

Checks the installed program files (installed builds), every bundled PDF
against the catalogue, the search index, the machine-wide policy and that the
user data folder can be written. Prints one line per check::

    OK   bundled library: 30 documents, all hashes match (...)
    FAIL search index: prebuilt index stale (built for another catalogue) (...)

then the verdict (on stderr when a check failed; "passed with N warnings"
when only warnings were found), and exits 0 when every check passed, 1
otherwise, so it can serve as a deployment tool's detection rule. ``--json``
prints ``{"ok", "summary", "problems", "warnings", "checks": [{"name", "ok",
"detail", "warning"}]}`` instead, listing every problem found in the one run.
"""

from __future__ import annotations

import argparse
import json
import sys

from ecip_reader.cli import EXIT_FAILURE, EXIT_OK
from ecip_reader.cli.output import t
from ecip_reader.paths import AppPaths


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the result as one JSON object")


def run(args: argparse.Namespace, paths: AppPaths) -> int:
    from ecip_reader.install.verify import verify_installation

    report = verify_installation(paths)
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
        sys.stdout.flush()
        if not report.ok:  # the reason on stderr, as every command gives it
            print(report.summary(), file=sys.stderr)
    else:
        *checks, summary = report.lines()
        for line in checks:
            print(t(line))
        sys.stdout.flush()
        # The verdict; on failure it goes to stderr, like every command's reason.
        print(t(summary), file=sys.stdout if report.ok else sys.stderr)
    sys.stdout.flush()
    return EXIT_OK if report.ok else EXIT_FAILURE
