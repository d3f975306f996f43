"""Worker entry points that die or hang like a failing MuPDF, for the crash tests.

A test puts one of these in place of the real extraction worker
(``ecip_reader.search.extract.worker_main``); the "spawn" start method imports
this module in the child by name. The child kills itself with SIGKILL — no
Python clean-up, exactly like a segmentation fault in MuPDF — when it reaches
the file named by :data:`CRASH_FILE_ENV`, either while opening it or on the
page number given by :data:`CRASH_PAGE_ENV` (1-based). The hanging worker
sleeps for an hour when it opens the file named by :data:`HANG_FILE_ENV`.
"""

from __future__ import annotations

import os
import signal
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

CRASH_FILE_ENV = "ECIP_TEST_CRASH_FILE"
CRASH_PAGE_ENV = "ECIP_TEST_CRASH_PAGE"
HANG_FILE_ENV = "ECIP_TEST_HANG_FILE"


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def crashing_extract_worker(conn: Connection) -> None:
    """The real extraction worker, except that it dies on the marked file."""
    import pymupdf

    from ecip_reader.pdf import document
    from ecip_reader.search import extract

    victim = os.environ[CRASH_FILE_ENV]
    crash_page = int(os.environ.get(CRASH_PAGE_ENV, "0"))
    real_open = document.open_pdf
    real_load_page = pymupdf.Document.load_page

    def open_pdf(path: Path, password: str | None = None) -> Any:
        if Path(path).name == victim and crash_page == 0:
            _die()
        return real_open(path, password)

    def load_page(doc: Any, number: int = 0) -> Any:
        if Path(str(doc.name)).name == victim and number + 1 == crash_page:
            _die()
        return real_load_page(doc, number)

    document.open_pdf = open_pdf
    pymupdf.Document.load_page = load_page
    extract.worker_main(conn)


def hanging_extract_worker(conn: Connection) -> None:
    """The real extraction worker, except that it stops answering on the marked file."""
    from ecip_reader.pdf import document
    from ecip_reader.search import extract

    victim = os.environ[HANG_FILE_ENV]
    real_open = document.open_pdf

    def open_pdf(path: Path, password: str | None = None) -> Any:
        if Path(path).name == victim:
            time.sleep(3600)
        return real_open(path, password)

    document.open_pdf = open_pdf
    extract.worker_main(conn)
