"""Undo and redo for annotation and bookmark changes, without Qt.

A :class:`Change` is one user action: a label ("Add highlight") and two lists
of elementary operations, one to do it and one to undo it. Each list is applied
by :meth:`UserDataStore.apply` in a single transaction.

:class:`UndoHistory` is the undo stack. The UI can call it directly (its menu
actions read :attr:`UndoHistory.undo_label` and :attr:`UndoHistory.can_undo`, and
:meth:`UndoHistory.subscribe` says when to refresh them), or wrap each
:class:`Change` in a ``QUndoCommand`` whose ``redo``/``undo`` call
:meth:`Change.apply`/:meth:`Change.revert`.

When a write fails (full disk, read-only folder) the :class:`StorageError`
propagates and the history does not move, so it always matches the database.
Changes made outside the history (importing a notes pack, restoring a backup,
re-attaching notes to a re-issued document) clear it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from ecip_reader.userdata.ops import Op
from ecip_reader.userdata.store import StoreEvent, UserDataStore

log = logging.getLogger(__name__)

DEFAULT_LIMIT = 200


@dataclass(frozen=True)
class Change:
    label: str
    do_ops: tuple[Op, ...]
    undo_ops: tuple[Op, ...]

    def apply(self, store: UserDataStore) -> None:
        store.apply(self.do_ops)

    def revert(self, store: UserDataStore) -> None:
        store.apply(self.undo_ops)


class UndoHistory:
    """A bounded undo stack over one store."""

    def __init__(self, store: UserDataStore, limit: int = DEFAULT_LIMIT) -> None:
        self._store = store
        self._limit = limit
        self._done: list[Change] = []
        self._undone: list[Change] = []
        self._listeners: list[Callable[[], None]] = []
        self._unsubscribe = store.subscribe(self._on_store_event)

    def close(self) -> None:
        """Stop listening to the store."""
        self._unsubscribe()

    # -- state for menus --------------------------------------------------------

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    @property
    def undo_label(self) -> str | None:
        """The label of the action Undo would reverse, e.g. "Add highlight"."""
        return self._done[-1].label if self._done else None

    @property
    def redo_label(self) -> str | None:
        return self._undone[-1].label if self._undone else None

    def subscribe(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call ``listener()`` whenever undo/redo availability or labels may have changed."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def _changed(self) -> None:
        for listener in list(self._listeners):
            try:
                listener()
            except Exception:
                log.exception("an undo-history listener failed")

    # -- actions ----------------------------------------------------------------

    def push(self, change: Change) -> None:
        """Do ``change`` and record it; on :class:`StorageError` nothing is recorded."""
        change.apply(self._store)
        self._done.append(change)
        del self._done[: -self._limit]
        self._undone.clear()
        self._changed()

    def undo(self) -> str | None:
        """Undo the last action; returns its label, or ``None`` when there is none."""
        if not self._done:
            return None
        change = self._done[-1]
        change.revert(self._store)
        self._undone.append(self._done.pop())
        self._changed()
        return change.label

    def redo(self) -> str | None:
        """Redo the last undone action; returns its label, or ``None`` when there is none."""
        if not self._undone:
            return None
        change = self._undone[-1]
        change.apply(self._store)
        self._done.append(self._undone.pop())
        self._changed()
        return change.label

    def clear(self) -> None:
        if self._done or self._undone:
            self._done.clear()
            self._undone.clear()
            self._changed()

    def _on_store_event(self, event: StoreEvent) -> None:
        if event.external:
            self.clear()
