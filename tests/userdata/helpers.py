"""Shared values and helpers of the user-data tests."""

from __future__ import annotations

import hashlib

from ecip_reader.userdata import Annotation, AnnotationKind, Annotator, DocumentRef, TextAnchor

DOC = DocumentRef(
    hashlib.sha256(b"perfect week, first issue").hexdigest(),
    "perfect-week",
    "Making every week a Perfect Week",
)
OTHER_DOC = DocumentRef(
    hashlib.sha256(b"discharge to assess").hexdigest(), "discharge-to-assess", "Discharge to Assess"
)


def highlight(
    annotator: Annotator,
    quote: str = "patient flow",
    page: int = 1,
    note: str = "",
    colour: str = "yellow",
    doc: DocumentRef = DOC,
    kind: AnnotationKind = AnnotationKind.HIGHLIGHT,
) -> Annotation:
    """A markup annotation over one line of text."""
    return annotator.add_markup(
        doc,
        page,
        kind,
        [(72.0, 100.0 + 20 * page, 220.0, 114.0 + 20 * page)],
        TextAnchor(quote, "senior attention on", "for seven days"),
        colour,
        note,
    )
