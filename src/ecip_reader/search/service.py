"""The search service the application and the command line use.

``SearchService(index_dir, library_dir, catalogue)`` searches one library. Its
index is, in order of preference:

1. a prebuilt index shipped next to a catalogued library (``LIBRARY/index``),
   opened read-only, when it matches the catalogue and the schema version and
   nobody else can have written it (:mod:`ecip_reader.search.trust`);
2. the index in ``index_dir`` (in the user cache), built by :meth:`prepare`.

:meth:`status` says whether searching can start ("ready") or the index must be
built first ("missing", "stale" or "broken"). :meth:`prepare` builds it,
blocking, and is safe to run on a worker thread while :meth:`search` answers
from the previous index or says that search is being prepared.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from ecip_reader.library.catalogue import Catalogue, load_catalogue
from ecip_reader.paths import AppPaths, bundled_library_dir
from ecip_reader.search.builder import BuildReport, build_index
from ecip_reader.search.corpus import Corpus
from ecip_reader.search.engine import Engine
from ecip_reader.search.ingest import BuildProgress
from ecip_reader.search.manifest import (
    BROKEN,
    MANIFEST_FILE,
    READY,
    STALE,
    check_index,
    read_manifest,
)
from ecip_reader.search.results import SearchResponse, message_response
from ecip_reader.search.thesaurus import Thesaurus
from ecip_reader.search.trust import index_trusted
from ecip_reader.search.wordlist import Wordlist

log = logging.getLogger(__name__)

PREBUILT_DIR = "index"

PREPARING_MESSAGE = "Search is being prepared; it will be ready in a moment."
NOT_READY_MESSAGE = "Search is not ready yet: the search index has to be built first."
DAMAGED_MESSAGE = "The search index is damaged; restart the application to rebuild it."
NO_PDFS_MESSAGE = "There are no PDFs in this library to search."
NONE_READABLE_MESSAGE = (
    "None of the PDFs in this library could be read, so there is nothing to search."
)


class EmptyIndex:
    """Stands in for the engine of an index with no pages (Whoosh cannot open one)."""

    def __init__(self, message: str) -> None:
        self.message = message

    def search(
        self, query: str, limit: int = 20, filters: Mapping[str, str] | None = None
    ) -> SearchResponse:
        return message_response(str(query), self.message)

    def more_like_this(self, doc_id: str, limit: int = 5) -> list[str]:
        return []

    def close(self) -> None:
        pass


def _empty_index(folder: Path) -> EmptyIndex | None:
    """An :class:`EmptyIndex` when the index in ``folder`` holds no page at all."""
    manifest = read_manifest(folder)
    if manifest is None or manifest.pages > 0:
        return None
    unreadable = manifest.skipped or any(r.error for r in manifest.files.values())
    return EmptyIndex(NONE_READABLE_MESSAGE if unreadable else NO_PDFS_MESSAGE)


def bundled_index_dir(paths: AppPaths) -> Path:
    """Where the bundled library's index lives in the user cache."""
    return paths.index_root / "bundled"


def folder_index_dir(paths: AppPaths, folder: Path) -> Path:
    """Where the index of any other library folder lives in the user cache."""
    key = hashlib.sha256(os.fsencode(folder.resolve())).hexdigest()[:16]
    return paths.index_root / f"folder-{key}"


class SearchService:
    def __init__(
        self,
        index_dir: Path,
        library_dir: Path,
        catalogue: Catalogue | None,
        trusted: Sequence[Path] = (),
    ) -> None:
        self.index_dir = index_dir
        self.library = Corpus(library_dir.resolve(), catalogue)
        self._trusted = tuple(trusted)  # folders whose prebuilt indexes the policy trusts
        self._trust: dict[Path, bool] = {}
        self._thesaurus = Thesaurus.load()
        self._wordlist = Wordlist.load()
        self._lock = threading.RLock()
        self._build_lock = threading.Lock()
        self._engine: Engine | EmptyIndex | None = None
        self._damaged = False
        self._preparing = False
        self._verified: dict[Path, tuple[int, int]] = {}
        self.last_report: BuildReport | None = None

    # State

    @property
    def damaged(self) -> bool:
        """True after the index failed to open or to answer, until it is rebuilt."""
        return self._damaged

    def _check(self, folder: Path) -> str:
        """The state of the index in ``folder``; file checksums are verified once per build."""
        try:
            stat = (folder / MANIFEST_FILE).stat()
            signature = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            signature = None
        deep = signature is None or self._verified.get(folder) != signature
        state, _ = check_index(folder, self.library, deep=deep)
        if state == READY and signature is not None:
            self._verified[folder] = signature
        return state

    def _prebuilt(self) -> Path | None:
        if self.library.catalogue is None:
            return None
        folder = self.library.root / PREBUILT_DIR
        if not (folder / MANIFEST_FILE).is_file():
            return None
        trusted = self._trust.get(folder)
        if trusted is None:  # looked at once: it is not expected to change while running
            trusted = self._trust[folder] = index_trusted(folder, self._trusted)
        if trusted and self._check(folder) == READY:
            return folder
        return None

    def _open(self) -> Engine | EmptyIndex | None:
        """Open the best usable index (caller holds the lock); None when there is none.

        A stale index of a plain folder is still searched until its update is done.
        """
        if self._engine is not None:
            return self._engine
        prebuilt = self._prebuilt()
        folder = prebuilt or self.index_dir
        if prebuilt is None:
            state = self._check(folder)
            usable = state == READY or (state == STALE and self.library.catalogue is None)
            if not usable:
                return None
        try:
            self._engine = _empty_index(folder) or Engine(
                folder, self._thesaurus, immutable=prebuilt is not None, wordlist=self._wordlist
            )
        except Exception:
            log.exception("search index in %s could not be opened", folder)
            self._damaged = True
            return None
        self._damaged = False
        return self._engine

    def _close_engine(self) -> None:
        with self._lock:
            engine, self._engine = self._engine, None
            if engine is not None:
                engine.close()

    def status(self) -> str:
        """ "ready", "missing", "stale" or "broken"."""
        with self._lock:
            if self._damaged:
                return BROKEN
            if self._prebuilt() is not None:
                return READY if self._open() is not None else BROKEN
            state = self._check(self.index_dir)
            if state == READY and self._open() is None:
                return BROKEN
            return state

    # Building

    def prepare(
        self, progress: Callable[[int, int], None] | None = None, rebuild: bool = False
    ) -> BuildReport | None:
        """Build or update the index when it is not ready; blocking.

        ``progress(files_done, files_total)`` is called from this thread.
        Returns the build report, or None when the index was ready already.
        """
        with self._build_lock:
            if not rebuild and self.status() == READY:
                return None
            self._preparing = True
            try:

                def relay(event: BuildProgress) -> None:
                    if progress is not None:
                        progress(event.files_done, event.files_total)

                report = build_index(
                    self.index_dir,
                    self.library,
                    rebuild=rebuild or self._damaged,
                    progress=relay,
                    before_swap=self._close_engine,
                )
            finally:
                self._preparing = False
            with self._lock:
                self._close_engine()
                self._damaged = False
                self._open()
            self.last_report = report
            return report

    # Searching

    def search(
        self, query: str, limit: int = 20, filters: Mapping[str, str] | None = None
    ) -> SearchResponse:
        with self._lock:
            engine = self._open()
            if engine is None:
                message = PREPARING_MESSAGE if self._preparing else NOT_READY_MESSAGE
                if self._damaged:
                    message = DAMAGED_MESSAGE
                return message_response(str(query), message)
            try:
                return engine.search(query, limit, filters)
            except Exception:
                log.exception("search failed; the index is treated as damaged")
                self._damaged = True
                self._close_engine()
                return message_response(str(query), DAMAGED_MESSAGE)

    def more_like_this(self, doc_id: str, limit: int = 5) -> list[str]:
        with self._lock:
            engine = self._open()
            if engine is None:
                return []
            try:
                return engine.more_like_this(doc_id, limit)
            except Exception:
                log.exception("related documents failed; the index is treated as damaged")
                self._damaged = True
                self._close_engine()
                return []

    def close(self) -> None:
        self._close_engine()


def service_for(
    paths: AppPaths, library: Path | None = None, trusted: Sequence[Path] = ()
) -> SearchService:
    """The service for the bundled library, or for ``library`` (catalogued or a plain folder).

    ``trusted`` are the folders whose prebuilt indexes the machine policy trusts
    (:func:`ecip_reader.search.trust.trusted_folders`).
    """
    if library is None:
        root = bundled_library_dir()
        return SearchService(bundled_index_dir(paths), root, load_catalogue(root), trusted)
    lib = Corpus.at(library)
    bundled = bundled_library_dir().resolve()
    index_dir = (
        bundled_index_dir(paths) if lib.root == bundled else folder_index_dir(paths, lib.root)
    )
    return SearchService(index_dir, lib.root, lib.catalogue, trusted)
