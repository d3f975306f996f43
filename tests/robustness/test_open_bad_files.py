"""Opening every bad and unusual file: the exact sentence a user sees, or it works."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pymupdf
import pytest

from ecip_reader.errors import DocumentError
from ecip_reader.pdf.describe import describe_pdf, page_links, safe_metadata
from ecip_reader.pdf.document import (
    MAX_RENDER_PIXELS,
    PasswordRequired,
    clean_text,
    open_pdf,
    render_zoom,
)
from tests.support.badfiles import (
    CASES,
    ENORMOUS_POINTS,
    LAUNCH_MARKER,
    BadFile,
    build_corpus,
)


def page_text(doc: pymupdf.Document) -> str:
    return clean_text(" ".join(str(page.get_text()) for page in doc)).casefold()


@pytest.mark.parametrize("case", list(CASES))
def test_each_file_opens_or_gives_its_one_sentence(
    case: str, corpus: dict[str, BadFile], good_pdf: BadFile
) -> None:
    bad = corpus[case]
    if bad.error is not None:
        with pytest.raises(DocumentError) as raised:
            open_pdf(bad.path)
        assert str(raised.value) == bad.error
        assert isinstance(raised.value, PasswordRequired) == (bad.password is not None)
    else:
        doc = open_pdf(bad.path)
        try:
            assert doc.page_count == bad.pages
            assert describe_pdf(doc) == bad.notes
            text = page_text(doc)
            for word in bad.words:
                assert word.casefold() in text
        finally:
            doc.close()
    # Whatever happened, the next ordinary file opens and reads normally.
    good = open_pdf(good_pdf.path)
    try:
        assert "handover" in page_text(good)
    finally:
        good.close()


def test_every_message_names_the_file_in_one_sentence(corpus: dict[str, BadFile]) -> None:
    errors = [bad for bad in corpus.values() if bad.error is not None]
    assert len(errors) == 6
    for bad in errors:
        assert bad.error is not None
        assert bad.name in bad.error
        assert bad.error.endswith(".") and bad.error.count(". ") == 0


def test_the_right_password_opens_and_a_wrong_one_is_named(corpus: dict[str, BadFile]) -> None:
    locked = corpus["password"]
    assert locked.password is not None
    with pytest.raises(PasswordRequired) as raised:
        open_pdf(locked.path, "not-the-password")
    assert str(raised.value) == "The password for password.pdf is not correct."
    doc = open_pdf(locked.path, locked.password)
    try:
        assert "locum" in page_text(doc)
        assert describe_pdf(doc) == ()
    finally:
        doc.close()


def test_missing_files_and_folders_are_named(tmp_path: Path) -> None:
    with pytest.raises(DocumentError) as raised:
        open_pdf(tmp_path / "gone.pdf")
    assert str(raised.value) == "gone.pdf could not be found."
    (tmp_path / "folder.pdf").mkdir()
    with pytest.raises(DocumentError) as raised:
        open_pdf(tmp_path / "folder.pdf")
    assert str(raised.value) == "folder.pdf is a folder, not a PDF."


def test_mupdf_prints_nothing_about_damaged_files(
    corpus: dict[str, BadFile], capfd: pytest.CaptureFixture[str]
) -> None:
    pymupdf.TOOLS.mupdf_display_errors(True)  # MuPDF's default: errors go to stderr
    for case in ("random-bytes", "truncated-header", "truncated-middle", "broken-xref"):
        try:
            doc = open_pdf(corpus[case].path)
        except DocumentError:
            continue
        try:
            for page in doc:
                page.get_text()
                page.get_pixmap(alpha=False)
        finally:
            doc.close()
    captured = capfd.readouterr()
    assert captured.err == ""
    assert captured.out == ""


def test_non_latin_text_comes_out_as_letters_people_type(corpus: dict[str, BadFile]) -> None:
    arabic = open_pdf(corpus["arabic"].path)
    try:
        raw = str(arabic[0].get_text())
        cleaned = clean_text(raw)
    finally:
        arabic.close()
    # MuPDF gives presentation forms; after NFKC they are the letters a query contains.
    assert "رعاية" not in raw
    assert "مرحبا رعاية طارئة" in cleaned
    assert cleaned == unicodedata.normalize("NFKC", cleaned)
    for case in ("welsh", "polish", "chinese"):
        doc = open_pdf(corpus[case].path)
        try:
            text = page_text(doc)
        finally:
            doc.close()
        assert all(word in text for word in corpus[case].words)


def test_image_only_document_says_it_has_no_searchable_text(corpus: dict[str, BadFile]) -> None:
    doc = open_pdf(corpus["image-only"].path)
    try:
        assert page_text(doc) == ""
        assert describe_pdf(doc) == ("scanned-letter.pdf has no searchable text.",)
    finally:
        doc.close()


def test_enormous_page_renders_at_a_capped_size(corpus: dict[str, BadFile]) -> None:
    doc = open_pdf(corpus["enormous-page"].path)
    try:
        page = doc[0]
        assert (page.rect.width, page.rect.height) == (ENORMOUS_POINTS, ENORMOUS_POINTS)
        zoom = render_zoom(page.rect.width, page.rect.height, 2.0)
        pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
        assert pix.width * pix.height <= MAX_RENDER_PIXELS
        assert pix.width > 2_500 and abs(pix.width - pix.height) <= 1
        # The giant lettering is there: some pixels are dark.
        assert min(pix.samples_mv[::97]) < 100
    finally:
        doc.close()


def test_metadata_loses_control_characters_and_escape_sequences(
    corpus: dict[str, BadFile],
) -> None:
    doc = open_pdf(corpus["control-metadata"].path)
    try:
        assert "\x00" in doc.metadata["title"]  # really there in the file
        assert doc.metadata["keywords"] == "\x1b\x00\x7f"
        # Keywords held nothing but control characters: left out.
        assert safe_metadata(doc) == {
            "title": "Sepsis screening audit",
            "author": "Clinical Governance Team",
        }
    finally:
        doc.close()


def test_launch_and_web_links_are_listed_and_nothing_runs(corpus: dict[str, BadFile]) -> None:
    bad = corpus["actions"]
    doc = open_pdf(bad.path)
    try:
        page = doc[0]
        links = page_links(page)
        page.get_pixmap(alpha=False)
        page.get_text()
    finally:
        doc.close()
    assert [(link.kind, link.target) for link in links] == [
        ("web", "https://example.invalid/dashboard"),
        ("file", str(bad.path.parent / "would-run.sh")),
    ]
    assert not (bad.path.parent / LAUNCH_MARKER).exists()


def test_the_corpus_builds_every_case(tmp_path: Path) -> None:
    made = build_corpus(tmp_path / "again")
    assert len(made) == len(CASES) == 20


@pytest.mark.parametrize(
    ("first_bytes", "kind"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"),
        (b"GIF89a\x01\x00", "a GIF image"),
        (b"II*\x00\x08\x00", "a TIFF image"),
        (b"PK\x03\x04\x14\x00", "a ZIP archive (perhaps a Word or PowerPoint file)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old-style Office document"),
        (b"{\\rtf1\\ansi", "an RTF document"),
    ],
)
def test_other_formats_renamed_to_pdf_are_named(
    first_bytes: bytes, kind: str, tmp_path: Path
) -> None:
    path = tmp_path / "handout.pdf"
    path.write_bytes(first_bytes + bytes(range(256)) * 8)
    with pytest.raises(DocumentError) as raised:
        open_pdf(path)
    assert str(raised.value) == f"handout.pdf is not a PDF: it is {kind}."
