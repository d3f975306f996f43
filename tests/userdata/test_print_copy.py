"""Printing to a PDF file: the chosen pages themselves, text as text, notes if asked."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from ecip_reader.errors import UserError
from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.userdata import AnnotationKind, Annotator, DocumentRef, Quad, TextAnchor
from ecip_reader.userdata.print_copy import (
    NotesSource,
    page_runs,
    print_copy_in_process,
    write_print_copy,
)


def highlight(annotator: Annotator, library: Catalogue, page: int, text: str) -> DocumentRef:
    entry = library.get("perfect-week")
    source = library.path_of(entry)
    with pymupdf.open(source) as doc:
        rects = [Quad.from_rect(*r).rect for r in doc[page - 1].search_for(text)]
    document = DocumentRef(entry.sha256, entry.id, entry.title)
    annotator.add_markup(
        document, page, AnnotationKind.HIGHLIGHT, rects, TextAnchor(text), "yellow", "Ask"
    )
    return document


def facts(path: Path) -> list[tuple[str, list[str]]]:
    """Each page's text and the kinds of its annotations."""
    with pymupdf.open(path) as doc:
        return [(page.get_text().strip(), [a.type[1] for a in page.annots()]) for page in doc]


def test_pages_two_and_three_keep_their_text_and_carry_the_notes_on_them(
    annotator: Annotator, app_paths: AppPaths, small_library: Catalogue, tmp_path: Path
) -> None:
    document = highlight(annotator, small_library, 2, "remove delays")
    highlight(annotator, small_library, 1, "senior attention")  # a page not printed
    source = small_library.path_of(small_library.get("perfect-week"))
    out = tmp_path / "printed.pdf"
    copy = write_print_copy(source, [1, 2], out, NotesSource(app_paths, document.hash))
    assert (copy.pages, copy.notes, copy.notes_left_out) == (2, 1, "")
    (text_two, notes_two), (text_three, notes_three) = facts(out)
    assert "Ward teams review every patient" in text_two  # text, not a picture
    assert "kept the Perfect Week way of working" in text_three
    assert notes_two == ["Highlight"] and notes_three == []
    assert out.stat().st_size < 40_000
    # Without notes: the same pages, no annotations; the source is never changed.
    plain = write_print_copy(source, [2], tmp_path / "plain.pdf")
    assert plain.notes == 0 and facts(tmp_path / "plain.pdf")[0][1] == []
    with pymupdf.open(source) as original:
        assert all(not list(page.annots()) for page in original)


def test_notes_of_another_version_are_left_out_with_the_reason(
    annotator: Annotator, app_paths: AppPaths, small_library: Catalogue, tmp_path: Path
) -> None:
    highlight(annotator, small_library, 2, "remove delays")
    source = small_library.path_of(small_library.get("perfect-week"))
    copy = write_print_copy(source, [1], tmp_path / "p.pdf", NotesSource(app_paths, "0" * 64))
    assert copy.notes == 0
    assert copy.notes_left_out.endswith("is not the version your notes were made on")


def test_page_runs_and_pages_that_are_not_there() -> None:
    assert page_runs([0, 1, 2, 5, 6, 9]) == [(0, 2), (5, 6), (9, 9)]
    assert page_runs([]) == []


@pytest.mark.slow
def test_the_copy_is_made_in_a_process_of_its_own(small_library: Catalogue, tmp_path: Path) -> None:
    source = small_library.path_of(small_library.get("discharge-to-assess"))
    copy = print_copy_in_process(source, [0, 1], tmp_path / "both.pdf")
    assert copy.pages == 2 and len(facts(tmp_path / "both.pdf")) == 2
    with pytest.raises(UserError, match="has none of the pages asked for"):
        print_copy_in_process(source, [7], tmp_path / "none.pdf")
    assert not (tmp_path / "none.pdf").exists()
