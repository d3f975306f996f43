"""The stops of one session plan as a list model, dragged and dropped to reorder them.

The model holds the plan as the store has it and never changes it itself: a
drop asks :attr:`StopsModel.move_requested` for the move, the store saves it
(undoably), and the panel reloads the model from the store.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from ecip_reader.userdata import DocumentRef
from ecip_reader.userdata.session_plans import SessionPlan, SessionStop

STOP_ROLE = Qt.ItemDataRole.UserRole + 1
TITLE_ROLE = Qt.ItemDataRole.UserRole + 2  # the title of the stop's document
MIME = "application/x-ecip-session-stop"
Index = QModelIndex | QPersistentModelIndex


def stop_text(number: int, stop: SessionStop, document: DocumentRef | None) -> str:
    """ "3. Perfect Week — page 4" and, below, what the stop is and the trainer's note."""
    title = document.display_title if document else stop.doc_hash[:12]
    first = f"{number}. {title} — page {stop.page}"
    details = [d for d in (f"“{stop.label}”" if stop.label else "", stop.note.strip()) if d]
    if stop.region is not None:
        details.insert(0, "enlarged region")
    if details:
        second = " · ".join(details).replace("\n", " ")
        return f"{first}\n    {second}"
    return first


class StopsModel(QAbstractListModel):
    move_requested = Signal(str, int)  # stop uuid, the row to put it at

    def __init__(
        self, documents: Callable[[], Mapping[str, DocumentRef]], parent: object = None
    ) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._documents = documents
        self.plan: SessionPlan | None = None
        self._known: Mapping[str, DocumentRef] = {}

    def set_plan(self, plan: SessionPlan | None) -> None:
        self.beginResetModel()
        self.plan = plan
        self._known = self._documents()
        self.endResetModel()

    @property
    def stops(self) -> Sequence[SessionStop]:
        return self.plan.stops if self.plan is not None else ()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.stops)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.stops):
            return None
        stop = self.stops[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return stop_text(index.row() + 1, stop, self._known.get(stop.doc_hash))
        if role == Qt.ItemDataRole.ToolTipRole:
            document = self._known.get(stop.doc_hash)
            missing = "" if document else "\nThis document is not in your library."
            return (stop.note or "No note for this stop.") + missing
        if role == STOP_ROLE:
            return stop
        if role == TITLE_ROLE:
            document = self._known.get(stop.doc_hash)
            return document.display_title if document else "A document not in your library"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if not index.isValid():
            return base | Qt.ItemFlag.ItemIsDropEnabled
        movable = self.plan is not None and self.plan.is_own
        return base | Qt.ItemFlag.ItemIsDragEnabled if movable else base

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        if self.plan is not None and rows:
            payload = {"plan": self.plan.uuid, "stop": self.stops[rows[0]].uuid}
            data.setData(MIME, QByteArray(json.dumps(payload).encode("utf-8")))
        return data

    def moveRows(
        self,
        source_parent: Index,
        source_row: int,
        count: int,
        destination_parent: Index,
        destination_child: int,
    ) -> bool:
        """A row dragged within the list (the view calls this): ask for the move."""
        if self.plan is None or not self.plan.is_own or count != 1:
            return False
        if not 0 <= source_row < len(self.stops):
            return False
        after = destination_child - 1 if source_row < destination_child else destination_child
        self.move_requested.emit(self.stops[source_row].uuid, after)
        return True

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        return self._dropped(data) is not None

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        """Ask for the move; ``False`` so the view does not remove the dragged row itself."""
        stop = self._dropped(data)
        if stop is None:
            return False
        if row < 0:
            row = parent.row() if parent.isValid() else len(self.stops)
        source = next((n for n, s in enumerate(self.stops) if s.uuid == stop), -1)
        target = row - 1 if source < row else row  # the row counted without the dragged stop
        self.move_requested.emit(stop, target)
        return False

    def _dropped(self, data: QMimeData) -> str | None:
        """The stop a drop carries, if it is a stop of this plan."""
        if self.plan is None or not self.plan.is_own or not data.hasFormat(MIME):
            return None
        try:
            payload = json.loads(bytes(data.data(MIME).data()).decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return None
        if not isinstance(payload, dict) or payload.get("plan") != self.plan.uuid:
            return None
        stop = payload.get("stop")
        return stop if isinstance(stop, str) and any(s.uuid == stop for s in self.stops) else None
