"""The search services of the sources beyond the bundled collection.

:class:`SourceSearches` holds one search service per extra source (an
organisation's library folder, My documents), added once its index is ready.
This module stays light on purpose: the window creates the holder at start-up,
before anything has needed Whoosh, so it imports the search service for typing only.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING

from ecip_reader.library.sources import qualify

if TYPE_CHECKING:
    from ecip_reader.search.results import SearchResponse
    from ecip_reader.search.service import SearchService

log = logging.getLogger(__name__)


class SourceSearches:
    """The ready search services of the extra sources, by source key; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._services: dict[str, SearchService] = {}

    def put(self, key: str, service: SearchService) -> None:
        with self._lock:
            old = self._services.get(key)
            self._services[key] = service
        if old is not None and old is not service:
            old.close()

    def get(self, key: str) -> SearchService | None:
        with self._lock:
            return self._services.get(key)

    def search(
        self, query: str, limit: int, filters: Mapping[str, str] | None
    ) -> list[SearchResponse]:
        with self._lock:
            services = list(self._services.items())
        answers = []
        for key, service in services:
            try:
                response = service.search(query, limit, filters)
            except Exception:
                log.exception("searching the source %s failed", key)
                continue
            results = tuple(
                dataclasses.replace(hit, doc_id=qualify(key, hit.doc_id))
                for hit in response.results
            )
            answers.append(dataclasses.replace(response, results=results))
        return answers

    def close(self) -> None:
        with self._lock:
            services, self._services = list(self._services.values()), {}
        for service in services:
            service.close()
