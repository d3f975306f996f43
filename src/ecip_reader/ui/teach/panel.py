"""The Session Plan panel: the trainer's stops across documents, in the order of the workshop.

Choose a plan (your own, or one that came with a notes pack), drag stops to
reorder them (or Ctrl+Up / Ctrl+Down), give a stop a note (F2), remove it
(Delete; Ctrl+Z brings it back), open it in the reader (Enter or a double
click) or present the plan from the chosen stop (Shift+F5).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ecip_reader.errors import UserError
from ecip_reader.ui.teach.delegate import StopDelegate
from ecip_reader.ui.teach.dialogs import TextDialog
from ecip_reader.ui.teach.model import STOP_ROLE, StopsModel
from ecip_reader.userdata import DocumentRef, StoreEvent, UserDataStore
from ecip_reader.userdata.session_editing import SessionEditor
from ecip_reader.userdata.session_plans import SessionPlan, SessionStop

NO_PLAN = (
    "No session plan yet. Right-click a page, a highlight or a bookmark and choose "
    "“Add to Session Plan”, or make one with New."
)


class _Relay(QObject):
    changed = Signal(object)


class StopList(QListView):
    """The stops, one or two lines each, reordered by dragging.

    Delete, F2 and Ctrl+Up/Down act on the chosen stop here, ahead of the
    window's shortcuts for the same keys (Delete also deletes a note).
    """

    remove_pressed = Signal()
    note_pressed = Signal()
    move_pressed = Signal(int)  # -1 up, +1 down

    def _meaning(self, event: QKeyEvent) -> Callable[[], None] | None:
        control = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        key = event.key()
        if key == Qt.Key.Key_Delete and not control:
            return self.remove_pressed.emit
        if key == Qt.Key.Key_F2:
            return self.note_pressed.emit
        if control and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            return lambda: self.move_pressed.emit(-1 if key == Qt.Key.Key_Up else 1)
        return None

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self._meaning(event) is not None
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        meaning = self._meaning(event)
        if meaning is None:
            super().keyPressEvent(event)
        else:
            meaning()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Stops of the session plan")
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setWordWrap(True)
        self.setSpacing(1)
        self.setUniformItemSizes(False)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)


class SessionPanel(QWidget):
    present_requested = Signal(str, int)  # plan uuid, stop row to start from
    open_requested = Signal(str, int)  # doc hash, page
    problem = Signal(str)

    def __init__(
        self,
        store: UserDataStore,
        editor: SessionEditor,
        documents: Callable[[], Mapping[str, DocumentRef]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName("Session plan")
        self.store, self.editor = store, editor
        self.plans = QComboBox(self)
        self.plans.setAccessibleName("Session plan")
        self.new_button = QPushButton("&New…", self)
        self.new_button.setToolTip("Start a new session plan")
        self.more = QToolButton(self)
        self.more.setText("⋯")
        self.more.setAccessibleName("More for this plan")
        self.more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more_menu = QMenu(self.more)
        self.rename_action = self.more_menu.addAction("&Rename Plan…", self.ask_rename)
        self.copy_action = self.more_menu.addAction("&Copy as My Own Plan", self.copy_plan)
        self.delete_action = self.more_menu.addAction("&Delete Plan", self.delete_plan)
        self.more.setMenu(self.more_menu)
        self.model = StopsModel(documents, self)
        self.list = StopList(self)
        self.list.setModel(self.model)
        self.list.setItemDelegate(StopDelegate(self.list))
        self.present_button = QPushButton("&Present", self)
        self.present_button.setToolTip("Present the plan from the chosen stop (Shift+F5)")
        self.note_button = QPushButton("N&ote…", self)
        self.note_button.setToolTip("Write the trainer's note for the chosen stop (F2)")
        self.remove_button = QPushButton("Re&move", self)
        self.remove_button.setToolTip("Take the chosen stop out of the plan (Delete)")
        self.status = QLabel(self)
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)
        self._layout()
        self._connect()
        self._relay = _Relay(self)
        # Queued: a drop is still being handled by the list when the store says it changed.
        self._relay.changed.connect(self._store_changed, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe = store.subscribe(self._relay.changed.emit)
        self.destroyed.connect(lambda _o=None: self.detach())
        self._detached = False
        self.refresh()

    def detach(self) -> None:
        """Stop following the store (before it closes)."""
        self._detached = True
        self._unsubscribe()

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.plans, 1)
        top.addWidget(self.new_button)
        top.addWidget(self.more)
        buttons = QHBoxLayout()
        buttons.addWidget(self.present_button)
        buttons.addStretch(1)
        buttons.addWidget(self.note_button)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)

    def _connect(self) -> None:
        self.plans.currentIndexChanged.connect(lambda _i: self._show_plan())
        self.new_button.clicked.connect(self.ask_new)
        self.present_button.clicked.connect(self.present)
        self.note_button.clicked.connect(self.ask_note)
        self.remove_button.clicked.connect(self.remove_stop)
        self.model.move_requested.connect(self.move_stop)
        self.list.activated.connect(self._open)
        self.list.selectionModel().currentChanged.connect(lambda _a, _b: self._update())
        self.list.remove_pressed.connect(self.remove_stop)
        self.list.note_pressed.connect(self.ask_note)
        self.list.move_pressed.connect(self.move_by)

    # -- which plan ---------------------------------------------------------------------

    def plan(self) -> SessionPlan | None:
        return self.model.plan

    def own_plan(self) -> SessionPlan | None:
        """The plan new stops go to: the one shown if it is the user's, else their first."""
        shown = self.plan()
        if shown is not None and shown.is_own:
            return shown
        return next((p for p in self.store.sessions(own_only=True)), None)

    def choose_plan(self, uuid: str) -> None:
        index = self.plans.findData(uuid)
        if index >= 0:
            self.plans.setCurrentIndex(index)

    def refresh(self) -> None:
        """Read the plans again, keeping the one shown and the stop chosen."""
        shown = self.plans.currentData()
        row = self.list.currentIndex().row()
        layers = {la.id: la.name for la in self.store.layers()}
        self.plans.blockSignals(True)
        self.plans.clear()
        for plan in self.store.sessions():
            label = plan.name
            layer = layers.get(plan.layer_id) if plan.layer_id is not None else None
            if plan.layer_id is not None:
                whence = f"from {layer}" if layer and layer != plan.name else "imported"
                label = f"{plan.name} ({whence})"
            self.plans.addItem(label, plan.uuid)
        index = self.plans.findData(shown) if shown else -1
        self.plans.setCurrentIndex(index if index >= 0 else 0 if self.plans.count() else -1)
        self.plans.blockSignals(False)
        self._show_plan(row)

    def _show_plan(self, row: int = 0) -> None:
        uuid = self.plans.currentData()
        plan = self.store.session(uuid) if isinstance(uuid, str) else None
        self.model.set_plan(plan)
        if self.model.rowCount():
            self.list.setCurrentIndex(self.model.index(min(max(row, 0), self.model.rowCount() - 1)))
        self._update()

    def _store_changed(self, event: object) -> None:
        if self._detached:
            return
        if isinstance(event, StoreEvent) and (event.sessions or event.reset or event.layers):
            self.refresh()

    def _update(self) -> None:
        plan = self.plan()
        own = plan is not None and plan.is_own
        chosen = self.current_stop() is not None
        writable = not self.store.read_only
        self.present_button.setEnabled(plan is not None and bool(plan.stops))
        self.note_button.setEnabled(own and chosen and writable)
        self.remove_button.setEnabled(own and chosen and writable)
        self.rename_action.setEnabled(own and writable)
        self.delete_action.setEnabled(own and writable)
        self.copy_action.setEnabled(plan is not None and writable)
        self.new_button.setEnabled(writable)
        if plan is None:
            self.status.setText(NO_PLAN)
        else:
            documents = len(plan.doc_hashes)
            text = f"{len(plan.stops)} stops on {documents} documents."
            if not own:
                text += " This plan came with a notes pack: copy it to change it."
            elif plan.stops:
                text += " Drag a stop, or press Ctrl+Up / Ctrl+Down, to change the order."
            self.status.setText(text)

    # -- stops ---------------------------------------------------------------------------

    def current_stop(self) -> SessionStop | None:
        found = self.list.currentIndex().data(STOP_ROLE)
        return found if isinstance(found, SessionStop) else None

    def _write(self, work: Callable[[], object]) -> None:
        try:
            work()
        except UserError as exc:
            self.problem.emit(str(exc))
        except KeyError:
            self.refresh()  # the plan changed under the action

    def move_stop(self, stop_uuid: str, row: int) -> None:
        plan = self.plan()
        if plan is not None:
            self._write(lambda: self.editor.move_stop(plan.uuid, stop_uuid, row))
            self.select_stop(stop_uuid)

    def move_by(self, step: int) -> None:
        stop, plan = self.current_stop(), self.plan()
        if stop is not None and plan is not None and plan.is_own:
            self.move_stop(stop.uuid, plan.index_of(stop.uuid) + step)

    def select_stop(self, stop_uuid: str) -> None:
        """Choose ``stop_uuid`` once the list shows the plan as saved."""
        self.refresh()
        for row, stop in enumerate(self.model.stops):
            if stop.uuid == stop_uuid:
                self.list.setCurrentIndex(self.model.index(row))

    def remove_stop(self) -> None:
        stop, plan = self.current_stop(), self.plan()
        if stop is not None and plan is not None and plan.is_own:
            self._write(lambda: self.editor.remove_stop(plan.uuid, stop.uuid))
            self.refresh()

    def ask_note(self) -> TextDialog | None:
        stop, plan = self.current_stop(), self.plan()
        if stop is None or plan is None or not plan.is_own:
            return None

        def save(text: str) -> None:
            self._write(lambda: self.editor.set_stop_note(plan.uuid, stop.uuid, text))
            self.refresh()

        question = "Your note for this stop (shown on the presenter console):"
        dialog = TextDialog("Stop Note", question, stop.note, save, self.window(), lines=True)
        dialog.open()
        return dialog

    def _open(self, index: QModelIndex) -> None:
        stop = index.data(STOP_ROLE)
        if isinstance(stop, SessionStop):
            self.open_requested.emit(stop.doc_hash, stop.page)

    def present(self) -> None:
        plan = self.plan()
        if plan is not None and plan.stops:
            self.present_requested.emit(plan.uuid, max(self.list.currentIndex().row(), 0))

    # -- plans ---------------------------------------------------------------------------

    def ask_new(self) -> TextDialog:
        def save(name: str) -> None:
            try:
                made = self.editor.create(name)
            except UserError as exc:
                self.problem.emit(str(exc))
                return
            self.refresh()
            self.choose_plan(made.uuid)

        count = len(self.store.sessions(own_only=True)) + 1
        dialog = TextDialog(
            "New Session Plan", "Name of the plan:", f"Session {count}", save, self.window()
        )
        dialog.open()
        return dialog

    def ask_rename(self) -> TextDialog | None:
        plan = self.plan()
        if plan is None or not plan.is_own:
            return None

        def save(name: str) -> None:
            self._write(lambda: self.editor.rename(plan.uuid, name))
            self.refresh()

        dialog = TextDialog(
            "Rename Session Plan", "Name of the plan:", plan.name, save, self.window()
        )
        dialog.open()
        return dialog

    def copy_plan(self) -> None:
        plan = self.plan()
        if plan is None:
            return
        try:
            made = self.editor.copy(plan.uuid)
        except UserError as exc:
            self.problem.emit(str(exc))
            return
        self.refresh()
        self.choose_plan(made.uuid)

    def delete_plan(self) -> None:
        plan = self.plan()
        if plan is not None and plan.is_own:
            self._write(lambda: self.editor.delete(plan.uuid))
            self.refresh()
