"""Dialogs for notes as a whole: export, import a notes pack, imported layers, preferences.

Exports honour the organisation's ``allow_export`` policy (the dialog says
so and its controls are disabled); the author name is disabled the same way
when the policy fixes it. Export and import run off the GUI thread through
the :class:`TaskRunner`; an annotated PDF is made in a separate process.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ecip_reader.errors import UserError
from ecip_reader.paths import AppPaths
from ecip_reader.settings import Settings
from ecip_reader.text import counted
from ecip_reader.ui.locks import lock_widget, managed_sentence
from ecip_reader.ui.notes.colours import swatch
from ecip_reader.ui.notes.controller import StoreRelay
from ecip_reader.ui.notes.exporting import (
    FORMATS,
    export_pdf_in_worker,
    export_text,
    import_notes_pack,
)
from ecip_reader.ui.tasks import TaskRunner
from ecip_reader.userdata import Annotator, DocumentRef, UserDataStore
from ecip_reader.userdata.exporting import ensure_export_allowed

# doc hash -> (the document, its PDF when it is in the library)
DocumentSources = Mapping[str, tuple[DocumentRef, Path | None]]


def with_format_suffix(path: Path, key: str) -> Path:
    """``path`` ending in the extension of format ``key``.

    A name without an extension, or with the extension of another export format,
    gets this format's; any other extension the user typed is kept.
    """
    suffix = FORMATS[key][1]
    known = {s for _name, s in FORMATS.values()}
    if not path.suffix or path.suffix.lower() in known:
        return path.with_suffix(suffix)
    return path


def export_allowed(settings: Settings) -> bool:
    try:
        ensure_export_allowed(settings)
    except UserError:
        return False
    return True


class ExportDialog(QDialog):
    """Save the notes of one document or all as Markdown, CSV, an annotated PDF or a pack."""

    exported = Signal(str)  # the sentence saying what was written

    def __init__(
        self,
        store: UserDataStore,
        settings: Settings,
        tasks: TaskRunner,
        paths: AppPaths,
        documents: DocumentSources,
        current: DocumentRef | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export Notes")
        self.setAccessibleName("Export notes")
        self.store, self.settings, self.tasks, self.paths = store, settings, tasks, paths
        self.documents = documents
        self.current = current
        self.running = False
        self.this_document = QRadioButton(
            f"This document: {current.display_title}" if current else "This document", self
        )
        self.all_documents = QRadioButton("All documents", self)
        scope = QButtonGroup(self)
        scope.addButton(self.this_document)
        scope.addButton(self.all_documents)
        self.this_document.setEnabled(current is not None)
        (self.this_document if current else self.all_documents).setChecked(True)
        self.format = QComboBox(self)
        self.format.setAccessibleName("Format")
        for key, (name, suffix) in FORMATS.items():
            self.format.addItem(f"{name} ({suffix})", key)
        self.pack_name = QLineEdit(self)
        self.pack_name.setAccessibleName("Name of the pack")
        self.pack_name.setPlaceholderText("e.g. Ward 7 — session 2 (your name if left empty)")
        self.pack_name.setToolTip(
            "Attendees see the pack under this name; a pack exported again under the same "
            "name updates their copy"
        )
        self.pack_plan = QComboBox(self)
        self.pack_plan.setAccessibleName("Session plan to carry")
        self.pack_plan.addItem("None", "")
        for plan in store.sessions(own_only=True):
            self.pack_plan.addItem(f"{plan.name} ({len(plan.stops)} stops)", plan.uuid)
        self.path = QLineEdit(self)
        self.path.setAccessibleName("File to save")
        self.choose = QPushButton("C&hoose…", self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.export_button = self.buttons.addButton(
            "&Export", QDialogButtonBox.ButtonRole.ApplyRole
        )
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.choose)
        save_as = QLabel("&Save as:", self)
        save_as.setBuddy(self.path)
        form = QFormLayout()
        form.addRow("Notes of:", self.this_document)
        form.addRow("", self.all_documents)
        form.addRow("&Format:", self.format)
        form.addRow("Pack &name:", self.pack_name)
        form.addRow("Session &plan:", self.pack_plan)
        self.form = form
        form.addRow(save_as, row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.buttons.rejected.connect(self.reject)
        self.export_button.clicked.connect(self.start_export)
        self.choose.clicked.connect(self._choose)
        self.format.currentIndexChanged.connect(lambda _i: self._suggest())
        scope.buttonToggled.connect(lambda _b, _on: self._suggest())
        self.setMinimumWidth(480)
        self._suggested = ""
        self._chosen = ""  # a file the save dialog already agreed to replace
        self.confirm: QMessageBox | None = None  # "replace it?" while it is asked
        self._suggest()
        self._apply_policy()

    def _apply_policy(self) -> None:
        if export_allowed(self.settings):
            return
        for widget in (self.export_button, self.format, self.path, self.choose):
            lock_widget(widget)
        self.status.setText("Exporting notes has been turned off by your organisation.")

    def set_format(self, key: str) -> None:
        self.format.setCurrentIndex(self.format.findData(key))

    def _suggest(self) -> None:
        key = str(self.format.currentData())
        suffix = FORMATS[key][1]
        for field in (self.pack_name, self.pack_plan):
            self.form.setRowVisible(field, key == "pack")
        pdf_ok = self.current is not None and self._source() is not None
        if key == "pdf" and not pdf_ok:
            self.status.setText("An annotated PDF can be made for a document of the library.")
        elif key == "pdf" and self.all_documents.isChecked():
            self.status.setText("An annotated PDF is made for one document: this one.")
        else:
            self.status.setText("")
        stem = "notes"
        if self.this_document.isChecked() and self.current is not None:
            stem = f"{self.current.doc_id or 'document'}-notes"
        if key == "pdf" and self.current is not None:
            stem = f"{self.current.doc_id or 'document'}-annotated"
        suggestion = str(Path.home() / f"{stem}{suffix}")
        typed = self.path.text().strip()
        if not typed or typed == self._suggested:
            self.path.setText(suggestion)
        else:  # the user's own file name: only its extension follows the format
            self.path.setText(str(with_format_suffix(Path(typed), key)))
        self._suggested = suggestion

    def _source(self) -> Path | None:
        if self.current is None:
            return None
        found = self.documents.get(self.current.hash)
        return found[1] if found else None

    def _choose(self) -> None:
        key = str(self.format.currentData())
        name, suffix = FORMATS[key]
        chosen, _filter = QFileDialog.getSaveFileName(
            self, "Export Notes", self.path.text(), f"{name} (*{suffix})"
        )
        if chosen:
            path = with_format_suffix(Path(chosen), key)
            self.path.setText(str(path))
            self._chosen = str(path)  # the save dialog asked about replacing it

    def destination(self) -> Path | None:
        """The file the export will write: the typed name, its extension following the format."""
        text = self.path.text().strip()
        if not text:
            return None
        return with_format_suffix(Path(text).expanduser(), str(self.format.currentData()))

    def start_export(self) -> None:
        if self.running or not export_allowed(self.settings):
            return
        dest = self.destination()
        if dest is None:
            self.status.setText("Choose a file to save the notes in.")
            return
        if str(dest) != self.path.text().strip():
            self.path.setText(str(dest))
        if dest.exists() and str(dest) != self._chosen:
            self._ask_to_replace(dest)
            return
        self._export(dest)

    def _ask_to_replace(self, dest: Path) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Replace File?",
            f"{dest.name} already exists. Do you want to replace it?",
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setInformativeText(f"It is in {dest.parent}. Replacing it overwrites what it holds.")
        replace = box.addButton("&Replace", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(_result: int) -> None:
            self.confirm = None
            if box.clickedButton() is replace:
                self._export(dest)
            else:
                self.status.setText(f"Not exported: {dest.name} was kept as it was.")

        box.finished.connect(answered)
        self.confirm = box
        box.open()

    def _export(self, dest: Path) -> None:
        key = str(self.format.currentData())
        known = {h: ref for h, (ref, _path) in self.documents.items()}
        only = {self.current.hash} if self.this_document.isChecked() and self.current else None
        if key == "pdf":
            source = self._source()
            if self.current is None or source is None:
                self.status.setText("An annotated PDF can be made for a document of the library.")
                return
            doc_hash, paths = self.current.hash, self.paths

            def work() -> str:
                return export_pdf_in_worker(paths, doc_hash, source, dest)

        else:
            store, author = self.store, self.settings.author_name()
            name = self.pack_name.text() if key == "pack" else ""
            chosen = (
                store.session(str(self.pack_plan.currentData() or "")) if key == "pack" else None
            )
            plans = [chosen] if chosen is not None else []

            def work() -> str:
                return export_text(store, key, dest, only, known, author, name, plans)

        self.running = True
        self.export_button.setEnabled(False)
        self.status.setText("Exporting…")
        self.tasks.run(work, self._done, self._failed)

    def _done(self, message: object) -> None:
        self.running = False
        self.export_button.setEnabled(True)
        self.status.setText(str(message))
        self.exported.emit(str(message))

    def _failed(self, exc: object) -> None:
        self.running = False
        self.export_button.setEnabled(True)
        if isinstance(exc, UserError):
            self.status.setText(str(exc))
        elif isinstance(exc, BaseException):
            self.status.setText("The export failed; the details were written to the log.")
            self.tasks.report(exc)


def start_import(
    tasks: TaskRunner,
    store: UserDataStore,
    path: Path,
    on_done: Callable[[str], None],
    on_problem: Callable[[str], None],
) -> None:
    """Import the notes pack at ``path`` on a task thread; a sentence comes back either way."""

    def failed(exc: object) -> None:
        if isinstance(exc, UserError):
            on_problem(str(exc))
        elif isinstance(exc, BaseException):
            tasks.report(exc)

    tasks.run(lambda: import_notes_pack(store, path), lambda m: on_done(str(m)), failed)


def choose_pack(parent: QWidget | None) -> Path | None:
    chosen, _filter = QFileDialog.getOpenFileName(
        parent, "Import Notes Pack", str(Path.home()), "Notes packs (*.json);;All files (*)"
    )
    return Path(chosen) if chosen else None


class LayersDialog(QDialog):
    """Imported notes, one layer per author: tick to show, Remove to take them out."""

    problem = Signal(str)

    def __init__(
        self, store: UserDataStore, annotator: Annotator, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Imported Notes")
        self.setAccessibleName("Imported notes")
        self.store, self.annotator = store, annotator
        intro = QLabel("Notes imported from notes packs. Untick a layer to hide its notes.", self)
        intro.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Imported layers")
        self.remove_button = QPushButton("&Remove Layer", self)
        self.remove_button.setToolTip("Remove the chosen layer and all its notes (can be undone)")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.remove_button.clicked.connect(self.remove_current)
        self.list.itemChanged.connect(self._toggled)
        self._relay = StoreRelay(self)
        self._relay.changed.connect(lambda _e: self.refresh())
        self._unsubscribe = store.subscribe(self._relay.changed.emit)
        self.finished.connect(lambda _r: self._unsubscribe())
        self.resize(420, 320)
        self.refresh()

    def refresh(self) -> None:
        sizes = self.store.layer_sizes()
        writable = not self.store.read_only
        self.list.blockSignals(True)
        self.list.clear()
        for layer in self.store.layers():
            notes, bookmarks = sizes.get(layer.id, (0, 0))
            item = QListWidgetItem(
                f"{layer.name} — {counted(notes, 'note')}, {counted(bookmarks, 'bookmark')}"
                f" (from {layer.source})"
            )
            item.setData(Qt.ItemDataRole.UserRole, layer.id)
            flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
            item.setFlags(flags | Qt.ItemFlag.ItemIsUserCheckable if writable else flags)
            item.setCheckState(Qt.CheckState.Checked if layer.visible else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.blockSignals(False)
        if self.list.count() and self.list.currentRow() < 0:
            self.list.setCurrentRow(0)
        self.remove_button.setEnabled(writable and self.list.count() > 0)

    def _toggled(self, item: QListWidgetItem) -> None:
        layer_id = int(item.data(Qt.ItemDataRole.UserRole))
        visible = item.checkState() == Qt.CheckState.Checked
        try:
            self.store.set_layer_visible(layer_id, visible)
        except UserError as exc:
            self.problem.emit(str(exc))
            self.refresh()  # the tick goes back to what is saved

    def set_visible(self, name: str, visible: bool) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.text().startswith(f"{name} — "):
                item.setCheckState(Qt.CheckState.Checked if visible else Qt.CheckState.Unchecked)

    def remove_current(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        try:
            self.annotator.remove_layer(int(item.data(Qt.ItemDataRole.UserRole)))
        except UserError as exc:
            self.problem.emit(str(exc))
        except KeyError:
            self.refresh()


class PreferencesDialog(QDialog):
    """The author name written into notes, and the user's own names for the colours."""

    problem = Signal(str)

    def __init__(
        self,
        store: UserDataStore,
        annotator: Annotator,
        settings: Settings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Colour Names and Author")
        self.setAccessibleName("Colour names and author")
        self.store, self.annotator, self.settings = store, annotator, settings
        form = QFormLayout()
        self.author = QLineEdit(settings.author_name(), self)
        self.author.setAccessibleName("Author name")
        locked = settings.is_locked("author_name") or settings.is_locked("author_source")
        if locked:
            lock_widget(self.author)
        form.addRow("&Author of your notes:", self.author)
        self.names: dict[str, QLineEdit] = {}
        for colour in store.palette():
            field = QLineEdit(colour.label, self)
            field.setAccessibleName(f"Name of colour {colour.key}")
            field.setEnabled(not store.read_only)
            label = QLabel(self)
            label.setPixmap(swatch(colour.rgb, 16).pixmap(16, 16))
            row = QHBoxLayout()
            row.addWidget(label)
            row.addWidget(field, 1)
            form.addRow(f"{colour.key.capitalize()}:", row)
            self.names[colour.key] = field
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        managed = managed_sentence(settings)
        self.managed = QLabel(managed or "", self)
        self.managed.setObjectName("muted")
        self.managed.setWordWrap(True)
        self.managed.setVisible(managed is not None)
        layout.addWidget(self.managed)
        layout.addWidget(buttons)

    def accept(self) -> None:
        current = {c.key: c.label for c in self.store.palette()}
        try:
            for key, field in self.names.items():
                name = " ".join(field.text().split())
                if name and name != current.get(key):
                    self.annotator.rename_colour(key, name)
            author = " ".join(self.author.text().split())
            if self.author.isEnabled() and author and author != self.settings.author_name():
                self.settings.set("author_name", author)
                self.annotator.author = self.settings.author_name()
        except UserError as exc:
            self.problem.emit(str(exc))
            return
        super().accept()
