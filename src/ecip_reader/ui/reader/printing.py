"""Printing through Qt's print dialog, pages drawn by the render worker.

Each page is drawn at the printer's resolution (capped, so a 1,200 dpi
printer does not need gigantic images) and painted onto the printer one after
the other, without blocking the window. Choosing "Print to PDF" in the dialog
(or a printer set to PDF output) writes a PDF file.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRect, Signal, Slot
from PySide6.QtGui import QImage, QPageLayout, QPainter
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from ecip_reader.ui.render.remote_document import RemoteDocument

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


def print_dialog(parent: QWidget, printer: QPrinter, page_count: int) -> QPrintDialog:
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print")
    dialog.setMinMax(1, page_count)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile, True)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintCurrentPage, True)
    return dialog


def print_with_dialog(
    parent: QWidget, remote: RemoteDocument, page_count: int, current: int = 0
) -> PrintJob | None:
    """Show the print dialog; print what it asks for. ``None`` if the user cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setFromTo(1, page_count)
    dialog = print_dialog(parent, printer, page_count)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    job = PrintJob(remote, printer, chosen_pages(printer, page_count, current), parent)
    job.start()
    return job
