"""The window's own settings — theme, library filters and view, size — and how they are kept.

:class:`SettingsKeeper` saves a setting as soon as it changes. When the
settings folder cannot be written, the values stay in memory (the window
goes on using them), the storage watch says so once, and :meth:`resave`
writes them when the folder can be written again. A theme locked by the
organisation cannot be changed, and its commands say why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from ecip_reader.errors import StorageError, UserError
from ecip_reader.settings import Settings
from ecip_reader.ui import locks, theme
from ecip_reader.ui.main.storage import StorageWatch
from ecip_reader.ui.status import MessageBar
from ecip_reader.writable import CONFIG

log = logging.getLogger(__name__)

THEME_LOCKED = "The theme is set by your organisation."


class SettingsKeeper:
    def __init__(
        self,
        settings: Settings,
        storage: StorageWatch,
        message_bar: MessageBar,
        looks: theme.ThemeController,
        actions: Mapping[str, QAction],
        menus: Mapping[str, QMenu],
    ) -> None:
        self.settings = settings
        self.storage = storage
        self.message_bar = message_bar
        self.looks = looks
        self.actions = actions
        self.menus = menus

    def show_theme_lock(self) -> None:
        """Grey out the theme commands (menu and toolbar) when the organisation set the theme."""
        self.sync_theme_actions()
        if self.settings.is_locked("theme"):
            for choice in theme.CHOICES:
                locks.lock_action(self.actions[f"theme_{choice}"])
            self.menus["theme"].menuAction().setStatusTip(locks.POLICY_TIP)

    def set_theme(self, choice: str) -> None:
        if self.settings.is_locked("theme"):
            self.message_bar.show_message(THEME_LOCKED)
        else:
            self.looks.set_choice(choice)
            self._save(lambda: self.settings.set("theme", choice))
        self.sync_theme_actions()

    def sync_theme_actions(self) -> None:
        self.actions[f"theme_{self.looks.choice}"].setChecked(True)

    def save_library(self, filters: dict[str, str], view: str) -> None:
        self._save(lambda: self.settings.update({"library_filters": filters, "library_view": view}))

    def save_slides_screen(self, name: str) -> None:
        """Remember the screen the user chose for slides: F5 uses it whenever it is there."""
        self._save(lambda: self.settings.set("slides_screen", name))

    def save_geometry(self, geometry: str) -> None:
        try:
            self.settings.set("window_geometry", geometry)
        except UserError as exc:
            log.warning("window geometry not saved: %s", exc)

    def resave(self) -> None:
        """The settings folder can be written again: save what waited in memory."""
        self._save(self.settings.save)

    def _save(self, work: Callable[[], object]) -> None:
        try:
            work()
        except StorageError as exc:
            self.storage.failed(CONFIG, str(exc))
        except UserError as exc:
            self.message_bar.show_message(str(exc))
