"""The steps of ``ecip-reader self-test``, driving the real main window.

Each step waits for the signal that says it is done, with its own time limit,
so a broken installation is reported with the step that failed instead of
hanging. User settings and reading history are kept in a temporary folder;
the caches (search index, covers) are the user's own, so a second run is fast.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QTimer, SignalInstance

from ecip_reader import __version__
from ecip_reader.paths import AppPaths

STEPS = ("first_paint", "load_catalogue", "search", "open_document")


class StepFailed(Exception):
    def __init__(self, step: str, reason: str) -> None:
        super().__init__(reason)
        self.step = step


@dataclass
class SelfTestReport:
    timings_ms: dict[str, float] = field(default_factory=dict)
    failed_step: str | None = None
    error: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.failed_step is None

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "version": __version__,
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
            "failed_step": self.failed_step,
            "error": self.error,
            **self.details,
        }


def wait_for(
    signals: SignalInstance | Sequence[SignalInstance],
    timeout_s: float,
    done: Callable[[], bool] | None = None,
) -> bool:
    """Run the event loop until a signal fires (and ``done()`` holds), or the time is up."""
    signals = [signals] if isinstance(signals, SignalInstance) else list(signals)
    if done is not None and done():
        return True
    loop = QEventLoop()
    fired = {"ok": False}

    def finish(*_args: object) -> None:
        if done is None or done():
            fired["ok"] = True
            loop.quit()

    for signal in signals:
        signal.connect(finish)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(int(timeout_s * 1000))
    loop.exec()
    timer.stop()
    for signal in signals:
        signal.disconnect(finish)
    return fired["ok"]


def _peak_rss_mb() -> dict[str, float]:
    """Peak memory of this process and of its worker processes (empty on Windows)."""
    if sys.platform == "win32":  # no ``resource`` module there
        return {}
    import resource

    unit = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB elsewhere
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * unit / 2**20
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * unit / 2**20
    return {"gui": round(own, 1), "workers": round(children, 1)}


def run_self_test(
    paths: AppPaths, query: str, step_timeout_s: float, index_timeout_s: float
) -> SelfTestReport:
    from ecip_reader import app as application

    report = SelfTestReport()
    with tempfile.TemporaryDirectory(prefix="ecip-self-test-") as scratch:
        isolated = AppPaths(
            data=Path(scratch) / "data",
            cache=paths.cache,
            config=Path(scratch) / "config",
            policy_file=paths.policy_file,
            policy_named=paths.policy_named,
        )
        running: application.Running | None = None
        try:
            running = application.start(isolated)
            _steps(running, report, query, step_timeout_s, index_timeout_s)
        except StepFailed as exc:
            report.failed_step, report.error = exc.step, str(exc)
        finally:
            if running is not None:
                running.window.close()
                running.shutdown()
        report.details["peak_rss_mb"] = _peak_rss_mb()
    return report


def _steps(
    running: Any, report: SelfTestReport, query: str, step_timeout_s: float, index_timeout_s: float
) -> None:
    window = running.window
    watcher = running.watcher
    if not wait_for(watcher.painted, step_timeout_s, lambda: watcher.first_paint_ms is not None):
        raise StepFailed("first_paint", "The main window was not drawn in time.")
    report.timings_ms["first_paint"] = float(watcher.first_paint_ms)

    services = running.services
    report.timings_ms["load_catalogue"] = running.times.load_catalogue_ms
    if services.catalogue is None:
        raise StepFailed(
            "load_catalogue", services.catalogue_error or "The library could not be loaded."
        )
    if len(services.catalogue) == 0:
        raise StepFailed("load_catalogue", "The library holds no documents.")
    report.details["documents"] = len(services.catalogue)

    running.after_first_paint()
    report.details["notes"] = running.notes is not None
    host = services.search
    started = time.perf_counter()
    if not wait_for(host.state_changed, index_timeout_s, lambda: host.state != "preparing"):
        raise StepFailed("search", "The search index was not ready in time.")
    if host.state != "ready":
        raise StepFailed("search", host.text or "Search could not be prepared.")
    report.timings_ms["prepare_index"] = (time.perf_counter() - started) * 1000.0

    panel = window.search_panel
    panel.set_query(query)
    started = time.perf_counter()
    panel.search_now()
    if not wait_for(panel.results_shown, step_timeout_s, lambda: panel.response is not None):
        raise StepFailed("search", "The search did not answer in time.")
    report.timings_ms["search"] = (time.perf_counter() - started) * 1000.0
    response = panel.response
    if response is None or not panel.model.hits:
        raise StepFailed("search", f"The search for {query!r} found nothing.")
    report.details["search_hits"] = len(panel.model.hits)

    doc_id, page = panel.model.hits[0]
    failures: list[str] = []
    started = time.perf_counter()
    window.open_document(doc_id, page, panel.terms())
    view = window.tabs.current_view()
    if view is None:
        raise StepFailed("open_document", f"No page view opened for {doc_id}.")
    view.failed.connect(failures.append)
    sharp = wait_for((view.first_page_sharp, view.failed), step_timeout_s, lambda: True)
    if failures:
        raise StepFailed("open_document", failures[0])
    if not sharp:
        raise StepFailed("open_document", f"The first page of {doc_id} was not drawn in time.")
    report.timings_ms["open_document"] = (time.perf_counter() - started) * 1000.0
    report.details["opened"] = {"doc_id": doc_id, "page": page}
