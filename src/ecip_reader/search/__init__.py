"""Full-text search over a library: one index entry per PDF page, grouped by document.

The package is Qt-free. :class:`.service.SearchService` is the entry point; the
modules split the work: ``analysis`` (words to terms), ``query`` (the query
language), ``querybuild`` (terms to Whoosh queries), ``engine`` (searching an
open index), ``snippets``, ``store`` (page text and vocabulary), ``extract``
(the extraction worker process), ``ingest``/``builder``/``manifest`` (building
indexes safely), ``combined``/``other_sources`` (one search over several sources).

Nothing is imported here: Whoosh is loaded by the modules that need it, so a
start-up that only needs a light module (such as ``results``) does not pay for it.
"""
