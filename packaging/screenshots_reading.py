"""Screenshots of the reading and teaching tools for the documentation, made offscreen.

    python packaging/screenshots_reading.py [--out docs]

Opens bundled documents in the real page view (with the real render worker)
and saves:

* ``reading-outline-thumbnails.png`` — the contents beside a page, and the
  page thumbnails beside another;
* ``reading-find.png`` — find in the document with every match marked;
* ``reading-night.png`` — night reading (inverted pages);
* ``presentation-spotlight.png`` — a slide presented with the spotlight on.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "bundled_library"
READING = "northern-devon-perfect-week.pdf"
SLIDES = "event-breaking-the-cycle-together.pdf"
SIZE = (1400, 900)


def spin(predicate: Callable[[], bool], seconds: float = 30.0) -> bool:
    """Run the event loop until ``predicate()`` holds or the time is up."""
    from PySide6.QtCore import QEventLoop, QTimer

    deadline = time.monotonic() + seconds
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: (predicate() or time.monotonic() > deadline) and loop.quit())
    timer.start()
    if not predicate():
        loop.exec()
    timer.stop()
    return predicate()


def settle(milliseconds: int = 300) -> None:
    end = time.monotonic() + milliseconds / 1000
    spin(lambda: time.monotonic() > end, milliseconds / 1000 + 1)


def all_sharp(view: Any) -> bool:
    canvas = view.canvas()
    return all(canvas.page_is_sharp(page) for page in canvas.visible_pages())


def open_view(client: Any, name: str, size: tuple[int, int] = SIZE) -> Any:
    from ecip_reader.ui.reader.view import DocumentView

    view = DocumentView(client, LIBRARY / name, Path(name).stem, Path(name).stem)
    view.resize(*size)
    view.show()
    spin(lambda: view.page_count() > 0)
    return view


def shoot(out: Path) -> int:
    from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
    from PySide6.QtGui import QImage, QMouseEvent, QPainter
    from PySide6.QtWidgets import QApplication

    from ecip_reader.ui.present.window import PresentationWindow
    from ecip_reader.ui.render.client import RenderClient

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    out.mkdir(parents=True, exist_ok=True)
    client = RenderClient()
    try:
        # Outline beside page 2, thumbnails beside page 4: two halves of one picture.
        halves = []
        for tab, page in ((0, 2), (1, 4)):
            view = open_view(client, READING, (SIZE[0] // 2, SIZE[1]))
            view.show_side_panel(True)
            view.side_panel.setCurrentIndex(tab)
            spin(view.side_panel.has_outline)
            view.set_zoom("fit-width")
            view.go_to_page(page)
            panel = view.side_panel
            spin(
                lambda v=view, p=panel, t=tab: (
                    all_sharp(v) and (t == 0 or all(p.thumbs.has_thumbnail(i) for i in range(4)))
                )
            )
            settle()
            halves.append(view.grab().toImage())
            view.close_document()
            view.close()
        joined = QImage(SIZE[0], SIZE[1], QImage.Format.Format_RGB32)
        painter = QPainter(joined)
        painter.drawImage(0, 0, halves[0])
        painter.drawImage(SIZE[0] // 2, 0, halves[1])
        painter.end()
        joined.save(str(out / "reading-outline-thumbnails.png"))

        view = open_view(client, READING)
        view.show_side_panel(True)
        view.set_zoom(1.25)
        view.open_find()
        view.find_bar.edit.setText("patient")
        found = view.find_controller()
        found.search("patient", False, False)
        spin(found.finished)
        found.next_match()
        spin(lambda: all_sharp(view))
        settle()
        view.grab().save(str(out / "reading-find.png"))
        view.find_bar.close_bar()

        view.set_night_mode("invert")
        view.set_zoom("fit-width")
        view.go_to_page(3)
        spin(lambda: all_sharp(view))
        settle()
        view.grab().save(str(out / "reading-night.png"))
        view.close_document()
        view.close()

        slides = open_view(client, SLIDES, (800, 600))
        slides.go_to_page(4)
        window = PresentationWindow(slides._remote, 3, "slides")
        window.showNormal()
        window.setGeometry(0, 0, 1600, 900)
        window._request()
        spin(lambda: window._remote.image(3, window._device_width(3)) is not None)
        window.set_tool("spotlight")
        spot = QPoint(560, 430)
        move = QMouseEvent(
            QEvent.Type.MouseMove,
            QPointF(spot),
            QPointF(spot),
            Qt.MouseButton.NoButton,
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(window, move)
        settle()
        window.grab().save(str(out / "presentation-spotlight.png"))
        window.finish()
        slides.close_document()
        slides.close()
    finally:
        client.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs"))
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="ecip-shots-") as scratch:
        os.environ["ECIP_READER_HOME"] = scratch
        return shoot(Path(args.out))


if __name__ == "__main__":
    sys.exit(main())
