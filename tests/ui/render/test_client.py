"""No document can hold up the others: slow pages, slow opens, named pipes and crashes."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.pdf.job_status import JobKind
from ecip_reader.ui.reader.view import DocumentView
from ecip_reader.ui.render.client import RenderClient, WorkerTiming
from tests.support.pdfs import write_long_pdf
from tests.support.reading import WAIT

pytestmark = pytest.mark.slow


def open_view(qtbot: QtBot, client: RenderClient, path: Path) -> DocumentView:
    view = DocumentView(client, path, path.stem, path.stem.replace("-", " ").title())
    qtbot.addWidget(view)
    view.resize(640, 560)
    view.show()
    return view


def sharp_view(qtbot: QtBot, client: RenderClient, path: Path) -> DocumentView:
    view = DocumentView(client, path, path.stem, path.stem.replace("-", " ").title())
    qtbot.addWidget(view)
    view.resize(640, 560)
    with qtbot.waitSignal(view.first_page_sharp, timeout=WAIT):
        view.show()
    return view


def all_sharp(view: DocumentView) -> bool:
    canvas = view.canvas()
    pages = canvas.visible_pages()
    return len(pages) > 0 and all(canvas.page_is_sharp(page) for page in pages)


def drawing(client: RenderClient, path: Path) -> bool:
    """Whether a worker is drawing a page of ``path`` and nothing else right now."""
    return [(doc.path, kind) for doc, kind in client.busy_with()] == [(path, JobKind.PAGE)]


def failures(view: DocumentView) -> list[str]:
    messages: list[str] = []
    view.failed.connect(messages.append)
    return messages


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.fixture
def timed_client(qtbot: QtBot) -> Iterator[list[RenderClient]]:
    """Clients made by a test with its own timing, closed at its end."""
    made: list[RenderClient] = []
    yield made
    for client in made:
        client.close()


def make_client(made: list[RenderClient], **timing: float) -> RenderClient:
    client = RenderClient(timing=WorkerTiming(tick=0.1, **timing))  # type: ignore[arg-type]
    made.append(client)
    return client


def test_a_page_that_inflates_to_a_gigabyte_keeps_other_documents_drawing(
    qtbot: QtBot, timed_client: list[RenderClient], small_library: Catalogue, inflating_pdf: Path
) -> None:
    client = make_client(timed_client, move_after=1.0, budget=6.0)
    other = sharp_view(qtbot, client, small_library.path_of(small_library.get("perfect-week")))
    other_failures = failures(other)
    shared = client.worker_pid()
    assert shared is not None
    started = time.monotonic()
    heavy = open_view(qtbot, client, inflating_pdf)
    heavy_failures = failures(heavy)
    qtbot.waitUntil(lambda: drawing(client, inflating_pdf), timeout=WAIT)
    # The busy worker keeps the heavy document; the other goes on in a new shared worker.
    qtbot.waitUntil(lambda: client.worker_pid() != shared, timeout=WAIT)
    assert client.worker_pid_of(heavy._remote) == shared
    assert os.getpriority(os.PRIO_PROCESS, shared) > os.getpriority(os.PRIO_PROCESS, 0)
    other.set_zoom(1.6)
    qtbot.waitUntil(lambda: all_sharp(other), timeout=WAIT)
    other.go_to_page(3)
    qtbot.waitUntil(lambda: all_sharp(other), timeout=WAIT)
    assert heavy_failures == []  # drawn meanwhile, in its own worker
    # Past the budget the heavy document gives up with one sentence; its worker goes away.
    qtbot.waitUntil(lambda: bool(heavy_failures), timeout=WAIT)
    assert heavy_failures == [
        "heavy-drawing.pdf is too slow to draw: page 1 took more than 6 seconds."
    ]
    assert time.monotonic() - started >= 6.0  # not before its budget
    qtbot.waitUntil(lambda: gone(shared), timeout=WAIT)
    assert client.busy_with() == []
    other.set_zoom(0.8)
    qtbot.waitUntil(lambda: all_sharp(other), timeout=WAIT)
    assert other_failures == []


def test_without_a_spare_worker_the_budget_restarts_the_worker_and_the_others_stay_put(
    qtbot: QtBot, timed_client: list[RenderClient], tmp_path: Path, inflating_pdf: Path
) -> None:
    client = make_client(timed_client, move_after=1.0, budget=3.0, own_workers=0)
    report = sharp_view(qtbot, client, write_long_pdf(tmp_path / "flow-report.pdf", 30))
    report.set_zoom(1.25)
    report.go_to_page(12)
    qtbot.waitUntil(lambda: all_sharp(report), timeout=WAIT)
    where = report.state()
    old = client.worker_pid()
    heavy = open_view(qtbot, client, inflating_pdf)
    heavy_failures = failures(heavy)
    with qtbot.waitSignal(client.worker_restarted, timeout=WAIT):
        pass
    assert heavy_failures == [
        "heavy-drawing.pdf is too slow to draw: page 1 took more than 3 seconds."
    ]
    assert client.worker_pid() not in (None, old)
    # The report was opened again in the new worker, on the same page at the same zoom.
    qtbot.waitUntil(lambda: report.page_count() == 30 and all_sharp(report), timeout=WAIT)
    assert report.state() == where
    report.set_zoom(0.9)
    qtbot.waitUntil(lambda: all_sharp(report), timeout=WAIT)
    assert report.current_page() == 12


def test_a_document_too_slow_to_open_is_given_up_after_the_budget(
    qtbot: QtBot, timed_client: list[RenderClient], small_library: Catalogue, slow_to_open_pdf: Path
) -> None:
    client = make_client(timed_client, move_after=1.0, budget=3.0)
    other = sharp_view(qtbot, client, small_library.path_of(small_library.get("perfect-week")))
    slow = open_view(qtbot, client, slow_to_open_pdf)
    with qtbot.waitSignal(slow.failed, timeout=WAIT) as blocker:
        pass
    assert blocker.args == [
        "endless-lines.pdf is too slow to open: reading it took more than 3 seconds."
    ]
    assert slow.page_count() == 0
    other.set_zoom(1.4)
    qtbot.waitUntil(lambda: all_sharp(other), timeout=WAIT)


def test_a_named_pipe_called_x_pdf_is_refused_at_once(
    qtbot: QtBot, client: RenderClient, small_library: Catalogue, tmp_path: Path
) -> None:
    fifo = tmp_path / "x.pdf"
    os.mkfifo(fifo)  # opening it to read would wait for a writer for ever
    first = sharp_view(qtbot, client, small_library.path_of(small_library.get("perfect-week")))
    pid = client.worker_pid()
    pipe = open_view(qtbot, client, fifo)
    with qtbot.waitSignal(pipe.failed, timeout=WAIT) as blocker:
        pass
    assert blocker.args == ["x.pdf is a named pipe, not a file."]
    assert client.worker_pid() == pid  # refused before opening: nothing had to be stopped
    first.set_zoom(1.5)
    qtbot.waitUntil(lambda: all_sharp(first), timeout=WAIT)
    later_path = small_library.path_of(small_library.get("breaking-the-cycle"))
    later = sharp_view(qtbot, client, later_path)
    assert all_sharp(later)


def test_a_crash_is_blamed_only_on_the_document_being_drawn(
    qtbot: QtBot, timed_client: list[RenderClient], small_library: Catalogue, inflating_pdf: Path
) -> None:
    # No worker of its own and no budget to speak of: the heavy page holds the one worker.
    client = make_client(timed_client, move_after=600.0, budget=600.0, own_workers=0)
    first = sharp_view(qtbot, client, small_library.path_of(small_library.get("perfect-week")))
    second = sharp_view(
        qtbot, client, small_library.path_of(small_library.get("discharge-to-assess"))
    )
    others_failed = failures(first) + failures(second)
    heavy = open_view(qtbot, client, inflating_pdf)
    heavy_failures = failures(heavy)
    for crash in (1, 2):
        qtbot.waitUntil(lambda: drawing(client, inflating_pdf), timeout=WAIT)
        # Both other documents now wait for pages the worker has not drawn yet.
        first.set_zoom(1.1 + crash / 10)
        second.set_zoom(0.7 + crash / 10)
        qtbot.wait(300)
        assert not all_sharp(first) and not all_sharp(second)
        pid = client.worker_pid()
        assert pid is not None
        with qtbot.waitSignal(client.worker_restarted, timeout=WAIT):
            os.kill(pid, signal.SIGKILL)  # as if MuPDF had crashed on the heavy page
    assert heavy_failures == [
        "heavy-drawing.pdf could not be shown: the page renderer stopped twice while drawing it."
    ]
    # The two others were reopened each time and draw what they were waiting for.
    qtbot.waitUntil(lambda: all_sharp(first) and all_sharp(second), timeout=WAIT)
    assert others_failed == []


def test_a_worker_that_stops_reading_its_requests_is_replaced_and_nobody_is_blamed(
    qtbot: QtBot, timed_client: list[RenderClient], small_library: Catalogue
) -> None:
    client = make_client(timed_client, move_after=3.0, budget=5.0)
    remote = client.open_document(small_library.path_of(small_library.get("perfect-week")))
    messages: list[str] = []
    remote.failed.connect(messages.append)
    with qtbot.waitSignal(remote.outline_ready, timeout=WAIT):
        pass  # opened, and nothing left to do
    qtbot.waitUntil(lambda: client.busy_with() == [], timeout=WAIT)
    pid = client.worker_pid()
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)  # stopped between two jobs, as a hung start would be
    try:
        with qtbot.waitSignal(client.worker_restarted, timeout=WAIT):
            remote.request_pages([(1, 400, 1.0)])  # a request it will never read
    finally:
        with contextlib.suppress(ProcessLookupError):  # it was killed, as it should be
            os.kill(pid, signal.SIGCONT)
    assert client.worker_pid() not in (None, pid)
    with qtbot.waitSignal(remote.opened, timeout=WAIT):
        pass  # opened again in the new worker
    remote.request_pages([(1, 400, 1.0)])
    qtbot.waitUntil(lambda: remote.image(1, 400) is not None, timeout=WAIT)
    assert messages == []


def test_an_image_being_printed_is_drawn_by_the_new_worker_after_a_crash(
    qtbot: QtBot, client: RenderClient, small_library: Catalogue
) -> None:
    remote = client.open_document(small_library.path_of(small_library.get("perfect-week")))
    with qtbot.waitSignal(remote.outline_ready, timeout=WAIT):
        pass
    pid = client.worker_pid()
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)
    with qtbot.waitSignal(remote.image_ready, timeout=WAIT) as blocker:
        req_id = remote.request_image(1, 0.5)
        os.kill(pid, signal.SIGKILL)
    assert blocker.args[0] == req_id
    assert (blocker.args[1].width(), blocker.args[1].height()) == (298, 421)


def test_pages_still_arrive_without_shared_memory(
    qtbot: QtBot, small_library: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_shared_memory(size: int = 0) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("ecip_reader.ui.render.worker_link.create_segment", no_shared_memory)
    client = RenderClient()
    try:
        view = sharp_view(
            qtbot, client, small_library.path_of(small_library.get("discharge-to-assess"))
        )
        image = view.canvas().viewport().grab().toImage()
        dark = sum(
            1
            for y in range(0, image.height(), 3)
            for x in range(0, image.width(), 3)
            if image.pixelColor(x, y).lightness() < 100
        )
        assert dark > 50
        view.close_document()
    finally:
        client.close()


def test_when_no_worker_can_be_started_the_documents_say_so_and_a_later_open_works(
    qtbot: QtBot, small_library: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ecip_reader.ui.render import client as client_module

    refuse = [False]

    class Refused(client_module.WorkerLink):
        def __init__(self, *args: Any) -> None:
            if refuse[0]:
                raise OSError(12, "Cannot allocate memory")  # as fork() says when memory is short
            super().__init__(*args)

    monkeypatch.setattr(client_module, "WorkerLink", Refused)
    client = RenderClient()
    try:
        view = sharp_view(qtbot, client, small_library.path_of(small_library.get("perfect-week")))
        pid = client.worker_pid()
        assert pid is not None
        refuse[0] = True
        with qtbot.waitSignal(view.failed, timeout=WAIT) as blocker:
            os.kill(pid, signal.SIGKILL)
        assert blocker.args == [
            "perfect-week.pdf could not be shown: the page renderer could not be started."
        ]
        later = open_view(qtbot, client, small_library.path_of(small_library.get("perfect-week")))
        with qtbot.waitSignal(later.failed, timeout=WAIT) as blocker:
            pass
        assert blocker.args == [
            "perfect-week.pdf could not be shown: the page renderer could not be started."
        ]
        refuse[0] = False
        again = sharp_view(qtbot, client, small_library.path_of(small_library.get("perfect-week")))
        assert all_sharp(again)
    finally:
        client.close()
