"""Feeding extracted pages into Whoosh and the side store.

:class:`Ingest` owns the Whoosh writer and one store connection for a build
folder. Pages are added as they arrive from the extraction workers, so the
writer overlaps extraction, and a segment is written every few thousand pages;
a document is recorded in the store only when all of its pages arrived, and the
pages of a document that failed half-way are deleted from the index at the end.

Extraction is the larger part of the work, so on a machine with two or more
cores two worker processes extract at once (each with the files given to it,
balanced by size) and this process writes what either sends: on two cores
extraction and writing together keep both busy. Each worker's messages are
read by a thread of its own and handed over through a bounded queue, so a
worker never runs far ahead of the writer.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage

from ecip_reader.fileio import shown_name
from ecip_reader.library.catalogue import CatalogueEntry
from ecip_reader.search.analysis import RUN_RE, Analyzed, PageVocabulary, analyze, run_groups
from ecip_reader.search.corpus import Corpus, entry_meta, folder_meta
from ecip_reader.search.extract import ExtractJob, Extractor
from ecip_reader.search.lexicon import lexicon_rows
from ecip_reader.search.manifest import FileRecord
from ecip_reader.search.schema import DEFAULT_FIELDS, build_schema
from ecip_reader.search.store import Store, compress
from ecip_reader.search.writer import open_writer

log = logging.getLogger(__name__)

# Write a segment when this many postings are held in memory (about 70 MB).
SEGMENT_POSTINGS = 300_000
# Vocabulary rows (term, word) counted in memory before they are added to the store.
VOCABULARY_HELD = 60_000
# Messages waiting between the worker threads and the writer.
MESSAGES_HELD = 32


def worker_count(jobs: int) -> int:
    """Extraction workers for a build of ``jobs`` files: two when there are two cores."""
    return max(1, min(2, os.cpu_count() or 1, jobs))


def _share(jobs: list[ExtractJob], sizes: list[int], workers: int) -> list[list[ExtractJob]]:
    """``jobs`` split between ``workers``, the largest files first to the least loaded."""
    shares: list[list[ExtractJob]] = [[] for _ in range(workers)]
    loads = [0] * workers
    for job, size in sorted(zip(jobs, sizes, strict=True), key=lambda js: -js[1]):
        least = loads.index(min(loads))
        shares[least].append(job)
        loads[least] += max(size, 1)
    for share in shares:
        share.sort(key=lambda job: job.number)
    return [share for share in shares if share]


class _Workers:
    """Runs extraction jobs through several :class:`Extractor` at once and yields their
    messages as they come (the messages of one job keep their order)."""

    def __init__(self, shares: list[list[ExtractJob]]) -> None:
        self._shares = shares
        self._queue: queue.Queue[tuple[object, ...] | BaseException | None] = queue.Queue(
            MESSAGES_HELD
        )
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.restarts = 0

    def _put(self, item: tuple[object, ...] | BaseException | None) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def _feed(self, jobs: list[ExtractJob]) -> None:
        try:
            with Extractor() as extractor:
                try:
                    for message in extractor.run(jobs):
                        if not self._put(message):
                            return
                finally:
                    self.restarts += extractor.restarts
        except BaseException as exc:  # handed to the writer, which raises it
            self._put(exc)
            return
        self._put(None)

    def messages(self) -> Iterator[tuple[Any, ...]]:
        for share in self._shares:
            thread = threading.Thread(target=self._feed, args=(share,), daemon=True)
            thread.start()
            self._threads.append(thread)
        running = len(self._threads)
        try:
            while running:
                item = self._queue.get()
                if item is None:
                    running -= 1
                elif isinstance(item, BaseException):
                    raise item
                else:
                    yield item
        finally:
            self._stop.set()
            for thread in self._threads:
                thread.join()


@dataclass(frozen=True)
class BuildProgress:
    files_done: int
    files_total: int
    pages: int
    current: str


@dataclass(frozen=True)
class Job:
    """One PDF to (re)index; ``doc_id`` is the catalogue id or the path inside the folder."""

    doc_id: str
    path: Path
    size: int
    mtime_ns: int
    changed: bool


def _field_words(meta: CatalogueEntry) -> list[tuple[str, str, int]]:
    """(surface, term, 1) for the words of a document's catalogue fields."""
    text = " ".join(
        (meta.title, organisation_text(meta), meta.programme, meta.region, *meta.topics)
    )
    rows = []
    for run in RUN_RE.findall(text.lower()):
        for term in dict.fromkeys(group[0] for group in run_groups(run)):
            rows.append((run, term, 1))
    return rows


def organisation_text(meta: CatalogueEntry) -> str:
    """The organisation with its other spellings, so a search for either finds it."""
    return " ; ".join((meta.organisation, *meta.organisation_aliases)).strip(" ;")


def _size(job: Job) -> int:
    if job.size:
        return job.size
    try:
        return job.path.stat().st_size
    except OSError:
        return 0


def pre_analyze(text: str) -> Analyzed:
    """Analyse a catalogue field once per document rather than once per page."""
    return Analyzed(" ".join("|".join(group) for group in analyze(text)))


class _Current:
    """A document being received from a worker."""

    def __init__(self, job: Job, meta: CatalogueEntry, sha256: str, memo: dict[str, str]) -> None:
        self.job = job
        self.meta = meta
        self.sha256 = sha256
        self.pages = 0
        texts = {
            "title": meta.title,
            "organisation": organisation_text(meta),
            "topics": " ; ".join(meta.topics),
            "programme": meta.programme,
            "region": meta.region,
        }
        # The words of this document's pages, counted apart from any other document
        # being received at the same time (a failed document's words are dropped).
        self.vocabulary = PageVocabulary(memo)
        # Empty fields are left out: they cost time on every page and match nothing.
        self.fields: dict[str, str] = {"doc": meta.id, "kind": meta.kind}
        self.fields.update({name: pre_analyze(text) for name, text in texts.items() if text})


class Ingest:
    def __init__(self, whoosh_dir: Path, store_path: Path, library: Corpus, create: bool) -> None:
        self.library = library
        self._update = not create
        # Without memory maps: Whoosh would copy whole segment files into memory.
        storage = FileStorage(str(whoosh_dir), supports_mmap=False)
        if create:
            whoosh_dir.mkdir(parents=True, exist_ok=True)
            self._index = storage.create_index(build_schema())
            self.store = Store.create(store_path)
        else:
            self._index = storage.open_index()
            self.store = Store.open(store_path, writable=True)
        self._writer: Any = open_writer(self._index)
        self._memo: dict[str, str] = {}  # word run -> its terms, shared by every document
        self._vocabulary: dict[tuple[str, str], int] = {}
        self._partial: list[str] = []
        self.records: dict[str, FileRecord] = {}
        self.skipped: list[tuple[str, str]] = []
        self.notes: list[tuple[str, str]] = []  # (file name, sentence) for readable files
        self.crashed: list[str] = []  # ids of the documents the extraction worker died on
        self.pages_added = 0
        self.restarts = 0
        self.document_count = 0
        self.page_count = 0

    def remove(self, doc_id: str) -> None:
        """Delete a document (its pages and details) before re-adding or dropping it."""
        self._writer.delete_by_term("doc", doc_id)
        self.store.delete_document(doc_id)

    def _meta(self, job: Job, title: str, pages: int) -> CatalogueEntry:
        if self.library.catalogue is not None:
            return entry_meta(self.library.catalogue.get(job.doc_id), pages)
        return folder_meta(job.doc_id, title, pages)

    def run(
        self,
        jobs: list[Job],
        progress: Callable[[Any], None] | None = None,
        workers: int | None = None,
    ) -> None:
        by_number = dict(enumerate(jobs))
        want_hash = self.library.catalogue is None
        extract_jobs = [ExtractJob(n, str(job.path), want_hash) for n, job in by_number.items()]
        sizes = [_size(job) for job in jobs]
        count = worker_count(len(jobs)) if workers is None else max(1, workers)
        running = _Workers(_share(extract_jobs, sizes, count))
        current: dict[int, _Current] = {}
        done = 0
        add = self._writer.add_document
        for message in running.messages():
            kind, number = message[0], message[1]
            job = by_number[number]
            if kind == "pages":
                doc = current[number]
                first, texts = message[2], message[3]
                fields = doc.fields
                analyze_page = doc.vocabulary.analyze_page
                for offset, text in enumerate(texts):
                    add(page=first + offset, body=analyze_page(text), **fields)
                if self._writer.postings_held >= SEGMENT_POSTINGS:
                    self._writer.commit(merge=False)
                    self._writer = open_writer(self._index)
                    add = self._writer.add_document
                self.store.put_pages(job.doc_id, first, [compress(t) for t in texts])
                doc.pages += len(texts)
                self.pages_added += len(texts)
            elif kind == "start":
                _, _, page_count, title, _author, sha256 = message
                meta = self._meta(job, title, page_count)
                current[number] = _Current(job, meta, sha256, self._memo)
                continue
            elif kind == "done":
                doc = current.pop(number)
                notes = tuple(message[2])
                self.notes.extend((shown_name(job.path), note) for note in notes)
                self.store.put_document(doc.meta)
                words = doc.vocabulary.take_vocabulary()
                for surface, term, n in [*words, *_field_words(doc.meta)]:
                    key = (term, surface)
                    self._vocabulary[key] = self._vocabulary.get(key, 0) + n
                if len(self._vocabulary) > VOCABULARY_HELD:
                    self._flush_vocabulary()
                self._record(job, doc.sha256, doc.pages, None, " ".join(notes))
                done += 1
            elif kind == "failed":
                reason = message[2]
                failed = current.pop(number, None)
                if failed is not None and failed.pages:
                    self._partial.append(job.doc_id)
                    self.store.delete_document(job.doc_id)
                log.info("skipped %s: %s", shown_name(job.path), reason)
                self.skipped.append((shown_name(job.path), reason))
                if message[3:4] == (True,):  # the worker died or hung on it
                    self.crashed.append(job.doc_id)
                self._record(job, "", 0, reason)
                done += 1
            if progress is not None:
                name = shown_name(job.path)
                progress(BuildProgress(done, len(jobs), self.pages_added, name))
        self.restarts = running.restarts

    def _record(self, job: Job, sha256: str, pages: int, error: str | None, note: str = "") -> None:
        if self.library.catalogue is None:
            self.records[job.doc_id] = FileRecord(
                job.size, job.mtime_ns, sha256, pages, error, note or None
            )

    def _flush_vocabulary(self) -> None:
        self.store.add_vocabulary(
            (term, surface, count) for (term, surface), count in self._vocabulary.items()
        )
        self._vocabulary = {}

    def finish(self) -> None:
        """Commit everything; afterwards the counts describe the finished index."""
        writer, self._writer = self._writer, None
        # A full build keeps its segments as written; an update lets Whoosh merge
        # the small segments it adds.
        if self._update:
            writer.commit_merging()
        else:
            writer.commit(merge=False)
        if self._partial:
            cleanup = self._index.writer()
            for doc_id in self._partial:
                cleanup.delete_by_term("doc", doc_id)
            cleanup.commit(merge=False)
        self._flush_vocabulary()
        with self._index.reader() as reader:
            self.store.replace_lexicon(lexicon_rows(reader, DEFAULT_FIELDS))
        self.store.commit()
        self.document_count = len(self.store.documents())
        self.page_count = self._index.doc_count()

    def close(self) -> None:
        if self._writer is not None:
            self._writer.cancel()
            self._writer = None
        self.store.close()
        self._index.close()
