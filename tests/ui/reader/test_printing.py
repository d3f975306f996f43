"""Printing: Ctrl+P opens Qt's print dialog; a page range prints to a PDF file."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.ui.reader import printing
from ecip_reader.ui.reader.printing import (
    NotesTab,
    Printing,
    PrintJob,
    PrintSupport,
    chosen_pages,
)
from ecip_reader.ui.tasks import TaskRunner
from ecip_reader.userdata import AnnotationKind
from ecip_reader.userdata.anchoring import selection_from_words
from ecip_reader.userdata.print_copy import NotesSource
from tests.support.notes import desk
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


def pdf_printer(path: Path, first: int, last: int) -> QPrinter:
    """A printer set, as "Print to PDF" in the dialog sets it, to write ``path``."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(first, last)
    return printer


PRINTED = """
import json, sys, pymupdf
with pymupdf.open(sys.argv[1]) as doc:
    print(json.dumps([[page.get_text(), [a.type[1] for a in page.annots()],
                       len(page.get_images())] for page in doc]))
"""


def printed(path: Path) -> list[tuple[str, list[str], int]]:
    """Each page's text, annotation kinds and picture count, read in a separate process."""
    done = subprocess.run(
        [sys.executable, "-c", PRINTED, str(path)], capture_output=True, text=True, check=True
    )
    return [tuple(page) for page in json.loads(done.stdout)]  # type: ignore[misc]


@pytest.mark.slow
def test_print_to_pdf_keeps_text_as_text_and_can_carry_the_notes(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue, tmp_path: Path
) -> None:
    tasks = TaskRunner(max_threads=1)
    with desk(qtbot, app_paths, small_library) as d:
        anchor, quads = selection_from_words(d.words(2), 0, 2)
        d.annotator.add_markup(d.document, 2, AnnotationKind.HIGHLIGHT, quads, anchor)
        support = PrintSupport(tasks, d.view.open_copy, NotesSource(app_paths, d.document.hash))
        target = tmp_path / "for-the-meeting.pdf"
        pages = chosen_pages(pdf_printer(target, 2, 3), d.view.page_count())
        job = Printing(d.pdf, d.view._remote, pdf_printer(target, 2, 3), pages, support, True)
        with qtbot.waitSignal(job.finished, timeout=WAIT * 3) as blocker:
            job.start()
        assert blocker.args == [
            True,
            "Saved for-the-meeting.pdf: 2 pages, text kept as text, with 1 note.",
        ]
        (text_two, notes_two, pictures), (_text, notes_three, _) = printed(target)
        assert "Ward teams review every patient" in text_two and pictures == 0
        assert notes_two == ["Highlight"] and notes_three == []
        assert target.stat().st_size < 40_000  # not page-sized pictures
        # Without the notes: the same pages, no annotations.
        job = Printing(d.pdf, d.view._remote, pdf_printer(target, 2, 2), [1], support, False)
        with qtbot.waitSignal(job.finished, timeout=WAIT * 3):
            job.start()
        assert [page[1] for page in printed(target)] == [[]]
    tasks.wait()


YELLOW_PIXELS = """
import sys, pymupdf
with pymupdf.open(sys.argv[1]) as doc:
    pix = doc[0].get_pixmap(dpi=40)
    data = pix.samples
    n = pix.n
    print(sum(1 for i in range(0, len(data), n)
              if data[i] > 200 and data[i + 1] > 170 and data[i + 2] < 130))
"""


def yellow_pixels(path: Path) -> int:
    done = subprocess.run(
        [sys.executable, "-c", YELLOW_PIXELS, str(path)], capture_output=True, text=True, check=True
    )
    return int(done.stdout)


@pytest.mark.slow
def test_a_printer_prints_the_notes_when_asked(
    qtbot: QtBot,
    app_paths: AppPaths,
    small_library: Catalogue,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A printer is not a PDF file: pages are drawn onto it. Stand in for one by drawing
    # onto a PDF printer, and look at what was drawn.
    monkeypatch.setattr(printing, "to_pdf_file", lambda _printer: None)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # where the annotated copy goes
    tasks = TaskRunner(max_threads=1)
    with desk(qtbot, app_paths, small_library) as d:
        anchor, quads = selection_from_words(d.words(2), 0, 4)
        d.annotator.add_markup(d.document, 2, AnnotationKind.HIGHLIGHT, quads, anchor)
        support = PrintSupport(tasks, d.view.open_copy, NotesSource(app_paths, d.document.hash))
        for with_notes, name in ((True, "with.pdf"), (False, "without.pdf")):
            printer = pdf_printer(tmp_path / name, 2, 2)
            job = Printing(d.pdf, d.view._remote, printer, [1], support, with_notes)
            with qtbot.waitSignal(job.finished, timeout=WAIT * 3) as blocker:
                job.start()
            assert blocker.args == [True, "Printed 1 page."]
        assert yellow_pixels(tmp_path / "with.pdf") > 20  # the highlight is on paper
        assert yellow_pixels(tmp_path / "without.pdf") == 0
        assert list(scratch.iterdir()) == []  # the annotated copy was removed after printing
    tasks.wait()


# Qt's own print dialog on the offscreen platform cannot raise itself or grab the keyboard.
@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing", "cups", "CUPS")
def test_ctrl_p_opens_the_print_dialog_with_the_page_range(
    qtbot: QtBot, make_view: ViewMaker, reading_pdf: Path
) -> None:
    view = make_view(reading_pdf)
    seen: list[tuple[int, int]] = []
    tabs: list[object] = []
    view.print_tasks = TaskRunner(max_threads=1)  # as the main window sets it

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QPrintDialog):
            QTimer.singleShot(50, answer)
            return
        seen.append((dialog.minPage(), dialog.maxPage()))
        notes = dialog.findChild(NotesTab)
        tabs.append(notes is not None and notes.include.text())
        dialog.reject()

    QTimer.singleShot(50, answer)
    qtbot.keyClick(view.canvas(), Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert seen == [(1, 4)]
    assert tabs == ["&Include my highlights and notes"]  # the dialog's Notes tab
