"""Feeding extracted pages into Whoosh and the side store.

:class:`Ingest` owns the Whoosh writer and one store connection for a build
folder. Pages are added as they arrive from the extraction worker, so the
writer overlaps extraction, and a segment is written every few thousand pages;
a document is recorded in the store only when all of its pages arrived, and the
pages of a document that failed half-way are deleted from the index at the end.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
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


def pre_analyze(text: str) -> Analyzed:
    """Analyse a catalogue field once per document rather than once per page."""
    return Analyzed(" ".join("|".join(group) for group in analyze(text)))


class _Current:
    """The document being received from the worker."""

    def __init__(self, job: Job, meta: CatalogueEntry, sha256: str) -> None:
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
        self._page_words = PageVocabulary()
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

    def run(self, jobs: list[Job], progress: Callable[[Any], None] | None = None) -> None:

        by_number = dict(enumerate(jobs))
        want_hash = self.library.catalogue is None
        extract_jobs = [ExtractJob(n, str(job.path), want_hash) for n, job in by_number.items()]
        current: _Current | None = None
        done = 0
        add = self._writer.add_document
        analyze_page = self._page_words.analyze_page
        with Extractor() as extractor:
            for message in extractor.run(extract_jobs):
                kind, number = message[0], message[1]
                job = by_number[number]
                if kind == "pages":
                    assert current is not None and current.job is job
                    first, texts = message[2], message[3]
                    fields = current.fields
                    for offset, text in enumerate(texts):
                        add(page=first + offset, body=analyze_page(text), **fields)
                    if self._writer.postings_held >= SEGMENT_POSTINGS:
                        self._writer.commit(merge=False)
                        self._writer = open_writer(self._index)
                        add = self._writer.add_document
                    self.store.put_pages(job.doc_id, first, [compress(t) for t in texts])
                    current.pages += len(texts)
                    self.pages_added += len(texts)
                elif kind == "start":
                    _, _, page_count, title, _author, sha256 = message
                    current = _Current(job, self._meta(job, title, page_count), sha256)
                    continue
                elif kind == "done":
                    assert current is not None and current.job is job
                    notes = tuple(message[2])
                    self.notes.extend((shown_name(job.path), note) for note in notes)
                    self.store.put_document(current.meta)
                    words = self._page_words.take_vocabulary()
                    for surface, term, count in [*words, *_field_words(current.meta)]:
                        key = (term, surface)
                        self._vocabulary[key] = self._vocabulary.get(key, 0) + count
                    if len(self._vocabulary) > VOCABULARY_HELD:
                        self._flush_vocabulary()
                    self._record(job, current.sha256, current.pages, None, " ".join(notes))
                    current = None
                    done += 1
                elif kind == "failed":
                    reason = message[2]
                    self._page_words.take_vocabulary()  # forget the failed file's words
                    if current is not None and current.job is job:
                        if current.pages:
                            self._partial.append(job.doc_id)
                            self.store.delete_document(job.doc_id)
                        current = None
                    log.info("skipped %s: %s", shown_name(job.path), reason)
                    self.skipped.append((shown_name(job.path), reason))
                    if message[3:4] == (True,):  # the worker died or hung on it
                        self.crashed.append(job.doc_id)
                    self._record(job, "", 0, reason)
                    done += 1
                if progress is not None:
                    name = shown_name(job.path)
                    progress(BuildProgress(done, len(jobs), self.pages_added, name))
            self.restarts = extractor.restarts

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
