"""The annotated copy is written in a process of its own; if that process dies, one sentence."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from ecip_reader.errors import UserError
from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.userdata import Annotator, DocumentRef
from ecip_reader.userdata.pdf_export import export_in_process, partial_path
from tests.support.export_stubs import write_then_die

pytestmark = pytest.mark.slow


def note_and_bookmark(annotator: Annotator, small_library: Catalogue) -> tuple[DocumentRef, Path]:
    entry = small_library.get("perfect-week")
    doc = DocumentRef(entry.sha256, entry.id, entry.title)
    annotator.add_sticky_note(doc, 1, (100.0, 100.0), "Ask the ward manager", "yellow")
    annotator.add_bookmark(doc, 2, "Results")
    return doc, small_library.path_of(entry)


def test_the_copy_is_written_by_another_process(
    annotator: Annotator, small_library: Catalogue, app_paths: AppPaths, tmp_path: Path
) -> None:
    doc, source = note_and_bookmark(annotator, small_library)
    dest = tmp_path / "annotated.pdf"
    result = export_in_process(app_paths, doc.hash, source, dest)
    assert (result.annotations, result.bookmarks, result.skipped) == (1, 1, 0)
    with pymupdf.open(dest) as copy:
        assert [a.info["content"] for a in copy[0].annots()] == ["Ask the ward manager"]


def test_a_crash_while_writing_becomes_one_sentence_and_leaves_nothing_behind(
    annotator: Annotator, small_library: Catalogue, app_paths: AppPaths, tmp_path: Path
) -> None:
    doc, source = note_and_bookmark(annotator, small_library)
    original = source.read_bytes()
    dest = tmp_path / "annotated.pdf"
    with pytest.raises(UserError) as caught:
        export_in_process(app_paths, doc.hash, source, dest, job=write_then_die)
    assert str(caught.value) == (
        "The annotated copy annotated.pdf could not be made: the program writing it "
        "stopped unexpectedly, and nothing was saved."
    )
    assert not dest.exists() and not partial_path(dest).exists()
    assert source.read_bytes() == original
    # The notes are all there, and the next export works.
    assert len(annotator.store.annotations(doc.hash)) == 1
    result = export_in_process(app_paths, doc.hash, source, dest)
    assert result.annotations == 1 and dest.is_file()
