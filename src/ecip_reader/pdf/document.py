"""Opening a PDF with one plain sentence for every way it can go wrong.

:func:`open_pdf` is the only place that calls ``pymupdf.open``; the render
worker, the text extractor and the CLI all go through it. The sentences name
the file and the reason, for example::

    notes.pdf is not a PDF: the file is empty.
    photo.pdf is not a PDF: it is a PNG image.
    report.pdf is damaged and could not be repaired.
    minutes.pdf is password-protected.

What a document that does open holds beyond its pages (no text layer, scripts,
attachments, restrictions) is described by :mod:`ecip_reader.pdf.describe`.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, BinaryIO

import pymupdf

from ecip_reader.errors import DocumentError
from ecip_reader.fileio import (
    HEADER_WINDOW,
    IS_FOLDER,
    PDF_MARKER,
    NotAFile,
    open_regular,
    other_format,
    shown_name,
)

# The cleaner of extracted and metadata text lives in a module free of PyMuPDF;
# the readers of PDFs find it here too.
from ecip_reader.text import clean_text as clean_text

log = logging.getLogger(__name__)

# Cap on the pixels of any render (about 8 megapixels for a page, 0.1 for a thumbnail).
MAX_RENDER_PIXELS = 8_000_000


class PasswordRequired(DocumentError):
    """The PDF is encrypted with a user password; ask for it and try again."""


def open_pdf(path: Path, password: str | None = None) -> Any:
    """Open ``path`` and return a ``pymupdf.Document`` ready to read.

    Raises :class:`DocumentError` (or :class:`PasswordRequired`) with a message
    naming the file and the reason. A document MuPDF had to repair opens
    normally (``doc.is_repaired`` says so). Only a regular file is opened: a
    named pipe, a device, a socket or a broken link is refused before anything
    is read from it.
    """
    path = Path(path)
    name = shown_name(path)
    handle = _open_checked(path)
    try:
        head = handle.read(HEADER_WINDOW)
        _quiet_mupdf()
        other = other_format(head)
        if other is not None:
            raise DocumentError(f"{name} is not a PDF: {other}.")
        looks_like_pdf = PDF_MARKER in head
        try:
            doc = pymupdf.open(_mupdf_name(path, handle), filetype="pdf")
        except Exception as exc:
            # Whatever MuPDF raises here is about the file, never about us.
            log.debug("MuPDF could not open %s: %r", path, exc)
            raise DocumentError(_unreadable(name, looks_like_pdf)) from exc
        finally:
            _log_mupdf_warnings(path)
    finally:
        handle.close()
    try:
        if not doc.is_pdf:
            raise DocumentError(f"{name} is not a PDF.")
        if doc.needs_pass:
            if password is None:
                raise PasswordRequired(f"{name} is password-protected.")
            # Use authenticate()'s return value: reading needs_pass afterwards breaks decryption.
            if not doc.authenticate(password):
                raise PasswordRequired(f"The password for {name} is not correct.")
        if _page_count(doc, path) == 0:
            raise DocumentError(_unreadable(name, looks_like_pdf))
    except BaseException:
        doc.close()
        raise
    return doc


def _page_count(doc: Any, path: Path) -> int:
    """The page count, or a :class:`DocumentError` when the page tree claims an impossible one."""
    try:
        return int(doc.page_count)
    except Exception as exc:  # MuPDF: "Invalid number of pages" (a count of 2**31 - 1, say)
        log.debug("MuPDF could not count the pages of %s: %r", path, exc)
        raise DocumentError(
            f"{shown_name(path)} is damaged: the number of pages it claims is not valid."
        ) from exc


def _mupdf_name(path: Path, handle: BinaryIO) -> str:
    """The name MuPDF opens: ``path``, or the open handle's when the name is not UTF-8.

    MuPDF takes names as UTF-8; a name with other bytes is reached through the
    handle already opened (and checked) instead.
    """
    name = str(path)
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        for folder in ("/proc/self/fd", "/dev/fd"):
            if os.path.isdir(folder):
                return f"{folder}/{handle.fileno()}"
        raise
    return name


def _open_checked(path: Path) -> BinaryIO:
    """``path`` opened for reading, or a :class:`DocumentError` saying why it cannot be."""
    name = shown_name(path)
    try:
        return open_regular(path)
    except NotAFile as exc:
        if exc.reason == IS_FOLDER:
            raise DocumentError(f"{name} is a folder, not a PDF.") from exc
        raise DocumentError(exc.sentence()) from exc
    except FileNotFoundError as exc:
        raise DocumentError(f"{name} could not be found.") from exc
    except PermissionError as exc:
        raise DocumentError(f"{name} cannot be read: permission denied.") from exc
    except OSError as exc:
        raise DocumentError(f"{name} cannot be read ({exc.strerror or exc}).") from exc


def _unreadable(name: str, looks_like_pdf: bool) -> str:
    if looks_like_pdf:
        return f"{name} is damaged and could not be repaired."
    return f"{name} is not a PDF."


def _quiet_mupdf() -> None:
    """Keep MuPDF's own messages off stderr; they are logged instead (see below)."""
    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)


def _log_mupdf_warnings(path: Path) -> None:
    """Move MuPDF's collected warnings (repairs and the like) to the debug log."""
    warnings = pymupdf.TOOLS.mupdf_warnings(reset=True)
    if warnings:
        log.debug("MuPDF on %s: %s", path, warnings.replace("\n", "; "))


def render_zoom(
    width_pt: float, height_pt: float, zoom: float, max_pixels: int = MAX_RENDER_PIXELS
) -> float:
    """The zoom to render at: ``zoom`` unless that would exceed ``max_pixels``.

    MuPDF rounds a pixmap's edges outwards, adding up to two pixels to each
    side's length; the capped zoom leaves room for that.
    """
    width, height = abs(width_pt), abs(height_pt)
    if width * height <= 0 or (width * zoom + 2) * (height * zoom + 2) <= max_pixels:
        return zoom
    # Largest z with (width*z + 2) * (height*z + 2) <= max_pixels.
    area, edges = width * height, 2 * (width + height)
    root = (edges * edges - 4 * area * (4 - max_pixels)) ** 0.5
    return float(max((root - edges) / (2 * area), 0.0))
