"""Helpers for the annotation and bookmark tests: a real page view with a real render worker.

A :class:`Desk` is one window holding a :class:`DocumentView` of the small
test library, the notes store, an :class:`Annotator` and the
:class:`AnnotationController` attached to the view, as the main window wires them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pymupdf
from PySide6.QtCore import QEvent, QPointF, QRect, Qt
from PySide6.QtGui import QColor, QImage, QMouseEvent
from PySide6.QtWidgets import QApplication, QHBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.settings import Settings, load_policy
from ecip_reader.ui.notes.controller import AnnotationController
from ecip_reader.ui.reader.view import DocumentView
from ecip_reader.ui.render.client import RenderClient
from ecip_reader.userdata import Annotator, DocumentRef, UserDataStore

WAIT = 30_000  # ms: a two-core machine running other tests at the same time

Word = tuple[float, float, float, float, str, int, int, int]


class Desk:
    def __init__(
        self,
        qtbot: QtBot,
        paths: AppPaths,
        library: Catalogue,
        client: RenderClient,
        store: UserDataStore,
        doc_id: str,
    ) -> None:
        self.qtbot = qtbot
        self.paths = paths
        self.library = library
        self.client = client
        self.store = store
        entry = library.get(doc_id)
        self.entry = entry
        self.pdf = library.path_of(entry)
        self.document = DocumentRef(entry.sha256, entry.id, entry.title)
        self.settings = Settings(paths.settings_file, load_policy(paths.policy_file))
        self.annotator = Annotator(store, "Test Reader")
        self.window = QWidget()
        self.window.setWindowTitle("Annotation test")
        qtbot.addWidget(self.window)
        self.view = DocumentView(client, self.pdf, entry.id, entry.title, self.window)
        layout = QHBoxLayout(self.window)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        self.window.resize(700, 640)
        self.controller = AnnotationController(store, self.annotator, self.settings, self.window)
        self.overlay = self.controller.attach(self.view, self.document)

    def show(self) -> None:
        with self.qtbot.waitSignal(self.view.first_page_sharp, timeout=WAIT):
            self.window.show()
        self.window.activateWindow()
        self.qtbot.waitUntil(self.window.isActiveWindow, timeout=WAIT)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- the page as the user sees it -------------------------------------------------------

    def words(self, page: int) -> list[Word]:
        with pymupdf.open(self.pdf) as doc:
            return [tuple(w) for w in doc[page - 1].get_text("words")]  # type: ignore[misc]

    def to_view(self, page: int, x: float, y: float) -> QPointF:
        return self.view.canvas().to_view(page, x, y)

    def pixels(self, page: int, box: tuple[float, float, float, float]) -> QImage:
        """What is drawn over ``box`` (PDF points) of ``page``."""
        top_left = self.to_view(page, box[0], box[1]).toPoint()
        bottom_right = self.to_view(page, box[2], box[3]).toPoint()
        viewport = self.view.canvas().viewport()
        return viewport.grab(QRect(top_left, bottom_right)).toImage()

    def select_words(self, page: int, first: int, last: int) -> None:
        """Drag the mouse across words ``first``..``last`` of ``page``, as a user does."""
        words = self.words(page)
        a, b = words[first], words[last]
        start = self.to_view(page, a[0] + 0.5, (a[1] + a[3]) / 2)
        end = self.to_view(page, b[2] - 0.5, (b[1] + b[3]) / 2)
        viewport = self.view.canvas().viewport()
        mouse(viewport, QEvent.Type.MouseButtonPress, start, Qt.MouseButton.LeftButton)
        # The press asks the render worker for the page's words; a drag needs them.
        self.qtbot.waitUntil(lambda: self.view.words(page) is not None, timeout=WAIT)
        for share in (0.25, 0.5, 0.75, 1.0):
            point = QPointF(
                start.x() + (end.x() - start.x()) * share, start.y() + (end.y() - start.y()) * share
            )
            mouse(viewport, QEvent.Type.MouseMove, point, Qt.MouseButton.NoButton)
        mouse(viewport, QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.LeftButton)
        self.qtbot.waitUntil(lambda: self.view.selection() is not None, timeout=WAIT)

    def click(self, page: int, x: float, y: float) -> None:
        point = self.to_view(page, x, y)
        viewport = self.view.canvas().viewport()
        mouse(viewport, QEvent.Type.MouseButtonPress, point, Qt.MouseButton.LeftButton)
        mouse(viewport, QEvent.Type.MouseButtonRelease, point, Qt.MouseButton.LeftButton)

    def key(self, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> None:
        self.qtbot.keyClick(self.view.canvas().viewport(), key, modifiers)


def mouse(widget: QWidget, kind: QEvent.Type, where: QPointF, button: Qt.MouseButton) -> None:
    held = Qt.MouseButton.LeftButton if kind == QEvent.Type.MouseMove else button
    if kind == QEvent.Type.MouseButtonRelease:
        held = Qt.MouseButton.NoButton
    global_pos = QPointF(widget.mapToGlobal(where.toPoint()))
    event = QMouseEvent(kind, where, global_pos, button, held, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def colour_share(image: QImage, rgb: str, tolerance: int = 24) -> float:
    """The share of ``image``'s pixels within ``tolerance`` of the colour ``rgb``."""
    target = QColor(rgb)
    hits = total = 0
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = QColor(image.pixel(x, y))
            total += 1
            if (
                abs(pixel.red() - target.red()) <= tolerance
                and abs(pixel.green() - target.green()) <= tolerance
                and abs(pixel.blue() - target.blue()) <= tolerance
            ):
                hits += 1
    return hits / total if total else 0.0


@contextmanager
def desk(
    qtbot: QtBot,
    paths: AppPaths,
    library: Catalogue,
    doc_id: str = "perfect-week",
    store: UserDataStore | None = None,
    show: bool = True,
) -> Iterator[Desk]:
    client = RenderClient()
    own_store = store is None
    opened = store or UserDataStore.open(paths)
    made = Desk(qtbot, paths, library, client, opened, doc_id)
    try:
        if show:
            made.show()
        yield made
    finally:
        made.controller.close()
        made.view.close_document()
        made.window.close()
        client.close()
        if own_store:
            opened.close()


def first_line_box(words: list[Word], first: int, last: int) -> tuple[float, float, float, float]:
    chosen = words[first : last + 1]
    return (
        min(w[0] for w in chosen),
        min(w[1] for w in chosen),
        max(w[2] for w in chosen),
        max(w[3] for w in chosen),
    )


PDF_CHECK = """
import json, sys
import pymupdf
found = []
with pymupdf.open(sys.argv[1]) as doc:
    for page in doc:
        found.append([[a.type[1], a.info.get("title", ""), a.info.get("content", "")]
                      for a in page.annots()])
    toc = doc.get_toc(simple=True)
print(json.dumps({"pages": found, "toc": toc}))
"""


def pdf_annotations(path: Path) -> dict[str, Any]:
    """The annotations (type, author, contents) per page and the outline of a PDF.

    Read by PyMuPDF in a separate process, as the application never reads PDFs itself.
    """
    done = subprocess.run(
        [sys.executable, "-c", PDF_CHECK, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result
