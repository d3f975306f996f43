"""Find goes on where it stopped when the render worker is replaced in the middle of a search."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ecip_reader.pdf.render_protocol import FindHits
from ecip_reader.ui.render.client import RenderClient
from tests.support.pdfs import write_long_pdf
from tests.support.reading import WAIT, ViewMaker
from tests.ui.reader.test_find import find


@pytest.mark.slow
def test_a_search_goes_on_after_the_worker_is_replaced(
    qtbot: QtBot, make_view: ViewMaker, client: RenderClient, tmp_path: Path
) -> None:
    view = make_view(write_long_pdf(tmp_path / "long.pdf", 1500))  # "escalation" on 150 pages
    progress: list[tuple[int, int]] = []
    killed: list[int] = []

    def arrived(hits: FindHits) -> None:
        progress.append((hits.searched, hits.total))
        pid = client.worker_pid()
        if not killed and not hits.done and pid is not None:
            killed.append(pid)
            os.kill(pid, signal.SIGKILL)  # the worker dies with most of the search to do

    view._remote.find_hits.connect(arrived)
    with qtbot.waitSignal(client.worker_restarted, timeout=WAIT):
        find(qtbot, view, "escalation")
    qtbot.waitUntil(view.find_controller().finished, timeout=WAIT)
    assert killed and client.worker_pid() not in (None, killed[0])
    found = view.find_controller()
    # Every match once: none lost with the old worker, none counted twice by the new one.
    assert found.match_count() == 150
    assert view.find_bar.count_label.text() == "1 of 150"
    assert progress[0][0] < 1500 and progress[-1] == (1500, 1500)
    assert [searched for searched, _total in progress] == sorted(s for s, _t in progress)
    assert {total for _searched, total in progress} == {1500}
