"""Building and updating an index folder, safely.

Every build writes a new folder next to the target (``.NAME.build-…``): a full
build from nothing, an update from a copy of the current index. The manifest is
written last, then the new folder replaces the old one with two renames. A build
that is killed leaves the target as it was (or absent, which reads as
"missing"), and its leftovers are removed by the next run, even one that finds
the index up to date. One build at a time per target (see
:mod:`ecip_reader.search.locking`).

A file the extraction worker died on is read once more by the next update (the
manifest lists it under ``retry``); a second death is final until it changes.

Text extraction runs in a worker process (:mod:`ecip_reader.search.extract`)
while this process feeds Whoosh and the side store.
"""

from __future__ import annotations

import dataclasses
import errno
import logging
import os
import secrets
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ecip_reader.errors import UserError, describe_os_error
from ecip_reader.library.catalogue import sha256_file
from ecip_reader.search.corpus import Corpus
from ecip_reader.search.ingest import BuildProgress, Ingest, Job
from ecip_reader.search.locking import BuildLock
from ecip_reader.search.manifest import (
    READY,
    STALE,
    WHOOSH_DIR,
    FileRecord,
    Manifest,
    check_index,
    index_files,
)
from ecip_reader.search.schema import SCHEMA_VERSION
from ecip_reader.search.store import STORE_FILE

log = logging.getLogger(__name__)


@dataclass
class BuildReport:
    documents: int
    pages: int
    seconds: float
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (file name, note)
    added: int = 0
    updated: int = 0
    removed: int = 0
    pages_added: int = 0
    restarts: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "pages": self.pages,
            "seconds": round(self.seconds, 3),
            "skipped": [{"file": name, "reason": reason} for name, reason in self.skipped],
            "notes": [{"file": name, "note": note} for name, note in self.notes],
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
        }


ProgressFn = Callable[[BuildProgress], None]


class IndexWriteError(UserError):
    """The index could not be written (disk full, permission denied...)."""


def lock_path(target: Path, lock_dir: Path | None = None) -> Path:
    folder = lock_dir or target.parent
    return folder / f".{target.name}.lock"


def _remove_leftovers(target: Path) -> None:
    for pattern in (f".{target.name}.build-*", f".{target.name}.old-*"):
        for leftover in target.parent.glob(pattern):
            shutil.rmtree(leftover, ignore_errors=True)


def _swap(work: Path, target: Path, token: str) -> None:
    old: Path | None = None
    if target.exists():
        old = target.parent / f".{target.name}.old-{token}"
        os.replace(target, old)
    os.replace(work, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _plan_folder(
    library: Corpus, previous: Manifest | None
) -> tuple[list[Job], dict[str, FileRecord], list[str]]:
    """Jobs for new and changed files, records of unchanged ones, ids of removed ones."""
    files = library.scan()
    jobs: list[Job] = []
    keep: dict[str, FileRecord] = {}
    old = previous.files if previous is not None else {}
    retry = set(previous.retry) if previous is not None else set()
    for rel, state in files.items():
        record = old.get(rel)
        if rel in retry:
            jobs.append(
                Job(rel, state.path, state.size, state.mtime_ns, changed=record is not None)
            )
            continue
        if record is not None and (record.size, record.mtime_ns) == (state.size, state.mtime_ns):
            keep[rel] = record
            continue
        if record is not None and record.size == state.size:
            try:
                digest = sha256_file(state.path)
            except OSError:
                digest = ""
            if digest == record.sha256:
                keep[rel] = dataclasses.replace(record, mtime_ns=state.mtime_ns)
                continue
        jobs.append(Job(rel, state.path, state.size, state.mtime_ns, changed=record is not None))
    removed = [rel for rel in old if rel not in files]
    return jobs, keep, removed


def build_index(
    target: Path,
    library: Corpus,
    *,
    rebuild: bool = False,
    progress: ProgressFn | None = None,
    before_swap: Callable[[], None] | None = None,
    lock_dir: Path | None = None,
    lock_wait: float = 600.0,
) -> BuildReport:
    """Build or update the index of ``library`` in ``target``; blocking.

    Raises :class:`IndexWriteError` when the index cannot be written and
    :class:`~ecip_reader.search.locking.IndexBusy` when another program keeps
    building it for longer than ``lock_wait`` seconds.
    """
    started = time.monotonic()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with BuildLock(lock_path(target, lock_dir), wait=lock_wait):
            # Builds that were killed left their folders; none can be running now.
            _remove_leftovers(target)
            status, previous = check_index(target, library, deep=True)
            if status == READY and previous is not None and not rebuild and not previous.retry:
                return _report_from(previous, time.monotonic() - started)
            return _build(
                target, library, status, previous, rebuild, progress, before_swap, started
            )
    except OSError as exc:
        raise IndexWriteError(describe_os_error(exc, "the search index")) from exc
    except sqlite3.Error as exc:  # the side store: a full disk, most likely
        full = "full" in str(exc).lower()
        code = errno.ENOSPC if full else errno.EIO
        error = OSError(code, os.strerror(code), str(target))
        raise IndexWriteError(describe_os_error(error, "the search index")) from exc


def _report_from(manifest: Manifest, seconds: float) -> BuildReport:
    skipped = sorted(manifest.skipped.items())
    skipped += sorted(
        (rel, rec.error) for rel, rec in manifest.files.items() if rec.error is not None
    )
    notes = sorted(manifest.notes.items())
    notes += sorted((rel, rec.note) for rel, rec in manifest.files.items() if rec.note)
    return BuildReport(manifest.documents, manifest.pages, seconds, skipped, notes)


def _build(
    target: Path,
    library: Corpus,
    status: str,
    previous: Manifest | None,
    rebuild: bool,
    progress: ProgressFn | None,
    before_swap: Callable[[], None] | None,
    started: float,
) -> BuildReport:
    token = f"{os.getpid()}-{secrets.token_hex(4)}"
    work = target.parent / f".{target.name}.build-{token}"
    retried = set(previous.retry) if previous is not None else set()
    incremental = (
        library.catalogue is None
        and not rebuild
        and previous is not None
        and previous.kind == "folder"
        and status in (READY, STALE)
        and previous.schema == SCHEMA_VERSION  # then check_index verified every file
    )
    try:
        if incremental:
            shutil.copytree(target, work)
            (work / "manifest.json").unlink(missing_ok=True)
        else:
            work.mkdir()
            previous = None
        ingest = Ingest(work / WHOOSH_DIR, work / STORE_FILE, library, create=not incremental)
        try:
            if library.catalogue is not None:
                jobs = [
                    Job(entry.id, library.catalogue.path_of(entry), 0, 0, changed=False)
                    for entry in library.catalogue
                ]
                keep: dict[str, FileRecord] = {}
                removed: list[str] = []
            else:
                jobs, keep, removed = _plan_folder(library, previous)
            for rel in removed:
                ingest.remove(rel)
            for job in jobs:
                if job.changed:
                    ingest.remove(job.doc_id)
            ingest.run(jobs, progress)
            ingest.finish()
        finally:
            ingest.close()
        records = dict(keep)
        records.update(ingest.records)
        manifest = Manifest(
            kind=library.kind,
            catalogue_digest=library.catalogue.digest if library.catalogue is not None else None,
            documents=ingest.document_count,
            pages=ingest.page_count,
            files=records if library.catalogue is None else {},
            skipped=dict(ingest.skipped) if library.catalogue is not None else {},
            notes=dict(ingest.notes) if library.catalogue is not None else {},
            index_files=index_files(work),
            # A second death on the same file is final until the file changes.
            retry=[d for d in ingest.crashed if d not in retried],
        )
        manifest.save(work)
        if before_swap is not None:
            before_swap()
        _swap(work, target, token)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    report = _report_from(manifest, time.monotonic() - started)
    report.added = sum(1 for job in jobs if not job.changed)
    report.updated = sum(1 for job in jobs if job.changed)
    report.removed = len(removed)
    report.pages_added = ingest.pages_added
    report.restarts = ingest.restarts
    return report
