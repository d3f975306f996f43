"""A Whoosh index writer tuned for building a whole index in one pass.

Whoosh sorts postings in memory up to ``limitmb`` and spills sorted runs to
temporary files, one pickled posting at a time, to merge them at the commit.
The indexer avoids spilling altogether: it writes a segment whenever about
300,000 postings are held (:attr:`PageWriter.postings_held`), which costs a
quarter less than spilling and merging and keeps memory bounded. Should a run
be spilled anyway (an update merging segments), :class:`_ChunkedPool` writes and
reads it in chunks with :mod:`marshal` rather than a posting at a time. The
pool overrides private methods of Whoosh 2.7's ``PostingPool``:
:func:`pool_internals_available` checks them first, and when one is missing
(another Whoosh version) Whoosh's own pool is used unchanged.
:class:`IndexCodec` skips the per-block length statistics, which only tighten
Whoosh's score bounds (the search does not use them) and cost a column read
per posting.
"""

from __future__ import annotations

import heapq
import logging
import marshal
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from whoosh.codec.whoosh3 import W3Codec
from whoosh.writing import PostingPool, SegmentWriter

log = logging.getLogger(__name__)

_CHUNK = 8192
# What the chunked pool overrides or uses of Whoosh's pool and segment writer.
_POOL_METHODS = ("_write_run", "_read_run", "_merge_runs", "_open_run", "_remove_run", "save")
_POOL_ATTRIBUTES = ("current", "limit")
_WRITER_ATTRIBUTES = ("pool", "_tempstorage", "newsegment")


def pool_internals_available(writer: Any) -> bool:
    """True when ``writer`` (a fresh segment writer) and its pool have what the
    chunked pool relies on."""
    pool = getattr(writer, "pool", None)
    return (
        all(callable(getattr(PostingPool, name, None)) for name in _POOL_METHODS)
        and all(hasattr(writer, name) for name in _WRITER_ATTRIBUTES)
        and all(hasattr(pool, name) for name in _POOL_ATTRIBUTES)
    )


class IndexCodec(W3Codec):  # type: ignore[misc]
    length_stats = False


# Postings held in memory before a sorted run is spilled (about 220 bytes each).
_ITEM_BYTES = 220


class _ChunkedPool(PostingPool):  # type: ignore[misc]
    """Postings go straight into a list (``add`` is the list's ``append``): the
    indexer bounds the list by writing a segment; a merge, which it does not
    watch, spills a sorted run whenever the list is full.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._max_items = max(10_000, self.limit // _ITEM_BYTES)
        self.add = self.current.append

    def save(self) -> None:
        super().save()
        if self.add is not self._add_checked:
            self.add = self.current.append

    def _add_checked(self, item: Any) -> None:
        self.current.append(item)
        if len(self.current) >= self._max_items:
            self.save()

    def check_every_add(self) -> None:
        """Spill whenever the list is full (for merges)."""
        self.add = self._add_checked

    def _write_run(self, f: Any, items: Iterable[Any]) -> None:
        iterator = iter(items)
        try:
            while chunk := list(islice(iterator, _CHUNK)):
                marshal.dump(chunk, f)
        finally:
            f.close()

    def _read_run(self, path: str) -> Iterator[Any]:
        f = self._open_run(path)
        try:
            while True:
                try:
                    chunk = marshal.load(f)
                except EOFError:
                    return
                yield from chunk
        finally:
            f.close()
            self._remove_run(path)

    def _merge_runs(self, paths: list[str]) -> Iterator[Any]:
        return heapq.merge(*(self._read_run(path) for path in paths))


class PageWriter(SegmentWriter):  # type: ignore[misc]
    """Whoosh's segment writer with the chunked pool and the lean codec."""

    def __init__(self, index: Any, limitmb: int = 96) -> None:
        super().__init__(index, limitmb=limitmb, codec=IndexCodec(compression=0), compound=False)
        self.chunked = pool_internals_available(self)
        if self.chunked:
            self.pool = _ChunkedPool(self._tempstorage, self.newsegment, limitmb=limitmb)
        else:
            log.warning("this Whoosh version differs from 2.7.5: its own posting pool is used")

    def commit_merging(self) -> None:
        """Commit and let Whoosh merge small segments, with bounded memory."""
        if self.chunked:
            self.pool.check_every_add()
        self.commit(merge=True)

    @property
    def postings_held(self) -> int:
        """Postings waiting in memory for the next run or segment (0 when Whoosh's
        own pool is used: it spills to disk by itself)."""
        return len(self.pool.current) if self.chunked else 0


def open_writer(index: Any, limitmb: int = 96) -> PageWriter:
    return PageWriter(index, limitmb)
