"""The GUI side of the render workers: which process draws which document.

:class:`RenderClient` normally keeps one worker process (the shared worker)
for every open document. Each worker has a request writer thread and a reply
reader thread (:mod:`ecip_reader.ui.render.worker_link`), so the event loop
never waits for a worker; results reach the GUI thread through queued signals.

No document may hold up the others. While a worker has work, a timer reads
what it is doing (:mod:`ecip_reader.pdf.job_status`):

* a job of the shared worker that runs past ``move_after`` seconds gives its
  document a worker of its own: the busy process keeps that one document and
  goes on drawing it, at a lower priority, and the other documents are opened
  again, where they were, in a new shared worker;
* a job that runs past ``budget`` seconds stops its worker; its document is
  reported as too slow to draw, in one sentence, and any other document of
  that worker is opened again in a new one;
* a worker that leaves its requests unread as long, between jobs, is stuck
  (stopped, say), and one that has not started taking them after
  ``start_budget`` seconds is hung: either is replaced, and nobody is blamed.

When a worker dies, only the document it was working on is blamed; one that
was being worked on in two crashes in a row is reported as failed, so a
poisonous PDF cannot keep the worker crashing, and the others are reopened.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal, Slot

from ecip_reader.pdf import render_worker
from ecip_reader.pdf.job_status import JobKind, JobSnapshot
from ecip_reader.pdf.render_protocol import CloseDocument, Dropped, OpenDocument, RenderBatch
from ecip_reader.ui.render.remote_document import RemoteDocument, image_bytes
from ecip_reader.ui.render.reply_reader import PageImage
from ecip_reader.ui.render.worker_link import WorkerEntry, WorkerLink
from ecip_reader.viewing.page_cache import DEFAULT_BUDGET, PageCache

log = logging.getLogger(__name__)

PREVIEW_BUDGET = 24 * 1024 * 1024
THUMB_BUDGET = 16 * 1024 * 1024
# More crashes than this within CRASH_WINDOW seconds: stop restarting on our own.
MAX_CRASHES = 4
CRASH_WINDOW = 60.0
NO_WORKER = "the page renderer could not be started"


@dataclass(frozen=True)
class WorkerTiming:
    """How long a worker may spend on one job (seconds), and how many workers there may be."""

    move_after: float = 2.0  # in the shared worker: then the document gets a worker of its own
    budget: float = 10.0  # anywhere: then the document is too slow to draw
    own_workers: int = 2  # documents that may have a worker of their own at the same time
    start_budget: float = 30.0  # for a new worker to start taking requests
    tick: float = 0.25  # how often a busy worker's job is looked at


class RenderClient(QObject):
    """Owns the render worker processes of the application."""

    worker_restarted = Signal()  # the shared worker was replaced after a crash or a stuck job

    def __init__(
        self,
        parent: QObject | None = None,
        cache_budget: int = DEFAULT_BUDGET,
        timing: WorkerTiming | None = None,
        serve: WorkerEntry = render_worker.serve,
    ) -> None:
        super().__init__(parent)
        self.cache: PageCache[object] = PageCache(image_bytes, cache_budget)
        self.previews: PageCache[object] = PageCache(image_bytes, PREVIEW_BUDGET)
        self.thumbs: PageCache[object] = PageCache(image_bytes, THUMB_BUDGET)
        self.timing = timing or WorkerTiming()
        self._serve = serve
        self._docs: dict[int, RemoteDocument] = {}
        self._handles = itertools.count(1)
        self._req_ids = itertools.count(1)
        self._serials = itertools.count(1)
        self._crashes: deque[float] = deque()
        self._closed = False
        self._shared: WorkerLink | None = None
        self._links: dict[int, WorkerLink] = {}  # serial -> running link
        self._stopping: set[WorkerLink] = set()  # retired, reply reader not finished yet
        self._placed: dict[int, WorkerLink] = {}  # document handle -> the link that has it
        self._watch = QTimer(self)
        self._watch.setInterval(round(self.timing.tick * 1000))
        self._watch.timeout.connect(self._check_jobs)
        self._start_shared()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.close)

    # ------------------------------------------------------------ public API

    def open_document(self, path: Path, password: str | None = None) -> RemoteDocument:
        """Ask a worker to open ``path``; the answer comes as a signal of the returned object."""
        handle = next(self._handles)
        doc = RemoteDocument(self, handle, Path(path), password)
        self._docs[handle] = doc
        if self._shared is None and not self._closed:
            self._crashes.clear()
            self._start_shared()
        if self._shared is not None:
            self._placed[handle] = self._shared
            self.send(OpenDocument(handle, str(path), password))
        elif not self._closed:
            # Said once the caller has connected to the document's signals.
            QTimer.singleShot(0, self, lambda: doc.fail_after_crash(NO_WORKER))
        return doc

    def worker_pid(self) -> int | None:
        """Process id of the shared worker (for diagnostics and tests)."""
        return self._shared.pid if self._shared is not None else None

    def worker_pid_of(self, doc: RemoteDocument) -> int | None:
        """Process id of the worker that has ``doc`` open."""
        link = self._placed.get(doc.handle)
        return link.pid if link is not None else None

    def busy_with(self) -> list[tuple[RemoteDocument, JobKind]]:
        """What the workers are doing right now, document by document (diagnostics, tests)."""
        now = time.monotonic()
        jobs = [link.job(now)[0] for link in self._links.values()]
        return [(self._docs[job.doc], job.kind) for job in jobs if job.doc in self._docs]

    def next_request_id(self) -> int:
        return next(self._req_ids)

    def send(self, message: object) -> None:
        """Queue ``message`` for the worker that has its document; never waits."""
        handle = getattr(message, "doc", None)
        link = self._placed.get(handle) if isinstance(handle, int) else None
        if link is None:
            return
        replaced = link.send(message)
        if isinstance(replaced, RenderBatch) and isinstance(message, RenderBatch):
            # The worker never saw that batch: say which of its pages will not come.
            gone = {job.req_id for job in replaced.jobs} - {job.req_id for job in message.jobs}
            doc = self._docs.get(message.doc)
            if gone and doc is not None:
                doc.deliver(Dropped(message.doc, message.generation, tuple(sorted(gone))))
        if not self._watch.isActive():
            self._watch.start()

    def forget(self, doc: RemoteDocument) -> None:
        """Called by a document when it closes."""
        self._docs.pop(doc.handle, None)
        self.forget_images(doc.handle)
        link = self._placed.pop(doc.handle, None)
        if link is not None and link.owner == doc.handle:
            self._retire(link)  # a worker of its own has nothing left to do

    def forget_images(self, handle: int) -> None:
        """Drop every drawn image of a document (it closed, or its pages were turned)."""
        self.cache.drop_document(handle)
        self.previews.drop_document(handle)
        self.thumbs.drop_document(handle)

    def close(self) -> None:
        """Stop every worker process and free the shared memory (safe to call twice)."""
        if self._closed:
            return
        self._closed = True
        self._watch.stop()
        for doc in list(self._docs.values()):
            doc.detach()
        self._docs.clear()
        self._placed.clear()
        now = time.monotonic()
        for link in list(self._links.values()):
            snapshot, _seconds = link.job(now)
            if snapshot.busy:
                self._retire(link)  # it would not read a request to stop before its job ends
            else:
                link.shut_down(grace=3.0)
                self._links.pop(link.serial, None)
        self._shared = None
        for link in list(self._stopping):
            link.wait_for_reader(5.0)
        self._stopping.clear()
        self.cache.clear()
        self.previews.clear()
        self.thumbs.clear()

    # ------------------------------------------------------------ workers

    def _new_link(self) -> WorkerLink | None:
        """A new worker, or ``None`` when the system cannot start one (out of memory…)."""
        try:
            link = WorkerLink(next(self._serials), self._serve, self)
        except OSError:
            log.exception("a render worker could not be started")
            return None
        link.reader.received.connect(self._on_reply)
        link.reader.lost.connect(self._on_lost)
        link.done.connect(self._link_done)
        self._links[link.serial] = link
        link.start_reading()
        return link

    def _start_shared(self) -> WorkerLink | None:
        self._shared = self._new_link()
        return self._shared

    def _retire(self, link: WorkerLink) -> None:
        self._links.pop(link.serial, None)
        if link is self._shared:
            self._shared = None
        self._stopping.add(link)
        link.retire()

    @Slot(object)
    def _link_done(self, done: object) -> None:
        for link in [link for link in self._stopping if link is done]:
            self._stopping.discard(link)
            link.deleteLater()

    def _documents_of(self, link: WorkerLink) -> list[RemoteDocument]:
        return [self._docs[h] for h, on in list(self._placed.items()) if on is link]

    def _place_again(self, docs: list[RemoteDocument], link: WorkerLink | None) -> None:
        """Open ``docs`` again in ``link``, each where it was (if there is a worker at all)."""
        for doc in docs:
            if link is None:
                doc.fail_after_crash(NO_WORKER)
                continue
            self._placed[doc.handle] = link
            if doc.error is None:
                doc.reopen()  # a document that could not be opened waits for a password

    # ------------------------------------------------------------ watching the jobs

    @Slot()
    def _check_jobs(self) -> None:
        now = time.monotonic()
        busy = False
        for link in list(self._links.values()):
            if link.retired:
                continue
            snapshot, seconds = link.job(now)
            unread = link.unread_for(snapshot, now)
            if not snapshot.busy:
                starting = link.starting(snapshot)
                if unread > (self.timing.start_budget if starting else self.timing.budget):
                    log.warning("a render worker left its requests unread; replacing it")
                    self._replace(link, crashed=True)
                    continue
                busy = busy or not link.idle()
                continue
            busy = True
            if seconds > self.timing.budget:
                self._too_slow(link, snapshot)
            elif link is self._shared and seconds > self.timing.move_after:
                self._unblock_shared(link, snapshot)
        if not busy:
            self._watch.stop()

    def _unblock_shared(self, link: WorkerLink, snapshot: JobSnapshot) -> None:
        """The shared worker is stuck on one document; let the others go on elsewhere."""
        others = [doc for doc in self._documents_of(link) if doc.handle != snapshot.doc]
        if not others:
            return  # nobody is waiting
        if snapshot.doc not in self._docs:
            # Working for a document closed meanwhile: no one to move, just start afresh.
            self._replace(link)
            return
        own = sum(1 for running in self._links.values() if running.owner is not None)
        if own >= self.timing.own_workers:
            return  # the budget decides
        fresh = self._new_link()
        if fresh is None:
            return  # the budget decides
        log.info("%s gets a render worker of its own", self._docs[snapshot.doc].path.name)
        link.owner = snapshot.doc
        link.lower_priority()
        self._shared = fresh
        for doc in others:
            link.send(CloseDocument(doc.handle))
        self._place_again(others, fresh)

    def _too_slow(self, link: WorkerLink, snapshot: JobSnapshot) -> None:
        doc = self._docs.get(snapshot.doc)
        log.warning(
            "%s: a %s job (page %d) ran past %g s; stopping its worker",
            doc.path.name if doc is not None else "a closed document",
            snapshot.kind.name.lower(),
            snapshot.page + 1,
            self.timing.budget,
        )
        if doc is not None:
            doc.fail_too_slow(snapshot.kind, snapshot.page, self.timing.budget)
        self._replace(link)

    def _replace(self, link: WorkerLink, crashed: bool = False, culprit: int | None = None) -> None:
        """Stop ``link`` and open its documents again in a new worker (all but failed ones).

        After a crash, ``culprit`` is the document the worker was working on.
        """
        was_shared = link is self._shared
        docs = self._documents_of(link)
        for doc in docs:
            self._placed.pop(doc.handle, None)
        self._retire(link)
        if was_shared and crashed:
            now = time.monotonic()
            self._crashes.append(now)
            while self._crashes and now - self._crashes[0] > CRASH_WINDOW:
                self._crashes.popleft()
            if len(self._crashes) > MAX_CRASHES:
                for doc in docs:
                    doc.fail_after_crash("the page renderer keeps stopping")
                return
        survivors = []
        for doc in docs:
            if doc.handle == culprit:
                doc.crashes += 1
            if doc.crashes >= 2:
                doc.fail_after_crash("the page renderer stopped twice while drawing it")
            else:
                survivors.append(doc)
        if was_shared:
            self._place_again(survivors, self._start_shared())
            self.worker_restarted.emit()
        else:
            for doc in survivors:
                own = self._new_link()
                if own is not None:
                    own.owner = doc.handle
                    own.lower_priority()
                self._place_again([doc], own)
        if survivors and not self._watch.isActive():
            self._watch.start()

    # ------------------------------------------------------------ replies

    @Slot(int)
    def _on_lost(self, serial: int) -> None:
        link = self._links.get(serial)
        if self._closed or link is None:
            return
        # The status cells outlive the process: they say what it was doing when it died.
        snapshot, _seconds = link.job(time.monotonic())
        culprit = snapshot.doc if snapshot.busy else None
        log.warning("a render worker stopped unexpectedly")
        self._replace(link, crashed=True, culprit=culprit)

    @Slot(int, object)
    def _on_reply(self, serial: int, message: object) -> None:
        doc = self._docs.get(getattr(message, "doc", -1))
        if doc is None:
            return
        link = self._placed.get(doc.handle)
        if link is not None and link.serial == serial:
            doc.deliver(message)

    # ------------------------------------------------------------ used by documents

    def store(self, doc: int, page: int, width: int, image: PageImage) -> None:
        self.cache.put((doc, page, width), image.image)
        self.previews.put((doc, page, 0), image.preview)
