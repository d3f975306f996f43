"""The reflow reading view: a document's text wrapped to the window, in the theme's colours.

For small screens and low vision: the text of every page as headings,
paragraphs, lists and links (:mod:`ecip_reader.pdf.reflow`), set in the
system's font at any size (Ctrl+Plus / Ctrl+Minus), wrapped to the width of the
tab. Search words and the quoted text of notes are marked as on the page; links
to other pages and documents are followed inside the reader, web links are
only shown.

The text is read by a short-lived worker process (PyMuPDF never runs in the
window's process), the first time a document is switched to reflow.
"""

from __future__ import annotations

import bisect
import logging
import multiprocessing
import re
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
)
from PySide6.QtWidgets import QTextBrowser, QWidget

from ecip_reader.errors import UserError
from ecip_reader.pdf.entry import call
from ecip_reader.pdf.reflow_text import (
    FILE_LINK,
    PAGE_LINK,
    WEB_LINK,
    ReflowColours,
    ReflowNote,
    ReflowPage,
    page_anchor,
    reflow_html,
)
from ecip_reader.pdf.render_protocol import LinkArea
from ecip_reader.ui import theme
from ecip_reader.ui.accessible import leave_on_backtab

log = logging.getLogger(__name__)

LOAD_BUDGET_MS = 60_000  # past this, reading the text is given up with a sentence
MIN_SCALE, MAX_SCALE, STEP = 0.6, 4.0, 1.15
_PAGE_LABEL = re.compile(r"^Page (\d+) of \d+$")
NO_BOX = (0.0, 0.0, 0.0, 0.0)


def reflow_colours() -> ReflowColours:
    c = theme.colours()
    return ReflowColours(
        text=c.text,
        background=c.surface,
        link=c.accent,
        muted=c.muted,
        hit=c.match,
        hit_text=c.on_match,
    )


class ReflowView(QTextBrowser):
    """One document's text, reflowed; knows which page is at the top."""

    page_changed = Signal(int)  # 1-based page at the top of the view
    loaded = Signal()
    failed = Signal(str)  # one sentence
    link_activated = Signal(object)  # a LinkArea, followed as a link on the page would be
    _done = Signal(object)  # Future, from the worker's thread

    def __init__(self, path: Path, password: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("reflowView")
        self.setAccessibleName("Reflowed text")
        self.setAccessibleDescription(
            "The document's text wrapped to the window; Ctrl+Plus and Ctrl+Minus change its size"
        )
        self.setOpenLinks(False)
        leave_on_backtab(self)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._follow)
        self._path = path
        self._password = password
        self._pages: list[ReflowPage] = []
        self._terms: tuple[str, ...] = ()
        self._notes: tuple[ReflowNote, ...] = ()
        self._starts: list[int] = []  # document positions where each page begins
        self._numbers: list[int] = []
        self._scale = 1.0
        self._wanted_page = 1
        self._executor: ProcessPoolExecutor | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._too_slow)
        self._done.connect(self._finished)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self._apply_font()
        self.setPlaceholderText("Reading the text of the document…")

    # ------------------------------------------------------------ loading

    @property
    def ready(self) -> bool:
        return bool(self._pages)

    def load(self) -> None:
        """Read the document's text in a worker process (once)."""
        if self._pages or self._executor is not None:
            return
        context = multiprocessing.get_context("spawn")
        self._executor = ProcessPoolExecutor(max_workers=1, mp_context=context)
        future = self._executor.submit(
            call, "ecip_reader.pdf.reflow", "reflow_document", str(self._path), self._password
        )
        future.add_done_callback(self._done.emit)
        self._timer.start(LOAD_BUDGET_MS)

    def _stop_worker(self) -> None:
        self._timer.stop()
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    @Slot(object)
    def _finished(self, future: Future[list[ReflowPage]]) -> None:
        if self._executor is None:
            return  # given up already
        self._stop_worker()
        try:
            pages = future.result()
        except UserError as exc:
            self.failed.emit(str(exc))
            return
        except Exception:  # a crashed worker, or a bug: one sentence, details in the log
            log.exception("reflowing %s failed", self._path)
            self.failed.emit(f"The text of {self._path.name} could not be read for reflowing.")
            return
        self._pages = pages
        self._render()
        self.go_to_page(self._wanted_page)
        self.loaded.emit()

    def _too_slow(self) -> None:
        self._stop_worker()
        self.failed.emit(f"Reading the text of {self._path.name} took too long.")

    def close_document(self) -> None:
        self._stop_worker()

    # ------------------------------------------------------------ content

    def set_highlight_terms(self, terms: Sequence[str]) -> None:
        if tuple(terms) != self._terms:
            self._terms = tuple(terms)
            self._render()

    def set_notes(self, notes: Sequence[ReflowNote]) -> None:
        if tuple(notes) != self._notes:
            self._notes = tuple(notes)
            self._render()

    def refresh_colours(self) -> None:
        """Follow a change of theme."""
        self._render()

    def _render(self) -> None:
        if not self._pages:
            return
        page = self.current_page()
        total = self._pages[-1].number
        html = reflow_html(self._pages, total, self._terms, self._notes, reflow_colours())
        self.setHtml(html)
        self._pad_end()
        self._index_pages()
        self.go_to_page(page)

    def _pad_end(self) -> None:
        """A comfortable measure (at most about 75 characters a line), and room after
        the last line so that any page can be scrolled to the top."""
        frame = self.document().rootFrame()
        fmt = frame.frameFormat()
        measure = QFontMetricsF(self.document().defaultFont()).averageCharWidth() * 75
        side = max((self.viewport().width() - measure) / 2, 16.0)
        fmt.setLeftMargin(side)
        fmt.setRightMargin(side)
        fmt.setTopMargin(8)
        fmt.setBottomMargin(max(self.viewport().height() - 40, 0))
        frame.setFrameFormat(fmt)

    def resizeEvent(self, event: QResizeEvent) -> None:
        page = self.current_page()
        super().resizeEvent(event)
        if self._pages:
            self._pad_end()
            self.go_to_page(page)

    def _index_pages(self) -> None:
        self._starts, self._numbers = [], []
        block = self.document().begin()
        while block.isValid():
            found = _PAGE_LABEL.match(block.text())
            if found:
                self._starts.append(block.position())
                self._numbers.append(int(found.group(1)))
            block = block.next()

    # ------------------------------------------------------------ position

    def go_to_page(self, page: int) -> None:
        self._wanted_page = max(1, page)
        if self._pages:
            self.scrollToAnchor(page_anchor(min(self._wanted_page, self._pages[-1].number)))

    def current_page(self) -> int:
        if not self._starts:
            return self._wanted_page
        position = self.cursorForPosition(QPoint(8, 8)).position()
        index = bisect.bisect_right(self._starts, position) - 1
        return self._numbers[max(index, 0)]

    @Slot(int)
    def _scrolled(self, _value: int) -> None:
        if self._starts:
            self._wanted_page = self.current_page()
            self.page_changed.emit(self._wanted_page)

    # ------------------------------------------------------------ size

    @property
    def scale(self) -> float:
        return self._scale

    def set_scale(self, scale: float) -> None:
        self._scale = min(max(scale, MIN_SCALE), MAX_SCALE)
        page = self.current_page()
        self._apply_font()
        if self._pages:
            self._pad_end()
        self.go_to_page(page)

    def zoom_in(self) -> None:
        self.set_scale(self._scale * STEP)

    def zoom_out(self) -> None:
        self.set_scale(self._scale / STEP)

    def _apply_font(self) -> None:
        # The system's font and its size, so a larger system font gives larger text.
        font = QFont(QGuiApplication.font())
        base = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
        font.setPointSizeF(base * 1.2 * self._scale)
        self.document().setDefaultFont(font)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        control = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if event.matches(QKeySequence.StandardKey.ZoomIn) or (
            control and event.key() in (Qt.Key.Key_Plus, Qt.Key.Key_Equal)
        ):
            self.zoom_in()
            return
        if event.matches(QKeySequence.StandardKey.ZoomOut):
            self.zoom_out()
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------ links

    @Slot(QUrl)
    def _follow(self, url: QUrl) -> None:
        link = link_for(url.toString())
        if link is not None:
            self.link_activated.emit(link)


def link_for(target: str) -> LinkArea | None:
    """The page link a reflowed link stands for (pages 0-based, as on the page)."""
    if target.startswith(PAGE_LINK):
        return LinkArea(NO_BOX, "goto", int(target.removeprefix(PAGE_LINK) or 1) - 1)
    if target.startswith(FILE_LINK):
        name, _sep, page = target.removeprefix(FILE_LINK).partition("#")
        return LinkArea(NO_BOX, "document", int(page or 1) - 1, name)
    if target.startswith(WEB_LINK):
        return LinkArea(NO_BOX, "uri", -1, target.removeprefix(WEB_LINK))
    return None
