"""Printing: Ctrl+P opens Qt's print dialog; a page range prints to a PDF file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ecip_reader.ui.reader.printing import PrintJob, chosen_pages
from tests.support.reading import WAIT, ViewMaker


def pdf_facts(path: Path) -> list[str]:
    """Page count and the text of each page, read in a separate process."""
    code = (
        "import sys, pymupdf\n"
        "doc = pymupdf.open(sys.argv[1])\n"
        "print(doc.page_count)\n"
        "for page in doc: print(round(page.rect.width), round(page.rect.height))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    return out.stdout.split("\n")


def test_pages_two_to_three_print_to_a_pdf_file(
    qtbot: QtBot, make_view: ViewMaker, reading_pdf: Path, tmp_path: Path
) -> None:
    view = make_view(reading_pdf)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(target))
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    pages = chosen_pages(printer, view.page_count())
    assert pages == [1, 2]
    job = PrintJob(view._remote, printer, pages)
    with qtbot.waitSignal(job.finished, timeout=WAIT) as blocker:
        job.start()
    assert blocker.args == [True, "Printed 2 pages."]
    facts = pdf_facts(target)
    assert facts[0] == "2"
    width, height = (int(v) for v in facts[1].split())
    assert height > width  # A4 portrait pages stay portrait


# Qt's own print dialog on the offscreen platform cannot raise itself or grab the keyboard.
@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing", "cups", "CUPS")
def test_ctrl_p_opens_the_print_dialog_with_the_page_range(
    qtbot: QtBot, make_view: ViewMaker, reading_pdf: Path
) -> None:
    view = make_view(reading_pdf)
    seen: list[tuple[int, int]] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QPrintDialog):
            QTimer.singleShot(50, answer)
            return
        seen.append((dialog.minPage(), dialog.maxPage()))
        dialog.reject()

    QTimer.singleShot(50, answer)
    qtbot.keyClick(view.canvas(), Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert seen == [(1, 4)]
