"""The toolbar's theme button: light to dark and back, saying which theme is on.

The View → Theme entries choose "system", "light" or "dark"; this switch goes
from whichever look is on to the other one. Its text and tip follow the look,
also when the desktop changes it under a "system" choice. Pages inverted for
night reading darken the window without changing the user's choice, so the
switch goes by the choice, not by what the window shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from ecip_reader.ui import theme
from ecip_reader.ui.locks import lock_action


class ThemeToggle(QObject):
    def __init__(
        self,
        actions: Mapping[str, QAction],
        looks: theme.ThemeController,
        choose: Callable[[str], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.action = actions["toggle_theme"]
        self.looks = looks
        self.choose = choose
        self.action.triggered.connect(self.toggle)
        looks.changed.connect(lambda _scheme: self.refresh())
        for choice in theme.CHOICES:  # a choice made in View → Theme
            actions[f"theme_{choice}"].toggled.connect(lambda _on: self.refresh())
            actions[f"theme_{choice}"].changed.connect(self._follow_lock)
        self._choices = [actions[f"theme_{choice}"] for choice in theme.CHOICES]
        self.refresh()
        self._follow_lock()

    def chosen_scheme(self) -> str:
        return theme.resolve(self.looks.choice)

    def toggle(self) -> None:
        self.choose("light" if self.chosen_scheme() == "dark" else "dark")
        self.refresh()

    def refresh(self) -> None:
        if not self._unlocked():
            return  # its tip says why it is greyed out
        now, other = ("dark", "light") if self.chosen_scheme() == "dark" else ("light", "dark")
        keys = self.action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        self.action.setText(f"Switch to {'&Light' if other == 'light' else '&Dark'} Theme")
        tip = f"The {now} theme is on: switch to the {other} theme"
        self.action.setToolTip(f"{tip} ({keys})" if keys else tip)
        self.action.setStatusTip(tip)

    def _unlocked(self) -> bool:
        return all(a.isEnabled() for a in self._choices)

    def _follow_lock(self) -> None:
        """Locked by the organisation when the theme entries are, and saying so."""
        if not self._unlocked():
            lock_action(self.action)
        elif not self.action.isEnabled():
            self.action.setEnabled(True)
            self.refresh()
