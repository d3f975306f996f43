"""The main search, extended to the reader's notes and highlighted passages.

:class:`NoteSearch` wraps the search function the panel calls: it runs the
document search, then the notes store's full-text search, and puts the
documents with matching notes first, marked "your note" (or "note by …" for
an imported layer). The filter :data:`~ecip_reader.ui.search.panel.ONLY_NOTES`
skips the document search.

It runs on the panel's search thread. The store may be used from there: it
holds one SQLite connection opened for use across threads and serialises
every call with its own lock, so the GUI thread and the search thread never
use the connection at the same time (a search of a few hundred notes holds
it for about a millisecond).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from ecip_reader.errors import UserError
from ecip_reader.library.catalogue import Catalogue, CatalogueEntry
from ecip_reader.ui.search.panel import ONLY_NOTES, SearchFunction
from ecip_reader.userdata import UserDataStore

if TYPE_CHECKING:
    from ecip_reader.search.results import SearchResponse

log = logging.getLogger(__name__)

NOTE_LIMIT = 50


def catalogue_lookup(catalogue: Catalogue | None) -> Callable[[str], CatalogueEntry | None]:
    """Entries by id from the (unchanging) catalogue: safe to call from any thread."""
    entries = {e.id: e for e in catalogue} if catalogue is not None else {}
    return entries.get


class NoteSearch:
    def __init__(
        self,
        documents: SearchFunction,
        store: UserDataStore,
        entry_of: Callable[[str], CatalogueEntry | None],
        limit: int = NOTE_LIMIT,
    ) -> None:
        self.documents = documents
        self.store = store
        self.entry_of = entry_of
        self.limit = limit

    def __call__(self, query: str, filters: Mapping[str, str]) -> SearchResponse:
        from ecip_reader.ui.search import note_hits

        narrowed = {k: v for k, v in filters.items() if k != ONLY_NOTES}
        if ONLY_NOTES in filters:
            response = note_hits.empty_response(query)
        else:
            response = self.documents(query, narrowed)
        try:
            found = self.store.search_text(query, self.limit)
        except UserError as exc:  # the notes cannot be read: the documents still show
            log.warning("notes were not searched: %s", exc)
            return response
        notes = note_hits.note_results(found, self.entry_of, narrowed)
        combined = note_hits.with_notes(response, notes, query)
        if not combined.results and ONLY_NOTES in filters:
            return replace(combined, message=f"None of your notes mention “{query}”.")
        return combined
