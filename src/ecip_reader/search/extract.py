"""Text extraction in a separate worker process.

PyMuPDF holds the GIL while it works and can crash on a bad file, so the index
writer never calls it. A worker process (started with the "spawn" method) opens
each PDF, extracts and cleans the text of its pages and streams it back in
batches through a pipe; the pipe's bounded buffer keeps the worker from running
far ahead of the writer. Text extraction is the larger half of the work, so the
analysis of the text stays with the writer, which keeps both processes busy. A
worker that dies or hangs is replaced, and the file it was reading is reported
as failed.

Messages from the worker (plain tuples, so they pickle cheaply):

* ``("start", job, page_count, title, author, sha256)``
* ``("pages", job, first_page, [page_text, ...])``
* ``("done", job, notes)``: sentences about the file a reader should know
  (for now only that it has no text to search: a scan)
* ``("failed", job, reason)``: the worker said why it could not read the file;
  the indexer adds a fourth item, ``True``, when the worker died or hung on it
  instead (such a file is tried once more by the next update)
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ecip_reader.fileio import NotAFile, shown_name

log = logging.getLogger(__name__)

BATCH_PAGES = 24
HANG_SECONDS = 180.0


@dataclass(frozen=True)
class ExtractJob:
    number: int
    path: str
    want_hash: bool = False


def _extract(conn: Connection, job: ExtractJob) -> None:
    """Send the messages of one job; every failure becomes one "failed" message."""
    from ecip_reader.errors import DocumentError

    name = shown_name(job.path)
    try:
        _read_document(conn, job)
    except DocumentError as exc:
        conn.send(("failed", job.number, str(exc)))
    except NotAFile as exc:
        conn.send(("failed", job.number, exc.sentence()))
    except OSError as exc:
        reason = f"{name} could not be read ({exc.strerror or exc})."
        conn.send(("failed", job.number, reason))
    except Exception:
        # Anything else MuPDF raises is about the file; the traceback is for the log.
        log.info("extracting %s failed", name, exc_info=True)
        conn.send(("failed", job.number, f"{name} is damaged and its text could not be read."))


def _read_document(conn: Connection, job: ExtractJob) -> None:
    import pymupdf

    from ecip_reader.library.catalogue import sha256_file
    from ecip_reader.pdf.describe import no_text_note
    from ecip_reader.pdf.document import open_pdf
    from ecip_reader.pdf.process_memory import release_free_memory
    from ecip_reader.text import clean_text

    path = Path(job.path)
    digest = sha256_file(path) if job.want_hash else ""
    doc = open_pdf(path)
    try:
        page_count = doc.page_count
        metadata = doc.metadata or {}
        start = (
            "start",
            job.number,
            page_count,
            clean_text(metadata.get("title")),
            clean_text(metadata.get("author")),
            digest,
        )
        # PyMuPDF's flags for "text" less TEXT_CID_FOR_UNKNOWN_UNICODE (glyph codes
        # are no words): the same text, about a sixth faster.
        flags = (
            pymupdf.TEXT_PRESERVE_LIGATURES
            | pymupdf.TEXT_PRESERVE_WHITESPACE
            | pymupdf.TEXT_MEDIABOX_CLIP
        )
        conn.send(start)
        batch: list[str] = []
        first = 1
        any_text = False
        for number in range(page_count):
            try:
                text = clean_text(doc.load_page(number).get_text("text", flags=flags))
            except Exception as exc:  # one unreadable page must not lose the document
                log.info("page %d of %s unreadable: %s", number + 1, path.name, exc)
                text = ""
            any_text = any_text or bool(text)
            batch.append(text)
            if len(batch) >= BATCH_PAGES:
                conn.send(("pages", job.number, first, batch))
                first += len(batch)
                batch = []
        if batch:
            conn.send(("pages", job.number, first, batch))
    finally:
        doc.close()
        pymupdf.TOOLS.store_shrink(100)  # drop fonts and images cached for this file
        release_free_memory()  # and give what they took back to the system
    notes = () if any_text else (no_text_note(path.name),)
    conn.send(("done", job.number, notes))


def worker_main(conn: Connection) -> None:
    """Entry point of the worker process: extract every job received until ``None``."""
    import pymupdf

    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    try:
        while True:
            job = conn.recv()
            if job is None:
                return
            _extract(conn, job)
    except (EOFError, BrokenPipeError, ConnectionResetError, KeyboardInterrupt):
        return  # the indexer went away


class Extractor:
    """Runs extraction jobs through a worker process, replacing it when it dies."""

    def __init__(self, hang_seconds: float = HANG_SECONDS) -> None:
        self._context = multiprocessing.get_context("spawn")
        self._hang_seconds = hang_seconds
        self._process: Any = None
        self._conn: Connection | None = None
        self.restarts = 0
        self._busy = False

    def __enter__(self) -> Extractor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def _start(self) -> Connection:
        parent, child = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=worker_main, args=(child,), name="ecip-extract", daemon=True
        )
        process.start()
        child.close()
        self._process = process
        self._conn = parent
        return parent

    def _stop(self, kill: bool) -> None:
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if conn is not None and not kill:
            try:
                conn.send(None)
            except OSError:
                kill = True
        if process is not None:
            if not kill:
                process.join(5)
            if process.is_alive():
                process.kill()
            process.join(5)
            process.close()
        if conn is not None:
            conn.close()

    def close(self) -> None:
        self._stop(kill=self._busy)

    def run(self, jobs: list[ExtractJob]) -> Iterator[tuple[Any, ...]]:
        """Yield the worker's messages for every job, in job order."""
        pending = deque(jobs)
        inflight: deque[ExtractJob] = deque()
        conn = self._conn or self._start()
        self._busy = True

        def send_next() -> None:
            if pending:
                job = pending.popleft()
                inflight.append(job)
                # A worker that is gone is noticed and replaced by the loop below.
                with contextlib.suppress(OSError):
                    conn.send(job)

        send_next()
        send_next()
        waited = 0.0
        while inflight:
            reason = ""
            began = time.monotonic()
            if conn.poll(0.5):
                try:
                    message = conn.recv()
                except (EOFError, OSError):
                    reason = "the PDF reader stopped while reading it"
                else:
                    waited = 0.0
                    if message[0] in ("done", "failed"):
                        inflight.popleft()
                        send_next()
                    yield message
                    continue
            else:
                waited += time.monotonic() - began
                if self._process is not None and not self._process.is_alive():
                    reason = "the PDF reader stopped while reading it"
                elif waited > self._hang_seconds:
                    reason = "reading it took too long"
                else:
                    continue
            job = inflight.popleft()
            name = shown_name(job.path)
            log.warning("extraction worker lost on %s: %s", name, reason)
            yield ("failed", job.number, f"{name} could not be read: {reason}.", True)
            pending.extendleft(reversed(inflight))
            inflight.clear()
            self._stop(kill=True)
            self.restarts += 1
            conn = self._start()
            waited = 0.0
            send_next()
            send_next()
        self._busy = False
