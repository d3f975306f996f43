"""Screenshots of the main window for the documentation, made offscreen.

    python packaging/screenshots.py [--out docs] [--home DIR]

Builds the real window at 1400×900 over the bundled library (or the one named
by ECIP_READER_LIBRARY) and saves:

* ``main-library-light.png`` and ``main-library-dark.png`` — the start view;
* ``search-results.png`` — results for a query beside the library;
* ``document-open.png`` — a document opened from a search hit;
* ``accessibility-keyboard.png`` and ``accessibility-high-contrast.png`` — at
  1366×768, find in a deck with the keyboard on "Next", and the library in the
  High contrast theme with the keyboard on a card.

User data goes to a temporary folder (or ``--home``, to keep the search index
between runs), never to the real home.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SIZE = (1400, 900)
QUERY = "discharge to assess"
LAPTOP = (1366, 768)
DECK = "event-operations-delivery-nhse"
READ = (("northern-devon-perfect-week", 3), ("sw-discharge-to-assess", 2), ("btc-ipswich", 5))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "docs"))
    parser.add_argument(
        "--home", help="keep user data and caches here (default: a temporary folder)"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="ecip-shots-") as scratch:
        os.environ["ECIP_READER_HOME"] = args.home or scratch
        return shoot(Path(args.out))


def shoot(out: Path) -> int:
    from ecip_reader import app as application
    from ecip_reader.app.selftest import wait_for
    from ecip_reader.paths import AppPaths

    out.mkdir(parents=True, exist_ok=True)
    paths = AppPaths.from_environment()
    paths.ensure()
    seed_history(paths)
    running = application.start(paths)
    window = running.window
    window.resize(*SIZE)
    window.set_theme("light")
    wait_for(running.watcher.painted, 30, lambda: running.watcher.first_paint_ms is not None)
    running.after_first_paint()
    host = running.services.search
    thumbs = window.thumbnails
    wait_for(thumbs.finished, 120, lambda: not thumbs.missing())
    wait_for(host.state_changed, 600, lambda: host.state != "preparing")

    def save(name: str) -> None:
        settle(window)
        window.grab().save(str(out / name))
        print(out / name)

    window.tabs.setCurrentIndex(0)
    window.library.select("sw-discharge-to-assess")
    window.library.grid.scrollToTop()
    save("main-library-light.png")
    window.set_theme("dark")
    save("main-library-dark.png")
    window.set_theme("light")

    panel = window.search_panel
    panel.set_query(QUERY)
    panel.search_now()
    wait_for(panel.results_shown, 30, lambda: panel.response is not None)
    save("search-results.png")

    if panel.model.hits:
        panel.next_hit()
        view = window.tabs.current_view()
        if view is not None:
            wait_for((view.first_page_sharp, view.failed), 30)
        settle(window, 0.8)
        save("document-open.png")
    shoot_accessibility(window, save)
    window.close()
    running.shutdown()
    return 0


def shoot_accessibility(window: Any, save: Callable[[str], None]) -> None:
    """The keyboard in find, and High contrast, on a laptop-sized window."""
    from PySide6.QtCore import Qt

    from ecip_reader.app.selftest import wait_for

    window.resize(*LAPTOP)
    window.activateWindow()
    window.open_document(DECK, 3)
    view = window.tabs.current_view()
    if view is not None:
        wait_for((view.first_page_sharp, view.failed), 30)
        view.set_zoom("fit-width")
        view.open_find()
        view.find_bar.edit.setText("discharge")
        found = view.find_controller()
        found.search("discharge", False, False)
        deadline = time.monotonic() + 30
        while not found.finished() and time.monotonic() < deadline:
            settle(window, 0.05)
        found.next_match()
        view.find_bar.next_button.setFocus(Qt.FocusReason.TabFocusReason)
        settle(window, 0.8)
        save("accessibility-keyboard.png")
    window.tabs.setCurrentIndex(0)
    window.set_theme("high-contrast")
    window.library.select(DECK)
    window.library.grid.setFocus(Qt.FocusReason.TabFocusReason)
    save("accessibility-high-contrast.png")
    window.set_theme("light")


def seed_history(paths: object) -> None:
    """A few documents read earlier, so the "Continue reading" strip has something to show."""
    from ecip_reader.userdata.reading_history import ReadingHistory

    history = ReadingHistory.for_paths(paths)  # type: ignore[arg-type]
    for doc_id, page in READ:
        history.record(doc_id, {"page": page, "zoom": "fit-width", "offset": 0.0})
        time.sleep(0.01)
    history.save()


def settle(window: object, seconds: float = 0.3) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
