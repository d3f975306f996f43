"""How a setting locked by the organisation's policy looks wherever a user meets it.

A locked command is greyed out and says "Set by your organisation" in its
tooltip, in the status bar while the pointer is over it (menus included, where
Qt would otherwise stay silent about a disabled item) and to screen readers.
:func:`managed_lines` lists the locked settings for Help → About and the
preferences dialog.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QHelpEvent, QMouseEvent
from PySide6.QtWidgets import QMainWindow, QMenu, QToolTip, QWidget

from ecip_reader.settings import Settings
from ecip_reader.settings.rules import LABELS, POLICY_KEYS

POLICY_TIP = "Set by your organisation"


def lock_action(action: QAction) -> None:
    """Grey ``action`` out and say why, in its tooltip and status tip."""
    action.setEnabled(False)
    action.setToolTip(POLICY_TIP)
    action.setStatusTip(POLICY_TIP)


def lock_widget(widget: QWidget) -> None:
    """Grey ``widget`` out and say why, to the eye and to screen readers."""
    widget.setEnabled(False)
    widget.setToolTip(POLICY_TIP)
    widget.setStatusTip(POLICY_TIP)
    widget.setAccessibleDescription(POLICY_TIP)


class DisabledTips(QObject):
    """Shows the status tip and tooltip of a disabled menu item under the pointer.

    Qt skips disabled items when it tracks the pointer in a menu, so without
    this a greyed-out command could never say why it is greyed out.
    """

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._shown: QAction | None = None

    def watch(self, menu: QMenu) -> None:
        menu.setToolTipsVisible(True)
        menu.installEventFilter(self)
        menu.aboutToHide.connect(self._clear)

    def _clear(self) -> None:
        if self._shown is not None:
            self._window.statusBar().clearMessage()
            self._shown = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, QMenu):
            return False
        if event.type() == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
            action = watched.actionAt(event.position().toPoint())
            if action is not None and not action.isEnabled() and action.statusTip():
                if action is not self._shown:
                    self._window.statusBar().showMessage(action.statusTip())
                    self._shown = action
            elif self._shown is not None and action is not self._shown:
                self._clear()
        elif event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            action = watched.actionAt(event.pos())
            if action is not None and not action.isEnabled() and action.toolTip():
                QToolTip.showText(event.globalPos(), action.toolTip(), watched)
                return True
        return False


def managed_lines(settings: Settings) -> list[str]:
    """The settings the organisation has locked, by their names in the window."""
    return [LABELS[key] for key in POLICY_KEYS if settings.is_locked(key)]


def managed_sentence(settings: Settings) -> str | None:
    """``Managed by your organisation: Theme, Adding your own PDFs.`` (``None``: nothing)."""
    names = managed_lines(settings)
    return f"Managed by your organisation: {', '.join(names)}." if names else None
