"""Notes as a whole: export, notes packs and layers, names and author, store problems."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from ecip_reader.errors import StorageError
from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.settings import Policy, Settings
from ecip_reader.ui.locks import POLICY_TIP
from ecip_reader.ui.notes.dialogs import (
    ExportDialog,
    LayersDialog,
    PreferencesDialog,
    start_import,
)
from ecip_reader.ui.notes.notice import NotesNotice
from ecip_reader.ui.tasks import TaskRunner
from ecip_reader.userdata import AnnotationKind, Annotator, DocumentRef, UserDataStore, database
from ecip_reader.userdata.anchoring import selection_from_words
from ecip_reader.userdata.models import Layer, now_iso
from ecip_reader.userdata.ops import PutLayer
from ecip_reader.userdata.packs import build_pack, write_pack
from tests.support.notes import (
    WAIT,
    Desk,
    colour_share,
    desk,
    first_line_box,
    pdf_annotations,
)

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier

# Dialogs, menus and tooltips raise their windows; the offscreen platform cannot.
pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


def annotate(d: Desk) -> None:
    anchor, quads = selection_from_words(d.words(1), 9, 11)
    d.annotator.add_markup(
        d.document, 1, AnnotationKind.HIGHLIGHT, quads, anchor, "green", "Raise at flow meeting"
    )
    d.annotator.add_sticky_note(d.document, 2, (300, 400), "Call the discharge lead")
    d.annotator.add_bookmark(d.document, 3, "Keeping the gains")


def export_dialog(qtbot: QtBot, d: Desk, tasks: TaskRunner) -> ExportDialog:
    sources = {d.document.hash: (d.document, d.pdf)}
    dialog = ExportDialog(d.store, d.settings, tasks, d.paths, sources, d.document)
    qtbot.addWidget(dialog)
    return dialog


def run_export(qtbot: QtBot, dialog: ExportDialog, fmt: str, dest: Path) -> str:
    dialog.set_format(fmt)
    dialog.path.setText(str(dest))
    with qtbot.waitSignal(dialog.exported, timeout=120_000) as done:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    return str(done.args[0])


def test_export_markdown_csv_and_an_annotated_pdf(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue, tmp_path: Path
) -> None:
    tasks = TaskRunner(max_threads=1)
    with desk(qtbot, app_paths, small_library, show=False) as d:
        annotate(d)
        d.annotator.rename_colour("green", "To discuss")
        dialog = export_dialog(qtbot, d, tasks)
        assert dialog.this_document.isChecked()

        message = run_export(qtbot, dialog, "md", tmp_path / "notes.md")
        assert message == "Saved 3 notes and bookmarks as notes.md."
        text = (tmp_path / "notes.md").read_text(encoding="utf-8")
        assert "## Making every week a Perfect Week" in text
        assert "> concentrates senior attention" in text
        assert "Raise at flow meeting" in text and "To discuss" in text
        assert "- Page 3: Keeping the gains" in text

        run_export(qtbot, dialog, "csv", tmp_path / "notes.csv")
        rows = list(csv.reader(io.StringIO((tmp_path / "notes.csv").read_text("utf-8-sig"))))
        assert rows[0][:4] == ["document id", "document title", "page", "kind"]
        assert [rows[1][i] for i in (0, 2, 3, 4)] == [
            "perfect-week",
            "1",
            "highlight",
            "To discuss",
        ]
        assert rows[1][5:7] == ["concentrates senior attention", "Raise at flow meeting"]
        assert [r[3] for r in rows[1:]] == ["highlight", "sticky-note", "bookmark"]

        message = run_export(qtbot, dialog, "pdf", tmp_path / "annotated.pdf")
        assert message == "Saved annotated.pdf with 2 notes and 1 bookmark."
        found = pdf_annotations(tmp_path / "annotated.pdf")
        assert found["pages"][0] == [["Highlight", "Test Reader", "Raise at flow meeting"]]
        assert found["pages"][1] == [["Text", "Test Reader", "Call the discharge lead"]]
        assert found["toc"][-2:] == [[1, "Your bookmarks", 3], [2, "Keeping the gains", 3]]
        # The library's own file is untouched.
        assert pdf_annotations(d.pdf)["pages"] == [[], [], []]
    tasks.wait()


def test_the_file_follows_the_format_and_replacing_a_file_asks_first(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue, tmp_path: Path
) -> None:
    tasks = TaskRunner(max_threads=1)
    with desk(qtbot, app_paths, small_library, show=False) as d:
        d.annotator.add_bookmark(d.document, 3, "Keeping the gains")
        dialog = export_dialog(qtbot, d, tasks)
        # The form's labels are real labels: "Save as" has its mnemonic, no literal "&".
        labels = {w.text(): w for w in dialog.findChildren(QLabel)}
        assert labels["&Save as:"].buddy() is dialog.path
        dialog.all_documents.setChecked(True)
        markdown = tmp_path / "notes-all.md"
        message = run_export(qtbot, dialog, "md", markdown)
        assert message == "Saved 1 note or bookmark as notes-all.md."
        written = markdown.read_text(encoding="utf-8")

        # Switching to CSV changes the extension: Export writes a CSV beside the Markdown.
        dialog.set_format("csv")
        assert dialog.path.text() == str(tmp_path / "notes-all.csv")
        with qtbot.waitSignal(dialog.exported, timeout=WAIT):
            qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        assert markdown.read_text(encoding="utf-8") == written
        assert (tmp_path / "notes-all.csv").read_text("utf-8-sig").startswith("document id,")

        # Back to Markdown: the file exists, so Export asks; Cancel keeps it untouched.
        dialog.set_format("md")
        assert dialog.path.text() == str(markdown)
        markdown.write_text("my own edits", encoding="utf-8")
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        box = dialog.confirm
        assert box is not None and box.isVisible()
        assert box.text() == "notes-all.md already exists. Do you want to replace it?"
        box.button(QMessageBox.StandardButton.Cancel).click()
        assert markdown.read_text(encoding="utf-8") == "my own edits"
        assert dialog.status.text() == "Not exported: notes-all.md was kept as it was."
        # Replace overwrites it.
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        box = dialog.confirm
        assert box is not None
        replace = next(b for b in box.buttons() if b.text() == "&Replace")
        with qtbot.waitSignal(dialog.exported, timeout=WAIT):
            replace.click()
        assert markdown.read_text(encoding="utf-8") == written
        # A name typed with another export format's extension gets this format's.
        dialog.path.setText(str(tmp_path / "for-the-team.csv"))
        assert dialog.destination() == tmp_path / "for-the-team.md"
    tasks.wait()


def test_exports_are_off_when_the_organisation_says_so(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue, tmp_path: Path
) -> None:
    app_paths.policy_file.parent.mkdir(parents=True, exist_ok=True)
    app_paths.policy_file.write_text(
        'allow_export = false\nauthor_name = "Ward 7"\nauthor_source = "fixed"\n'
        'locked = ["allow_export", "author_source", "author_name"]\n',
        encoding="utf-8",
    )
    tasks = TaskRunner(max_threads=1)
    with desk(qtbot, app_paths, small_library, show=False) as d:
        assert d.settings.get("allow_export") is False
        dialog = export_dialog(qtbot, d, tasks)
        assert not dialog.export_button.isEnabled()
        assert dialog.export_button.toolTip() == POLICY_TIP
        assert dialog.status.text() == "Exporting notes has been turned off by your organisation."
        dialog.path.setText(str(tmp_path / "notes.md"))
        dialog.start_export()
        assert not (tmp_path / "notes.md").exists()
        prefs = PreferencesDialog(d.store, d.annotator, d.settings)
        qtbot.addWidget(prefs)
        assert not prefs.author.isEnabled()
        assert prefs.author.toolTip() == POLICY_TIP
        assert prefs.author.text() == "Ward 7"
        assert prefs.managed.text() == (
            "Managed by your organisation: Exporting notes, Author of your notes, Author name."
        )


def make_pack(tmp_path: Path, library: Catalogue) -> Path:
    """A trainer's notes pack, made in the trainer's own data folder."""
    root = tmp_path / "trainer"
    paths = AppPaths(root / "data", root / "cache", root / "config", root / "policy.toml")
    entry = library.get("perfect-week")
    document = DocumentRef(entry.sha256, entry.id, entry.title)
    with pymupdf.open(library.path_of(entry)) as doc:
        words = [tuple(w) for w in doc[0].get_text("words")]
    with UserDataStore.open(paths) as store:
        trainer = Annotator(store, "A. Trainer")
        anchor, quads = selection_from_words(words, 13, 14)  # type: ignore[arg-type]
        trainer.add_markup(
            document, 1, AnnotationKind.HIGHLIGHT, quads, anchor, "blue", "Why this works"
        )
        pack = build_pack(store, "A. Trainer")
    path = tmp_path / "workshop.json"
    write_pack(pack, path)
    return path


def test_import_a_pack_hide_its_layer_and_remove_it(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue, tmp_path: Path
) -> None:
    pack = make_pack(tmp_path, small_library)
    tasks = TaskRunner(max_threads=1)
    with desk(qtbot, app_paths, small_library) as d:
        words = d.words(1)
        _x0, y0, _x1, y1 = first_line_box(words, 13, 14)
        gap = (words[13][2] + 0.6, y0 + 2, words[14][0] - 0.6, y1 - 2)
        blue = "#7ab8f5"
        messages: list[str] = []
        start_import(tasks, d.store, pack, messages.append, messages.append)
        qtbot.waitUntil(lambda: bool(messages), timeout=WAIT)
        assert messages == ["Imported the notes of A. Trainer: 1 added."]
        qtbot.waitUntil(lambda: len(d.overlay.annotations(1)) == 1, timeout=WAIT)
        qtbot.waitUntil(lambda: colour_share(d.pixels(1, gap), blue) > 0.6, timeout=WAIT)

        layers = LayersDialog(d.store, d.annotator)
        qtbot.addWidget(layers)
        assert layers.list.count() == 1
        assert layers.list.item(0).text().startswith("A. Trainer — 1 note, 0 bookmarks")
        layers.set_visible("A. Trainer", False)
        assert d.store.layers()[0].visible is False
        qtbot.waitUntil(lambda: d.overlay.annotations(1) == [], timeout=WAIT)
        qtbot.waitUntil(lambda: colour_share(d.pixels(1, gap), blue) < 0.05, timeout=WAIT)
        layers.set_visible("A. Trainer", True)
        qtbot.waitUntil(lambda: len(d.overlay.annotations(1)) == 1, timeout=WAIT)

        layers.list.setCurrentRow(0)
        qtbot.mouseClick(layers.remove_button, Qt.MouseButton.LeftButton)
        assert d.store.layers() == []
        assert d.store.annotations(include_hidden=True) == []
        qtbot.waitUntil(lambda: layers.list.count() == 0, timeout=WAIT)
        qtbot.waitUntil(lambda: colour_share(d.pixels(1, gap), blue) < 0.05, timeout=WAIT)
        # Removing a layer can be undone like any other change.
        d.key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert [la.name for la in d.store.layers()] == ["A. Trainer"]
        layers.close()
    tasks.wait()


def test_a_layer_that_cannot_be_hidden_keeps_its_tick_and_says_why(
    qtbot: QtBot, app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    with UserDataStore.open(app_paths) as store:
        store.apply([PutLayer(Layer(1, "A. Trainer", "pack.json", now_iso(), True))])

        def disk_full(_layer_id: int, _visible: bool) -> None:
            raise StorageError("Cannot save your notes: the disk is full.")

        monkeypatch.setattr(store, "set_layer_visible", disk_full)
        layers = LayersDialog(store, Annotator(store, "Me"))
        qtbot.addWidget(layers)
        problems: list[str] = []
        layers.problem.connect(problems.append)
        layers.set_visible("A. Trainer", False)
        assert problems == ["Cannot save your notes: the disk is full."]
        assert layers.list.item(0).checkState() == Qt.CheckState.Checked
        layers.close()


def test_a_read_only_store_disables_annotating_and_says_why(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    with (
        UserDataStore.open(app_paths, read_only=True) as store,
        desk(qtbot, app_paths, small_library, store=store) as d,
    ):
        notice = NotesNotice(store)
        qtbot.addWidget(notice)
        assert not notice.isHidden()
        assert notice.label.text() == "Notes cannot be saved: they are open read-only."
        assert notice.restore_button.isHidden()
        d.select_words(1, 9, 11)
        for name in ("highlight", "underline", "strike", "note", "bookmark", "undo"):
            assert not d.controller.action(name).isEnabled(), name
        d.key(Qt.Key.Key_H, CTRL_SHIFT)
        d.key(Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
        assert store.annotations() == [] and store.bookmarks() == []
        assert d.controller.dialog is None


def test_a_failed_write_is_one_sentence_and_loses_nothing(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    with desk(qtbot, app_paths, small_library) as d:
        d.annotator.add_sticky_note(d.document, 1, (400, 600), "Keep me")
        problems: list[str] = []
        d.controller.problem.connect(problems.append)
        d.controller.storage_failed.connect(problems.append)
        d.select_words(1, 9, 11)
        # The disk refuses writes from now on (as a read-only remount would).
        d.store.query("PRAGMA query_only = ON")
        d.key(Qt.Key.Key_H, CTRL_SHIFT)
        assert len(problems) == 1
        assert problems[0].startswith("Cannot save your notes")
        assert problems[0].count(". ") == 0  # one sentence
        assert [a.note for a in d.store.annotations()] == ["Keep me"]
        assert d.view.selection() is not None  # the selection is still there to try again
        assert d.controller.action("undo").text() == "&Undo Add sticky note"
        # Writing stays off, and says why, until a write works again.
        highlight = d.controller.action("highlight")
        assert not highlight.isEnabled()
        assert highlight.toolTip().startswith("Notes cannot be saved: ")
        assert not d.store.try_writes_again()
        d.store.query("PRAGMA query_only = OFF")
        assert d.store.try_writes_again()
        qtbot.waitUntil(highlight.isEnabled, timeout=WAIT)
        assert highlight.toolTip().startswith("Highlight the selected text")
        d.key(Qt.Key.Key_H, CTRL_SHIFT)
        assert len(d.store.annotations()) == 2


def _damaged_with_a_backup(app_paths: AppPaths, small_library: Catalogue) -> None:
    entry = small_library.get("perfect-week")
    with UserDataStore.open(app_paths) as store:
        Annotator(store, "Me").add_bookmark(DocumentRef(entry.sha256), 2, "Before the damage")
        store.backup_now()
    app_paths.database.write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        Path(f"{app_paths.database}{suffix}").unlink(missing_ok=True)


def test_a_damaged_database_comes_back_by_itself_and_the_notice_says_so(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    _damaged_with_a_backup(app_paths, small_library)
    with UserDataStore.open(app_paths) as store:
        assert store.recovery is not None
        notice = NotesNotice(store)
        qtbot.addWidget(notice)
        assert not notice.isHidden()
        assert notice.label.text() == store.recovery.message
        assert notice.label.text().startswith(
            "Your notes database was damaged and has been set aside; the only note or "
            "bookmark was recovered (from the backup of "
        )
        assert [b.label for b in store.bookmarks()] == ["Before the damage"]
        assert notice.restore_button.isHidden()  # nothing to restore by hand


def test_when_nothing_can_be_recovered_the_newest_backup_is_offered(
    qtbot: QtBot,
    app_paths: AppPaths,
    small_library: Catalogue,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _damaged_with_a_backup(app_paths, small_library)

    def salvage_fails(*_args: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(database, "salvage", salvage_fails)
    with UserDataStore.open(app_paths) as store:
        assert store.recovery is not None
        notice = NotesNotice(store)
        qtbot.addWidget(notice)
        assert notice.label.text().endswith("can be restored.")
        assert store.bookmarks() == []
        qtbot.mouseClick(notice.restore_button, Qt.MouseButton.LeftButton)
        assert [b.label for b in store.bookmarks()] == ["Before the damage"]
        assert notice.label.text().startswith("Your notes were restored from the backup")
        assert notice.restore_button.isHidden()


def test_colour_names_and_author(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    with desk(qtbot, app_paths, small_library, show=False) as d:
        prefs = PreferencesDialog(d.store, d.annotator, d.settings)
        qtbot.addWidget(prefs)
        assert len(prefs.names) >= 6
        prefs.names["yellow"].setText("To discuss")
        prefs.author.setText("Sam Nurse")
        prefs.accept()
        assert d.store.colour("yellow").label == "To discuss"
        qtbot.waitUntil(
            lambda: any(a.text() == "To discuss" for a in d.controller.colour_actions()),
            timeout=WAIT,
        )
        assert d.annotator.author == "Sam Nurse"
        assert Settings(app_paths.settings_file, Policy()).author_name() == "Sam Nurse"
        note = d.annotator.add_sticky_note(d.document, 1, (50, 50), "Mine")
        assert note.author == "Sam Nurse"
