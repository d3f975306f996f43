"""Stand-ins for the annotated-PDF export job, run in the export's own process."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from ecip_reader.paths import AppPaths
from ecip_reader.userdata.pdf_export import partial_path


def write_then_die(paths: AppPaths, doc_hash: str, source: str, dest: str) -> tuple[int, int, int]:
    """Start writing the copy, then die the way a crash in MuPDF would."""
    partial_path(Path(dest)).write_bytes(b"%PDF-1.7\n% half a file")
    os.kill(os.getpid(), signal.SIGKILL)
    raise AssertionError("not reached")
