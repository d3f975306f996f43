"""An annotated copy of a PDF: the user's notes as real PDF annotations.

Highlights, underlines and strike-throughs become the PDF markup annotations of
the same kind over the stored quads; sticky notes become text ("note")
annotations; drawings become ink annotations of the same line width; each
carries its colour, its author (the annotation's title) and
its note (its contents). Bookmarks are appended to the outline. The source PDF
is opened read-only and a new file is written beside the destination, then
renamed into place: the bundled PDFs are never modified.

PyMuPDF runs in the calling process: call this from the command line or a
worker process, never the GUI thread.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecip_reader.errors import StorageError, UserError, describe_os_error
from ecip_reader.library.catalogue import sha256_file
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


def _save(doc: Any, dest: Path) -> None:
    partial = dest.with_name(f".{dest.name}.partial")
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
