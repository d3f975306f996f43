"""Every command of the window, triggered once in each situation a user meets.

A slot that raises only prints a traceback (the window goes on, the command
silently does nothing), so this test catches what reaches ``sys.excepthook``
and ``sys.unraisablehook`` while each action runs. Dialogs that the actions
open are dismissed as they appear, modal or not.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.ui.main.window import MainWindow
from ecip_reader.ui.notes.commands import ANNOTATE_COMMANDS
from ecip_reader.ui.notes.integration import NotesFeature
from ecip_reader.ui.present.window import PresentationWindow
from ecip_reader.ui.tasks import TaskRunner
from tests.support.reading import words_of
from tests.support.window import WAIT, open_session

# Qt's own dialogs on the offscreen platform cannot raise themselves or grab the keyboard,
# and the print dialog looks for CUPS.
pytestmark = [
    pytest.mark.qt_log_ignore(
        "does not support raise", "does not support activ", "does not support grabbing", "cups"
    ),
    pytest.mark.slow,
]

# Ending the session is tried last, on its own.
LAST = ("quit",)


class Failures:
    """What reached the exception hooks while the actions ran."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.current = ""

    def excepthook(
        self, kind: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        self.seen.append(f"{self.current}: {kind.__name__}: {value}")

    def unraisable(self, info: Any) -> None:
        self.seen.append(f"{self.current}: {info.exc_type.__name__}: {info.exc_value}")


@pytest.fixture
def failures(monkeypatch: pytest.MonkeyPatch) -> Iterator[Failures]:
    caught = Failures()
    monkeypatch.setattr(sys, "excepthook", caught.excepthook)
    monkeypatch.setattr(sys, "unraisablehook", caught.unraisable)
    yield caught


def every_action(window: MainWindow, feature: NotesFeature) -> dict[str, QAction]:
    found = dict(window.action_map)
    for command in ANNOTATE_COMMANDS:
        found[f"annotate:{command.name}"] = feature.controller.action(command.name)
    for action in feature.controller.colour_actions():
        found[f"colour:{action.data()}"] = action
    return found


def dismiss_windows(window: MainWindow) -> None:
    """Close every dialog and presentation an action opened."""
    for widget in QApplication.topLevelWidgets():
        if widget is window or not widget.isVisible():
            continue
        if isinstance(widget, QDialog):
            widget.reject()
        elif isinstance(widget, PresentationWindow) or widget.isModal():
            widget.close()


def trigger_all(
    qtbot: QtBot,
    window: MainWindow,
    actions: dict[str, QAction],
    failures: Failures,
    when: str,
    situation: Callable[[], None] = lambda: None,
) -> list[str]:
    """Trigger each enabled action once, ``situation`` set up again before each.

    Returns the names triggered.
    """
    closer = QTimer()
    closer.setInterval(20)
    closer.timeout.connect(lambda: dismiss_windows(window))
    done = []
    for name, action in actions.items():
        situation()
        if name in LAST or not action.isEnabled():
            continue
        failures.current = f"{name} ({when})"
        closer.start()
        try:
            action.trigger()
            if name == "full_screen":
                action.trigger()  # back to a normal window for the next commands
            qtbot.wait(30)
        finally:
            closer.stop()
        dismiss_windows(window)
        qtbot.wait(10)
        done.append(name)
    return done


def test_every_action_runs_without_an_error_in_each_situation(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue, failures: Failures
) -> None:
    session = open_session(qtbot, app_paths, small_library, tasks=TaskRunner(max_threads=2))
    window = session.window
    feature = NotesFeature.create(window)
    window.extra_commands.extend(ANNOTATE_COMMANDS)
    try:
        host = session.services.search
        qtbot.waitUntil(lambda: host.state == "ready", timeout=WAIT * 2)
        actions = every_action(window, feature)

        # 1. The library alone: no document open, no search.
        first = trigger_all(qtbot, window, actions, failures, "no document")
        assert "toggle_search_panel" in first and "shortcuts" in first

        # 2. A document open and current, with some text selected.
        def reading() -> None:
            window.open_document("perfect-week", 2)
            view = window.tabs.current_view()
            assert view is not None
            qtbot.waitUntil(lambda: view.page_count() > 0, timeout=WAIT)
            words_of(qtbot, view, 2)
            assert view.select_words(2, 0, 3)

        second = trigger_all(qtbot, window, actions, failures, "document open", reading)
        for name in ("zoom_in", "print", "go_to_page", "present", "annotate:bookmark"):
            assert name in second, name

        # 3. A search with results, a hit opened, the panel shown.
        panel = window.search_panel
        with qtbot.waitSignal(panel.results_shown, timeout=WAIT):
            qtbot.keyClicks(panel.field, "ward")
        assert panel.hit_count() > 0

        def searching() -> None:
            if panel.query() != "ward":
                panel.set_query("ward")
                panel.search_now()
                qtbot.waitUntil(lambda: panel.hit_count() > 0, timeout=WAIT)
            window.search_dock.show()
            reading()

        third = trigger_all(qtbot, window, actions, failures, "search active", searching)
        assert "next_hit" in third and "toggle_search_panel" in third

        assert failures.seen == [], "\n".join(failures.seen)
        failures.current = "quit"
        window.action_map["quit"].trigger()
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT)
        assert failures.seen == []
    finally:
        session.close()
        feature.close()


def test_the_search_panel_command_shows_and_hides_the_results(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue, failures: Failures
) -> None:
    session = open_session(qtbot, app_paths, small_library, tasks=TaskRunner(max_threads=2))
    window = session.window
    host = session.services.search
    qtbot.waitUntil(lambda: host.state == "ready", timeout=WAIT * 2)
    panel = window.search_panel
    with qtbot.waitSignal(panel.results_shown, timeout=WAIT):
        qtbot.keyClicks(panel.field, "ward")
    assert window.search_dock.isVisible()
    toggle = window.action_map["toggle_search_panel"]
    assert toggle.isChecked()
    toggle.trigger()  # View → Search Results Panel, or Ctrl+Shift+R
    assert window.search_dock.isHidden() and not toggle.isChecked()
    toggle.trigger()
    assert window.search_dock.isVisible() and toggle.isChecked()
    assert failures.seen == []
    session.close()
