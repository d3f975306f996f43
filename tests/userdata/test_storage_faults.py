"""A read-only or full data folder: reading still works, writes fail with one sentence.

How the faults are produced:

* a folder the user may not write to — the operating system really refuses
  the writes: for an ordinary user the folder and file lose their write
  permission; as root (which ignores permissions) they get the immutable
  attribute (``chattr +i``), which root cannot write through either. Both say
  "permission denied".
* a read-only medium — the data folder is bound read-only in a private mount
  namespace (``unshare -rm``, no root needed); that one says "read-only".
  ``UserDataStore.open(read_only=True)`` (SQLite ``mode=ro``) is tested too.
* full disk — SQLite's ``PRAGMA max_page_count`` set to the database's
  current size on the store's own connection: every write that needs one
  more page fails with ``SQLITE_FULL``, exactly as on a full disk.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from ecip_reader.errors import StorageError
from ecip_reader.paths import AppPaths
from ecip_reader.userdata import Annotator, UserDataStore
from tests.userdata.helpers import DOC, highlight


@contextmanager
def writes_refused(*paths: Path) -> Iterator[None]:
    """Make ``paths`` unwritable for this very process, as a read-only folder would be."""
    if os.geteuid() == 0:
        # Root ignores permission bits; the immutable attribute stops root too.
        for path in paths:
            subprocess.run(["chattr", "+i", str(path)], check=True)
        try:
            yield
        finally:
            for path in reversed(paths):
                subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        modes = {path: path.stat().st_mode for path in paths}
        for path in paths:
            path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            for path, mode in modes.items():
                path.chmod(mode)


def _try_writes(store: UserDataStore) -> list[str]:
    """Three different writes; the sentence each one raised."""
    annotator = Annotator(store, "Someone")
    sentences: list[str] = []
    for action in (
        lambda: annotator.add_bookmark(DOC, 1),
        lambda: annotator.rename_colour("yellow", "to discuss"),
        lambda: store.backup_now(),
    ):
        with pytest.raises(StorageError) as caught:
            action()
        sentences.append(str(caught.value))
    assert not annotator.history.can_undo
    annotator.history.close()
    return sentences


def test_read_only_data_folder_keeps_notes_readable_and_refuses_writes(
    app_paths: AppPaths,
) -> None:
    with UserDataStore.open(app_paths) as store:
        annotator = Annotator(store, "Alice")
        highlight(annotator, note="confirmed before")
        highlight(annotator, quote="discharge", note="also confirmed")
        annotator.history.close()
    before = app_paths.database.read_bytes()

    with writes_refused(app_paths.data, app_paths.database):
        with UserDataStore.open(app_paths) as store:
            sentence = f"Cannot save your notes: permission denied ({app_paths.database})."
            assert store.read_only_reason == sentence
            assert sorted(a.note for a in store.annotations()) == [
                "also confirmed",
                "confirmed before",
            ]
            assert store.search_text("discharge")
            writes = _try_writes(store)
        assert writes[:2] == [sentence, sentence]
        assert writes[2].startswith("Cannot save a backup of your notes: permission denied")

    assert app_paths.database.read_bytes() == before
    with UserDataStore.open(app_paths) as store:
        assert store.read_only_reason is None
        assert len(store.annotations()) == 2


def test_a_data_folder_on_a_read_only_medium_is_called_read_only(app_paths: AppPaths) -> None:
    with UserDataStore.open(app_paths) as store:
        highlight(Annotator(store, "Alice"), note="kept on the stick")
    unshare = shutil.which("unshare")
    assert unshare is not None, "util-linux's unshare is needed for this test"
    # In a private mount namespace the data folder is bound onto itself read-only,
    # then the store is opened by a child process that sees only that view.
    script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && exec "$2" -c "$3"'
    child = (
        "from ecip_reader.paths import AppPaths\n"
        "from ecip_reader.userdata import UserDataStore\n"
        "with UserDataStore.open(AppPaths.from_environment()) as store:\n"
        "    print(store.read_only_reason)\n"
        "    print(*[a.note for a in store.annotations()])\n"
    )
    done = subprocess.run(
        [unshare, "-rm", "sh", "-c", script, "sh", str(app_paths.data), sys.executable, child],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    reason, notes = done.stdout.splitlines()
    assert reason == f"Cannot save your notes: the folder is read-only ({app_paths.database})."
    assert notes == "kept on the stick"


def test_a_data_folder_that_cannot_be_created_gives_an_empty_read_only_store(
    app_paths: AppPaths,
) -> None:
    app_paths.data.rmdir()
    home = app_paths.data.parent
    with writes_refused(home), UserDataStore.open(app_paths) as store:
        sentence = f"Cannot save your notes: permission denied ({app_paths.data})."
        assert store.read_only_reason == sentence
        assert store.annotations() == [] and len(store.palette()) >= 6
        assert _try_writes(store)[:2] == [sentence, sentence]
    assert not app_paths.data.exists()


def test_opening_read_only_on_purpose(store: UserDataStore, app_paths: AppPaths) -> None:
    highlight(Annotator(store, "Alice"), note="kept")
    store.close()
    with UserDataStore.open(app_paths, read_only=True) as read_only:
        assert read_only.read_only
        assert [a.note for a in read_only.annotations()] == ["kept"]
        assert [h.annotation.note for h in read_only.search_text("kept")] == ["kept"]
        with pytest.raises(StorageError) as caught:
            read_only.set_layer_visible(1, False)
        assert str(caught.value) == "Cannot save your notes: they are open read-only."


def test_full_disk_refuses_the_write_keeps_confirmed_notes_and_undo_in_step(
    annotator: Annotator, app_paths: AppPaths
) -> None:
    store = annotator.store
    made = highlight(annotator, note="x" * 60_000)
    bookmark = annotator.add_bookmark(DOC, 2, "confirmed bookmark")
    annotator.set_note(made.uuid, "short, confirmed")
    store.query("VACUUM")  # no free pages left inside the file
    (pages,) = store.query("PRAGMA page_count")[0]
    store.query(f"PRAGMA max_page_count = {pages}")  # the disk is now "full"

    sentence = (
        f"Cannot save your notes: the disk is full ({app_paths.database}). "
        "Free some space and try again."
    )
    with pytest.raises(StorageError) as caught:
        annotator.set_note(made.uuid, "y" * 60_000)
    assert str(caught.value) == sentence
    with pytest.raises(StorageError) as caught:
        annotator.history.undo()  # undoing would bring back the long note
    assert str(caught.value) == sentence
    assert annotator.history.undo_label == "Edit note"
    assert not annotator.history.can_redo
    assert store.annotation(made.uuid).note == "short, confirmed"  # type: ignore[union-attr]

    store.query("PRAGMA max_page_count = 1000000")  # space was freed
    assert annotator.history.undo() == "Edit note"
    assert store.annotation(made.uuid).note == "x" * 60_000  # type: ignore[union-attr]
    annotator.set_note(made.uuid, "written once there was room")
    store.close()
    with UserDataStore.open(app_paths) as reopened:
        assert reopened.integrity_ok()
        assert reopened.annotation(made.uuid).note == "written once there was room"  # type: ignore[union-attr]
        assert reopened.bookmark(bookmark.uuid) is not None


def test_a_damaged_database_in_a_read_only_folder_is_reported_and_left_alone(
    app_paths: AppPaths,
) -> None:
    damaged = b"not a database at all " * 300
    app_paths.database.write_bytes(damaged)
    with writes_refused(app_paths.data, app_paths.database), UserDataStore.open(app_paths) as store:
        assert store.read_only
        assert store.recovery is not None and store.recovery.damaged_copy is None
        message = store.recovery.message
        assert message.startswith("Your notes database is damaged and could not be set aside (")
        assert message.endswith(
            "); start the reader with write access to its data folder to recover it."
        )
        assert store.annotations() == []
    assert app_paths.database.read_bytes() == damaged
