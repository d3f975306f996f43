"""An annotated copy of a PDF: the user's notes as real PDF annotations.

Highlights, underlines and strike-throughs become the PDF markup annotations of
the same kind over the stored quads; sticky notes become text ("note")
annotations; drawings become ink annotations of the same line width; each
carries its colour, its author (the annotation's title) and
its note (its contents). Bookmarks are appended to the outline. The source PDF
is opened read-only and a new file is written beside the destination, then
renamed into place: the bundled PDFs are never modified.

:func:`export_annotated_pdf` runs PyMuPDF in the calling process: call it
from the command line or a worker process, never the GUI thread.
:func:`export_in_process` runs it in a process of its own and waits for it
(from a task thread): a crash of MuPDF there becomes one sentence, and the
half-written copy is removed.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecip_reader.errors import StorageError, UserError, describe_os_error
from ecip_reader.library.catalogue import sha256_file
from ecip_reader.paths import AppPaths
from ecip_reader.userdata.models import Annotation, AnnotationKind, Colour, parse_iso
from ecip_reader.userdata.store import UserDataStore


@dataclass(frozen=True)
class PdfExportResult:
    path: Path
    annotations: int  # written as PDF annotations
    bookmarks: int  # added to the outline
    skipped: int  # notes that could not re-attach, or on a page the file lacks


def _pdf_date(stamp: str) -> str:
    return parse_iso(stamp).strftime("D:%Y%m%d%H%M%S+00'00'")


def _add(page: Any, annotation: Annotation, rgb: tuple[float, float, float]) -> bool:
    import pymupdf as module

    mu: Any = module  # PyMuPDF's constructors are untyped
    kind = annotation.kind
    if kind is AnnotationKind.STICKY_NOTE:
        if annotation.point is None:
            return False
        annot = page.add_text_annot(mu.Point(*annotation.point), annotation.note, icon="Note")
    elif kind is AnnotationKind.INK:
        if not annotation.strokes:
            return False
        annot = page.add_ink_annot([list(stroke) for stroke in annotation.strokes])
        annot.set_border(width=annotation.width)
    else:
        if not annotation.quads:
            return False
        quads = [
            mu.Quad(
                mu.Point(q.ul_x, q.ul_y),
                mu.Point(q.ur_x, q.ur_y),
                mu.Point(q.ll_x, q.ll_y),
                mu.Point(q.lr_x, q.lr_y),
            )
            for q in annotation.quads
        ]
        adder = {
            AnnotationKind.HIGHLIGHT: page.add_highlight_annot,
            AnnotationKind.UNDERLINE: page.add_underline_annot,
            AnnotationKind.STRIKE_THROUGH: page.add_strikeout_annot,
        }[kind]
        annot = adder(quads=quads)
    annot.set_colors(stroke=rgb)
    annot.set_info(
        title=annotation.author,
        content=annotation.note,
        subject=kind.value,
        creationDate=_pdf_date(annotation.created),
        modDate=_pdf_date(annotation.modified),
    )
    annot.update()
    return True


def export_annotated_pdf(
    store: UserDataStore, doc_hash: str, source: Path, dest: Path
) -> PdfExportResult:
    """Write a copy of ``source`` with the notes of ``doc_hash`` (visible layers included).

    Refuses a ``source`` whose content is not ``doc_hash`` (the notes would
    land in the wrong places) and a ``dest`` that is ``source`` itself.
    """
    from ecip_reader.pdf.document import open_pdf

    if dest.resolve() == source.resolve():
        raise UserError("The annotated copy must be saved under another name than the original.")
    try:
        actual = sha256_file(source)
    except OSError as exc:
        raise UserError(f"Cannot read {source.name}: {exc.strerror or exc}.") from exc
    if actual != doc_hash:
        raise UserError(
            f"{source.name} is not the version of the document these notes were made on."
        )
    palette = store.palette()
    colours = {c.key: c.rgb_floats for c in palette}
    inks = {c.key: Colour(c.key, c.ink_rgb, c.label, c.position).rgb_floats for c in palette}
    doc = open_pdf(source)
    written = skipped = 0
    try:
        for annotation in store.annotations(doc_hash):
            if not annotation.is_drawable or annotation.page > doc.page_count:
                skipped += 1
                continue
            page = doc[annotation.page - 1]
            shades = inks if annotation.kind is AnnotationKind.INK else colours
            rgb = shades.get(annotation.colour, (1.0, 0.85, 0.3))
            if _add(page, annotation, rgb):
                written += 1
            else:
                skipped += 1
        bookmarks = [b for b in store.bookmarks(doc_hash) if b.page <= doc.page_count]
        if bookmarks:
            toc = doc.get_toc(simple=True)
            toc.append([1, "Your bookmarks", bookmarks[0].page])
            toc += [[2, b.label, b.page] for b in bookmarks]
            doc.set_toc(toc)
        _save(doc, dest)
    finally:
        doc.close()
    return PdfExportResult(dest, written, len(bookmarks), skipped)


def partial_path(dest: Path) -> Path:
    """Where the copy is written before it is renamed to ``dest``."""
    return dest.with_name(f".{dest.name}.partial")


def _save(doc: Any, dest: Path) -> None:
    partial = partial_path(dest)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        doc.save(partial, garbage=3, deflate=True)
        os.replace(partial, dest)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise StorageError(describe_os_error(exc, f"the annotated copy {dest.name}")) from exc
    except RuntimeError as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise StorageError(f"Cannot save the annotated copy {dest.name}: {exc}.") from exc


# ---------------------------------------------------------------- in a process of its own

ExportJob = Callable[[AppPaths, str, str, str], tuple[int, int, int]]


def export_job(paths: AppPaths, doc_hash: str, source: str, dest: str) -> tuple[int, int, int]:
    """In the export process: write the copy; returns (annotations, bookmarks, skipped)."""
    store = UserDataStore.open(paths, read_only=True)
    try:
        result = export_annotated_pdf(store, doc_hash, Path(source), Path(dest))
    finally:
        store.close()
    return (result.annotations, result.bookmarks, result.skipped)


def export_in_process(
    paths: AppPaths, doc_hash: str, source: Path, dest: Path, job: ExportJob = export_job
) -> PdfExportResult:
    """Run ``job`` (the export) in a spawned process that opens the notes read-only; wait for it.

    Raises :class:`UserError` with one sentence when the export fails, also
    when its process dies; ``dest`` is then left as it was.
    """
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        future = pool.submit(job, paths, doc_hash, str(source), str(dest))
        try:
            written, bookmarks, skipped = future.result()
        except UserError:
            raise
        except BrokenProcessPool as exc:
            with contextlib.suppress(OSError):
                partial_path(dest).unlink()
            raise UserError(
                f"The annotated copy {dest.name} could not be made: the program writing it "
                "stopped unexpectedly, and nothing was saved."
            ) from exc
        except (OSError, RuntimeError) as exc:
            raise UserError(f"Cannot write the annotated copy {dest.name}: {exc}.") from exc
    return PdfExportResult(dest, written, bookmarks, skipped)
