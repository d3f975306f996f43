"""Salvage before restore: a damaged notes database gives back every row still readable.

The scene of each test: 140 notes, the newest backup taken after the first 100,
then damage — random bytes over one page, 4 KB of random bytes in the middle of
the file, or the file cut short.
"""

from __future__ import annotations

import random
import re
import sqlite3
from pathlib import Path

import pytest

from ecip_reader.cli import main
from ecip_reader.paths import AppPaths
from ecip_reader.userdata import Annotator, UserDataStore
from ecip_reader.userdata.backups import list_backups
from tests.support.hostile import PAGE, scramble_middle, truncate
from tests.userdata.helpers import DOC, highlight

ALL = [f"note {n:03d}" for n in range(140)]
BEFORE_BACKUP = ALL[:100]


def _scene(app_paths: AppPaths, backup: bool = True) -> None:
    with UserDataStore.open(app_paths) as store:
        annotator = Annotator(store, "Alice")
        for n, note in enumerate(ALL):
            if n == 100 and backup:
                store.backup_now()
            highlight(annotator, quote=f"passage {n}", page=1 + n % 12, note=note)
        annotator.add_bookmark(DOC, 3, "Escalation flowchart")
        annotator.history.close()
    # Fold the write-ahead log in, so the damage hits the pages that hold the notes.
    with sqlite3.connect(app_paths.database) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def _root_page(app_paths: AppPaths, name: str) -> int:
    db = sqlite3.connect(app_paths.database)
    try:
        (page,) = db.execute(
            "SELECT rootpage FROM sqlite_schema WHERE name = ?", (name,)
        ).fetchone()
    finally:
        db.close()
    return int(page)


def _ruin_page(path: Path, page: int) -> None:
    data = bytearray(path.read_bytes())
    data[(page - 1) * PAGE : page * PAGE] = random.Random(page).randbytes(PAGE)
    path.write_bytes(bytes(data))


def still_in(data: bytes) -> list[str]:
    """The notes whose text is still in the damaged file: the rows that could be read.

    (Nothing was ever deleted in the scene, so no stale copy lies in a free page.)
    """
    return [note for note in ALL if note.encode() in data]


def _notes(store: UserDataStore) -> list[str]:
    return sorted(a.note for a in store.annotations())


@pytest.mark.parametrize("ruined", ["annotations", "sqlite_autoindex_annotations_1", "header"])
def test_a_ruined_page_above_the_rows_loses_no_note(ruined: str, app_paths: AppPaths) -> None:
    """The root of the notes' table, the root of an index, or page 1 with the schema: the
    pages holding the rows are intact, so every note comes back."""
    _scene(app_paths, backup=False)
    page = 1 if ruined == "header" else _root_page(app_paths, ruined)
    _ruin_page(app_paths.database, page)
    with UserDataStore.open(app_paths) as store:
        assert store.recovery is not None
        assert store.recovery.message == (
            "Your notes database was damaged and has been set aside; all 141 notes and "
            "bookmarks were recovered."
        )
        assert _notes(store) == ALL
        assert [b.label for b in store.bookmarks(DOC.hash)] == ["Escalation flowchart"]
        assert store.search_text("passage")
        assert store.integrity_ok()


def test_random_bytes_in_the_middle_every_readable_row_comes_back(app_paths: AppPaths) -> None:
    _scene(app_paths)
    scramble_middle(app_paths.database)
    damaged_bytes = app_paths.database.read_bytes()
    with UserDataStore.open(app_paths) as store:
        recovery = store.recovery
        assert recovery is not None
        notes = _notes(store)
        assert set(still_in(damaged_bytes)) <= set(notes)  # every row still in the file
        assert set(BEFORE_BACKUP) <= set(notes)  # the backup covers what the damage took
        assert recovery.recovered == len(notes) + 1  # and the bookmark
        assert recovery.recovered + recovery.lost == 141  # every note is accounted for
        assert len(notes) == len(set(notes))  # the backup's copies are not added twice
        copy = recovery.damaged_copy
        assert copy is not None and copy.stat().st_size == len(damaged_bytes)  # kept as it was
        assert store.integrity_ok()


def test_a_truncated_database_keeps_the_readable_rows_and_says_what_may_be_missing(
    app_paths: AppPaths,
) -> None:
    _scene(app_paths)
    truncate(app_paths.database, keep=0.75)
    kept = still_in(app_paths.database.read_bytes())
    assert 0 < len(kept) < len(ALL)
    backup = list_backups(app_paths.data / "backups")[0]
    with UserDataStore.open(app_paths) as store:
        recovery = store.recovery
        assert recovery is not None
        notes = _notes(store)
        assert set(kept) <= set(notes)
        assert set(BEFORE_BACKUP) <= set(notes)  # what the cut took is in the backup
        assert recovery.recovered == len(notes) + 1
        pattern = (
            r"Your notes database was damaged and has been set aside; (\d+) notes and "
            r"bookmarks were recovered \((\d+) of them from the backup of (.+)\); part of "
            r"the file was missing, so notes made after that backup may be lost\."
        )
        found = re.fullmatch(pattern, recovery.message)
        assert found is not None, recovery.message
        assert int(found[1]) == recovery.recovered
        assert 0 < int(found[2]) <= 100
        assert found[3] == backup.display_date
        assert store.integrity_ok()


def test_notes_commands_on_a_damaged_database_exit_1_with_the_right_sentence(
    app_paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    _scene(app_paths, backup=False)
    _ruin_page(app_paths.database, _root_page(app_paths, "annotations"))
    before = app_paths.database.read_bytes()
    out = app_paths.data / "notes.md"
    for command in (["notes", "list"], ["notes", "export", "--format", "md", "-o", str(out)]):
        assert main(command) == 1
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err == (
            "Your notes database is damaged; start the reader to recover the notes that can "
            "still be read from it and from the backups.\n"
        )
    assert app_paths.database.read_bytes() == before  # a listing changes nothing
    assert not out.exists()
    # Starting the reader (a writable open) recovers them; then the listing works.
    UserDataStore.open(app_paths).close()
    assert main(["notes", "list"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("141 notes and bookmarks.")


@pytest.mark.parametrize("ruined", ["annotations", "header"])
def test_a_session_plan_comes_back_with_its_stops(ruined: str, app_paths: AppPaths) -> None:
    """A trainer's plan is work too: salvage keeps it, stops in their order (read off the
    pages when the schema on page 1 is gone)."""
    from ecip_reader.userdata.session_editing import SessionEditor
    from tests.userdata.helpers import OTHER_DOC

    _scene(app_paths)
    with UserDataStore.open(app_paths) as store:
        editor = SessionEditor(Annotator(store, "Alice"))
        plan = editor.create("Ward 7 — session 2")
        editor.add_stop(plan.uuid, DOC, 3, note="Open with the weekend gap")
        editor.add_stop(plan.uuid, OTHER_DOC, 1, region=(30, 40, 330, 209), label="the rota")
        editor.annotator.history.close()
    with sqlite3.connect(app_paths.database) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    page = 1 if ruined == "header" else _root_page(app_paths, ruined)
    _ruin_page(app_paths.database, page)
    with UserDataStore.open(app_paths) as store:
        assert store.recovery is not None
        (kept,) = store.sessions()
        assert kept.name == "Ward 7 — session 2"
        assert [(s.page, s.label, s.note) for s in kept.stops] == [
            (3, "", "Open with the weekend gap"),
            (1, "the rota", ""),
        ]
