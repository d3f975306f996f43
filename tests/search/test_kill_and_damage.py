"""A killed indexer or a damaged index never breaks start-up: it is detected and rebuilt."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pymupdf
import pytest

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.search import extract
from ecip_reader.search.extract import ExtractJob, Extractor
from ecip_reader.search.service import DAMAGED_MESSAGE, SearchService, folder_index_dir
from tests.robustness.crash_hooks import HANG_FILE_ENV, hanging_extract_worker
from tests.support.pdfs import write_text_pdf

BIG_FILES = 16
PAGES_PER_FILE = 300


@pytest.fixture(scope="module")
def big_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough pages for an index build to take a few seconds."""
    folder = tmp_path_factory.mktemp("big")
    template = folder / "template.pdf"
    write_text_pdf(
        template, [f"Page {n} of the escalation policy, revision {n % 7}." for n in range(30)]
    )
    for number in range(BIG_FILES):
        doc = pymupdf.open()
        with pymupdf.open(template) as source:
            for _ in range(PAGES_PER_FILE // 30):
                doc.insert_pdf(source)
        doc.save(folder / f"policy-{number:02d}.pdf")
        doc.close()
    template.unlink()
    return folder


def start_indexer(home: Path, folder: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ecip_reader",
            "--data-dir",
            str(home),
            "index",
            "--library",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def kill_mid_build(home: Path, folder: Path, index_dir: Path) -> None:
    """Start ``ecip-reader index``, wait until it is writing, then SIGKILL it."""
    indexer = start_indexer(home, folder)
    try:
        deadline = time.monotonic() + 60
        store = f".{index_dir.name}.build-*/pages.sqlite3"
        while not any(index_dir.parent.glob(store)) and time.monotonic() < deadline:
            assert indexer.poll() is None, "the indexer finished before it could be killed"
            time.sleep(0.02)
        time.sleep(0.3)  # pages are being extracted and indexed now
        assert indexer.poll() is None, "the indexer finished before it could be killed"
        workers = children_of(indexer.pid)
        os.kill(indexer.pid, signal.SIGKILL)
        indexer.wait(10)
    finally:
        if indexer.poll() is None:
            indexer.kill()
            indexer.wait(10)
    # The extraction worker notices that the indexer is gone and ends too.
    deadline = time.monotonic() + 15
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in workers:
        state = (
            Path(f"/proc/{pid}/stat").read_text().split()[2]
            if Path(f"/proc/{pid}").exists()
            else "gone"
        )
        assert state in ("gone", "Z"), f"extraction worker {pid} still running"


@pytest.mark.timeout(240)
@pytest.mark.slow
def test_killing_the_first_build_leaves_a_missing_index_that_is_rebuilt(
    big_folder: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    index_dir = folder_index_dir(AppPaths.from_environment(home), big_folder)
    kill_mid_build(home, big_folder, index_dir)
    service = SearchService(index_dir, big_folder, None)
    try:
        assert service.status() == "missing"
        assert service.search("escalation").message is not None
        report = service.prepare()
        assert report is not None and report.pages == BIG_FILES * PAGES_PER_FILE
        assert service.status() == "ready"
        assert service.search("escalation").total_documents == BIG_FILES
        # The dead build's leftovers are gone.
        assert not list(index_dir.parent.glob(f".{index_dir.name}.build-*"))
    finally:
        service.close()


@pytest.mark.timeout(240)
@pytest.mark.slow
def test_killing_an_update_keeps_the_previous_index_searchable(
    big_folder: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "library"
    folder.mkdir()
    write_text_pdf(folder / "first.pdf", ["Frailty unit opening hours."])
    home = tmp_path / "home"
    index_dir = folder_index_dir(AppPaths.from_environment(home), folder)
    service = SearchService(index_dir, folder, None)
    try:
        service.prepare()
        service.close()
        for pdf in big_folder.glob("*.pdf"):
            (folder / pdf.name).symlink_to(pdf)
        kill_mid_build(home, folder, index_dir)
        service = SearchService(index_dir, folder, None)
        assert service.status() == "stale"
        assert [hit.doc_id for hit in service.search("frailty").results] == ["first.pdf"]
        report = service.prepare()
        assert report is not None and report.documents == BIG_FILES + 1
        assert service.status() == "ready"
    finally:
        service.close()


def segment_file(index_dir: Path) -> Path:
    """The largest file of the index: the postings."""
    return max((index_dir / "whoosh").iterdir(), key=lambda p: p.stat().st_size)


def damage_by_truncating(index_dir: Path) -> None:
    segment = segment_file(index_dir)
    segment.write_bytes(segment.read_bytes()[: segment.stat().st_size // 2])


def damage_with_garbage_of_the_same_size(index_dir: Path) -> None:
    segment = segment_file(index_dir)
    data = bytearray(segment.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(range(64))
    segment.write_bytes(bytes(data))


def damage_the_manifest(index_dir: Path) -> None:
    (index_dir / "manifest.json").write_text("{ not json")


def damage_the_page_store(index_dir: Path) -> None:
    store = index_dir / "pages.sqlite3"
    store.write_bytes(b"\0" * store.stat().st_size)


def remove_the_toc(index_dir: Path) -> None:
    for toc in (index_dir / "whoosh").glob("*.toc"):
        toc.unlink()


@pytest.mark.parametrize(
    "damage",
    [
        damage_by_truncating,
        damage_with_garbage_of_the_same_size,
        damage_the_manifest,
        damage_the_page_store,
        remove_the_toc,
    ],
)
def test_a_damaged_index_is_detected_and_rebuilt(
    damage: object, small_library: Catalogue, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    first = SearchService(index_dir, small_library.root, small_library)
    first.prepare()
    first.close()
    assert callable(damage)
    damage(index_dir)
    service = SearchService(index_dir, small_library.root, small_library)
    try:
        assert service.status() == "broken"
        response = service.search("escalation")
        assert response.results == () and response.message
        service.prepare()
        assert service.status() == "ready"
        assert [hit.doc_id for hit in service.search("escalation").results] == [
            "breaking-the-cycle"
        ]
    finally:
        service.close()


def open_files_below(folder: Path) -> list[str]:
    """The files below ``folder`` this process holds open."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(f"{folder}{os.sep}"):
            found.append(target)
    return found


def test_an_index_that_fails_to_open_keeps_none_of_its_files_open(
    small_library: Catalogue, tmp_path: Path
) -> None:
    # Open files would keep the damaged index from being replaced on Windows.
    service = SearchService(tmp_path / "index", small_library.root, small_library)
    try:
        service.prepare()
        assert service.status() == "ready"
        service.close()  # the index was verified once: it is not read through again
        damage_the_page_store(service.index_dir)
        assert service.status() == "broken"
        assert open_files_below(service.index_dir) == []
        service.prepare()
        assert service.search("escalation").results
    finally:
        service.close()


def test_damage_found_while_searching_is_reported_and_repaired(
    small_library: Catalogue, tmp_path: Path
) -> None:
    service = SearchService(tmp_path / "index", small_library.root, small_library)
    try:
        service.prepare()
        assert service.search("escalation").results
        engine = service._engine
        assert engine is not None
        engine._store.close()  # the page store becomes unreadable under the open index
        response = service.search("escalation")
        assert response.message == DAMAGED_MESSAGE
        assert service.status() == "broken"
        service.prepare()
        assert [hit.doc_id for hit in service.search("escalation").results] == [
            "breaking-the-cycle"
        ]
    finally:
        service.close()


@pytest.mark.slow
def test_a_hung_or_killed_extraction_worker_is_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = tmp_path / "good.pdf"
    write_text_pdf(good, ["Discharge lounge."])
    stuck = tmp_path / "never-ends.pdf"
    write_text_pdf(stuck, ["The worker never finishes this one."])
    monkeypatch.setenv(HANG_FILE_ENV, stuck.name)
    monkeypatch.setattr(extract, "worker_main", hanging_extract_worker)
    jobs = [ExtractJob(0, str(stuck)), ExtractJob(1, str(good))]
    with Extractor(hang_seconds=3.0) as extractor:
        messages = list(extractor.run(jobs))
        assert extractor.restarts == 1
    failed = [m for m in messages if m[0] == "failed"]
    assert failed == [
        ("failed", 0, "never-ends.pdf could not be read: reading it took too long.", True)
    ]
    assert messages[-1][:2] == ("done", 1)

    with Extractor(hang_seconds=60.0) as extractor:

        def kill_the_worker() -> None:
            assert extractor.pid is not None
            os.kill(extractor.pid, signal.SIGKILL)

        timer = threading.Timer(2.0, kill_the_worker)
        timer.start()
        messages = list(extractor.run(jobs))
        timer.join()
    failed = [m for m in messages if m[0] == "failed"]
    assert failed == [
        (
            "failed",
            0,
            "never-ends.pdf could not be read: the PDF reader stopped while reading it.",
            True,
        )
    ]
    assert messages[-1][:2] == ("done", 1)
