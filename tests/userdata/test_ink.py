"""Drawings (ink annotations): saving, undo, the schema upgrade, exports and notes packs."""

from __future__ import annotations

import csv
import io
import json
import math
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from ecip_reader.errors import UserError
from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.userdata import AnnotationKind, Annotator, DocumentRef
from ecip_reader.userdata.backups import list_backups
from ecip_reader.userdata.exporting import collect, to_csv, to_markdown
from ecip_reader.userdata.models import MAX_INK_POINTS
from ecip_reader.userdata.pack_format import PackError
from ecip_reader.userdata.packs import build_pack, import_pack, read_pack, write_pack
from ecip_reader.userdata.pdf_export import export_annotated_pdf
from ecip_reader.userdata.schema import CURRENT_VERSION, MIGRATIONS
from ecip_reader.userdata.store import UserDataStore
from tests.userdata.helpers import DOC, highlight

TICK = [[(100.0, 200.0), (110.0, 215.0), (140.0, 170.0)]]
CIRCLE = [
    [(300 + 20 * math.cos(t / 10), 400 + 20 * math.sin(t / 10)) for t in range(63)],
    [(290.0, 440.0), (330.0, 440.0)],
]


def test_a_drawing_is_saved_with_its_strokes_colour_and_width_and_can_be_undone(
    annotator: Annotator,
) -> None:
    store = annotator.store
    drawing = annotator.add_ink(DOC, 2, CIRCLE, "blue", 1.5, note="Look here")
    (saved,) = store.annotations(DOC.hash, page=2)
    assert saved == drawing
    assert saved.kind is AnnotationKind.INK and saved.is_drawable and not saved.quote
    assert (saved.colour, saved.width, saved.note) == ("blue", 1.5, "Look here")
    assert len(saved.strokes) == 2 and len(saved.strokes[0]) == 63
    assert saved.strokes[1] == ((290.0, 440.0), (330.0, 440.0))
    assert annotator.history.undo_label == "Add drawing"
    assert annotator.history.undo() == "Add drawing"
    assert store.annotations() == []
    assert annotator.history.redo() == "Add drawing"
    assert store.annotations() == [drawing]
    annotator.delete(drawing.uuid)
    assert annotator.history.undo_label == "Delete drawing"
    annotator.history.undo()
    assert store.annotation(drawing.uuid) == drawing


def test_drawings_on_several_pages_are_one_undoable_action(annotator: Annotator) -> None:
    made = annotator.add_drawings(DOC, {3: TICK, 1: CIRCLE}, "red", 2.0)
    assert [a.page for a in made] == [1, 3]
    assert len(annotator.store.annotations()) == 2
    annotator.history.undo()
    assert annotator.store.annotations() == []


def test_a_discarded_drawing_comes_back_with_undo_across_documents(annotator: Annotator) -> None:
    other = DocumentRef("ab" * 32, "other", "Other")
    annotator.discard_drawings([(DOC, {2: TICK}), (other, {1: CIRCLE, 4: TICK})], "red", 3.0)
    assert annotator.store.annotations() == []  # discarding saves nothing
    assert annotator.history.undo_label == "Discard drawing"
    annotator.history.undo()
    kept = annotator.store.annotations()
    assert sorted((a.doc_hash, a.page, a.width) for a in kept) == sorted(
        [(other.hash, 1, 3.0), (other.hash, 4, 3.0), (DOC.hash, 2, 3.0)]
    )
    assert annotator.store.document(other.hash) == other
    annotator.history.redo()
    assert annotator.store.annotations() == []


@pytest.mark.parametrize(
    ("strokes", "width", "problem"),
    [
        ([], 2.0, "needs at least one line"),
        ([[(1.0, float("nan"))]], 2.0, "finite numbers"),
        ([[(1.0, float("inf"))]], 2.0, "finite numbers"),
        ([[(-5.0, 10.0)]], 2.0, "lie on a page"),
        ([[(10.0, 1e9)]], 2.0, "lie on a page"),
        ([[(float(i % 500), 10.0) for i in range(MAX_INK_POINTS + 1)]], 2.0, "at most 20,000"),
        (TICK, 0.0, "width must be from 0.1"),
        (TICK, float("nan"), "width must be from 0.1"),
    ],
)
def test_a_bad_drawing_is_refused_with_a_sentence_and_nothing_is_saved(
    annotator: Annotator, strokes: Any, width: float, problem: str
) -> None:
    with pytest.raises(UserError, match=problem) as caught:
        annotator.add_ink(DOC, 1, strokes, "red", width)
    assert str(caught.value).startswith("The drawing cannot be saved: ")
    assert annotator.store.annotations() == []
    assert not annotator.history.can_undo


# -- the schema upgrade -----------------------------------------------------------


def _version_2_database(path: Path) -> None:
    """A database as the previous release left it, with a note, a layer note and a bookmark."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        for version in (1, 2):
            MIGRATIONS[version](conn)
        conn.execute("PRAGMA user_version = 2")
        conn.execute(
            "INSERT INTO documents VALUES (?, 'perfect-week', 'Perfect Week')", (DOC.hash,)
        )
        conn.execute("INSERT INTO layers VALUES (1, 'Trainer', 'pack.json', '2024-01-01Z', 1)")
        columns = (
            "uuid, doc_hash, page, kind, colour, quads, point_x, point_y, quote, note, "
            "author, created, modified, layer_id"
        )
        stamp = "2024-01-02T03:04:05.000Z"
        conn.executemany(
            f"INSERT INTO annotations ({columns}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    "6f1c1f5e-2c1a-4f7a-9a57-0b7f8f3a2d11",
                    DOC.hash,
                    2,
                    "highlight",
                    "yellow",
                    "[[72,100,200,100,72,112,200,112]]",
                    None,
                    None,
                    "senior attention",
                    "Weekend cover?",
                    "Alice",
                    stamp,
                    stamp,
                    None,
                ),
                (
                    "8a2d2f6e-3d2b-4e8b-8b68-1c8f9f4b3e22",
                    DOC.hash,
                    3,
                    "sticky-note",
                    "green",
                    "[]",
                    40.0,
                    50.0,
                    "",
                    "From the trainer",
                    "Trainer",
                    stamp,
                    stamp,
                    1,
                ),
            ],
        )
        conn.execute(
            "INSERT INTO bookmarks (uuid, doc_hash, page, label, author, created, modified) "
            "VALUES ('0d2b7a44-5a1e-4f0e-8d7b-3c2a1b0f9e88', ?, 3, 'Principles', 'Alice', ?, ?)",
            (DOC.hash, stamp, stamp),
        )
    finally:
        conn.close()


def test_a_version_2_database_is_backed_up_upgraded_and_keeps_every_note(
    app_paths: AppPaths,
) -> None:
    assert CURRENT_VERSION == 4
    _version_2_database(app_paths.database)
    with UserDataStore.open(app_paths) as store:
        assert store.read_only_reason is None
        assert store.query("PRAGMA user_version") == [(4,)]
        old = {a.note: a for a in store.annotations()}
        assert set(old) == {"Weekend cover?", "From the trainer"}
        assert old["Weekend cover?"].quote == "senior attention"
        assert old["Weekend cover?"].quads[0].rect == (72.0, 100.0, 200.0, 112.0)
        assert (old["From the trainer"].point, old["From the trainer"].layer_id) == (
            (40.0, 50.0),
            1,
        )
        assert [b.label for b in store.bookmarks()] == ["Principles"]
        # The text index follows the rebuilt table, for old notes and new ones.
        hits = [h.annotation.note for h in store.search_text("weekend")]
        assert hits == ["Weekend cover?"]
        annotator = Annotator(store, "Alice")
        drawing = annotator.add_ink(DOC, 2, TICK, "red", 2.0, note="circled weekend rota")
        assert {h.annotation.uuid for h in store.search_text("weekend")} == {
            old["Weekend cover?"].uuid,
            drawing.uuid,
        }
        annotator.delete(old["Weekend cover?"].uuid)
        assert [h.annotation.uuid for h in store.search_text("weekend")] == [drawing.uuid]
        annotator.history.close()
        assert store.integrity_ok()
        assert store.query("PRAGMA foreign_key_check") == []
    backups = list_backups(app_paths.data / "backups")
    before = [b for b in backups if b.reason == "before-v4-from-v2"]
    assert len(before) == 1
    with sqlite3.connect(before[0].path) as copy:
        assert copy.execute("PRAGMA user_version").fetchone() == (2,)
        assert copy.execute("SELECT COUNT(*) FROM annotations").fetchone() == (2,)
    copy.close()


# -- exports ------------------------------------------------------------------------


def test_markdown_and_csv_list_a_drawing_without_a_quote(annotator: Annotator) -> None:
    highlight(annotator, page=1, note="the passage")
    annotator.add_ink(DOC, 2, TICK, "red", 2.0, note="Ticked on the day")
    store = annotator.store
    markdown = to_markdown(store, collect(store))
    page2 = markdown[markdown.index("### Page 2") :]
    assert "**Drawing · Concern · Alice Example ·" in page2
    assert "Ticked on the day" in page2
    assert ">" not in page2  # no quoted text
    rows = list(csv.DictReader(io.StringIO(to_csv(store, collect(store)))))
    ink = [r for r in rows if r["kind"] == "ink"]
    assert len(ink) == 1
    assert (ink[0]["page"], ink[0]["quoted text"], ink[0]["note"]) == ("2", "", "Ticked on the day")
    assert ink[0]["colour name"] == "Concern"


def test_the_annotated_pdf_holds_a_real_ink_annotation_on_the_right_page(
    annotator: Annotator, small_library: Catalogue, tmp_path: Path
) -> None:
    entry = small_library.get("perfect-week")
    doc = DocumentRef(entry.sha256, entry.id, entry.title)
    annotator.add_ink(doc, 2, CIRCLE, "blue", 3.0, note="this box")
    out = tmp_path / "annotated.pdf"
    result = export_annotated_pdf(annotator.store, doc.hash, small_library.path_of(entry), out)
    assert (result.annotations, result.skipped) == (1, 0)
    pdf = pymupdf.open(out)
    try:
        assert [len(list(p.annots())) for p in pdf][:3] == [0, 1, 0]
        page = pdf[1]
        (ink,) = list(page.annots())
        assert ink.type[1] == "Ink"
        # A drawing is exported in the shade the pen drew it in, not the highlighter's.
        shade = annotator.store.colour("blue").ink_rgb
        expected = [round(int(shade[i : i + 2], 16) / 255, 3) for i in (1, 3, 5)]
        assert [round(c, 3) for c in ink.colors["stroke"]] == expected
        assert ink.border["width"] == 3.0
        assert (ink.info["title"], ink.info["content"]) == ("Alice Example", "this box")
        strokes = ink.vertices
        assert len(strokes) == 2
        assert [(round(x, 1), round(y, 1)) for x, y in strokes[1]] == [
            (290.0, 440.0),
            (330.0, 440.0),
        ]
    finally:
        pdf.close()


# -- notes packs ----------------------------------------------------------------------


@pytest.fixture
def second_store(tmp_path: Path) -> Iterator[UserDataStore]:
    paths = AppPaths.from_environment(tmp_path / "participant-home")
    paths.ensure()
    store = UserDataStore.open(paths)
    yield store
    store.close()


def test_a_pack_with_a_drawing_round_trips_as_version_2(
    annotator: Annotator, second_store: UserDataStore, tmp_path: Path
) -> None:
    drawing = annotator.add_ink(DOC, 2, CIRCLE, "purple", 2.5, note="see this")
    highlight(annotator, page=1)
    path = tmp_path / "workshop.json"
    write_pack(build_pack(annotator.store, "Dr A. Trainer"), path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == 2
    result = import_pack(second_store, path)
    assert result.added == 2
    (imported,) = [a for a in second_store.annotations() if a.kind is AnnotationKind.INK]
    assert (imported.uuid, imported.page, imported.colour, imported.width) == (
        drawing.uuid,
        2,
        "purple",
        2.5,
    )
    assert imported.strokes == drawing.strokes
    assert imported.note == "see this" and imported.layer_id == result.layer.id


def test_a_pack_without_drawings_stays_version_1_and_imports(
    annotator: Annotator, second_store: UserDataStore, tmp_path: Path
) -> None:
    highlight(annotator, page=1, note="plain")
    path = tmp_path / "plain.json"
    write_pack(build_pack(annotator.store, "Dr A. Trainer"), path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert "strokes" not in data["annotations"][0]
    assert import_pack(second_store, path).added == 1
    assert [a.note for a in second_store.annotations()] == ["plain"]


def _ink_pack(strokes: Any, width: Any = 2.0, version: int = 2) -> dict[str, Any]:
    stamp = "2025-05-01T09:30:00.000Z"
    return {
        "format": "ecip-notes-pack",
        "version": version,
        "author": "Dr A. Trainer",
        "created": stamp,
        "documents": {DOC.hash: {"id": "perfect-week", "title": "Perfect Week"}},
        "annotations": [
            {
                "uuid": "4c0f4b8e-8f4f-4a53-9c2b-6f1f8e2b7a10",
                "doc": DOC.hash,
                "page": 2,
                "kind": "ink",
                "colour": "red",
                "strokes": strokes,
                "width": width,
                "author": "Dr A. Trainer",
                "created": stamp,
                "modified": stamp,
            }
        ],
        "bookmarks": [],
    }


def test_a_hand_written_pack_with_a_drawing_is_read(tmp_path: Path) -> None:
    path = tmp_path / "pack.json"
    path.write_text(json.dumps(_ink_pack([[[10, 20], [30.5, 40]]])), encoding="utf-8")
    (drawing,) = read_pack(path).annotations
    assert drawing.strokes == (((10.0, 20.0), (30.5, 40.0)),)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("[[[10, NaN]]]", "it contains NaN, which is not a number"),
        ("[[[10, Infinity]]]", "it contains Infinity, which is not a number"),
        ("[[[10, 1e308]]]", "drawing points must lie on a page (0 to 14,400 points)"),
        ("[[[-1, 10]]]", "drawing points must lie on a page"),
        ('[[[10, "20"]]]', "drawing points must be numbers"),
        ("[[[10, 20, 30]]]", "each drawing point must be a pair of numbers"),
        ("[]", "a drawing needs at least one line"),
        ("[[10, 20]]", "each drawing point must be a pair of numbers"),
        ('"a circle"', "'strokes' must be a list of lines of [x, y] points"),
        ("[" + ",".join(["[[1,2],[3,4]]"] * 1_001) + "]", "at most 1,000 lines"),
        ("[" + ",".join(["[" + ",".join(["[1,2]"] * 7_000) + "]"] * 3) + "]", "at most 20,000"),
    ],
)
def test_a_pack_with_a_bad_drawing_is_refused(
    tmp_path: Path, second_store: UserDataStore, content: str, problem: str
) -> None:
    text = json.dumps(_ink_pack("STROKES")).replace('"STROKES"', content)
    path = tmp_path / "pack.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PackError) as caught:
        import_pack(second_store, path)
    assert str(caught.value).startswith("The notes pack pack.json is not valid: ")
    assert problem in str(caught.value)
    assert second_store.annotations(include_hidden=True) == []


def test_a_version_1_pack_cannot_smuggle_a_drawing_in(tmp_path: Path) -> None:
    path = tmp_path / "pack.json"
    path.write_text(json.dumps(_ink_pack([[[1, 2]]], version=1)), encoding="utf-8")
    with pytest.raises(PackError, match="drawings need pack version 2"):
        read_pack(path)
    path.write_text(json.dumps(_ink_pack([[[1, 2]]], width=1e9)), encoding="utf-8")
    with pytest.raises(PackError, match=r"width must be from 0\.1 to 72 points"):
        read_pack(path)
