"""Printing through Qt's print dialog: to a PDF file as the PDF itself, to a printer as images.

"Print to PDF" (a printer set to PDF output) copies the chosen pages of the
original PDF in a process of its own: text stays text, nothing is redrawn.
A printer gets each page drawn by the render worker at the printer's
resolution (capped, so a 1,200 dpi printer does not need gigantic images),
painted onto the printer one after the other without blocking the window.

The dialog's "Notes" tab offers to include the reader's highlights and notes:
they are added to the copy as PDF annotations (the annotated export's way),
and a printer then prints that annotated copy.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QRect, Signal, Slot
from PySide6.QtGui import QImage, QPageLayout, QPainter
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QCheckBox, QDialog, QLabel, QVBoxLayout, QWidget

from ecip_reader.errors import UserError
from ecip_reader.text import counted
from ecip_reader.ui.render.remote_document import RemoteDocument
from ecip_reader.ui.tasks import TaskRunner
from ecip_reader.userdata.print_copy import NotesSource, PrintCopy, print_copy_in_process

MAX_PRINT_DPI = 300
MAX_PRINT_PIXELS = 12_000_000


def chosen_pages(printer: QPrinter, page_count: int, current: int = 0) -> list[int]:
    """The 0-based pages the print dialog asked for."""
    mode = printer.printRange()
    if mode == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(1, printer.fromPage())
        last = min(page_count, printer.toPage() or page_count)
        return list(range(first - 1, last))
    if mode == QPrinter.PrintRange.CurrentPage:
        return [current]
    return list(range(page_count))


class PrintJob(QObject):
    """Prints ``pages`` (0-based) of a document one at a time."""

    progress = Signal(int, int)  # pages printed, pages in all
    finished = Signal(bool, str)  # success, a sentence for the user

    def __init__(
        self,
        remote: RemoteDocument,
        printer: QPrinter,
        pages: list[int],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._remote = remote
        self._printer = printer
        self._pages = pages
        self._done = 0
        self._request = -1
        self._painter: QPainter | None = None
        remote.image_ready.connect(self._image_ready)
        remote.image_failed.connect(self._image_failed)

    def start(self) -> None:
        if not self._pages:
            self.finished.emit(False, "There are no pages to print.")
            return
        self._orient(self._pages[0])
        painter = QPainter()
        if not painter.begin(self._printer):
            self.finished.emit(False, "The printer could not be started.")
            return
        self._painter = painter
        self._ask()

    def _orient(self, page: int) -> None:
        width, height = self._remote.shown_size(page)
        landscape = QPageLayout.Orientation.Landscape
        portrait = QPageLayout.Orientation.Portrait
        self._printer.setPageOrientation(landscape if width > height else portrait)

    def _ask(self) -> None:
        dpi = min(self._printer.resolution(), MAX_PRINT_DPI)
        page = self._pages[self._done]
        self._request = self._remote.request_image(page, dpi / 72.0, None, MAX_PRINT_PIXELS)

    @Slot(int, object)
    def _image_ready(self, req_id: int, image: object) -> None:
        painter = self._painter
        if req_id != self._request or painter is None or not isinstance(image, QImage):
            return
        area = painter.viewport()
        size = image.size()
        scale = min(area.width() / size.width(), area.height() / size.height())
        width, height = round(size.width() * scale), round(size.height() * scale)
        target = QRect((area.width() - width) // 2, (area.height() - height) // 2, width, height)
        painter.drawImage(target, image)
        self._done += 1
        self.progress.emit(self._done, len(self._pages))
        if self._done >= len(self._pages):
            self._end(True, f"Printed {self._done} page{'s' if self._done != 1 else ''}.")
            return
        self._orient(self._pages[self._done])
        self._printer.newPage()
        self._ask()

    @Slot(int, str)
    def _image_failed(self, req_id: int, message: str) -> None:
        if req_id == self._request:
            self._end(False, message)

    def _end(self, ok: bool, message: str) -> None:
        if self._painter is not None:
            self._painter.end()
            self._painter = None
        self._request = -1
        self.finished.emit(ok, message)


class NotesTab(QWidget):
    """The print dialog's "Notes" tab: include the reader's highlights and notes or not."""

    def __init__(self, available: bool, include: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Notes")  # the tab's title
        self.include = QCheckBox("&Include my highlights and notes", self)
        self.include.setAccessibleName("Include my highlights and notes")
        self.include.setChecked(available and include)
        self.include.setEnabled(available)
        hint = QLabel(
            "They are printed as PDF annotations, as in an annotated export."
            if available
            else "Notes cannot be printed with this document.",
            self,
        )
        hint.setWordWrap(True)
        hint.setObjectName("muted")
        layout = QVBoxLayout(self)
        layout.addWidget(self.include)
        layout.addWidget(hint)
        layout.addStretch(1)


def print_dialog(
    parent: QWidget, printer: QPrinter, page_count: int, notes: NotesTab | None = None
) -> QPrintDialog:
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print")
    dialog.setMinMax(1, page_count)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile, True)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintCurrentPage, True)
    if notes is not None:
        dialog.setOptionTabs([notes])
    return dialog


@dataclass
class PrintSupport:
    """What printing needs beyond the page view: a task runner, and the notes if any."""

    tasks: TaskRunner
    open_copy: Callable[[Path], RemoteDocument]  # a PDF opened in the render worker
    notes: NotesSource | None = None
    include_notes: bool = True  # the last choice, offered again


def to_pdf_file(printer: QPrinter) -> Path | None:
    """The file a printer set to PDF output writes, or None for a real printer."""
    name = printer.outputFileName()
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and name:
        return Path(name)
    return None


class Printing(QObject):
    """One print request: a PDF copy of the pages, or pages drawn onto a printer."""

    finished = Signal(bool, str)  # success, a sentence for the user

    def __init__(
        self,
        source: Path,
        remote: RemoteDocument,
        printer: QPrinter,
        pages: list[int],
        support: PrintSupport,
        with_notes: bool,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._source, self._remote, self._printer = source, remote, printer
        self._pages, self._support = pages, support
        self._notes = support.notes if with_notes else None
        self._copy: RemoteDocument | None = None
        self._scratch: Path | None = None
        self.job: PrintJob | None = None

    def start(self) -> None:
        if not self._pages:
            self.finished.emit(False, "There are no pages to print.")
            return
        dest = to_pdf_file(self._printer)
        if dest is not None:
            self._write_pdf(dest)
        elif self._notes is not None:
            self._print_annotated()
        else:
            self._draw(self._remote, self._pages)

    # -- to a PDF file: the pages themselves ------------------------------------------

    def _write_pdf(self, dest: Path) -> None:
        source, pages, notes = self._source, list(self._pages), self._notes

        def done(result: object) -> None:
            if isinstance(result, PrintCopy):
                self.finished.emit(True, _saved(dest, result))

        self._support.tasks.run(
            lambda: print_copy_in_process(source, pages, dest, notes), done, self._failed
        )

    # -- to a printer with the notes: draw an annotated copy -------------------------

    def _print_annotated(self) -> None:
        folder = Path(tempfile.mkdtemp(prefix="ecip-print-"))
        self._scratch = folder / self._source.name
        scratch, source, pages, notes = self._scratch, self._source, list(self._pages), self._notes

        def done(_result: object) -> None:
            self._copy = self._support.open_copy(scratch)
            self._draw(self._copy, list(range(len(pages))))

        self._support.tasks.run(
            lambda: print_copy_in_process(source, pages, scratch, notes), done, self._failed
        )

    def _draw(self, remote: RemoteDocument, pages: list[int]) -> None:
        self.job = PrintJob(remote, self._printer, pages, self)
        self.job.finished.connect(self._drawn)
        if remote.info is None:  # a copy just opened: its page sizes are needed first
            remote.opened.connect(lambda _info: self._begin())
            remote.failed.connect(lambda message: self._drawn(False, message))
        else:
            self._begin()

    def _begin(self) -> None:
        if self.job is not None:
            self.job.start()

    def _drawn(self, ok: bool, message: str) -> None:
        self._clean_up()
        self.finished.emit(ok, message)

    def _failed(self, exc: object) -> None:
        self._clean_up()
        if isinstance(exc, UserError):
            self.finished.emit(False, str(exc))
            return
        if isinstance(exc, BaseException):
            self._support.tasks.report(exc)
        self.finished.emit(False, "Printing failed; the details were written to the log.")

    def _clean_up(self) -> None:
        if self._copy is not None:
            self._copy.close()
            self._copy = None
        if self._scratch is not None:
            shutil.rmtree(self._scratch.parent, ignore_errors=True)
            self._scratch = None


def _saved(dest: Path, copy: PrintCopy) -> str:
    text = f"Saved {dest.name}: {counted(copy.pages, 'page')}, text kept as text"
    if copy.notes:
        text += f", with {counted(copy.notes, 'note')}"
    if copy.notes_left_out:
        text += f" (notes left out: {copy.notes_left_out})"
    return text + "."


def print_with_dialog(
    parent: QWidget,
    remote: RemoteDocument,
    page_count: int,
    current: int = 0,
    support: PrintSupport | None = None,
    source: Path | None = None,
) -> Printing | PrintJob | None:
    """Show the print dialog; print what it asks for. ``None`` if the user cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setFromTo(1, page_count)
    if source is not None:
        printer.setDocName(source.stem)
    notes = None
    if support is not None:
        notes = NotesTab(support.notes is not None, support.include_notes)
    dialog = print_dialog(parent, printer, page_count, notes)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    pages = chosen_pages(printer, page_count, current)
    if support is None or source is None:
        job = PrintJob(remote, printer, pages, parent)
        job.start()
        return job
    with_notes = notes is not None and notes.include.isChecked()
    if notes is not None and notes.include.isEnabled():
        support.include_notes = notes.include.isChecked()
    printing = Printing(source, remote, printer, pages, support, with_notes, parent)
    printing.start()
    return printing
