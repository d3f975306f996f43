"""The PyMuPDF side of re-attaching notes: page texts and word lists of a PDF.

Run :func:`extract_pages` in a worker process (or the command line); its result
is plain lists that pickle cheaply, ready for
:func:`ecip_reader.userdata.reattaching.reattach` and
:func:`ecip_reader.userdata.anchoring.quad_finder` in the process owning the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ecip_reader.userdata.models import Word


@dataclass(frozen=True)
class PdfText:
    texts: list[str]  # page 1 first
    words: list[list[Word]]


def extract_pages(path: Path) -> PdfText:
    """Read every page's text and words; raises :class:`DocumentError` for a bad PDF."""
    from ecip_reader.pdf.document import open_pdf

    doc = open_pdf(path)
    try:
        texts: list[str] = []
        words: list[list[Word]] = []
        for page in doc:
            texts.append(str(page.get_text()))
            words.append(
                [
                    (
                        float(w[0]),
                        float(w[1]),
                        float(w[2]),
                        float(w[3]),
                        str(w[4]),
                        int(w[5]),
                        int(w[6]),
                        int(w[7]),
                    )
                    for w in page.get_text("words")
                ]
            )
        return PdfText(texts, words)
    finally:
        doc.close()
