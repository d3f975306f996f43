"""Full-text search over a library: one index entry per PDF page, grouped by document.

The package is Qt-free. :class:`SearchService` is the entry point; the modules
split the work: ``analysis`` (words to terms), ``query`` (the query language),
``querybuild`` (terms to Whoosh queries), ``engine`` (searching an open index),
``snippets``, ``store`` (page text and vocabulary), ``extract`` (the extraction
worker process), ``ingest``/``builder``/``manifest`` (building indexes safely).
"""

from ecip_reader.search.results import DocumentHit, PageHit, SearchResponse
from ecip_reader.search.service import (
    SearchService,
    bundled_index_dir,
    folder_index_dir,
    service_for,
)

__all__ = [
    "DocumentHit",
    "PageHit",
    "SearchResponse",
    "SearchService",
    "bundled_index_dir",
    "folder_index_dir",
    "service_for",
]
