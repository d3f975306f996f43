"""A copy of some pages of a PDF, for printing to a PDF file or to a printer.

The pages are copied as they are (text stays text, drawings stay drawings,
links within the chosen pages keep working) and, when asked, the reader's
notes on those pages are added as real PDF annotations, as the annotated
export writes them. The source is never modified; the copy is written whole
and then renamed into place.

PyMuPDF runs in the calling process: :func:`print_copy_in_process` runs it in
a process of its own and waits for it (call that from a task thread).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecip_reader.errors import StorageError, UserError, describe_os_error
from ecip_reader.fileio import atomic_write_bytes
from ecip_reader.library.catalogue import sha256_file
from ecip_reader.paths import AppPaths
from ecip_reader.userdata.pdf_export import _add
from ecip_reader.userdata.store import UserDataStore


@dataclass(frozen=True)
class NotesSource:
    """Whose notes to add: the user's data folders and the document's content hash."""

    paths: AppPaths
    doc_hash: str


@dataclass(frozen=True)
class PrintCopy:
    pages: int  # pages written
    notes: int  # notes added as annotations
    notes_left_out: str  # why the notes were not added ("" when they were, or not asked for)


def page_runs(pages: Sequence[int]) -> list[tuple[int, int]]:
    """0-based pages as (first, last) runs of consecutive pages, in the order given."""
    runs: list[tuple[int, int]] = []
    for page in pages:
        if runs and page == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], page)
        else:
            runs.append((page, page))
    return runs


def write_print_copy(
    source: Path, pages: Sequence[int], dest: Path, notes: NotesSource | None = None
) -> PrintCopy:
    """Write ``pages`` (0-based) of ``source`` to ``dest``, with the notes on them if asked."""
    import pymupdf

    from ecip_reader.pdf.document import open_pdf

    doc = open_pdf(source)
    try:
        wanted = [p for p in pages if 0 <= p < doc.page_count]
        if not wanted:
            raise UserError(f"{source.name} has none of the pages asked for.")
        added, left_out = _add_notes(doc, source, set(wanted), notes) if notes else (0, "")
        copy: Any = pymupdf.open()
        try:
            for first, last in page_runs(wanted):
                copy.insert_pdf(doc, from_page=first, to_page=last, annots=True)
            data = copy.tobytes(garbage=3, deflate=True)
        finally:
            copy.close()
    finally:
        doc.close()
    try:
        atomic_write_bytes(dest, data)
    except OSError as exc:
        raise StorageError(describe_os_error(exc, dest.name)) from exc
    return PrintCopy(len(wanted), added, left_out)


def _add_notes(doc: Any, source: Path, pages: set[int], notes: NotesSource) -> tuple[int, str]:
    """Put the notes of ``pages`` on ``doc`` (in memory); (how many, why none if none)."""
    try:
        same = sha256_file(source) == notes.doc_hash
    except OSError:
        same = False
    if not same:
        return 0, f"{source.name} is not the version your notes were made on"
    store = UserDataStore.open(notes.paths, read_only=True)
    try:
        colours = {c.key: c.rgb_floats for c in store.palette()}
        added = 0
        for annotation in store.annotations(notes.doc_hash):
            index = annotation.page - 1
            if annotation.is_drawable and index in pages:
                rgb = colours.get(annotation.colour, (1.0, 0.85, 0.3))
                added += 1 if _add(doc[index], annotation, rgb) else 0
    finally:
        store.close()
    return added, ""


def _job(source: str, pages: list[int], dest: str, notes: NotesSource | None) -> PrintCopy:
    return write_print_copy(Path(source), pages, Path(dest), notes)


def print_copy_in_process(
    source: Path, pages: Sequence[int], dest: Path, notes: NotesSource | None = None
) -> PrintCopy:
    """:func:`write_print_copy` in a spawned process; a crash there is one sentence."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        future = pool.submit(_job, str(source), list(pages), str(dest), notes)
        try:
            return future.result()
        except UserError:
            raise
        except BrokenProcessPool as exc:
            raise UserError(
                f"{dest.name} could not be written: the PDF reader stopped while copying the pages."
            ) from exc
        except (OSError, RuntimeError) as exc:
            raise UserError(f"{dest.name} could not be written: {exc}.") from exc
