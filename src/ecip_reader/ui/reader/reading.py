"""The reading tools of a document view: selection, find, links, view options, output.

:class:`ReadingView` is the base of :class:`~ecip_reader.ui.reader.view.DocumentView`;
it holds what the reader does with a document beyond scrolling and zooming.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import SIGNAL, QObject, QPoint, QPointF, Qt, Signal, Slot
from PySide6.QtGui import QAction, QGuiApplication, QScreen
from PySide6.QtWidgets import QApplication, QMenu, QSplitter, QToolButton, QWidget

from ecip_reader.pdf.render_protocol import LinkArea, PageTextLayer
from ecip_reader.settings import NightMode
from ecip_reader.ui.qt import find_action
from ecip_reader.ui.reader.links import (
    MISSING_DOCUMENT,
    OFFLINE_LINK,
    PROGRAM_LINK,
    LinkNotice,
    PlaceHistory,
    library_document,
)
from ecip_reader.viewing.selection import TextSelection, Word

if TYPE_CHECKING:
    from ecip_reader.ui.reader.canvas import PageCanvas
    from ecip_reader.ui.reader.find_bar import FindBar, FindController
    from ecip_reader.ui.reader.pointer import PointerController
    from ecip_reader.ui.reader.printing import PrintSupport
    from ecip_reader.ui.reader.side_panel import SidePanel
    from ecip_reader.ui.render.client import RenderClient
    from ecip_reader.ui.render.remote_document import RemoteDocument
    from ecip_reader.ui.tasks import TaskRunner
    from ecip_reader.userdata.print_copy import NotesSource

SIDE_PANEL_WIDTH = 220


# The view finds its menu's actions by these names when it needs them (see ui.qt).
REFLOW_ACTION = "reflowAction"
TRIM_ACTION = "trimMarginsAction"


def night_action_name(mode: str) -> str:
    return f"night-{mode}"


class ReadingView(QWidget):
    selection_changed = Signal(object)  # TextSelection | None
    page_context_menu = Signal(int, object, object)  # 1-based page, QPointF (PDF), QPoint (global)
    page_clicked = Signal(int, object)  # 1-based page, QPointF in PDF points
    words_ready = Signal(int, object)  # 1-based page, its words (PyMuPDF tuples)
    search_requested = Signal(str)  # "Search the library for this"
    open_document_requested = Signal(str, int)  # path of another library PDF, 1-based page
    night_mode_changed = Signal(str)  # "off", "invert" or "sepia"
    presentation_started = Signal(object)  # the PresentationWindow, before it is shown
    presentation_finished = Signal(int)  # 1-based page shown last
    printed = Signal(bool, str)  # printing ended: success, a sentence for the user
    slides_screen_chosen = Signal(str)  # the user chose the screen of this name for slides
    back_beyond = Signal()  # Back with no earlier place in this document (the window goes on)
    forward_beyond = Signal()  # Forward with no later place in this document

    # Set up by DocumentView.__init__.
    path: Path
    title: str
    find_bar: FindBar
    side_panel: SidePanel
    link_notice: LinkNotice
    side_panel_button: QToolButton
    _canvas: PageCanvas
    _remote: RemoteDocument
    _find: FindController
    _pointer: PointerController
    _history: PlaceHistory
    _splitter: QSplitter
    _presentation: QWidget | None
    _presenter: QObject | None
    _printing: Any
    _client: RenderClient
    # Set by the window: the task runner printing to a PDF file needs, and the notes
    # that can be printed with this document (None: none).
    print_tasks: TaskRunner | None = None
    print_notes: NotesSource | None = None
    # Set by the window: the name of the screen chosen for slides last ("": none).
    slides_screen: Callable[[], str] | None = None
    _print_support: PrintSupport | None = None

    @property
    def trim_action(self) -> QAction | None:
        return find_action(self, TRIM_ACTION)

    @property
    def reflow_action(self) -> QAction | None:
        return find_action(self, REFLOW_ACTION)

    @property
    def night_actions(self) -> dict[str, QAction]:
        found = {mode.value: find_action(self, night_action_name(mode)) for mode in NightMode}
        return {mode: action for mode, action in found.items() if action is not None}

    def _pages(self) -> int:
        info = self._remote.info
        return info.page_count if info is not None else 0

    # ------------------------------------------------------------ selection

    def selection(self) -> TextSelection | None:
        return self._pointer.selection()

    def clear_selection(self) -> None:
        self._pointer.clear()

    def select_words(self, page: int, first: int, last: int) -> bool:
        """Select words ``first``..``last`` of ``page`` (1-based) once its words are known."""
        return self._pointer.select_words(page - 1, first, last)

    def words(self, page: int) -> tuple[Word, ...] | None:
        """The words of ``page`` (1-based) if the worker already sent them."""
        text = self._remote.text(page - 1)
        return text.words if text is not None else None

    def fetch_words(self, page: int) -> None:
        """Ask for the words of ``page`` (1-based); ``words_ready`` answers."""
        text = self._remote.text(page - 1)
        if text is not None:
            self.words_ready.emit(page, text.words)
        else:
            self._remote.request_text(page - 1)

    @Slot(int, object)
    def _text_ready(self, page: int, text: object) -> None:
        if isinstance(text, PageTextLayer):
            self.words_ready.emit(page + 1, text.words)

    def copy_selection(self) -> None:
        chosen = self.selection()
        clipboard = QGuiApplication.clipboard()
        if chosen is not None and clipboard is not None:
            clipboard.setText(chosen.text)

    @Slot(int, object, object)
    def _context_menu(self, page: int, point: QPointF, global_pos: QPoint) -> None:
        signature = SIGNAL("page_context_menu(int,PyObject,PyObject)")
        if self.receivers(signature) > 0:
            self.page_context_menu.emit(page, point, global_pos)
            return
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        add_selection_entries(self, menu)
        menu.popup(global_pos)

    # ------------------------------------------------------------ find

    def open_find(self) -> None:
        chosen = self.selection()
        text = chosen.text if chosen is not None and "\n" not in chosen.text else ""
        self.find_bar.open_bar(text)

    def find_next(self) -> None:
        self._find.next_match()

    def find_previous(self) -> None:
        self._find.previous_match()

    def find_controller(self) -> FindController:
        return self._find

    # ------------------------------------------------------------ links and history

    def follow_link(self, page: int, link: object, global_pos: QPoint | None = None) -> None:
        """Act on a link of ``page`` (0-based): jump, open a library PDF, or explain."""
        if not isinstance(link, LinkArea):
            return
        at = self.mapFromGlobal(global_pos) if global_pos is not None else self.rect().center()
        if link.kind == "goto" and 0 <= link.page < self._pages():
            self.jump_to(link.page, link.top)
        elif link.kind == "document":
            found = library_document(self.path, link.target)
            if found is None:
                self.link_notice.show_notice(MISSING_DOCUMENT, link.target, at)
            else:
                self.open_document_requested.emit(str(found), link.page + 1)
        elif link.kind == "uri":
            self.link_notice.show_notice(OFFLINE_LINK, link.target, at)
        else:
            self.link_notice.show_notice(PROGRAM_LINK, "", at)

    def jump_to(self, page: int, top: float = -1.0) -> None:
        """Go to ``page`` (0-based), remembering the place left for Back.

        ``top`` (a fraction down the page, -1 for none) is a heading the reader is
        taken to: it lands a little below the top of the view.
        """
        self._history.jumped_from(self._canvas.position())
        self._canvas.go_to_place(page, top)

    def remember_place(self) -> None:
        """Keep the current place for Back, before the window moves this view elsewhere."""
        if self._pages() > 0:
            self._history.jumped_from(self._canvas.position())

    def back(self) -> None:
        place = self._history.back(self._canvas.position())
        if place is not None:
            self._canvas.go_to(*place)
        else:
            self.back_beyond.emit()

    def forward(self) -> None:
        place = self._history.forward(self._canvas.position())
        if place is not None:
            self._canvas.go_to(*place)
        else:
            self.forward_beyond.emit()

    @Slot(int)
    def _panel_jump(self, page: int) -> None:
        self.jump_to(page)

    @Slot(int, float)
    def _panel_place(self, page: int, top: float) -> None:
        self.jump_to(page, top)
        if top >= 0:  # the entry chosen is the section being read
            self.side_panel.set_reading_place(page, top)

    def _follow_section(self) -> None:
        if self.side_panel.isVisible():
            self.side_panel.set_reading_place(*self._canvas.reading_place())

    # ------------------------------------------------------------ view options

    def show_side_panel(self, shown: bool) -> None:
        focused = QApplication.focusWidget()
        inside = focused is not None and self.side_panel.isAncestorOf(focused)
        self.side_panel.setVisible(shown)
        if inside and not shown:  # the keyboard goes back to the page, not elsewhere
            self._canvas.setFocus(Qt.FocusReason.OtherFocusReason)
        if shown:
            sizes = self._splitter.sizes()
            total = sum(sizes)
            self._splitter.setSizes([SIDE_PANEL_WIDTH, max(1, total - SIDE_PANEL_WIDTH)])
            self.side_panel.set_current_page(self._canvas.current_page())
            self._follow_section()
        button = getattr(self, "side_panel_button", None)
        if button is not None and button.isChecked() != shown:
            button.setChecked(shown)

    def toggle_side_panel(self) -> None:
        self.show_side_panel(not self.side_panel.isVisible())

    def night_mode(self) -> str:
        return self._canvas.night_mode()

    def set_night_mode(self, mode: str) -> None:
        """Tone the pages: "off", "invert" (light text on dark) or "sepia"."""
        if mode == self._canvas.night_mode():
            return
        self._canvas.set_night_mode(mode)
        action = self.night_actions.get(mode)
        if action is not None:
            action.setChecked(True)
        self.night_mode_changed.emit(mode)

    def rotation(self) -> int:
        return self._canvas.rotation()

    def rotate(self, degrees: int) -> None:
        """Turn the pages by ``degrees`` (90 right, -90 left) from where they are now."""
        self._canvas.set_rotation(self._canvas.rotation() + degrees)

    def trim_margins(self) -> bool:
        return self._canvas.trim_margins()

    def set_trim_margins(self, on: bool) -> None:
        self._canvas.set_trim_margins(on)
        action = self.trim_action
        if action is not None and action.isChecked() != on:
            action.setChecked(on)

    # ------------------------------------------------------------ output

    def set_reflow(self, on: bool) -> None:
        """Show the text reflowed (True) or as pages; :class:`DocumentView` implements it."""
        raise NotImplementedError

    def print_document(self) -> None:
        """Ask how to print (Qt's print dialog, with a page range and notes) and print."""
        from ecip_reader.ui.reader.printing import PrintSupport, print_with_dialog

        if self._pages() == 0:
            return
        tasks = self.print_tasks
        support = None
        if tasks is not None:
            if self._print_support is None or self._print_support.tasks is not tasks:
                self._print_support = PrintSupport(tasks, self.open_copy)
            self._print_support.notes = self.print_notes
            support = self._print_support
        current = self._canvas.current_page()
        job = print_with_dialog(self, self._remote, self._pages(), current, support, self.path)
        self._printing = job
        if job is not None:
            job.finished.connect(self.printed)

    def open_copy(self, path: Path) -> RemoteDocument:
        """Open another PDF in this view's render worker (a copy made for printing)."""
        return self._client.open_document(path)

    def start_presentation(self, screen: QScreen | None = None) -> None:
        """Present the current page full screen: on ``screen``, or by default on the
        projector (another screen than the view's) with the presenter console here."""
        from ecip_reader.ui.present.presenter import Presenter
        from ecip_reader.ui.present.window import PresentationWindow

        if self._pages() == 0 or self._presentation is not None:
            return
        window = PresentationWindow(self._remote, self._canvas.current_page(), self.title)
        window.finished.connect(self._presentation_ended)
        self._presentation = window
        self.presentation_started.emit(window)
        self._presenter = Presenter(
            window, self.screen(), parent=self, preferred=self.preferred_slides_screen()
        )
        self._presenter.slides_chosen.connect(self.slides_screen_chosen)
        self._presenter.start(screen)

    def preferred_slides_screen(self) -> str:
        """The name of the screen the user chose for slides last ("" if none)."""
        return self.slides_screen() if self.slides_screen is not None else ""

    def presentation(self) -> QWidget | None:
        return self._presentation

    def presenter(self) -> QObject | None:
        """The :class:`~ecip_reader.ui.present.presenter.Presenter` while presenting."""
        return getattr(self, "_presenter", None)

    @Slot(int)
    def _presentation_ended(self, page: int) -> None:
        self._presentation = None
        presenter = getattr(self, "_presenter", None)
        if presenter is not None:
            presenter.deleteLater()
            self._presenter = None
        self._canvas.go_to(page)
        self.setFocus()
        self.presentation_finished.emit(page + 1)


def add_selection_entries(view: ReadingView, menu: QMenu) -> None:
    """Copy and "Search the library for this" for the selected text, if any."""
    chosen = view.selection()
    copy = menu.addAction("Copy")
    copy.setEnabled(chosen is not None)
    copy.triggered.connect(view.copy_selection)
    search = menu.addAction("Search the Library for This")
    search.setEnabled(chosen is not None)
    if chosen is not None:
        text = " ".join(chosen.text.split())
        search.triggered.connect(lambda: view.search_requested.emit(text))
