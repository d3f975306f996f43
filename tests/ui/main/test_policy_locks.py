"""What a user of a locked-down laptop sees: locks that hold, and say why, wherever one looks."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QAction, QMouseEvent
from PySide6.QtWidgets import QApplication, QMenu, QToolButton
from pytestqt.qtbot import QtBot

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.ui.locks import POLICY_TIP
from ecip_reader.ui.notes.integration import NotesFeature
from tests.support.policies import CASES, TYPO_AMONG_LOCKS
from tests.support.window import WAIT, library_only_search, open_session, write_policy

pytestmark = pytest.mark.qt_log_ignore(
    "does not support raise", "does not support activ", "does not support grabbing"
)


def hover(qtbot: QtBot, menu: QMenu, action: QAction) -> None:
    """Move the pointer over ``action`` in the open ``menu``."""
    point = QPointF(menu.actionGeometry(action).center())
    move = QMouseEvent(
        QEvent.Type.MouseMove,
        point,
        menu.mapToGlobal(point),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(menu, move)  # through Qt, so the window's filter sees it
    qtbot.wait(10)


def test_a_typo_among_three_locks_unlocks_nothing_and_each_lock_says_why(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    path = write_policy(TYPO_AMONG_LOCKS)
    app_paths.settings_file.write_text(
        json.dumps({"schema": 1, "values": {"theme": "light", "allow_import": True}}),
        encoding="utf-8",
    )
    session = open_session(
        qtbot, app_paths, small_library, search=library_only_search(small_library)
    )
    window = session.window

    # the mistake is reported once, in one sentence with its place
    assert window.message_bar.messages == [
        f"{path}, line 3: 'allow_imprt' is not a setting a policy can set "
        "(did you mean 'allow_import'?); ignored.",
        "The library folder /srv/case-studies is not reachable now.",
    ]
    # the three locks hold: dark theme, no importing, the extra folder
    assert window.theme.choice == "dark"
    assert session.services.settings.extra_library_folders() == ["/srv/case-studies"]
    for name in ("theme_system", "theme_light", "theme_dark", "add_pdfs", "open_pdf_file"):
        action = window.action(name)
        assert not action.isEnabled(), name
        assert action.toolTip() == POLICY_TIP and action.statusTip() == POLICY_TIP, name

    # the toolbar's theme button is greyed out and says the same
    button = window.toolbar.widgetForAction(window.action("toggle_theme"))
    assert isinstance(button, QToolButton)
    assert not button.isEnabled() and button.toolTip() == POLICY_TIP

    # a greyed-out menu item says why in the status bar and as a tooltip
    file_menu = window.menus["File"]
    assert file_menu.toolTipsVisible()
    file_menu.popup(window.mapToGlobal(window.rect().center()))
    qtbot.waitUntil(file_menu.isVisible, timeout=WAIT)
    hover(qtbot, file_menu, window.action("add_pdfs"))
    assert window.statusBar().currentMessage() == POLICY_TIP
    hover(qtbot, file_menu, window.action("show_library"))
    assert window.statusBar().currentMessage() != POLICY_TIP
    file_menu.hide()

    # trying anyway changes nothing
    window.set_theme("light")
    assert window.theme.choice == "dark"
    assert window.message_bar.text() == "The theme is set by your organisation."
    session.close()


def test_about_lists_what_the_organisation_manages_and_the_policy_mistakes(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    path = write_policy(TYPO_AMONG_LOCKS + 'author_source = "ldap"\n')
    session = open_session(
        qtbot, app_paths, small_library, search=library_only_search(small_library)
    )
    box = session.window._about()
    qtbot.addWidget(box)
    text = box.about_text.text()
    assert (
        "<b>Managed by your organisation:</b> Extra library folders, Adding your own PDFs, "
        "Theme.</p>"
    ) in text
    assert f"<li>{path}, line 3: &#x27;allow_imprt&#x27; is not a setting" in text
    assert f"<li>{path}, line 7: &#x27;author_source&#x27; must be one of" in text
    message = session.window.message_bar.messages[0]
    assert message.startswith("The organisation's policy has 2 mistakes, listed in Help → About")
    box.close()
    session.close()


def test_export_locked_by_policy_says_why_in_the_menu(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    write_policy('allow_export = false\nlocked = ["allow_export"]\n')
    session = open_session(
        qtbot, app_paths, small_library, search=library_only_search(small_library)
    )
    notes = NotesFeature.create(session.window)
    try:
        export = notes.controller.action("export")
        assert not export.isEnabled()
        assert export.toolTip() == POLICY_TIP and export.statusTip() == POLICY_TIP
    finally:
        session.close()
        notes.close()


@pytest.mark.parametrize(
    "name", ["a FIFO", "arrays nested thousands deep", "a 100 MB author name", "a raw NUL byte"]
)
def test_the_window_opens_whatever_the_policy_file_holds(
    name: str, qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    case = next(c for c in CASES if c.name == name)
    app_paths.policy_file.unlink()
    case.make(app_paths.policy_file)
    session = open_session(
        qtbot, app_paths, small_library, search=library_only_search(small_library)
    )
    window = session.window
    assert window.isVisible()
    assert any(case.says in m for m in window.message_bar.messages)
    settings = session.services.settings
    for key in case.locked:
        assert settings.is_locked(key)
    if "theme" in case.locked:
        assert not window.action("theme_dark").isEnabled()
    if "allow_import" in case.locked:
        assert not window.action("add_pdfs").isEnabled()
    session.close()


def test_a_remembered_source_filter_whose_source_is_gone_is_cleared(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    app_paths.settings_file.write_text(
        json.dumps({"schema": 1, "values": {"library_filters": {"source": "case-studies"}}}),
        encoding="utf-8",
    )
    session = open_session(
        qtbot, app_paths, small_library, search=library_only_search(small_library)
    )
    window = session.window
    qtbot.waitUntil(lambda: window.library_filter.facet("source") is None, timeout=WAIT)
    assert window.library_filter.rowCount() == len(small_library)
    assert window.message_bar.messages == [
        "The library filter “Source: case-studies” was cleared: that source is no longer "
        "part of the library."
    ]
    session.close()
