"""Screenshots of the session plan and the presenter console for the documentation.

    python packaging/screenshots_teach.py [--out docs] [--real]

Builds the real window over the bundled library, makes a session plan of six
stops across three documents (pages, a highlighted passage, trainer's notes),
then saves:

* ``session-plan.png`` — the reader with the Session Plan panel;
* ``presenter-console.png`` — the presenter console on the laptop while the
  plan is presented on the projector (the stop enlarged on its highlight);
* ``presentation-projector.png`` — what the projector shows at that moment.

Without ``--real`` it runs offscreen with two screens, a 1366 × 768 laptop and
a 1920 × 1080 projector. With ``--real`` it uses the display it is given (for
example two X screens of Xvfb). User data goes to a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import tempfile
from pathlib import Path

from screenshots_reading import settle as settle_reading
from screenshots_reading import spin

LAPTOP = (1366, 768)
PROJECTOR = (1920, 1080)
DECK = "event-breaking-the-cycle-together"
CASE = "northern-devon-perfect-week"
D2A = "sw-discharge-to-assess"
HIGHLIGHT = "three Perfect Week initiatives"
# (document, page, note); the second stop is made from a highlight instead
STOPS = (
    (DECK, 1, "Welcome. Ask: what would a perfect week look like on your ward?"),
    (CASE, 1, ""),
    (D2A, 2, "Home first: who decides the pathway, and when?"),
    (DECK, 4, ""),
    (CASE, 2, "What did the wards change on the Monday?"),
    (D2A, 3, ""),
)


def settle(milliseconds: int = 600) -> None:
    """Let the window work for ``milliseconds`` (longer than the reading pictures need)."""
    settle_reading(milliseconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "docs"))
    parser.add_argument("--real", action="store_true", help="use the display as it is")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ecip-shots-") as scratch:
        os.environ["ECIP_READER_HOME"] = str(Path(scratch) / "home")
        if not args.real:
            config = Path(scratch) / "screens.json"
            screens = [
                {"name": "Laptop", "x": 0, "y": 0, "width": LAPTOP[0], "height": LAPTOP[1]},
                {
                    "name": "HDMI-1",
                    "x": LAPTOP[0],
                    "y": 0,
                    "width": PROJECTOR[0],
                    "height": PROJECTOR[1],
                },
            ]
            config.write_text(json.dumps({"screens": screens}), encoding="utf-8")
            os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
        return shoot(Path(args.out))


def shoot(out: Path) -> int:
    from PySide6.QtCore import Qt

    from ecip_reader import app as application
    from ecip_reader.app.selftest import wait_for
    from ecip_reader.paths import AppPaths
    from ecip_reader.userdata import AnnotationKind, DocumentRef
    from ecip_reader.userdata.anchoring import selection_from_words

    out.mkdir(parents=True, exist_ok=True)
    paths = AppPaths.from_environment()
    paths.ensure()
    running = application.start(paths)
    window = running.window
    window.set_theme("light")
    laptop = window.screen()
    window.setGeometry(laptop.availableGeometry())
    wait_for(running.watcher.painted, 30, lambda: running.watcher.first_paint_ms is not None)
    running.attach_notes()
    notes, plans = running.notes, running.sessions
    catalogue = running.services.catalogue
    if notes is None or plans is None or catalogue is None:
        print("the notes, the session plans or the library could not be opened", file=sys.stderr)
        return 1
    notes.annotator.author = "Sam Example"

    def ref(doc_id: str) -> DocumentRef:
        entry = catalogue.get(doc_id)
        return DocumentRef(entry.sha256, entry.id, entry.title)

    window.open_document(CASE, 1)
    view = window.tabs.current_view()
    if view is None:
        print("the case study could not be opened", file=sys.stderr)
        return 1
    wait_for((view.first_page_sharp, view.failed), 30)
    view.fetch_words(1)
    spin(lambda: view.words(1) is not None)
    words = [str(w[4]) for w in view.words(1) or ()]
    wanted = HIGHLIGHT.split()
    start = next(i for i in range(len(words)) if words[i : i + len(wanted)] == wanted)
    anchor, quads = selection_from_words(list(view.words(1) or ()), start, start + len(wanted) - 1)  # type: ignore[arg-type]
    mark = notes.annotator.add_markup(
        ref(CASE), 1, AnnotationKind.HIGHLIGHT, quads, anchor, "yellow", "Why three, and why then?"
    )
    plan = plans.editor.create("Ward 7 — session 2")
    plans.panel.refresh()
    plans.panel.choose_plan(plan.uuid)
    for doc_id, page, note in STOPS:
        if doc_id == CASE and page == 1:
            plans.add_annotation(mark, ref(CASE))
        else:
            plans.add_stop(ref(doc_id), page, note=note)
    window.open_document(D2A, 2)
    plans.actions["session_panel"].trigger()
    plans.panel.list.setCurrentIndex(plans.panel.model.index(1))
    spin(lambda: not window.work.text(), 120)  # covers and search ready: a quiet status bar
    settle(1500)
    window.grab().save(str(out / "session-plan.png"))
    print(out / "session-plan.png")

    presented = plans.present(plan.uuid, 1)
    if presented is None or plans.running is None:
        print("the session plan could not be presented", file=sys.stderr)
        return 1
    presenter, _run = plans.running
    console = presenter.console
    spin(lambda: presented.zoom_image() is not None)
    spin(lambda: console is not None and console.next_view.image is not None)
    if console is None:
        print("no second screen: the console was not shown", file=sys.stderr)
        return 1
    console.strip.request_visible()
    settle(2000)
    console.refresh()
    settle(500)
    console.grab().save(str(out / "presenter-console.png"))
    projected = (
        presented.grab().toImage().scaledToWidth(1280, Qt.TransformationMode.SmoothTransformation)
    )
    projected.save(str(out / "presentation-projector.png"))
    print(out / "presenter-console.png")
    print(out / "presentation-projector.png")
    presented.finish()
    settle()
    window.close()
    running.shutdown()
    return 0


if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
