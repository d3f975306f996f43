"""Notes packs: from one person's data folder into another's, as a layer, without duplicates."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.userdata import Annotation, AnnotationKind, Annotator, DocumentRef, TextAnchor
from ecip_reader.userdata.pack_format import MAX_ITEMS, PackError
from ecip_reader.userdata.packs import build_pack, import_pack, read_pack, write_pack
from ecip_reader.userdata.store import UserDataStore
from tests.userdata.helpers import DOC, highlight


def _passage(a: Annotation) -> tuple[Any, ...]:
    """What places a note on a passage, and what it says."""
    return (
        a.uuid,
        a.doc_hash,
        a.page,
        a.kind,
        a.quads,
        a.point,
        a.anchor,
        a.note,
        a.colour,
        a.author,
        a.created,
    )


@pytest.fixture
def trainer(tmp_path: Path) -> Iterator[Annotator]:
    paths = AppPaths.from_environment(tmp_path / "trainer-home")
    paths.ensure()
    store = UserDataStore.open(paths)
    annotator = Annotator(store, "Dr A. Trainer")
    yield annotator
    annotator.history.close()
    store.close()


@pytest.fixture
def participant(tmp_path: Path) -> Iterator[Annotator]:
    paths = AppPaths.from_environment(tmp_path / "participant-home")
    paths.ensure()
    store = UserDataStore.open(paths)
    annotator = Annotator(store, "Participant")
    yield annotator
    annotator.history.close()
    store.close()


def _annotate_library(trainer: Annotator, library: Catalogue) -> DocumentRef:
    entry = library.get("perfect-week")
    doc = DocumentRef(entry.sha256, entry.id, entry.title)
    pdf = pymupdf.open(library.path_of(entry))
    try:
        for page, text, kind, note in (
            (1, "patient flow", AnnotationKind.HIGHLIGHT, "Discuss in group A"),
            (2, "each morning", AnnotationKind.UNDERLINE, "Evidence"),
        ):
            rects = [tuple(r) for r in pdf[page - 1].search_for(text)]
            anchor = TextAnchor(text, "prefix words", "suffix words")
            trainer.add_markup(doc, page, kind, rects, anchor, "green", note)
    finally:
        pdf.close()
    trainer.add_sticky_note(doc, 3, (300.0, 400.0), "Question 3\nfor the plenary", "orange")
    trainer.add_bookmark(doc, 2, "Start here")
    trainer.rename_colour("green", "evidence")
    return doc


def test_a_pack_shows_the_same_notes_on_the_same_passages_in_another_data_folder(
    trainer: Annotator, participant: Annotator, small_library: Catalogue, tmp_path: Path
) -> None:
    doc = _annotate_library(trainer, small_library)
    path = tmp_path / "workshop.json"
    write_pack(build_pack(trainer.store, trainer.author), path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert (data["format"], data["version"], data["author"]) == (
        "ecip-notes-pack",
        1,
        "Dr A. Trainer",
    )
    assert data["documents"] == {doc.hash: {"id": "perfect-week", "title": doc.title}}

    result = import_pack(participant.store, path)
    assert (result.added, result.updated, result.unchanged, result.skipped) == (4, 0, 0, 0)
    assert result.summary == "Imported the notes of Dr A. Trainer: 4 added."
    layer = result.layer
    assert (layer.name, layer.source, layer.visible) == ("Dr A. Trainer", "workshop.json", True)
    assert participant.store.layers() == [layer]

    theirs = participant.store.annotations(doc.hash)
    assert [_passage(a) for a in theirs] == [
        _passage(a) for a in trainer.store.annotations(doc.hash)
    ]
    assert all(a.layer_id == layer.id and not a.is_own for a in theirs)
    assert [(b.page, b.label, b.layer_id) for b in participant.store.bookmarks()] == [
        (2, "Start here", layer.id)
    ]
    assert participant.store.document(doc.hash) == doc
    # The participant's own notes stay apart from the layer.
    highlight(participant, doc=doc, quote="seven days")
    assert len(participant.store.annotations(own_only=True)) == 1
    assert len(participant.store.annotations(layer_id=layer.id)) == 3


def test_importing_the_same_pack_twice_does_not_duplicate_and_updates_refresh(
    trainer: Annotator, participant: Annotator, small_library: Catalogue, tmp_path: Path
) -> None:
    _annotate_library(trainer, small_library)
    path = tmp_path / "workshop.json"
    write_pack(build_pack(trainer.store, trainer.author), path)
    import_pack(participant.store, path)
    again = import_pack(participant.store, path)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 4)
    assert len(participant.store.annotations()) == 3 and len(participant.store.bookmarks()) == 1
    assert len(participant.store.layers()) == 1

    first = trainer.store.annotations()[0]
    trainer.set_note(first.uuid, "Changed after the first session")
    write_pack(build_pack(trainer.store, trainer.author), path)
    refreshed = import_pack(participant.store, path)
    assert (refreshed.added, refreshed.updated, refreshed.unchanged) == (0, 1, 3)
    assert participant.store.annotation(first.uuid).note == "Changed after the first session"  # type: ignore[union-attr]
    assert len(participant.store.annotations()) == 3


def test_a_layer_can_be_hidden_shown_and_removed_as_a_whole(
    trainer: Annotator, participant: Annotator, small_library: Catalogue, tmp_path: Path
) -> None:
    doc = _annotate_library(trainer, small_library)
    path = tmp_path / "workshop.json"
    write_pack(build_pack(trainer.store, trainer.author), path)
    layer = import_pack(participant.store, path).layer
    store = participant.store
    store.set_layer_visible(layer.id, False)
    assert store.layers()[0].visible is False
    assert store.annotations(doc.hash) == [] and store.bookmarks(doc.hash) == []
    assert len(store.annotations(doc.hash, include_hidden=True)) == 3
    store.set_layer_visible(layer.id, True)
    assert len(store.annotations(doc.hash)) == 3
    participant.remove_layer(layer.id)
    assert store.layers() == [] and store.annotations(include_hidden=True) == []
    assert store.bookmarks(include_hidden=True) == []


def test_your_own_pack_brought_back_adds_nothing(trainer: Annotator, tmp_path: Path) -> None:
    highlight(trainer, note="mine")
    trainer.add_bookmark(DOC, 1)
    path = tmp_path / "mine.json"
    write_pack(build_pack(trainer.store, trainer.author), path)
    result = import_pack(trainer.store, path)
    assert (result.added, result.skipped) == (0, 2)
    assert len(trainer.store.annotations()) == 1 and len(trainer.store.bookmarks()) == 1


def test_a_pack_for_one_document_holds_only_its_notes(trainer: Annotator, tmp_path: Path) -> None:
    highlight(trainer, note="in the pack")
    other = DocumentRef("ef" * 32, "other", "Other")
    highlight(trainer, note="left out", doc=other)
    pack = build_pack(trainer.store, trainer.author, {DOC.hash})
    assert [a.note for a in pack.annotations] == ["in the pack"]
    assert list(pack.documents) == [DOC.hash]


# -- validation ----------------------------------------------------------------


def _valid() -> dict[str, Any]:
    return {
        "format": "ecip-notes-pack",
        "version": 1,
        "author": "Dr A. Trainer",
        "created": "2025-05-01T09:30:00.000Z",
        "documents": {DOC.hash: {"id": "perfect-week", "title": "Perfect Week"}},
        "annotations": [
            {
                "uuid": "4c0f4b8e-8f4f-4a53-9c2b-6f1f8e2b7a10",
                "doc": DOC.hash,
                "page": 2,
                "kind": "highlight",
                "colour": "yellow",
                "quads": [[72, 100, 200, 100, 72, 112, 200, 112]],
                "point": None,
                "quote": "patient flow",
                "prefix": "",
                "suffix": "",
                "note": "A note",
                "author": "Dr A. Trainer",
                "created": "2025-05-01T09:30:00.000Z",
                "modified": "2025-05-01T09:30:00.000Z",
            }
        ],
        "bookmarks": [],
    }


def _write(tmp_path: Path, content: Any, name: str = "pack.json") -> Path:
    path = tmp_path / name
    text = content if isinstance(content, str) else json.dumps(content)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_hand_written_pack_is_read(tmp_path: Path) -> None:
    pack = read_pack(_write(tmp_path, _valid()))
    assert pack.author == "Dr A. Trainer"
    assert pack.annotations[0].quote == "patient flow"


def _broken(change: Any) -> dict[str, Any]:
    data = _valid()
    change(data)
    return data


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "The notes pack pack.json is not valid: it is not JSON (line 1, column 2)."),
        ("[1, 2]", "The notes pack pack.json is not valid: it is not an ECIP notes pack."),
        (
            _broken(lambda d: d.update(format="something-else")),
            "The notes pack pack.json is not valid: it is not an ECIP notes pack.",
        ),
        (
            _broken(lambda d: d.update(version=4)),
            "The notes pack pack.json was written by a newer version of the reader "
            "(pack version 4; this reader reads versions up to 3).",
        ),
        (
            _broken(lambda d: d.update(author="  ")),
            "The notes pack pack.json is not valid: 'author' must not be empty.",
        ),
        (
            _broken(lambda d: d["annotations"][0].update(page=0)),
            "The notes pack pack.json is not valid: annotation 1: 'page' must be a whole "
            "number from 1.",
        ),
        (
            _broken(lambda d: d["annotations"][0].update(kind="scribble")),
            "The notes pack pack.json is not valid: annotation 1: 'kind' must be one of "
            "highlight, underline, strike-through, sticky-note, ink.",
        ),
        (
            _broken(lambda d: d["annotations"][0].update(colour="teal")),
            "The notes pack pack.json is not valid: annotation 1: 'colour' must be one of "
            "yellow, green, blue, pink, orange, purple, red, grey.",
        ),
        (
            _broken(lambda d: d["annotations"][0].update(doc="ab" * 32)),
            "The notes pack pack.json is not valid: annotation 1: 'doc' must name one of the "
            "pack's documents.",
        ),
        (
            _broken(lambda d: d["annotations"][0].update(uuid="not-a-uuid")),
            "The notes pack pack.json is not valid: annotation 1: 'uuid' must be a UUID.",
        ),
        (
            _broken(lambda d: d["annotations"][0].update(quads=[[1, 2, 3]])),
            "The notes pack pack.json is not valid: annotation 1: each quad must be a list of "
            "8 numbers.",
        ),
        (
            _broken(lambda d: d["annotations"][0].update(created="yesterday")),
            "The notes pack pack.json is not valid: annotation 1: 'created' must be a date and "
            "time such as 2025-05-01T09:30:00Z.",
        ),
        (
            _broken(lambda d: d["annotations"].append(dict(d["annotations"][0]))),
            "The notes pack pack.json is not valid: annotation 2 repeats the uuid "
            "4c0f4b8e-8f4f-4a53-9c2b-6f1f8e2b7a10.",
        ),
        (
            _broken(lambda d: d["bookmarks"].append({"uuid": "x"})),
            "The notes pack pack.json is not valid: bookmark 1: 'doc' must name one of the "
            "pack's documents.",
        ),
        (
            json.dumps(_valid()).replace("[[72, 100", "[[NaN, 100"),
            "The notes pack pack.json is not valid: it contains NaN, which is not a number.",
        ),
        (
            json.dumps(_valid()).replace("[[72, 100", "[[" + "7" * 5000 + ", 100"),
            "The notes pack pack.json is not valid: it contains a number with too many digits.",
        ),
    ],
)
def test_malformed_packs_are_rejected_with_a_sentence_naming_the_problem(
    store: UserDataStore, tmp_path: Path, content: Any, message: str
) -> None:
    path = _write(tmp_path, content)
    with pytest.raises(PackError) as caught:
        import_pack(store, path)
    assert str(caught.value) == message
    assert store.layers() == [] and store.annotations(include_hidden=True) == []


def test_oversized_packs_are_rejected_before_parsing(store: UserDataStore, tmp_path: Path) -> None:
    data = _valid()
    data["annotations"][0]["note"] = "x" * 90_000
    data["padding"] = "y" * (6 * 1024 * 1024)
    path = _write(tmp_path, data, "huge.json")
    with pytest.raises(PackError) as caught:
        import_pack(store, path)
    assert str(caught.value) == "The notes pack huge.json is too large (6.1 MB; the limit is 5 MB)."


def test_packs_with_too_many_annotations_are_rejected(store: UserDataStore, tmp_path: Path) -> None:
    data = _valid()
    template = data["annotations"][0]
    data["annotations"] = [
        dict(template, uuid=f"00000000-0000-4000-8000-{n:012d}") for n in range(MAX_ITEMS + 1)
    ]
    path = _write(tmp_path, data)
    assert path.stat().st_size < 5 * 1024 * 1024
    with pytest.raises(PackError) as caught:
        import_pack(store, path)
    assert str(caught.value) == (
        "The notes pack pack.json is not valid: it holds 10,001 annotations; the limit is 10,000."
    )


def test_a_missing_pack_file_is_a_sentence_too(store: UserDataStore, tmp_path: Path) -> None:
    with pytest.raises(PackError) as caught:
        import_pack(store, tmp_path / "absent.json")
    assert str(caught.value) == "Cannot read the notes pack absent.json: No such file or directory."
