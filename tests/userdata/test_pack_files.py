"""Notes packs as files: named packs and their layers, hostile files, permissions, old packs."""

from __future__ import annotations

import json
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ecip_reader.paths import AppPaths
from ecip_reader.userdata import Annotator
from ecip_reader.userdata.pack_format import PackError
from ecip_reader.userdata.packs import build_pack, import_pack, read_pack, write_pack
from ecip_reader.userdata.store import UserDataStore
from tests.userdata.helpers import DOC, highlight

STAMP = "2025-05-01T09:30:00.000Z"


@pytest.fixture
def trainer(tmp_path: Path) -> Iterator[Annotator]:
    paths = AppPaths.from_environment(tmp_path / "trainer-home")
    paths.ensure()
    store = UserDataStore.open(paths)
    annotator = Annotator(store, "Dr A. Trainer")
    yield annotator
    annotator.history.close()
    store.close()


def _pack(author: str = "Dr A. Trainer", **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": "ecip-notes-pack",
        "version": 1,
        "author": author,
        "created": STAMP,
        "documents": {DOC.hash: {"id": "perfect-week", "title": "Perfect Week"}},
        "annotations": [],
        "bookmarks": [
            {
                "uuid": "5b8e2f9c-3d41-4a7b-8c6e-1f2a3b4c5d6e",
                "doc": DOC.hash,
                "page": 2,
                "label": "Start here",
                "author": author,
                "created": STAMP,
                "modified": STAMP,
            }
        ],
    }
    data.update(extra)
    return data


def _write(path: Path, content: Any) -> Path:
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


# -- one layer per pack ------------------------------------------------------------


def test_two_named_packs_of_one_trainer_become_two_layers_and_each_updates_its_own(
    trainer: Annotator, store: UserDataStore, tmp_path: Path
) -> None:
    first = highlight(trainer, note="For session 1")
    ward7 = tmp_path / "ward7.json"
    write_pack(build_pack(trainer.store, trainer.author, name="Ward 7 — session 2"), ward7)
    assert json.loads(ward7.read_text(encoding="utf-8"))["name"] == "Ward 7 — session 2"
    trainer.delete(first.uuid)
    highlight(trainer, quote="discharge", note="For the other ward")
    ward9 = tmp_path / "ward9.json"
    write_pack(build_pack(trainer.store, trainer.author, name="Ward 9 — session 1"), ward9)

    one = import_pack(store, ward7)
    two = import_pack(store, ward9)
    assert one.layer is not None and two.layer is not None
    assert one.summary == "Imported “Ward 7 — session 2” from Dr A. Trainer: 1 added."
    assert [(la.name, la.author, la.source) for la in store.layers()] == [
        ("Ward 7 — session 2", "Dr A. Trainer", "ward7.json"),
        ("Ward 9 — session 1", "Dr A. Trainer", "ward9.json"),
    ]
    assert [a.note for a in store.annotations(layer_id=one.layer.id)] == ["For session 1"]

    # The trainer changes the Ward 7 pack; importing it again updates that layer only.
    trainer.history.undo()  # the second highlight goes
    trainer.history.undo()  # the first comes back
    trainer.set_note(first.uuid, "For session 1, revised")
    write_pack(build_pack(trainer.store, trainer.author, name="Ward 7 — session 2"), ward7)
    again = import_pack(store, ward7)
    assert (again.layer, again.updated, again.added) == (
        store.layers()[0],
        1,
        0,
    )
    assert len(store.layers()) == 2
    assert [a.note for a in store.annotations(layer_id=one.layer.id)] == ["For session 1, revised"]


def test_packs_of_one_name_by_two_trainers_get_told_apart(
    store: UserDataStore, tmp_path: Path
) -> None:
    mine = _write(tmp_path / "a.json", _pack("Dr A. Trainer", name="Session 2"))
    other = _pack("B. Tutor", name="Session 2")
    other["bookmarks"][0]["uuid"] = "6c9f3a0d-4e52-4b8c-9d7f-2a3b4c5d6e7f"
    theirs = _write(tmp_path / "b.json", other)
    import_pack(store, mine)
    import_pack(store, theirs)
    assert [la.name for la in store.layers()] == ["Session 2", "Session 2 (B. Tutor)"]


def test_author_and_pack_names_are_one_clean_line(store: UserDataStore, tmp_path: Path) -> None:
    hostile = _pack("Eve\nEvil\x1b[2J\x07 \u202eTrainer", name="Ward\r\n7\x00 — \tsession")
    result = import_pack(store, _write(tmp_path / "odd.json", hostile))
    assert result.layer is not None
    assert (result.layer.name, result.layer.author) == ("Ward 7 — session", "Eve Evil Trainer")
    assert store.bookmarks()[0].author == "Eve Evil Trainer"
    assert result.summary == "Imported “Ward 7 — session” from Eve Evil Trainer: 1 added."


def test_an_empty_pack_makes_no_layer(store: UserDataStore, tmp_path: Path) -> None:
    empty = _write(tmp_path / "empty.json", _pack(bookmarks=[]))
    with pytest.raises(PackError) as caught:
        import_pack(store, empty)
    assert str(caught.value) == (
        "The notes pack empty.json holds no notes, bookmarks or session plans; "
        "nothing was imported."
    )
    assert store.layers() == []


def test_your_own_pack_brought_back_makes_no_layer(trainer: Annotator, tmp_path: Path) -> None:
    highlight(trainer, note="mine")
    path = tmp_path / "mine.json"
    write_pack(build_pack(trainer.store, trainer.author, name="Mine"), path)
    result = import_pack(trainer.store, path)
    assert result.layer is None and result.skipped == 1
    assert trainer.store.layers() == []
    assert result.summary == (
        "Nothing was imported from mine.json: its 1 notes, bookmarks and session plans are "
        "already among your own or another layer's."
    )


def test_packs_of_older_readers_are_read_and_land_in_their_authors_layer(
    store: UserDataStore, tmp_path: Path
) -> None:
    old = _pack()
    assert "name" not in old and "id" not in old
    result = import_pack(store, _write(tmp_path / "old.json", old))
    assert result.layer is not None
    assert result.summary == "Imported the notes of Dr A. Trainer: 1 added."
    # A new pack of the same author without a name of its own is the same pack.
    newer = _pack(id=result.layer.pack_id)
    newer["bookmarks"][0]["label"] = "Start here, please"
    again = import_pack(store, _write(tmp_path / "new.json", newer))
    assert (again.layer is not None, again.updated, len(store.layers())) == (True, 1, 1)


# -- hostile files (nothing hangs, nothing is read that should not be) ----------------


def test_a_lone_surrogate_anywhere_is_refused_with_a_sentence(
    store: UserDataStore, tmp_path: Path
) -> None:
    raw = json.dumps(_pack()).replace('"Start here"', '"Start \\ud800 here"')
    with pytest.raises(PackError) as caught:
        import_pack(store, _write(tmp_path / "broken.json", raw))
    assert str(caught.value) == (
        "The notes pack broken.json is not valid: the text at bookmarks › 1 › label is not "
        "valid Unicode (it holds a lone surrogate)."
    )
    key = json.dumps(_pack()).replace('"author"', '"auth\\udfffor"', 1)
    with pytest.raises(PackError, match=r"the text at auth\?or is not valid Unicode"):
        import_pack(store, _write(tmp_path / "key.json", key))
    assert store.layers() == [] and store.bookmarks(include_hidden=True) == []


def test_a_named_pipe_is_refused_at_once_instead_of_hanging(
    store: UserDataStore, tmp_path: Path
) -> None:
    fifo = tmp_path / "pack.json"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def attempt() -> None:
        try:
            import_pack(store, fifo)
        except PackError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=attempt)
    worker.start()
    worker.join(5)
    if worker.is_alive():  # let the thread go before failing
        with open(fifo, "wb"):
            pass
        worker.join(5)
        pytest.fail("reading a named pipe as a pack hung")
    assert str(outcome[0]) == (
        "The notes pack pack.json is a named pipe, not a file; choose the pack's .json file."
    )


@pytest.mark.parametrize(
    ("target", "kind"), [("/dev/zero", "a device"), ("/dev/null", "a device"), (".", "a folder")]
)
def test_devices_and_folders_are_refused_without_reading_them(
    store: UserDataStore, tmp_path: Path, target: str, kind: str
) -> None:
    link = tmp_path / "notes.json"
    link.symlink_to(Path(target).resolve() if target == "." else target)
    with pytest.raises(PackError) as caught:
        read_pack(link)
    assert str(caught.value) == (
        f"The notes pack notes.json is {kind}, not a file; choose the pack's .json file."
    )


def test_a_link_to_a_pack_is_followed(store: UserDataStore, tmp_path: Path) -> None:
    real = _write(tmp_path / "real.json", _pack())
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert read_pack(link).bookmarks[0].label == "Start here"
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop)
    with pytest.raises(PackError, match=r"^The notes pack loop\.json is a link that leads back"):
        read_pack(loop)


def test_sizes_just_over_the_limit_are_reported_rounded_up(tmp_path: Path) -> None:
    data = _pack(padding="")
    base = len(json.dumps(data).encode("utf-8"))
    data["padding"] = "y" * (5 * 1024 * 1024 - base + 1)
    path = _write(tmp_path / "big.json", data)
    assert path.stat().st_size == 5 * 1024 * 1024 + 1
    with pytest.raises(PackError) as caught:
        read_pack(path)
    assert str(caught.value) == "The notes pack big.json is too large (5.1 MB; the limit is 5 MB)."


def test_a_file_name_that_is_not_utf8_is_shown_readably(tmp_path: Path) -> None:
    odd = Path(os.fsdecode(bytes(tmp_path) + b"/\xff\xfe\x1b[31mpack.json"))
    with pytest.raises(PackError) as caught:
        read_pack(odd)
    assert str(caught.value) == (
        "Cannot read the notes pack \ufffd\ufffd\\x1b[31mpack.json: No such file or directory."
    )
    assert str(caught.value).encode("utf-8")  # printable anywhere


# -- permissions ---------------------------------------------------------------------


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_packs_are_written_readable_by_others_as_the_umask_allows(
    trainer: Annotator, tmp_path: Path, umask: int, mode: int
) -> None:
    trainer.add_bookmark(DOC, 1, "Here")
    old = os.umask(umask)
    try:
        path = tmp_path / "shared.json"
        write_pack(build_pack(trainer.store, trainer.author), path)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == mode
