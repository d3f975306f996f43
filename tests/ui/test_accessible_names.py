"""Every control a screen reader meets has a name: the library, a document, search,
presentation and every dialog.

The rules (what counts as unnamed, and why) are in :mod:`tests.support.accessibility`;
a failure lists each element with its role and the path of widgets leading to it.
A new panel needs nothing here (walking its window checks it); a new dialog is
added to :data:`DIALOGS` or :data:`MODAL_DIALOGS`, which the last test enforces.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QAccessible, QContextMenuEvent
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QWidget
from pytestqt.qtbot import QtBot

import ecip_reader.ui
from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.ui.main.window import MainWindow
from ecip_reader.ui.notes.commands import ANNOTATE_COMMANDS
from ecip_reader.ui.notes.dialogs import choose_pack
from ecip_reader.ui.notes.integration import NotesFeature
from ecip_reader.ui.present.window import PresentationWindow
from ecip_reader.ui.reader.view import DocumentView
from ecip_reader.ui.tasks import TaskRunner
from tests.support.accessibility import (
    assert_all_named,
    describe,
    elements,
    problems_of_modal,
    unnamed_elements,
)
from tests.support.window import WAIT, Session, library_only_search, open_session

pytestmark = pytest.mark.qt_log_ignore(
    "does not support raise", "does not support activ", "does not support grabbing"
)

Reader = tuple[Session, NotesFeature]


@pytest.fixture
def reader(qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue) -> Iterator[Reader]:
    """The window as the application builds it: with notes, after the first paint."""
    session = open_session(
        qtbot, app_paths, small_library, search=library_only_search(small_library)
    )
    feature = NotesFeature.create(session.window)
    session.window.extra_commands.extend(ANNOTATE_COMMANDS)
    yield session, feature
    session.close()
    feature.close()


def opened(qtbot: QtBot, window: MainWindow, doc_id: str) -> DocumentView:
    window.open_document(doc_id)
    view = window.tabs.current_view()
    assert view is not None
    qtbot.waitUntil(lambda: view.page_count() > 0, timeout=WAIT)
    return view


def names_under(root: QWidget, kind: type[QWidget]) -> list[str]:
    """The accessible names of the ``kind`` widgets shown under ``root``."""
    return [
        iface.text(QAccessible.Text.Name)
        for iface, _path in elements(root)
        if isinstance(iface.object(), kind)
    ]


def test_the_library_page_names_every_control(qtbot: QtBot, reader: Reader) -> None:
    session, _feature = reader
    window = session.window
    window.message_bar.show_message("The settings file could not be read.")
    assert_all_named(window)  # covers, filters, toolbar, menus, message bar, status bar
    window.action_map["list_view"].trigger()
    window.library.select("perfect-week")
    assert window.library.details.open_button.isVisible()
    assert_all_named(window)  # the list and the details of the chosen document
    assert_all_named(window.sources.context_menu("perfect-week"))
    window.library.filters.text.setText("no document has this title")
    assert window.library.empty.isVisible()
    assert_all_named(window)  # "No document matches", Clear filters, the field's clear button


def test_toolbar_buttons_and_menu_entries_say_their_name_and_shortcut_apart(
    reader: Reader,
) -> None:
    session, _feature = reader
    window = session.window
    toolbar_names = set(names_under(window.toolbar, QWidget))
    assert {"Zoom Out", "Zoom In", "Fit Width"} <= toolbar_names
    menu_items = {
        iface.text(QAccessible.Text.Name): iface.text(QAccessible.Text.Accelerator)
        for iface, _path in elements(window.menuBar())
        if iface.role() == QAccessible.Role.MenuItem
    }
    assert menu_items["Zoom Out"] == "Ctrl+-"
    assert menu_items["Print…"] == "Ctrl+P"
    assert menu_items["Find in Document…"] == "Ctrl+F"


def test_a_document_tab_names_every_control(qtbot: QtBot, reader: Reader) -> None:
    session, feature = reader
    window = session.window
    view = opened(qtbot, window, "perfect-week")
    view.open_find()
    qtbot.keyClicks(view.find_bar.edit, "ward")
    view.show_side_panel(True)
    feature.controller.action("annotations_panel").trigger()
    feature.controller.action("bookmarks_panel").trigger()
    feature.annotations_panel.text.setText("flow")
    assert_all_named(window)  # bar, find bar, side panel, page, notes and bookmarks panels
    view.side_panel.setCurrentWidget(view.side_panel.thumb_view)
    assert_all_named(view.side_panel)
    viewport = view.canvas().viewport()
    centre = viewport.rect().center()
    menu_event = QContextMenuEvent(
        QContextMenuEvent.Reason.Keyboard, centre, viewport.mapToGlobal(centre)
    )
    QApplication.sendEvent(viewport, menu_event)
    page_menu = feature.controller.menu
    assert isinstance(page_menu, QMenu)
    assert_all_named(page_menu)
    page_menu.close()
    view.set_reflow(True)
    assert_all_named(window)  # the reflowed text in place of the pages


def test_the_search_panel_names_every_control(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = open_session(qtbot, app_paths, small_library, tasks=TaskRunner(max_threads=2))
    window = session.window
    panel = window.search_panel
    qtbot.waitUntil(lambda: session.services.search.state != "preparing", timeout=WAIT * 2)
    with qtbot.waitSignal(panel.results_shown, timeout=WAIT):
        qtbot.keyClicks(panel.field, "emergency")
    assert window.search_dock.isVisible() and panel.model.rowCount() > 0
    assert panel.chip_texts(), "the results offer chips to narrow them"
    assert_all_named(window.search_dock)
    assert_all_named(window.toolbar)  # the search field with its clear button


def test_the_presentation_names_itself_and_its_question(qtbot: QtBot, reader: Reader) -> None:
    session, _feature = reader
    view = opened(qtbot, session.window, "breaking-the-cycle")
    view.start_presentation()
    presentation = view.presentation()
    assert isinstance(presentation, PresentationWindow)
    qtbot.waitExposed(presentation)
    assert_all_named(presentation)
    iface = QAccessible.queryAccessibleInterface(presentation)
    assert iface is not None and "Esc" in iface.text(QAccessible.Text.Description)
    presentation.keep_bar.ask()
    assert_all_named(presentation)
    assert "Keep" in names_under(presentation.keep_bar, QWidget)
    presentation.discard_drawing()


# -- dialogs ----------------------------------------------------------------------------------

# Dialogs the reader makes itself: class name -> how the user opens it.
DIALOGS: dict[str, Callable[[Reader, QtBot], QWidget | None]] = {}
# Dialogs that wait for an answer (Qt's own boxes and file choosers):
# (module, call) -> how the user opens it; the dialog is walked, then cancelled.
MODAL_DIALOGS: dict[tuple[str, str], Callable[[Reader, QtBot], object]] = {}


def _dialog(name: str) -> Callable[[Callable[[Reader, QtBot], QWidget | None]], None]:
    def register(opener: Callable[[Reader, QtBot], QWidget | None]) -> None:
        DIALOGS[name] = opener

    return register


def _modal(module: str, call: str) -> Callable[[Callable[[Reader, QtBot], object]], None]:
    def register(opener: Callable[[Reader, QtBot], object]) -> None:
        MODAL_DIALOGS[(module, call)] = opener

    return register


@_dialog("ShortcutsDialog")
def _shortcuts(reader: Reader, qtbot: QtBot) -> QWidget | None:
    return reader[0].window.show_shortcuts()


@_dialog("ExportDialog")
def _export(reader: Reader, qtbot: QtBot) -> QWidget | None:
    return reader[1].export()


@_dialog("LayersDialog")
def _layers(reader: Reader, qtbot: QtBot) -> QWidget | None:
    return reader[1].show_layers()


@_dialog("PreferencesDialog")
def _preferences(reader: Reader, qtbot: QtBot) -> QWidget | None:
    return reader[1].show_preferences()


@_dialog("NoteDialog")
def _note(reader: Reader, qtbot: QtBot) -> QWidget | None:
    opened(qtbot, reader[0].window, "perfect-week")
    reader[1].controller.action("note").trigger()
    return reader[1].controller.dialog


@_dialog("BookmarkDialog")
def _bookmark(reader: Reader, qtbot: QtBot) -> QWidget | None:
    opened(qtbot, reader[0].window, "perfect-week")
    reader[1].controller.action("bookmark").trigger()
    return reader[1].controller.dialog


@_dialog("AboutDialog")
def _about(reader: Reader, qtbot: QtBot) -> QWidget | None:
    return reader[0].window._about()


@_dialog("TextDialog")
def _stop_note(reader: Reader, qtbot: QtBot) -> QWidget | None:
    from ecip_reader.ui.teach.dialogs import TextDialog

    dialog = TextDialog(
        "Stop Note", "Your note for this stop:", "", lambda _text: None, reader[0].window, True
    )
    dialog.open()
    return dialog


@_modal("ui/main/window.py", "QInputDialog.getInt")
def _go_to_page(reader: Reader, qtbot: QtBot) -> object:
    opened(qtbot, reader[0].window, "perfect-week")
    return reader[0].window.action_map["go_to_page"].trigger()


@_modal("ui/main/sources.py", "QFileDialog.getOpenFileNames")
def _add_pdfs(reader: Reader, qtbot: QtBot) -> object:
    return reader[0].window.sources.choose_files()


@_modal("ui/main/sources.py", "QFileDialog.getExistingDirectory")
def _add_folder(reader: Reader, qtbot: QtBot) -> object:
    return reader[0].window.sources.choose_folder()


@_modal("ui/notes/dialogs.py", "QFileDialog.getOpenFileName")
def _import_pack(reader: Reader, qtbot: QtBot) -> object:
    return choose_pack(reader[0].window)


@_modal("ui/notes/dialogs.py", "QFileDialog.getSaveFileName")
def _export_to(reader: Reader, qtbot: QtBot) -> object:
    dialog = reader[1].export()
    try:
        return dialog.choose.click()
    finally:
        dialog.close()


@_modal("ui/reader/printing.py", "QPrintDialog")
def _print(reader: Reader, qtbot: QtBot) -> object:
    opened(qtbot, reader[0].window, "perfect-week")
    return reader[0].window.action_map["print"].trigger()


@pytest.mark.parametrize("name", sorted(DIALOGS))
def test_a_dialog_names_every_control(name: str, qtbot: QtBot, reader: Reader) -> None:
    dialog = DIALOGS[name](reader, qtbot)
    assert isinstance(dialog, QDialog) and type(dialog).__name__ == name
    qtbot.waitExposed(dialog)
    try:
        assert_all_named(dialog)
    finally:
        dialog.close()


@pytest.mark.parametrize("where", sorted(MODAL_DIALOGS), ids=lambda w: f"{w[0]}:{w[1]}")
def test_a_modal_dialog_names_every_control(
    where: tuple[str, str], qtbot: QtBot, reader: Reader
) -> None:
    problems = problems_of_modal(lambda: MODAL_DIALOGS[where](reader, qtbot))
    assert not problems, "Elements a screen reader cannot name:\n" + describe(problems)


STATIC_DIALOG = re.compile(
    r"\b(QMessageBox\.\w+|QInputDialog\.get\w+|QFileDialog\.get\w+|QPrintDialog|"
    r"QColorDialog\.getColor|QFontDialog\.getFont|QProgressDialog)\("
)


def test_every_dialog_of_the_reader_is_checked() -> None:
    package = Path(inspect.getfile(ecip_reader.ui)).parent
    for module in pkgutil.walk_packages([str(package)], "ecip_reader.ui."):
        importlib.import_module(module.name)
    made: set[str] = set()
    pending = list(QDialog.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("ecip_reader.") and not cls.__name__.startswith("_"):
            made.add(cls.__name__)
    missing = sorted(made - set(DIALOGS))
    assert not missing, f"dialogs to add to DIALOGS in this file: {missing}"
    calls = set()
    for source in package.rglob("*.py"):
        for match in STATIC_DIALOG.finditer(source.read_text(encoding="utf-8")):
            calls.add((f"ui/{source.relative_to(package).as_posix()}", match.group(1)))
    missing_calls = sorted(calls - set(MODAL_DIALOGS))
    assert not missing_calls, f"dialogs to add to MODAL_DIALOGS in this file: {missing_calls}"


def test_unnamed_controls_are_reported_with_their_path(qtbot: QtBot) -> None:
    """The checker itself: a nameless button and a shortcut in a name are both caught."""
    from PySide6.QtWidgets import QPushButton, QToolButton, QVBoxLayout

    panel = QWidget()
    panel.setObjectName("panel")
    qtbot.addWidget(panel)
    layout = QVBoxLayout(panel)
    icon_only = QToolButton(panel)
    icon_only.setObjectName("iconOnly")
    layout.addWidget(icon_only)
    leaking = QPushButton("Zoom In\tCtrl++", panel)
    layout.addWidget(leaking)
    named = QPushButton("Open", panel)
    layout.addWidget(named)
    panel.show()
    problems = unnamed_elements(panel)
    assert [(p.path, p.reason) for p in problems] == [
        ("QWidget#panel > QToolButton#iconOnly", "no name"),
        ("QWidget#panel > QPushButton[1]", "the name carries shortcut text"),
    ]
    icon_only.setAccessibleName("Close")
    leaking.setText("Zoom In")
    assert unnamed_elements(panel) == []
