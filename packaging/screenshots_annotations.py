"""Screenshots of notes and bookmarks for the documentation, made offscreen.

    python packaging/screenshots_annotations.py [--out docs]

Builds the real window over the bundled library with the notes feature wired
in, opens a case study, marks a few passages (highlights in two colours, an
underline, a strike-through and a sticky note) and bookmarks three pages,
then saves:

* ``annotations-highlights.png`` — the page with its notes, one selected;
* ``annotations-panel.png`` — the notes panel beside the page;
* ``bookmarks.png`` — the bookmarks panel across the library.

User data goes to a temporary folder, never to the real home.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
from pathlib import Path

SIZE = (1400, 900)
DOCUMENT = "northern-devon-perfect-week"
OTHER = "sw-discharge-to-assess"
# (passage on page 1, kind, colour, note)
MARKS = (
    ("three Perfect Week initiatives", "highlight", "yellow", "Ask how the weeks were chosen."),
    ("tackle pressures on patient", "underline", "blue", ""),
    ("making the Perfect Week way of", "highlight", "green", ""),
    ("Perfect Week as an occasional", "strike-through", "red", "Not an event: the normal way."),
)


def find_phrase(words: list[tuple[object, ...]], phrase: str) -> tuple[int, int] | None:
    """The first and last index of ``phrase``'s words in a page's word list."""
    wanted = phrase.split()
    texts = [str(w[4]) for w in words]
    for start in range(len(texts) - len(wanted) + 1):
        if texts[start : start + len(wanted)] == wanted:
            return start, start + len(wanted) - 1
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "docs"))
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="ecip-shots-") as scratch:
        os.environ["ECIP_READER_HOME"] = scratch
        return shoot(Path(args.out))


def shoot(out: Path) -> int:
    from PySide6.QtCore import Qt

    from ecip_reader import app as application
    from ecip_reader.app.selftest import wait_for
    from ecip_reader.paths import AppPaths
    from ecip_reader.ui.notes.panel import ALL_DOCUMENTS
    from ecip_reader.userdata import AnnotationKind, DocumentRef
    from ecip_reader.userdata.anchoring import selection_from_words

    out.mkdir(parents=True, exist_ok=True)
    paths = AppPaths.from_environment()
    paths.ensure()
    running = application.start(paths)
    window = running.window
    window.resize(*SIZE)
    window.set_theme("light")
    wait_for(running.watcher.painted, 30, lambda: running.watcher.first_paint_ms is not None)
    running.attach_notes()  # as after the first paint; made once
    feature = running.notes
    if feature is None:
        print("the notes could not be opened", file=sys.stderr)
        return 1
    catalogue = running.services.catalogue
    if catalogue is None:
        print("the bundled library could not be loaded", file=sys.stderr)
        return 1

    def ref(doc_id: str) -> DocumentRef:
        entry = catalogue.get(doc_id)
        return DocumentRef(entry.sha256, entry.id, entry.title)

    def save(name: str) -> None:
        settle()
        window.grab().save(str(out / name))
        print(out / name)

    window.open_document(DOCUMENT, 1)
    view = window.tabs.current_view()
    if view is None:
        print("the document could not be opened", file=sys.stderr)
        return 1
    wait_for((view.first_page_sharp, view.failed), 30)
    view.set_zoom(0.9)
    view.fetch_words(1)
    wait_for(view.words_ready, 30, lambda: view.words(1) is not None)
    words = list(view.words(1) or ())
    annotator = feature.annotator
    annotator.author = "Sam Example"
    document = ref(DOCUMENT)
    made = []
    for phrase, kind, colour, note in MARKS:
        span = find_phrase(words, phrase)
        if span is None:
            print(f"not on page 1: {phrase!r}", file=sys.stderr)
            continue
        anchor, quads = selection_from_words(words, *span)  # type: ignore[arg-type]
        made.append(
            annotator.add_markup(document, 1, AnnotationKind(kind), quads, anchor, colour, note)
        )
    sticky = annotator.add_sticky_note(
        document, 1, (470.0, 175.0), "Compare with our own weekly board round.", "pink"
    )
    annotator.add_bookmark(document, 1, "Why a Perfect Week")
    annotator.add_bookmark(document, 2, "What the wards changed")
    annotator.add_bookmark(ref(OTHER), 1, "Discharge to assess: the model")
    annotator.rename_colour("yellow", "To discuss")
    feature.controller.overlay(view).select(made[0].uuid)  # type: ignore[union-attr]
    save("annotations-highlights.png")

    feature.controller.action("annotations_panel").trigger()
    window.resizeDocks([feature.annotations_dock], [380], Qt.Orientation.Horizontal)
    feature.controller.overlay(view).select(sticky.uuid)  # type: ignore[union-attr]
    save("annotations-panel.png")

    feature.annotations_dock.hide()
    feature.controller.action("bookmarks_panel").trigger()
    feature.bookmarks_panel.set_scope(ALL_DOCUMENTS)
    window.resizeDocks([feature.bookmarks_dock], [380], Qt.Orientation.Horizontal)
    save("bookmarks.png")

    window.close()
    feature.close()
    running.shutdown()
    return 0


def settle(seconds: float = 0.8) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
