"""Opening a PDF with one plain sentence for every way it can go wrong.

:func:`open_pdf` is the only place that calls ``pymupdf.open``; the render
worker, the text extractor and the CLI all go through it.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import pymupdf

from ecip_reader.errors import DocumentError

# Cap on the pixels of any render (about 8 megapixels for a page, 0.1 for a thumbnail).
MAX_RENDER_PIXELS = 8_000_000


class PasswordRequired(DocumentError):
    """The PDF is encrypted with a user password; ask for it and try again."""


def open_pdf(path: Path, password: str | None = None) -> Any:
    """Open ``path`` and return a ``pymupdf.Document`` ready to read.

    Raises :class:`DocumentError` (or :class:`PasswordRequired`) with a message
    naming the file and the reason.
    """
    name = path.name
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except pymupdf.EmptyFileError as exc:
        raise DocumentError(f"{name} is empty (zero bytes).") from exc
    except pymupdf.FileNotFoundError as exc:
        raise DocumentError(f"{name} could not be found.") from exc
    except pymupdf.FileDataError as exc:
        raise DocumentError(f"{name} is not a PDF or is too damaged to open.") from exc
    except PermissionError as exc:
        raise DocumentError(f"{name} cannot be read: permission denied.") from exc
    except (RuntimeError, ValueError, OSError) as exc:
        raise DocumentError(f"{name} could not be opened ({exc}).") from exc
    try:
        if not doc.is_pdf:
            raise DocumentError(f"{name} is not a PDF.")
        if doc.needs_pass:
            if password is None:
                raise PasswordRequired(f"{name} is password-protected.")
            # Use authenticate()'s return value: reading needs_pass afterwards breaks decryption.
            if not doc.authenticate(password):
                raise PasswordRequired(f"The password for {name} is not correct.")
        if doc.page_count == 0:
            raise DocumentError(f"{name} is damaged and could not be repaired.")
    except BaseException:
        doc.close()
        raise
    return doc


def clean_text(value: object) -> str:
    """Make a metadata or extracted string safe to show and to index.

    NFKC-normalises (Arabic presentation forms, ligatures), drops control and
    bidirectional-override characters, and folds runs of white space.
    """
    if not isinstance(value, str):
        return ""
    text = unicodedata.normalize("NFKC", value)
    text = "".join(
        ch
        for ch in text
        if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    )
    return re.sub(r"[ \t\r\f\v]+", " ", text).strip()


def render_zoom(
    width_pt: float, height_pt: float, zoom: float, max_pixels: int = MAX_RENDER_PIXELS
) -> float:
    """The zoom to render at: ``zoom`` unless that would exceed ``max_pixels``."""
    pixels = width_pt * zoom * height_pt * zoom
    if pixels <= max_pixels or pixels <= 0:
        return zoom
    return float(zoom * (max_pixels / pixels) ** 0.5)
