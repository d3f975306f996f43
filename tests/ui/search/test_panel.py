"""The search panel on its own, with a scripted search function standing in for the index,
and in the window over the real index when that index is damaged."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLayout, QToolButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.search.results import (
    DocumentHit,
    PageHit,
    SearchResponse,
    empty_facets,
    message_response,
)
from ecip_reader.search.service import DAMAGED_MESSAGE, bundled_index_dir
from ecip_reader.ui.search.host import REBUILD_FAILED_TEXT, SearchHost
from ecip_reader.ui.search.panel import DEBOUNCE_MS, SearchPanel
from ecip_reader.ui.search.results import HtmlRole
from ecip_reader.ui.tasks import ImmediateTaskRunner, TaskRunner
from tests.support.window import WAIT, open_session


def page(number: int, *parts: str) -> PageHit:
    """Snippet parts; words in [brackets] are the matched ones."""
    return PageHit(number, tuple((p.strip("[]"), p.startswith("[")) for p in parts))


def response(query: str, **changes: object) -> SearchResponse:
    base = SearchResponse(
        query=query,
        took_ms=12.0,
        total_documents=2,
        suggestion=None,
        fallback_or=False,
        message=None,
        results=(
            DocumentHit(
                "discharge-to-assess",
                "Discharge to Assess",
                "case-study",
                "South Warwickshire NHS Foundation Trust",
                3.0,
                (
                    page(2, "Assessment at ", "[home]", ", not on a ward."),
                    page(1, "moves people ", "[home]"),
                ),
            ),
            DocumentHit(
                "perfect-week",
                "Making every week a Perfect Week",
                "case-study",
                "Northern Devon Healthcare NHS Trust",
                1.0,
                (page(3, "kept the way of working at ", "[home]"),),
            ),
        ),
        facets={
            **empty_facets(),
            "kind": {"case-study": 2, "presentation": 1},
            "organisation": {"NHS England": 1},
        },
        highlight_terms=("home",),
    )
    return SearchResponse(**{**base.__dict__, **changes})  # type: ignore[arg-type]


class Searcher:
    """Records every search and the thread it ran on; answers from a script."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, str]]] = []
        self.threads: set[int] = set()
        self.delay: dict[str, float] = {}
        self.answers: dict[str, SearchResponse] = {}

    def __call__(self, query: str, filters: Mapping[str, str]) -> SearchResponse:
        self.calls.append((query, dict(filters)))
        self.threads.add(threading.get_ident())
        time.sleep(self.delay.get(query, 0.0))
        return self.answers.get(query) or response(query)


@pytest.fixture
def tasks() -> Iterator[TaskRunner]:
    runner = TaskRunner(max_threads=2)
    yield runner
    runner.wait(10_000)


@pytest.fixture
def searcher() -> Searcher:
    return Searcher()


HOSTS: list[QWidget] = []


@pytest.fixture(autouse=True)
def _forget_hosts() -> Iterator[None]:
    yield
    HOSTS.clear()


def shown(qtbot: QtBot, panel: SearchPanel) -> SearchPanel:
    """Show the panel as it is in the window: inside a container, beside its field."""
    host = QWidget()
    layout = QVBoxLayout(host)
    # a top-level window whose size limits never change (the offscreen platform cannot)
    layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
    layout.addWidget(panel.field)
    layout.addWidget(panel)
    qtbot.addWidget(host)
    host.resize(420, 700)
    host.show()
    qtbot.waitExposed(host)
    HOSTS.append(host)  # qtbot holds widgets weakly; the test keeps its window alive
    return panel


@pytest.fixture
def panel(qtbot: QtBot, tasks: TaskRunner, searcher: Searcher) -> SearchPanel:
    made = shown(qtbot, SearchPanel(tasks))
    made.set_search_function(searcher)
    made.set_index_state("ready")
    return made


def test_typing_searches_once_after_a_pause_off_the_gui_thread(
    qtbot: QtBot, panel: SearchPanel, searcher: Searcher
) -> None:
    with qtbot.waitSignal(panel.results_shown, timeout=5000):
        qtbot.keyClicks(panel.field, "home")
    assert [c[0] for c in searcher.calls] == ["home"]  # one search for four key presses
    assert threading.get_ident() not in searcher.threads
    # grouped by document, best document first, its pages under it
    model = panel.model
    assert model.rowCount() == 2
    first = model.index(0, 0)
    assert "Discharge to Assess" in first.data(HtmlRole)
    assert model.rowCount(first) == 2
    assert "<b>home</b>" in model.index(0, 0, first).data(HtmlRole)
    assert "p. 2" in model.index(0, 0, first).data(HtmlRole)
    assert panel.status.text().endswith("2 documents, 3 pages · 12 ms")


def test_debounce_waits_for_the_pause(qtbot: QtBot, panel: SearchPanel, searcher: Searcher) -> None:
    panel.field.setText("ho")
    qtbot.wait(DEBOUNCE_MS // 2)
    assert searcher.calls == []
    with qtbot.waitSignal(panel.results_shown, timeout=5000):
        panel.field.setText("home")
    assert [c[0] for c in searcher.calls] == ["home"]


def test_an_older_answer_arriving_late_is_dropped(
    qtbot: QtBot, panel: SearchPanel, searcher: Searcher, tasks: TaskRunner
) -> None:
    searcher.delay["slow"] = 0.6
    searcher.answers["fast"] = response("fast", results=response("x").results[1:])
    panel.field.setText("slow")
    panel.search_now()
    qtbot.waitUntil(lambda: len(searcher.calls) == 1, timeout=5000)
    panel.field.setText("fast")
    panel.search_now()
    tasks.wait(5000)
    qtbot.wait(50)  # let both answers reach the GUI thread
    assert panel.response is not None and panel.response.query == "fast"
    assert panel.model.rowCount() == 1


def test_chips_narrow_the_results(qtbot: QtBot, panel: SearchPanel, searcher: Searcher) -> None:
    panel.field.setText("home")
    with qtbot.waitSignal(panel.results_shown, timeout=5000):
        panel.search_now()
    # one organisation only: nothing to narrow, so no chip for it
    assert panel.chip_texts() == ["Case study  2", "Presentation  1"]
    with qtbot.waitSignal(panel.results_shown, timeout=5000):
        panel.toggle_filter("kind", "presentation")
    assert searcher.calls[-1] == ("home", {"kind": "presentation"})
    with qtbot.waitSignal(panel.results_shown, timeout=5000):
        panel.toggle_filter("kind", "presentation")
    assert searcher.calls[-1] == ("home", {})


def test_did_you_mean_is_a_link_that_searches(
    qtbot: QtBot, panel: SearchPanel, searcher: Searcher
) -> None:
    searcher.answers["dischrge"] = response(
        "dischrge", results=(), suggestion="discharge", total_documents=0
    )
    panel.field.setText("dischrge")
    with qtbot.waitSignal(panel.results_shown, timeout=5000):
        panel.search_now()
    assert panel.suggestion.isVisible()
    assert "Did you mean" in panel.suggestion.text() and "discharge" in panel.suggestion.text()
    with qtbot.waitSignal(panel.results_shown, timeout=5000):
        panel.suggestion.linkActivated.emit("suggest")
    assert panel.field.text() == "discharge"
    assert searcher.calls[-1][0] == "discharge"


def test_a_correction_is_shown_and_the_words_as_typed_are_one_click_away(
    qtbot: QtBot, panel: SearchPanel, searcher: Searcher
) -> None:
    searcher.answers["dischage"] = response(
        "dischage", corrected_query="discharge", as_typed_query='"dischage"'
    )
    searcher.answers['"dischage"'] = response(
        '"dischage"', results=(), total_documents=0, suggestion="discharge"
    )
    panel.field.setText("dischage")
    with qtbot.waitSignal(panel.results_shown, timeout=5000):
        panel.search_now()
    assert panel.suggestion.isVisible()
    text = panel.suggestion.text()
    assert "Showing results for <i>discharge</i>" in text
    assert "Search for <a href" in text and "<i>dischage</i></a> instead" in text
    with qtbot.waitSignal(panel.results_shown, timeout=5000):
        panel.suggestion.linkActivated.emit("as-typed")
    assert searcher.calls[-1][0] == '"dischage"' and panel.field.text() == '"dischage"'
    # Searched as typed, nothing is found and the correction is offered back.
    assert "Did you mean" in panel.suggestion.text()


def test_documents_with_every_word_are_counted_and_the_others_say_what_they_miss(
    qtbot: QtBot, panel: SearchPanel, searcher: Searcher
) -> None:
    full, partial = response("x").results
    searcher.answers["home assessment"] = response(
        "home assessment",
        total_documents=2,
        all_words_documents=1,
        results=(full, DocumentHit(**{**partial.__dict__, "missing": ("assessment",)})),
    )
    panel.field.setText("home assessment")
    with qtbot.waitSignal(panel.results_shown, timeout=5000):
        panel.search_now()
    assert "1 document contains every word" in panel.status.text()
    model = panel.model
    assert "Missing" not in model.index(0, 0).data(HtmlRole)
    assert "Missing: <s>assessment</s>" in model.index(1, 0).data(HtmlRole)
    assert "missing assessment" in model.index(1, 0).data(Qt.ItemDataRole.AccessibleTextRole)


def test_status_says_when_it_fell_back_or_found_nothing(
    qtbot: QtBot, panel: SearchPanel, searcher: Searcher
) -> None:
    searcher.answers["home zebra"] = response("home zebra", fallback_or=True)
    searcher.answers["zebra"] = response("zebra", results=(), total_documents=0)
    panel.field.setText("home zebra")
    with qtbot.waitSignal(panel.results_shown, timeout=5000):
        panel.search_now()
    assert "any of them" in panel.status.text()
    panel.field.setText("zebra")
    with qtbot.waitSignal(panel.results_shown, timeout=5000):
        panel.search_now()
    assert panel.status.text() == "Nothing found for “zebra”."
    assert panel.model.rowCount() == 0


def test_while_the_index_is_prepared_the_query_waits(
    qtbot: QtBot, tasks: TaskRunner, searcher: Searcher
) -> None:
    panel = shown(qtbot, SearchPanel(tasks))
    panel.set_search_function(searcher)
    panel.set_index_state("preparing", "Search is being prepared… (2 of 3 documents read)")
    panel.field.setText("home")
    panel.search_now()
    assert searcher.calls == []
    assert "2 of 3 documents read" in panel.status.text()
    assert "as soon as it is ready" in panel.status.text()
    with qtbot.waitSignal(panel.results_shown, timeout=5000):
        panel.set_index_state("ready")
    assert [c[0] for c in searcher.calls] == ["home"]


def test_f3_walks_every_hit_and_wraps(qtbot: QtBot, panel: SearchPanel) -> None:
    panel.field.setText("home")
    with qtbot.waitSignal(panel.results_shown, timeout=5000):
        panel.search_now()
    opened: list[tuple[str, int, tuple[str, ...]]] = []
    panel.open_hit.connect(lambda d, p, t: opened.append((d, p, t)))
    for _ in range(4):
        assert panel.next_hit()
    assert [(d, p) for d, p, _ in opened] == [
        ("discharge-to-assess", 2),
        ("discharge-to-assess", 1),
        ("perfect-week", 3),
        ("discharge-to-assess", 2),
    ]
    assert opened[0][2] == ("home",)
    panel.previous_hit()
    assert opened[-1][:2] == ("perfect-week", 3)
    assert panel.tree.currentIndex().data(HtmlRole).count("p. 3") == 1


def test_clicking_a_page_hit_opens_it(qtbot: QtBot, panel: SearchPanel) -> None:
    panel.field.setText("home")
    with qtbot.waitSignal(panel.results_shown, timeout=5000):
        panel.search_now()
    doc = panel.model.index(1, 0)
    hit = panel.model.index(0, 0, doc)
    rect = panel.tree.visualRect(hit)
    with qtbot.waitSignal(panel.open_hit, timeout=2000) as blocker:
        qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == ["perfect-week", 3, ("home",)]
    # a document row opens at its best page
    rect = panel.tree.visualRect(panel.model.index(0, 0))
    with qtbot.waitSignal(panel.open_hit, timeout=2000) as blocker:
        qtbot.mouseClick(
            panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center() + QPoint(0, 0)
        )
    assert blocker.args == ["discharge-to-assess", 2, ("home",)]


def test_clearing_the_field_clears_the_results(qtbot: QtBot, panel: SearchPanel) -> None:
    panel.field.setText("home")
    with qtbot.waitSignal(panel.results_shown, timeout=5000):
        panel.search_now()
    with qtbot.waitSignal(panel.results_shown, timeout=2000):
        panel.field.clear()
    assert panel.model.rowCount() == 0
    assert panel.status.text().startswith("Type to search")


def test_more_filters_reveals_programme_and_organisation_chips(
    qtbot: QtBot, panel: SearchPanel, searcher: Searcher
) -> None:
    facets = {
        **empty_facets(),
        "kind": {"case-study": 2},
        "organisation": {"NHS England": 1, "South Warwickshire NHS Foundation Trust": 1},
    }
    searcher.answers["home"] = response("home", facets=facets)
    panel.field.setText("home")
    with qtbot.waitSignal(panel.results_shown, timeout=5000):
        panel.search_now()
    assert panel.chip_texts() == []  # one kind narrows nothing; organisations wait behind "More"
    more = panel.chips.findChild(QToolButton, "chipMore")
    assert more is not None and more.text() == "More filters…"
    more.click()
    assert panel.chip_texts() == ["NHS England  1", "South Warwickshire NHS Foundation Trust  1"]
    with qtbot.waitSignal(panel.results_shown, timeout=5000):
        panel.toggle_filter("organisation", "NHS England")
    assert searcher.calls[-1] == ("home", {"organisation": "NHS England"})
    assert "NHS England  1" in panel.chip_texts()


# -- in the window, over the real index -----------------------------------------------


def test_a_damaged_index_is_rebuilt_and_the_waiting_query_answered(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    session = open_session(qtbot, app_paths, small_library, tasks=TaskRunner(max_threads=2))
    host, window = session.services.search, session.window
    panel = window.search_panel
    try:
        qtbot.waitUntil(lambda: host.state != "preparing", timeout=WAIT * 2)
        assert host.state == "ready", host.text
        panel.field.setText("ward")
        with qtbot.waitSignal(panel.results_shown, timeout=WAIT):
            panel.search_now()
        assert panel.model.rowCount() >= 1
        # Something cuts the index files short while the window is open.
        index = bundled_index_dir(app_paths)
        damaged = [p for p in index.rglob("*") if p.is_file() and p.name != "manifest.json"]
        assert damaged
        for path in damaged:
            path.write_bytes(b"")
        seen: list[tuple[str, str]] = []
        host.state_changed.connect(lambda state, _text: seen.append((state, window.work.text())))
        panel.field.setText("discharge")
        panel.search_now()
        # The search that met the damage starts one rebuild; the query runs again after it.
        qtbot.waitUntil(lambda: ("ready", "") in seen, timeout=WAIT * 2)
        qtbot.waitUntil(lambda: panel.model.rowCount() >= 1, timeout=WAIT)
        assert seen[0] == ("preparing", "Search is being prepared…")
        assert [state for state, _ in seen] == ["preparing", "ready"]
        assert host.repairs == 1
        assert "damaged" not in panel.status.text()
        assert panel.response is not None and panel.response.query == "discharge"
        # Searching goes on as usual, without another rebuild.
        panel.field.setText("ward")
        with qtbot.waitSignal(panel.results_shown, timeout=WAIT):
            panel.search_now()
        assert panel.model.rowCount() >= 1
        assert host.repairs == 1
    finally:
        session.close()
        session.services.tasks.wait(WAIT)


class DamagedEveryTime:
    """A search service whose index is damaged again as soon as it is searched."""

    def __init__(self) -> None:
        self.damaged = False
        self.rebuilds = 0
        self.closed = False

    def status(self) -> str:
        return "broken" if self.damaged else "ready"

    def prepare(self, progress: object = None) -> None:
        if self.damaged:
            self.rebuilds += 1
            self.damaged = False

    def search(self, query: str, limit: int = 20, filters: object = None) -> SearchResponse:
        self.damaged = True
        return message_response(query, DAMAGED_MESSAGE)

    def close(self) -> None:
        self.closed = True


def test_one_rebuild_per_damage_and_no_endless_rebuilding(qtbot: QtBot) -> None:
    service = DamagedEveryTime()
    host = SearchHost(ImmediateTaskRunner(), lambda: service)  # type: ignore[arg-type, return-value]
    host.start()
    assert host.state == "ready"
    # Two searches in flight meet the same damage: one rebuild.
    host.search("ward", {})
    host.search("bay", {})
    qtbot.waitUntil(lambda: host.repairs == 1 and host.state == "ready", timeout=5000)
    qtbot.wait(50)
    assert service.rebuilds == 1
    # The rebuilt index is damaged before it answered anything: search stops there.
    host.search("ward", {})
    qtbot.waitUntil(lambda: host.state == "failed", timeout=5000)
    assert host.text == REBUILD_FAILED_TEXT
    assert (service.rebuilds, host.repairs, host.ready, service.closed) == (1, 1, False, True)
    host.close()
