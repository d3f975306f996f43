"""``ecip-reader notes``: list, export, import, layers, backups — as a user at a terminal."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pymupdf
import pytest

from ecip_reader.cli import main
from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.settings import Settings
from ecip_reader.userdata import AnnotationKind, Annotator, DocumentRef, TextAnchor, UserDataStore


@pytest.fixture
def library(small_library: Catalogue, monkeypatch: pytest.MonkeyPatch) -> Catalogue:
    monkeypatch.setenv("ECIP_READER_LIBRARY", str(small_library.root))
    return small_library


@pytest.fixture
def annotated(library: Catalogue, app_paths: AppPaths) -> DocumentRef:
    """Two notes and a bookmark on "perfect-week", one note on "discharge-to-assess"."""
    entry = library.get("perfect-week")
    doc = DocumentRef(entry.sha256, entry.id, entry.title)
    other_entry = library.get("discharge-to-assess")
    other = DocumentRef(other_entry.sha256, other_entry.id, other_entry.title)
    pdf = pymupdf.open(library.path_of(entry))
    try:
        rects = [tuple(r) for r in pdf[0].search_for("patient flow")]
    finally:
        pdf.close()
    with UserDataStore.open(app_paths) as store:
        annotator = Annotator(store, "Alice Example")
        annotator.rename_colour("yellow", "to discuss")
        annotator.add_markup(
            doc, 1, AnnotationKind.HIGHLIGHT, rects, TextAnchor("patient flow"), note="Why?"
        )
        annotator.add_sticky_note(doc, 2, (400.0, 80.0), "Ward view\nneeded", "blue")
        annotator.add_bookmark(doc, 3, "Day-to-day practice")
        annotator.add_sticky_note(other, 1, (80.0, 80.0), "Home first", "green")
        annotator.history.close()
    return doc


def test_list_prints_notes_by_document(
    annotated: DocumentRef, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["notes", "list"]) == 0
    out = capsys.readouterr().out
    assert "Making every week a Perfect Week (perfect-week)" in out
    assert "  p.1  highlight  to discuss  Alice Example  “patient flow”  Why?" in out
    assert "  p.2  sticky-note  Good practice  Alice Example  Ward view / needed" in out
    assert "  p.3  bookmark  Day-to-day practice" in out
    assert "Discharge to Assess (discharge-to-assess)" in out
    assert out.rstrip().endswith("4 notes and bookmarks.")


def test_list_for_one_document_as_json(
    annotated: DocumentRef, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["notes", "list", "--doc", "perfect-week", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert [(i["type"], i["page"]) for i in items] == [
        ("annotation", 1),
        ("annotation", 2),
        ("bookmark", 3),
    ]
    first = items[0]
    assert first["doc_id"] == "perfect-week" and first["doc"] == annotated.hash
    assert (first["kind"], first["colour_name"], first["note"], first["layer"]) == (
        "highlight",
        "to discuss",
        "Why?",
        None,
    )
    # The document's SHA-256 works as well as its id.
    assert main(["notes", "list", "--doc", annotated.hash, "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3


def test_unknown_document_is_a_usage_error(
    annotated: DocumentRef, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["notes", "list", "--doc", "no-such-doc"]) == 2
    assert "no document with the id 'no-such-doc'" in capsys.readouterr().err


def test_export_markdown_and_csv(
    annotated: DocumentRef, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    md = tmp_path / "notes.md"
    assert main(["notes", "export", "--format", "md", "-o", str(md)]) == 0
    assert f"Wrote 4 notes and bookmarks to {md}." in capsys.readouterr().out
    text = md.read_text(encoding="utf-8")
    assert "## Making every week a Perfect Week" in text and "> patient flow" in text
    assert "## Discharge to Assess" in text

    sheet = tmp_path / "notes.csv"
    assert (
        main(["notes", "export", "--format", "csv", "--doc", "perfect-week", "-o", str(sheet)]) == 0
    )
    raw = sheet.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark for spreadsheets
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines(keepends=True)))
    assert [(r["document id"], r["page"], r["kind"]) for r in rows] == [
        ("perfect-week", "1", "highlight"),
        ("perfect-week", "2", "sticky-note"),
        ("perfect-week", "3", "bookmark"),
    ]
    assert rows[1]["note"] == "Ward view\nneeded"


def test_export_annotated_pdf(
    annotated: DocumentRef, library: Catalogue, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "annotated.pdf"
    assert (
        main(["notes", "export", "--format", "pdf", "--doc", "perfect-week", "-o", str(out)]) == 0
    )
    assert capsys.readouterr().out.strip() == f"Wrote {out} with 2 annotations and 1 bookmarks."
    pdf = pymupdf.open(out)
    try:
        page1, page2 = pdf[0], pdf[1]
        assert [(a.type[1], a.info["content"]) for a in page1.annots()] == [("Highlight", "Why?")]
        assert [(a.type[1], a.info["title"]) for a in page2.annots()] == [("Text", "Alice Example")]
    finally:
        pdf.close()
    assert main(["notes", "export", "--format", "pdf", "-o", str(out)]) == 2
    assert "an annotated PDF needs --doc ID" in capsys.readouterr().err


def test_pack_round_trip_into_another_data_folder_with_layers(
    annotated: DocumentRef, app_paths: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The pack's author is the reader's author setting, which the user changed.
    Settings(app_paths.settings_file).set("author_name", "Alice Example")
    pack = tmp_path / "workshop.json"
    assert main(["notes", "export", "--format", "pack", "-o", str(pack)]) == 0
    capsys.readouterr()
    other = str(tmp_path / "participant")
    assert main(["--data-dir", other, "notes", "import", str(pack)]) == 0
    assert capsys.readouterr().out.strip() == "Imported the notes of Alice Example: 4 added."
    assert main(["--data-dir", other, "notes", "import", str(pack)]) == 0
    assert "0 added, 4 already there" in capsys.readouterr().out

    assert main(["--data-dir", other, "notes", "layers", "--json"]) == 0
    (layer,) = json.loads(capsys.readouterr().out)
    assert (layer["name"], layer["annotations"], layer["bookmarks"], layer["visible"]) == (
        "Alice Example",
        3,
        1,
        True,
    )
    assert main(["--data-dir", other, "notes", "layers"]) == 0
    assert (
        "Alice Example: 3 notes, 1 bookmarks, shown (from workshop.json" in capsys.readouterr().out
    )
    assert main(["--data-dir", other, "notes", "list", "--json"]) == 0
    assert {i["layer"] for i in json.loads(capsys.readouterr().out)} == {"Alice Example"}

    assert main(["--data-dir", other, "notes", "remove-layer", "Nobody"]) == 1
    assert "there are no imported notes of 'Nobody'" in capsys.readouterr().err
    assert main(["--data-dir", other, "notes", "remove-layer", "Alice Example"]) == 0
    assert main(["--data-dir", other, "notes", "layers"]) == 0
    assert capsys.readouterr().out.strip().endswith("No imported notes.")


def test_a_bad_pack_fails_with_a_sentence(
    app_paths: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "ecip-notes-pack", "version": 7}', encoding="utf-8")
    assert main(["notes", "import", str(bad)]) == 1
    assert capsys.readouterr().err.strip() == (
        "ecip-reader: The notes pack bad.json was written by a newer version of the reader "
        "(pack version 7; this reader reads versions up to 3)."
    )


def test_exports_honour_the_policy(
    annotated: DocumentRef, app_paths: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app_paths.policy_file.parent.mkdir(parents=True, exist_ok=True)
    app_paths.policy_file.write_text("allow_export = false\n", encoding="utf-8")
    for fmt in ("md", "csv", "pack"):
        out = tmp_path / f"refused.{fmt}"
        assert main(["notes", "export", "--format", fmt, "-o", str(out)]) == 1
        assert capsys.readouterr().err.strip() == (
            "ecip-reader: Exporting notes has been turned off by your organisation."
        )
        assert not out.exists()


def test_backups_and_restore(
    annotated: DocumentRef, app_paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    with UserDataStore.open(app_paths) as store:
        backup = store.backup_now()
        Annotator(store, "Alice").delete(store.annotations()[0].uuid)
        assert len(store.annotations()) == 2
    assert main(["notes", "backups"]) == 0
    assert str(backup) in capsys.readouterr().out
    assert main(["notes", "restore", backup.name]) == 0
    assert capsys.readouterr().out.strip() == f"Restored your notes from {backup.name}."
    with UserDataStore.open(app_paths) as store:
        assert len(store.annotations()) == 3
