"""The annotated copy of a PDF carries real PDF annotations; the original is untouched."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pymupdf
import pytest

from ecip_reader.errors import UserError
from ecip_reader.library.catalogue import Catalogue, sha256_file
from ecip_reader.userdata import AnnotationKind, Annotator, DocumentRef, Quad, TextAnchor
from ecip_reader.userdata.pdf_export import export_annotated_pdf


def _quads(path: Path, page: int, text: str) -> list[Quad]:
    doc = pymupdf.open(path)
    try:
        return [Quad.from_rect(*r) for r in doc[page - 1].search_for(text)]
    finally:
        doc.close()


def _rgb(store: Any, key: str) -> list[float]:
    return list(store.colour(key).rgb_floats)


def test_annotated_copy_has_each_kind_on_its_page_with_colour_author_and_note(
    annotator: Annotator, small_library: Catalogue, tmp_path: Path
) -> None:
    entry = small_library.get("perfect-week")
    source = small_library.path_of(entry)
    original = source.read_bytes()
    doc = DocumentRef(entry.sha256, entry.id, entry.title)

    def mark(page: int, kind: AnnotationKind, text: str, colour: str, note: str) -> None:
        rects = [q.rect for q in _quads(source, page, text)]
        assert rects, f"{text!r} not found on page {page}"
        annotator.add_markup(doc, page, kind, rects, TextAnchor(text), colour, note)

    mark(1, AnnotationKind.HIGHLIGHT, "senior attention", "yellow", "Who leads this?")
    mark(2, AnnotationKind.UNDERLINE, "remove delays", "green", "")
    mark(3, AnnotationKind.STRIKE_THROUGH, "day-to-day", "red", "Outdated")
    annotator.add_sticky_note(doc, 2, (480.0, 60.0), "Check with\nthe ward", "blue")
    annotator.add_bookmark(doc, 3, "Sustaining the change")
    annotator.author = "Bob Second"
    mark(1, AnnotationKind.HIGHLIGHT, "Perfect Week", "purple", "second author")

    out = tmp_path / "annotated.pdf"
    result = export_annotated_pdf(annotator.store, doc.hash, source, out)
    assert (result.annotations, result.bookmarks, result.skipped) == (5, 1, 0)
    assert source.read_bytes() == original  # the bundled PDF is never modified
    assert sha256_file(source) == entry.sha256

    pdf = pymupdf.open(out)
    try:
        found: dict[int, list[tuple[str, list[float], str, str]]] = {}
        for number, page in enumerate(pdf, start=1):
            for annot in page.annots():
                colours = [round(c, 3) for c in annot.colors["stroke"]]
                found.setdefault(number, []).append(
                    (annot.type[1], colours, annot.info["title"], annot.info["content"])
                )
        store = annotator.store

        def rgb(key: str) -> list[float]:
            return [round(c, 3) for c in _rgb(store, key)]

        assert sorted(found[1]) == sorted(
            [
                ("Highlight", rgb("yellow"), "Alice Example", "Who leads this?"),
                ("Highlight", rgb("purple"), "Bob Second", "second author"),
            ]
        )
        assert sorted(found[2]) == sorted(
            [
                ("Underline", rgb("green"), "Alice Example", ""),
                ("Text", rgb("blue"), "Alice Example", "Check with\nthe ward"),
            ]
        )
        assert found[3] == [("StrikeOut", rgb("red"), "Alice Example", "Outdated")]
        # The highlight sits over the passage it was made on.
        first = pdf[0]  # an annotation must not outlive its page object
        highlight = next(a for a in first.annots() if a.info["content"] == "Who leads this?")
        expected = first.search_for("senior attention")[0]
        corners = [(round(x, 1), round(y, 1)) for x, y in highlight.vertices]
        quad = expected.quad
        assert corners == [
            (round(p.x, 1), round(p.y, 1)) for p in (quad.ul, quad.ur, quad.ll, quad.lr)
        ]
        assert pdf.get_toc() == [[1, "Your bookmarks", 3], [2, "Sustaining the change", 3]]
    finally:
        pdf.close()


def test_export_refuses_another_file_and_overwriting_the_original(
    annotator: Annotator, small_library: Catalogue, tmp_path: Path
) -> None:
    entry = small_library.get("perfect-week")
    other = small_library.get("discharge-to-assess")
    source = small_library.path_of(entry)
    with pytest.raises(UserError, match="is not the version of the document"):
        export_annotated_pdf(
            annotator.store, entry.sha256, small_library.path_of(other), tmp_path / "x.pdf"
        )
    with pytest.raises(UserError, match="another name than the original"):
        export_annotated_pdf(annotator.store, entry.sha256, source, source)
    assert sha256_file(source) == entry.sha256


def test_notes_that_could_not_re_attach_are_left_out_and_counted(
    annotator: Annotator, small_library: Catalogue, tmp_path: Path
) -> None:
    entry = small_library.get("breaking-the-cycle")
    doc = DocumentRef(entry.sha256, entry.id, entry.title)
    rects = [q.rect for q in _quads(small_library.path_of(entry), 1, "step change")]
    annotator.add_markup(doc, 1, AnnotationKind.HIGHLIGHT, rects, TextAnchor("step change"))
    annotator.add_markup(doc, 9, AnnotationKind.HIGHLIGHT, rects, TextAnchor("page nine"))
    out = tmp_path / "copy.pdf"
    result = export_annotated_pdf(annotator.store, doc.hash, small_library.path_of(entry), out)
    assert (result.annotations, result.skipped) == (1, 1)
    pdf = pymupdf.open(out)
    try:
        first = pdf[0]
        assert [a.type[1] for a in first.annots()] == ["Highlight"]
        assert pdf.get_toc() == []
    finally:
        pdf.close()
