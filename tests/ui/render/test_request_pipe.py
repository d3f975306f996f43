"""The pipes to the render worker: the window never waits for the worker, whatever it does."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest
from pytestqt.qtbot import QtBot

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.ui.render.client import RenderClient, WorkerTiming
from tests.support.reading import WAIT
from tests.support.render_stubs import FLOOD, flood_then_listen

pytestmark = pytest.mark.slow


def test_the_window_never_waits_for_a_worker_that_stops_reading(
    qtbot: QtBot, client: RenderClient, small_library: Catalogue
) -> None:
    doc = client.open_document(small_library.path_of(small_library.get("perfect-week")))
    with qtbot.waitSignal(doc.outline_ready, timeout=WAIT):
        pass  # opened, and the worker has nothing left to do
    pid = client.worker_pid()
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)  # as if it were stuck on one very long page
    # Should the window wait for the pipe after all, let it go after a while.
    resume = threading.Timer(15, os.kill, (pid, signal.SIGCONT))
    resume.start()
    longest = 0.0
    try:
        for number in range(2_000):  # a user scrolling and zooming: each wish a new batch
            started = time.perf_counter()
            doc.request_pages([(number % 3, 200 + number, 1.0)])
            longest = max(longest, time.perf_counter() - started)
    finally:
        resume.cancel()
        os.kill(pid, signal.SIGCONT)
    # Never the seconds of a full pipe (the event loop's own stalls are measured by the bench).
    assert longest < 1.0
    # Once the worker reads again it draws the newest wish.
    qtbot.waitUntil(lambda: doc.image(1_999 % 3, 2_199) is not None, timeout=WAIT)
    assert client.worker_pid() == pid


def test_releasing_page_samples_never_deadlocks_with_a_worker_that_is_sending(
    qtbot: QtBot, small_library: Catalogue
) -> None:
    """The worker sends thousands of pages before it reads again; the window takes them all."""
    # It reads nothing while it sends: give it all the time it needs.
    client = RenderClient(timing=WorkerTiming(budget=120.0), serve=flood_then_listen)
    pid = client.worker_pid()
    assert pid is not None
    # Should both sides wait for each other, end it after a while instead of hanging.
    breaker = threading.Timer(30, os.kill, (pid, signal.SIGKILL))
    breaker.start()
    try:
        doc = client.open_document(small_library.path_of(small_library.get("perfect-week")))
        with qtbot.waitSignal(doc.outline_ready, timeout=WAIT) as blocker:
            pass
        assert blocker.args == [((1, f"released {FLOOD}", 1),)]
    finally:
        breaker.cancel()
        client.close()
