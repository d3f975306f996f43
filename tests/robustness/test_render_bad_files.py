"""The render worker with every bad file: a sentence or pages, and it keeps serving."""

from __future__ import annotations

import multiprocessing
import unicodedata
from collections.abc import Iterator

import pytest

from ecip_reader.pdf.document import MAX_RENDER_PIXELS
from ecip_reader.pdf.render_protocol import (
    CloseDocument,
    FindWords,
    OpenDocument,
    Opened,
    OpenFailed,
    RenderBatch,
    Rendered,
    RenderJob,
    Reply,
    Shutdown,
    Words,
)
from ecip_reader.pdf.render_worker import RenderServer, serve
from tests.support.badfiles import CASES, LAUNCH_MARKER, BadFile


class Worker:
    """A render server in this process that collects its replies."""

    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.server = RenderServer(self.replies.append)
        self._req = 0

    def ask(self, *requests: object) -> list[Reply]:
        for request in requests:
            self.server.handle(request)
        while self.server.run_one():
            pass
        replies, self.replies[:] = list(self.replies), []
        return replies

    def render(self, doc: int, page: int, zoom: float) -> Reply:
        self._req += 1
        replies = self.ask(RenderBatch(doc, self._req, (RenderJob(self._req, page, zoom),)))
        return next(r for r in replies if not isinstance(r, Opened))


@pytest.fixture
def worker() -> Iterator[Worker]:
    made = Worker()
    yield made
    made.server.close_all()


def opened(replies: list[Reply]) -> Opened:
    assert isinstance(replies[0], Opened), replies
    return replies[0]


@pytest.mark.parametrize("case", list(CASES))
def test_each_file_opens_or_fails_with_its_sentence_and_the_worker_carries_on(
    case: str, corpus: dict[str, BadFile], good_pdf: BadFile, worker: Worker
) -> None:
    bad = corpus[case]
    replies = worker.ask(OpenDocument(1, str(bad.path)))
    if bad.error is not None:
        assert replies == [OpenFailed(1, bad.error, needs_password=bad.password is not None)]
    else:
        info = opened(replies).info
        assert info.page_count == bad.pages
        page = worker.render(1, 0, 1.0)
        assert isinstance(page, Rendered) and page.width > 0
    # The same worker then serves an ordinary document.
    good = opened(worker.ask(OpenDocument(2, str(good_pdf.path)))).info
    assert good.page_count == 3
    assert isinstance(worker.render(2, 1, 1.0), Rendered)


def test_password_protected_file_asks_then_opens_with_the_password(
    corpus: dict[str, BadFile], worker: Worker
) -> None:
    locked = corpus["password"]
    first = worker.ask(OpenDocument(1, str(locked.path)))
    assert first == [OpenFailed(1, "password.pdf is password-protected.", needs_password=True)]
    wrong = worker.ask(OpenDocument(1, str(locked.path), "guess"))
    assert wrong == [
        OpenFailed(1, "The password for password.pdf is not correct.", needs_password=True)
    ]
    assert opened(worker.ask(OpenDocument(1, str(locked.path), locked.password))).info.page_count
    words = worker.ask(FindWords(9, 1, 0, ("locum",)))
    assert isinstance(words[0], Words) and [box[4] for box in words[0].boxes] == ["locum"]


def test_enormous_page_is_drawn_at_a_capped_resolution(
    corpus: dict[str, BadFile], worker: Worker
) -> None:
    info = opened(worker.ask(OpenDocument(1, str(corpus["enormous-page"].path)))).info
    assert info.page_sizes == ((14_400.0, 14_400.0),)
    # A fit-width view on a 4K screen asks for about 0.27 px/pt; zooming in asks for far more.
    for zoom in (0.27, 1.0, 4.0):
        page = worker.render(1, 0, zoom)
        assert isinstance(page, Rendered), page
        assert page.width * page.height <= MAX_RENDER_PIXELS
        assert page.width >= min(zoom * 14_400, 2_800)


def test_scripts_and_launch_links_never_run(corpus: dict[str, BadFile], worker: Worker) -> None:
    bad = corpus["actions"]
    assert opened(worker.ask(OpenDocument(1, str(bad.path)))).info.page_count == 1
    assert isinstance(worker.render(1, 0, 2.0), Rendered)
    words = worker.ask(FindWords(5, 1, 0, ("dashboard",)))
    assert isinstance(words[0], Words) and len(words[0].boxes) == 1
    worker.ask(CloseDocument(1))
    assert not (bad.path.parent / LAUNCH_MARKER).exists()


def test_metadata_reaches_the_view_without_control_characters(
    corpus: dict[str, BadFile], worker: Worker
) -> None:
    info = opened(worker.ask(OpenDocument(1, str(corpus["control-metadata"].path)))).info
    assert info.metadata["title"] == "Sepsis screening audit"
    for value in info.metadata.values():
        assert not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in value.replace("\n", ""))


def test_one_worker_process_survives_the_whole_corpus(
    corpus: dict[str, BadFile], good_pdf: BadFile
) -> None:
    """The real process: every bad file in turn, then an ordinary page is still drawn."""
    ctx = multiprocessing.get_context("spawn")
    requests_in, requests_out = ctx.Pipe(duplex=False)
    replies_in, replies_out = ctx.Pipe(duplex=False)
    process = ctx.Process(target=serve, args=(requests_in, replies_out, None), daemon=True)
    try:
        process.start()
        requests_in.close()
        replies_out.close()
        for handle, bad in enumerate(corpus.values(), start=1):
            requests_out.send(OpenDocument(handle, str(bad.path)))
            reply: object = None
            while not isinstance(reply, Opened | OpenFailed):  # outlines come and go
                assert replies_in.poll(30), f"no answer about {bad.name}"
                reply = replies_in.recv()
            expected = Opened if bad.error is None else OpenFailed
            assert isinstance(reply, expected), (bad.name, reply)
            requests_out.send(CloseDocument(handle))
        requests_out.send(OpenDocument(100, str(good_pdf.path)))
        requests_out.send(RenderBatch(100, 1, (RenderJob(1, 2, 1.0),)))
        received: list[object] = []
        while not any(isinstance(r, Rendered) for r in received):
            assert replies_in.poll(30), "the worker stopped answering"
            received.append(replies_in.recv())
        assert process.is_alive()
        requests_out.send(Shutdown())
        process.join(30)
        assert process.exitcode == 0
    finally:
        if process.is_alive():
            process.kill()
            process.join()
        process.close()
        for connection in (requests_in, requests_out, replies_in, replies_out):
            connection.close()
