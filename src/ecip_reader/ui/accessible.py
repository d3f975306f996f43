"""Helpers for screen readers and keyboard users.

* A line edit's clear button and its icon-only actions are buttons to an
  assistive tool; Qt leaves them nameless. Their name comes from their
  action's text, which is also their tooltip.
* Tab order: Qt moves the focus in the order widgets were made, which for
  panels filled later (cards, chips, new tabs, docks) is not the order on
  screen. :func:`move_focus` walks the stops region by region instead, in an
  order the window gives (:func:`tab_sequence`).
* Context menus from the keyboard: Qt opens one with the Menu key, at the
  focused widget's current item, but not with Shift+F10, the other key for it
  (the only one on many laptops): the window's command for it calls
  :func:`open_context_menu`. A list or grid whose menu is its own
  (``CustomContextMenu``) is told the place of its current item in its
  viewport, as a click would (:func:`menus_at_current_item`); Qt gives it a
  place in other coordinates, off by its frame and header.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QRect, QRectF, Qt
from PySide6.QtGui import QAction, QContextMenuEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QWidget

# The object name Qt (5.2 and later) gives the action behind a line edit's clear button.
CLEAR_ACTION = "_q_qlineeditclearaction"
MAX_STOPS = 20_000  # a focus chain is a ring; this only guards against a broken one


def clear_button(edit: QLineEdit, name: str) -> None:
    """Show ``edit``'s clear button, named ``name`` ("Clear the search")."""
    edit.setClearButtonEnabled(True)
    action = edit.findChild(QAction, CLEAR_ACTION)
    if action is not None:
        action.setText(name)


def is_tab_stop(widget: QWidget, window: QWidget) -> bool:
    """Whether Tab can land on ``widget`` of ``window`` now (shown, enabled, takes Tab focus)."""
    return (
        widget.window() is window
        and widget.isVisible()
        and widget.isEnabled()
        and bool(widget.focusPolicy().value & Qt.FocusPolicy.TabFocus.value)
        and widget.focusProxy() is None
    )


def tab_stops(window: QWidget) -> list[QWidget]:
    """Every widget Tab can land on in ``window``, in Qt's focus-chain order."""
    found: list[QWidget] = []
    widget = window.nextInFocusChain()
    for _step in range(MAX_STOPS):
        if widget is None or widget is window:
            break
        if is_tab_stop(widget, window):
            found.append(widget)
        widget = widget.nextInFocusChain()
    return found


def tab_sequence(window: QWidget, blocks: Sequence[QWidget]) -> list[QWidget]:
    """The tab stops of ``window`` grouped by ``blocks``, in the order the blocks are given.

    Each stop belongs to the innermost block it is in (a block can be a single
    widget); inside a block the stops keep Qt's order (the order they were made
    in). Stops in no block come last.
    """
    groups: list[list[QWidget]] = [[] for _ in blocks]
    rest: list[QWidget] = []
    for stop in tab_stops(window):
        owner = -1
        for index, block in enumerate(blocks):
            inside = block is stop or block.isAncestorOf(stop)
            if inside and (owner < 0 or blocks[owner].isAncestorOf(block)):
                owner = index
        (groups[owner] if owner >= 0 else rest).append(stop)
    return [stop for group in groups for stop in group] + rest


def move_focus(window: QWidget, blocks: Sequence[QWidget], forward: bool) -> bool:
    """Give the focus to the next (or previous) stop of :func:`tab_sequence`, round the window."""
    order = tab_sequence(window, blocks)
    if not order:
        return False
    current: QWidget | None = QApplication.focusWidget()
    while current is not None and current not in order:  # a part of a stop (a combo's edit)
        current = current.parentWidget()
    index = order.index(current) if current is not None else (-1 if forward else 0)
    target = order[(index + (1 if forward else -1)) % len(order)]
    reason = Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason
    target.setFocus(reason)
    return True


class _BacktabLeaves(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        shift_tab = event.key() == Qt.Key.Key_Tab and bool(
            event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        )
        if (event.key() == Qt.Key.Key_Backtab or shift_tab) and isinstance(watched, QWidget):
            return bool(watched.window().focusNextPrevChild(False))
        return False


def leave_on_backtab(widget: QWidget) -> None:
    """Shift+Tab leaves ``widget`` (a label or text with links) for the previous stop.

    Qt moves Shift+Tab through the links of such a widget but then stays on the
    first link for ever, a trap for keyboard users; Tab still visits each link.
    """
    widget.installEventFilter(_BacktabLeaves(widget))


def open_context_menu(widget: QWidget | None = None) -> bool:
    """Open the context menu of ``widget`` (by default the focused one) as the Menu key does.

    The menu is asked for where Qt puts it for the Menu key: the middle of the
    widget's cursor rectangle (in a list, its current item). Whether a menu answered.
    """
    target = widget or QApplication.focusWidget()
    if target is None or not target.isEnabled():
        return False
    cursor = target.inputMethodQuery(Qt.InputMethodQuery.ImCursorRectangle)
    if isinstance(cursor, QRectF):
        cursor = cursor.toRect()
    valid = isinstance(cursor, QRect) and not cursor.isEmpty()
    pos = cursor.center() if valid else target.rect().center()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, pos, target.mapToGlobal(pos))
    QApplication.sendEvent(target, event)
    return event.isAccepted()


class _CurrentItemMenus(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ContextMenu
            and isinstance(event, QContextMenuEvent)
            and event.reason() == QContextMenuEvent.Reason.Keyboard
            and isinstance(watched, QAbstractItemView)
            and watched.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu
        ):
            index = watched.currentIndex()
            model = watched.model()
            if not index.isValid() and model is not None and model.rowCount() > 0:
                index = model.index(0, 0)  # nothing chosen yet: the first item, as Down would
            if index.isValid():
                watched.scrollTo(index)
                watched.customContextMenuRequested.emit(watched.visualRect(index).center())
            return True
        return False


def menus_at_current_item(view: QAbstractItemView) -> None:
    """The Menu key and Shift+F10 ask ``view`` for the menu of its current item.

    ``view`` shows its own menu (``CustomContextMenu``); its handler gets the
    middle of the current item in viewport coordinates, as from a right-click.
    """
    view.installEventFilter(_CurrentItemMenus(view))
