"""A search under way in a render worker, kept so that a new worker can take it up.

:class:`FindProgress` remembers the running :class:`Find` and how many pages
of it have been searched, in every worker so far. When a worker is replaced,
:meth:`resume` gives the request that searches only the pages left, starting
with the first one not searched; :meth:`received` then counts the new
worker's pages on top of the old ones, so the window sees one search going
through the document once. Qt-free.
"""

from __future__ import annotations

from dataclasses import replace

from ecip_reader.pdf.render_protocol import Find, FindHits


class FindProgress:
    def __init__(self) -> None:
        self.running: Find | None = None
        self._searched = 0  # pages searched, in every worker so far
        self._base = 0  # of those, pages searched before the current worker took it up

    def start(self, request: Find | None) -> None:
        """A new search was sent (``None``: none is running any more)."""
        self.running = request
        self._searched = self._base = 0

    def stop(self) -> None:
        self.running = None

    def received(self, hits: FindHits) -> FindHits:
        """``hits`` of the running search, counted as part of the whole search."""
        if self.running is not None and self._base:
            hits = replace(hits, searched=self._base + hits.searched, total=self._base + hits.total)
        self._searched = hits.searched
        if hits.done:
            self.running = None
        return hits

    def resume(self, page_count: int) -> Find | None:
        """The request that searches the pages left, or ``None`` if nothing is left."""
        search = self.running
        if search is None or page_count <= 0:
            return None
        first = min(max(search.start_page, 0), page_count - 1)
        left = (search.pages or page_count) - self._searched
        if left <= 0:
            return None
        self._base = self._searched
        return replace(search, start_page=(first + self._searched) % page_count, pages=left)
