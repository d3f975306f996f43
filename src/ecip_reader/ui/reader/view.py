"""One open document in a tab: a slim bar (page box, zoom) above the scrolling pages.

The view asks the application's :class:`RenderClient` to open the PDF in the
render worker and shows the pages as they arrive. Everything it is asked to do
before the document is open (go to a page, restore a saved position) is kept
and carried out once the page sizes are known.

Reading tools hang off the view: a side panel (outline and thumbnails), find
in the document, text selection and copy, links with Back/Forward, night
tones, rotation, trimmed margins, printing and presentation mode.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFocusEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ecip_reader.pdf.reflow_text import ReflowNote
from ecip_reader.pdf.render_protocol import DocumentInfo
from ecip_reader.ui.reader.canvas import PageCanvas, ZoomMode
from ecip_reader.ui.reader.find_bar import FindBar, FindController
from ecip_reader.ui.reader.links import LinkNotice, PlaceHistory
from ecip_reader.ui.reader.options import build_reading_bar
from ecip_reader.ui.reader.password_prompt import PasswordPrompt
from ecip_reader.ui.reader.pointer import PointerController
from ecip_reader.ui.reader.reading import ReadingView
from ecip_reader.ui.reader.reflow import ReflowView
from ecip_reader.ui.reader.search_marks import SearchMarks
from ecip_reader.ui.reader.side_panel import SidePanel
from ecip_reader.ui.render.client import RenderClient
from ecip_reader.viewing.layout import FIT_WIDTH
from ecip_reader.viewing.zoom_choices import ZOOM_CHOICES, parse_zoom

__all__ = ["ZOOM_CHOICES", "DocumentView", "parse_zoom"]


class DocumentView(ReadingView):
    first_page_sharp = Signal()
    page_changed = Signal(int)  # 1-based
    failed = Signal(str)
    notice = Signal(str)  # one sentence worth knowing about the document (not a failure)
    password_needed = Signal(str)  # "<file> is password-protected." or the wrong-password sentence
    reflow_changed = Signal(bool)  # the text is shown reflowed (True) or as pages
    reflow_failed = Signal(str)  # one sentence: the text could not be read for reflowing

    def __init__(
        self,
        client: RenderClient,
        path: Path,
        doc_id: str,
        title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.doc_id = doc_id
        self.title = title
        self.path = Path(path)
        self._info: DocumentInfo | None = None
        self._pending: dict[str, Any] | None = None
        self._pending_terms: tuple[str, ...] = ()
        self._sharp_announced = False
        self._closed = False
        self._client = client
        self._remote = client.open_document(self.path)
        self._canvas = PageCanvas(self._remote, self)
        self._canvas.setObjectName("pageCanvas")
        self._canvas.setAccessibleName(f"Pages of {title}")
        self._canvas.setAccessibleDescription(
            "The pages as images. Arrow keys and Page Up or Page Down scroll; "
            "Ctrl+Alt+T shows the text reflowed, for reading it aloud or in large print."
        )
        self._history = PlaceHistory()
        self._presentation: QWidget | None = None
        self._printing: object | None = None
        self._reflow: ReflowView | None = None  # the text wrapped to the window, when asked for
        self._reflow_notes: tuple[ReflowNote, ...] = ()
        self._password: str | None = None  # kept in memory only, for the reflow worker
        self._build_bar()
        self.find_bar = FindBar(self)
        self.find_bar.closed.connect(lambda: self.setFocus(Qt.FocusReason.OtherFocusReason))
        self._find = FindController(self._canvas, self._remote, self.find_bar)
        self.side_panel = SidePanel(self._remote, self)
        self.side_panel.hide()
        self.side_panel.page_chosen.connect(self._panel_jump)
        self.side_panel.place_chosen.connect(self._panel_place)
        self._splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self._splitter.setChildrenCollapsible(False)
        self._splitter.addWidget(self.side_panel)
        self._splitter.addWidget(self._canvas)
        self._splitter.setStretchFactor(1, 1)
        self._splitter.setSizes([220, 800])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._bar)
        layout.addWidget(self.find_bar)
        self.password_prompt = PasswordPrompt(self)
        self.password_prompt.submitted.connect(self.retry_with_password)
        self._remote.password_needed.connect(self._password_needed)
        layout.addWidget(self.password_prompt)
        layout.addWidget(self._splitter, 1)
        self.link_notice = LinkNotice(self)
        self._pointer = PointerController(self._canvas, self._remote)
        self._pointer.selection_changed.connect(self.selection_changed)
        self._pointer.page_clicked.connect(self.page_clicked)
        self._pointer.context_menu.connect(self._context_menu)
        self._pointer.link_activated.connect(self.follow_link)
        self._remote.opened.connect(self._opened)
        self._remote.failed.connect(self._failed)
        self._remote.text_ready.connect(self._text_ready)
        self._canvas.current_page_changed.connect(self._page_moved)
        self._canvas.verticalScrollBar().valueChanged.connect(lambda _v: self._follow_section())
        self._canvas.zoom_changed.connect(self._zoom_moved)
        self._canvas.page_sharp.connect(self._page_sharp)
        for keys, handler in (
            (QKeySequence.StandardKey.ZoomIn, self.zoom_in),
            ("Ctrl+=", self.zoom_in),
            (QKeySequence.StandardKey.ZoomOut, self.zoom_out),
            ("Ctrl+F", self.open_find),
            ("Ctrl+C", self.copy_selection),
            ("Alt+Left", self.back),
            ("Alt+Right", self.forward),
            ("Ctrl+R", lambda: self.rotate(90)),
            ("Ctrl+Alt+R", lambda: self.rotate(-90)),
            ("Ctrl+P", self.print_document),
            ("F5", self.start_presentation),
            ("F9", self.toggle_side_panel),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(handler)

    def _build_bar(self) -> None:
        self._bar = QWidget(self)
        self._bar.setObjectName("documentBar")
        row = QHBoxLayout(self._bar)
        row.setContentsMargins(8, 4, 8, 4)
        row.setSpacing(6)
        page_label = QLabel("Page", self._bar)
        self._page_box = QSpinBox(self._bar)
        self._page_box.setAccessibleName("Current page")
        self._page_box.setToolTip("Type a page number and press Enter to go there")
        self._page_box.setKeyboardTracking(False)
        self._page_box.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
        self._page_box.setAlignment(Qt.AlignmentFlag.AlignRight)
        self._page_box.setRange(0, 0)
        self._page_box.setEnabled(False)
        self._page_box.setMinimumWidth(56)
        self._page_box.valueChanged.connect(self._page_typed)
        page_label.setBuddy(self._page_box)
        self._count_label = QLabel("of –", self._bar)
        self._count_label.setAccessibleName("Page count")
        self._zoom_out_button = QToolButton(self._bar)
        self._zoom_out_button.setText("−")
        self._zoom_out_button.setAccessibleName("Zoom out")
        self._zoom_out_button.setToolTip("Zoom out (Ctrl+−)")
        self._zoom_out_button.clicked.connect(self.zoom_out)
        self._zoom_box = QComboBox(self._bar)
        self._zoom_box.setEditable(True)
        self._zoom_box.setAccessibleName("Zoom")
        self._zoom_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self._zoom_box.setMinimumContentsLength(8)
        for label, _mode in ZOOM_CHOICES:
            self._zoom_box.addItem(label)
        self._zoom_box.activated.connect(self._zoom_chosen)
        line_edit = self._zoom_box.lineEdit()
        if line_edit is not None:
            line_edit.setAccessibleName("Zoom")
            line_edit.returnPressed.connect(self._zoom_typed)
        self._zoom_in_button = QToolButton(self._bar)
        self._zoom_in_button.setText("+")
        self._zoom_in_button.setAccessibleName("Zoom in")
        self._zoom_in_button.setToolTip("Zoom in (Ctrl++)")
        self._zoom_in_button.clicked.connect(self.zoom_in)
        self._marks = SearchMarks(self._bar)
        self._marks.cleared.connect(self.clear_search_marks)
        row.addWidget(page_label)
        row.addWidget(self._page_box)
        row.addWidget(self._count_label)
        row.addSpacing(12)
        row.addWidget(self._marks)
        self._show_marks()
        row.addStretch(1)
        bar = build_reading_bar(self, self._bar)
        self.side_panel_button = bar.side_panel_button
        self._bar_buttons = bar.buttons
        for button in bar.buttons:
            row.addWidget(button)
        row.addWidget(self._zoom_out_button)
        row.addWidget(self._zoom_box)
        row.addWidget(self._zoom_in_button)

    # ------------------------------------------------------------ contract

    def go_to_page(self, page: int, highlight_terms: Sequence[str] = ()) -> None:
        """Show ``page`` (1-based) at the top and mark every occurrence of the terms."""
        if self._info is None:
            zoom = self._pending.get("zoom", FIT_WIDTH) if self._pending else FIT_WIDTH
            self._pending = {"page": page, "zoom": zoom, "offset": None}
            self._pending_terms = tuple(highlight_terms)
            self._show_marks()
            return
        self._canvas.set_terms(highlight_terms)
        self._show_marks()
        self._canvas.go_to(page - 1)
        if highlight_terms:
            self._canvas.reveal_first_hit(page - 1)
        if self.is_reflowed() and self._reflow is not None:
            self._reflow.set_highlight_terms(highlight_terms)
            self._reflow.go_to_page(page)

    def clear_search_marks(self) -> None:
        """Take the marks of the library search off the pages."""
        self._pending_terms = ()
        self._canvas.set_terms(())
        self._show_marks()

    def _show_marks(self) -> None:
        self._marks.show_terms(self.search_terms() or self._pending_terms)

    def search_terms(self) -> tuple[str, ...]:
        """The words of the library search marked on the pages (none once cleared)."""
        return self._canvas.terms()

    def current_page(self) -> int:
        if self._info is None:
            return int(self._pending["page"]) if self._pending else 1
        if self.is_reflowed() and self._reflow is not None:
            return self._reflow.current_page()
        return self._canvas.current_page() + 1

    def page_count(self) -> int:
        return self._info.page_count if self._info is not None else 0

    def state(self) -> dict[str, Any]:
        if self._info is None:
            pending = self._pending or {}
            return {
                "page": int(pending.get("page", 1)),
                "zoom": pending.get("zoom", FIT_WIDTH),
                "offset": float(pending.get("offset") or 0.0),
            }
        page, offset = self._canvas.position()
        state = {"page": page + 1, "zoom": self._canvas.zoom_mode(), "offset": round(offset, 4)}
        if self.is_reflowed():
            state.update(page=self.current_page(), offset=0.0, reflow=True)
        return state

    def restore_state(self, state: Mapping[str, Any]) -> None:
        zoom = state.get("zoom", FIT_WIDTH)
        mode = parse_zoom(str(zoom)) if not isinstance(zoom, int | float) else float(zoom)
        page = state.get("page", 1)
        offset = state.get("offset", 0.0)
        restored = {
            "page": page if isinstance(page, int) and page >= 1 else 1,
            "zoom": mode if mode is not None else FIT_WIDTH,
            "offset": float(offset) if isinstance(offset, int | float) else 0.0,
        }
        if self._info is None:
            self._pending = restored
        else:
            self._apply(restored)
        if state.get("reflow") is True:
            self.set_reflow(True)
            if self._reflow is not None:
                self._reflow.go_to_page(int(restored["page"]))

    def zoom_in(self) -> None:
        if self.is_reflowed() and self._reflow is not None:
            self._reflow.zoom_in()
        else:
            self._canvas.step_zoom(+1)

    def zoom_out(self) -> None:
        if self.is_reflowed() and self._reflow is not None:
            self._reflow.zoom_out()
        else:
            self._canvas.step_zoom(-1)

    # ------------------------------------------------------------ reflow

    def jump_to(self, page: int, top: float = -1.0) -> None:
        super().jump_to(page, top)
        if self.is_reflowed() and self._reflow is not None:
            self._reflow.go_to_page(page + 1)

    def is_reflowed(self) -> bool:
        return self._reflow is not None and not self._reflow.isHidden()

    def toggle_reflow(self) -> None:
        self.set_reflow(not self.is_reflowed())

    def set_reflow(self, on: bool) -> None:
        """Show the pages (off) or their text wrapped to the window (on), at the same page."""
        if on == self.is_reflowed():
            return
        page = self.current_page()
        shown: QWidget = self._canvas
        if on:
            reflow = self._reflow or self._make_reflow()
            reflow.set_highlight_terms(self._canvas.terms())
            reflow.go_to_page(page)
            self._canvas.hide()
            reflow.show()
            reflow.load()
            shown = reflow
        elif self._reflow is not None:
            self._reflow.hide()
            self._canvas.show()
            if self._info is not None:
                self._canvas.go_to(page - 1)
        shown.setFocus()
        action = self.reflow_action
        if action is not None:
            action.setChecked(on)
        self.reflow_changed.emit(on)

    def refresh_look(self) -> None:
        """Follow a change of theme (the pages keep their own colours)."""
        if self._reflow is not None:
            self._reflow.refresh_colours()

    def set_reflow_notes(self, notes: Sequence[ReflowNote]) -> None:
        """The notes to mark in the reflowed text (the annotation layer keeps them current)."""
        self._reflow_notes = tuple(notes)
        if self._reflow is not None:
            self._reflow.set_notes(self._reflow_notes)

    def _make_reflow(self) -> ReflowView:
        reflow = ReflowView(self.path, self._password, self)
        reflow.set_notes(self._reflow_notes)
        reflow.page_changed.connect(lambda page: self._page_moved(page - 1))
        reflow.link_activated.connect(lambda link: self.follow_link(self.current_page() - 1, link))
        reflow.failed.connect(self._reflow_failed)
        self._splitter.addWidget(reflow)
        self._splitter.setStretchFactor(2, 1)
        self._reflow = reflow
        return reflow

    def _reflow_failed(self, message: str) -> None:
        self.set_reflow(False)
        self.reflow_failed.emit(message)

    def set_zoom(self, mode_or_factor: ZoomMode) -> None:
        """``"fit-width"``, ``"fit-page"`` or a factor from 0.25 to 4.0 (1.0 is 100 %)."""
        if isinstance(mode_or_factor, str):
            mode = parse_zoom(mode_or_factor)
            if mode is None:
                raise ValueError(f"unknown zoom {mode_or_factor!r}")
            mode_or_factor = mode
        if self._info is None:
            self._pending = {
                **(self._pending or {"page": 1, "offset": 0.0}),
                "zoom": mode_or_factor,
            }
            return
        self._canvas.set_zoom(mode_or_factor)

    def retry_with_password(self, password: str) -> None:
        """Try to open the document again with ``password`` (never stored on disk)."""
        if not self._closed:
            self._password = password
            self._remote.retry_with_password(password)

    def close_document(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._reflow is not None:
            self._reflow.close_document()
        presentation = self._presentation
        if presentation is not None and hasattr(presentation, "abandon"):
            presentation.abandon()  # its pages come from this document
        self._remote.close()

    # ------------------------------------------------------------ extras for the window

    def canvas(self) -> PageCanvas:
        return self._canvas

    def focus_blocks(self) -> list[QWidget]:
        """The view's parts in the order Tab visits them, left to right and top to bottom."""
        bar = [self._page_box, *self._bar_buttons]
        zoom = [self._zoom_out_button, self._zoom_box, self._zoom_in_button]
        shown = [self._canvas, *([self._reflow] if self._reflow is not None else [])]
        return [
            self,
            *bar,
            *zoom,
            self.find_bar,
            self.password_prompt,
            self.side_panel,
            *shown,
            self.link_notice,
        ]

    def focusInEvent(self, event: QFocusEvent) -> None:
        """Focus given to the view goes on to the pages (or the reflowed text).

        (A focus proxy would do the same, but Qt would then leave the bar out of the
        Tab order.)
        """
        super().focusInEvent(event)
        shown = self._reflow if self.is_reflowed() and self._reflow is not None else self._canvas
        shown.setFocus(event.reason())

    # ------------------------------------------------------------ reactions

    @Slot(object)
    def _opened(self, info: object) -> None:
        if not isinstance(info, DocumentInfo):
            return
        first = self._info is None
        self._info = info
        self.password_prompt.done()
        self._page_box.setRange(1, info.page_count)
        self._page_box.setEnabled(True)
        self._count_label.setText(f"of {info.page_count}")
        self._canvas.set_page_sizes(info.page_sizes, info.rotations)
        self.side_panel.set_pages(info.page_count, info.page_sizes)
        if first:
            for note in info.notes:
                self.notice.emit(note)
        else:
            self._canvas.reopened()
        if first and self._pending is not None:
            pending, self._pending = self._pending, None
            self._canvas.set_terms(self._pending_terms)
            self._show_marks()
            self._apply(pending)
            if self._pending_terms and pending.get("offset") is None:
                self._canvas.reveal_first_hit(self._canvas.current_page())
        self._page_moved(self._canvas.current_page())

    def _apply(self, state: Mapping[str, Any]) -> None:
        self._canvas.set_zoom(state["zoom"])
        page = min(int(state["page"]), self.page_count())
        offset = state.get("offset")
        self._canvas.go_to(page - 1, float(offset) if offset is not None else None)

    @Slot(str)
    def _password_needed(self, message: str) -> None:
        self._canvas.show_message(message)
        self.password_prompt.ask(message)
        self.password_needed.emit(message)

    @Slot(str)
    def _failed(self, message: str) -> None:
        self._canvas.show_message(message)
        self._page_box.setEnabled(False)
        self.failed.emit(message)

    @Slot(int)
    def _page_moved(self, page: int) -> None:
        self._page_box.blockSignals(True)
        self._page_box.setValue(page + 1)
        self._page_box.blockSignals(False)
        self.side_panel.set_current_page(page)
        self._follow_section()
        self.page_changed.emit(page + 1)

    @Slot(int)
    def _page_typed(self, page: int) -> None:
        if self.is_reflowed() and self._reflow is not None:
            self._reflow.go_to_page(page)
        elif self._info is not None:
            self._canvas.go_to(page - 1)

    @Slot(float)
    def _zoom_moved(self, zoom: float) -> None:
        mode = self._canvas.zoom_mode()
        label = next((text for text, m in ZOOM_CHOICES if m == mode and isinstance(m, str)), None)
        self._zoom_box.setEditText(label or f"{round(zoom * 100)} %")

    @Slot(int)
    def _zoom_chosen(self, index: int) -> None:
        self.set_zoom(ZOOM_CHOICES[index][1])

    @Slot()
    def _zoom_typed(self) -> None:
        mode = parse_zoom(self._zoom_box.currentText())
        if mode is not None:
            self.set_zoom(mode)
        else:
            self._zoom_moved(self._canvas.effective_zoom())

    @Slot(int)
    def _page_sharp(self, _page: int) -> None:
        if not self._sharp_announced:
            self._sharp_announced = True
            self.first_page_sharp.emit()
