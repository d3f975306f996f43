"""The index life cycle: missing, built, stale after changes, updated, prebuilt, locked."""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from ecip_reader.library.catalogue import Catalogue, load_catalogue, write_catalogue
from ecip_reader.search import manifest as manifest_module
from ecip_reader.search.builder import IndexWriteError, build_index, lock_path
from ecip_reader.search.corpus import Corpus
from ecip_reader.search.locking import BuildLock, IndexBusy
from ecip_reader.search.service import NOT_READY_MESSAGE, PREBUILT_DIR, SearchService
from ecip_reader.search.store import Store
from tests.support.pdfs import write_text_pdf


def ids(service: SearchService, query: str) -> list[str]:
    return [hit.doc_id for hit in service.search(query).results]


def test_a_missing_index_is_reported_built_with_progress_and_then_searched(
    small_service: SearchService,
) -> None:
    assert small_service.status() == "missing"
    waiting = small_service.search("discharge")
    assert waiting.results == () and waiting.message == NOT_READY_MESSAGE
    progress: list[tuple[int, int]] = []
    report = small_service.prepare(lambda done, total: progress.append((done, total)))
    assert report is not None and (report.documents, report.pages) == (3, 7)
    assert progress[-1] == (3, 3)
    assert small_service.status() == "ready"
    assert ids(small_service, "assess")[0] == "discharge-to-assess"
    assert small_service.prepare() is None  # nothing to do


def test_a_changed_catalogue_makes_the_index_stale(
    small_library: Catalogue, tmp_path: Path
) -> None:
    first = SearchService(tmp_path / "index", small_library.root, small_library)
    first.prepare()
    first.close()
    entries = [
        replace(e, title="Ambulatory emergency care") if e.id == "perfect-week" else e
        for e in small_library.entries
    ]
    write_catalogue(small_library.root, list(entries))
    changed = load_catalogue(small_library.root)
    service = SearchService(tmp_path / "index", changed.root, changed)
    try:
        assert service.status() == "stale"
        assert service.search("ambulatory").message == NOT_READY_MESSAGE
        service.prepare()
        assert service.status() == "ready"
        assert ids(service, "ambulatory") == ["perfect-week"]
    finally:
        service.close()


def test_an_index_of_another_schema_version_is_stale(
    small_service: SearchService, monkeypatch: pytest.MonkeyPatch
) -> None:
    small_service.prepare()
    small_service.close()
    monkeypatch.setattr(manifest_module, "SCHEMA_VERSION", manifest_module.SCHEMA_VERSION + 1)
    again = SearchService(
        small_service.index_dir, small_service.library.root, small_service.library.catalogue
    )
    assert again.status() == "stale"
    again.close()


def test_a_folder_of_pdfs_is_updated_file_by_file(tmp_path: Path) -> None:
    folder = tmp_path / "pdfs"
    folder.mkdir()
    write_text_pdf(
        folder / "rota.pdf", ["Weekend rota for the acute medical unit."], title="Weekend rota"
    )
    write_text_pdf(folder / "sepsis.pdf", ["Sepsis screening in triage."])
    write_text_pdf(folder / "old-plan.pdf", ["Winter plan from last year."])
    (folder / "sub").mkdir()
    write_text_pdf(folder / "sub" / "flow_report_2016.pdf", ["Patient flow report."])
    service = SearchService(tmp_path / "index", folder, None)
    try:
        first = service.prepare()
        assert first is not None and (first.documents, first.added) == (4, 4)
        assert ids(service, "weekend") == ["rota.pdf"]
        hit = service.search("flow report").results[0]
        # No catalogue: the title comes from the metadata, else from the file name.
        assert (hit.doc_id, hit.title) == ("sub/flow_report_2016.pdf", "flow report 2016")
        assert service.search("weekend").results[0].title == "Weekend rota"

        write_text_pdf(folder / "handover.pdf", ["Ambulance handover within fifteen minutes."])
        write_text_pdf(folder / "sepsis.pdf", ["Sepsis six bundle delivered within the hour."])
        (folder / "old-plan.pdf").unlink()
        assert service.status() == "stale"
        assert ids(service, "weekend") == ["rota.pdf"]  # the old index still answers meanwhile
        second = service.prepare()
        assert second is not None
        assert (second.added, second.updated, second.removed, second.documents) == (1, 1, 1, 4)
        assert second.pages_added == 2  # only the new and the changed file were read
        assert ids(service, "handover") == ["handover.pdf"]
        assert ids(service, "bundle") == ["sepsis.pdf"]
        assert ids(service, "screening") == []
        assert ids(service, "winter") == []

        # A new modification time with the same content: recognised by its hash.
        stamp = (folder / "rota.pdf").stat().st_mtime_ns + 5_000_000_000
        os.utime(folder / "rota.pdf", ns=(stamp, stamp))
        assert service.status() == "stale"
        third = service.prepare()
        assert third is not None and (third.updated, third.pages_added) == (0, 0)
        assert service.status() == "ready"
    finally:
        service.close()


def test_a_file_that_is_not_a_pdf_is_skipped_with_a_reason(tmp_path: Path) -> None:
    folder = tmp_path / "pdfs"
    folder.mkdir()
    write_text_pdf(folder / "good.pdf", ["Escalation plan."])
    (folder / "broken.pdf").write_bytes(b"this is not a PDF at all")
    service = SearchService(tmp_path / "index", folder, None)
    try:
        report = service.prepare()
        assert report is not None and report.documents == 1
        [(name, reason)] = report.skipped
        assert name == "broken.pdf" and reason.startswith("broken.pdf is not a PDF")
        assert service.status() == "ready"
        assert ids(service, "escalation") == ["good.pdf"]
    finally:
        service.close()


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_a_prebuilt_index_next_to_the_library_is_used_and_never_written(
    small_library: Catalogue, tmp_path: Path
) -> None:
    prebuilt = small_library.root / PREBUILT_DIR
    build_index(prebuilt, Corpus(small_library.root, small_library), lock_dir=tmp_path / "locks")
    before = snapshot(small_library.root)
    cache = tmp_path / "cache" / "bundled"
    service = SearchService(cache, small_library.root, small_library)
    try:
        assert service.status() == "ready"
        assert ids(service, "escalation") == ["breaking-the-cycle"]
        assert service.more_like_this("perfect-week")
        assert service.prepare() is None
    finally:
        service.close()
    assert snapshot(small_library.root) == before
    assert not cache.exists()


def test_a_prebuilt_index_for_another_catalogue_is_ignored(
    small_library: Catalogue, tmp_path: Path
) -> None:
    build_index(
        small_library.root / PREBUILT_DIR,
        Corpus(small_library.root, small_library),
        lock_dir=tmp_path / "locks",
    )
    entries = [replace(e, summary="Changed.") for e in small_library.entries]
    write_catalogue(small_library.root, entries)
    changed = load_catalogue(small_library.root)
    service = SearchService(tmp_path / "cache", changed.root, changed)
    try:
        assert service.status() == "missing"
        service.prepare()
        assert service.status() == "ready" and (tmp_path / "cache" / "manifest.json").is_file()
    finally:
        service.close()


def test_a_lock_and_leftovers_of_a_dead_indexer_do_not_block_the_next_build(
    small_service: SearchService,
) -> None:
    target = small_service.index_dir
    target.parent.mkdir(parents=True, exist_ok=True)
    lock_path(target).write_text("999999")  # a lock file whose owner is long gone
    leftover = target.parent / f".{target.name}.build-1234-deadbeef"
    (leftover / "whoosh").mkdir(parents=True)
    (leftover / "whoosh" / "MAIN_WRITELOCK").write_text("")
    small_service.prepare()
    assert small_service.status() == "ready"
    assert not leftover.exists()


def test_an_index_run_that_finds_the_index_up_to_date_still_clears_a_killed_build(
    small_service: SearchService,
) -> None:
    small_service.prepare()
    target = small_service.index_dir
    leftover = target.parent / f".{target.name}.build-4321-feedface"
    (leftover / "whoosh").mkdir(parents=True)
    (leftover / "pages.sqlite3").write_bytes(b"\0" * 65536)
    report = build_index(target, small_service.library)
    assert (report.added, report.updated, report.documents) == (0, 0, 3)
    assert not leftover.exists()
    assert ids(small_service, "escalation") == ["breaking-the-cycle"]


def test_a_build_waits_for_a_live_builder_and_then_gives_up_with_a_sentence(
    small_library: Catalogue, tmp_path: Path
) -> None:
    target = tmp_path / "index"
    with BuildLock(lock_path(target)), pytest.raises(IndexBusy, match="Another program"):
        build_index(target, Corpus(small_library.root, small_library), lock_wait=0.3)
    report = build_index(target, Corpus(small_library.root, small_library))
    assert report.documents == 3


def test_the_index_folder_can_be_moved_aside_while_searching(small_service: SearchService) -> None:
    small_service.prepare()
    assert ids(small_service, "escalation") == ["breaking-the-cycle"]
    shutil.rmtree(small_service.index_dir)
    # The open index keeps answering; a new service sees that it is gone.
    assert ids(small_service, "escalation") == ["breaking-the-cycle"]
    again = SearchService(
        small_service.index_dir, small_service.library.root, small_service.library.catalogue
    )
    assert again.status() == "missing"
    again.close()


def test_a_full_disk_while_writing_page_text_gives_one_sentence(
    small_library: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(*_args: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Store, "put_pages", disk_full)
    target = tmp_path / "index"
    with pytest.raises(IndexWriteError, match="the disk is full"):
        build_index(target, Corpus(small_library.root, small_library))
    assert not target.exists() and not list(tmp_path.glob(".index.build-*"))
