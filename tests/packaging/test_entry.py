"""The frozen application's entry script runs the same command line as ``ecip-reader``."""

from __future__ import annotations

import subprocess
import sys

from ecip_reader import __version__
from tests.packaging.conftest import PACKAGING


def test_entry_script_runs_the_command_line() -> None:
    result = subprocess.run(
        [sys.executable, str(PACKAGING / "entry.py"), "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"ecip-reader {__version__}"
