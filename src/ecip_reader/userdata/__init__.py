"""The user's annotations and bookmarks (Qt-free; PyMuPDF only where named below).

One SQLite database at ``AppPaths.database`` (WAL, foreign keys, schema version
in ``PRAGMA user_version``), one transaction per user action, rolling backups
in ``AppPaths.data / "backups"``. Notes are anchored to the document's content
hash (SHA-256 of the PDF), the page, the quads in PDF points and the quoted
text with context, so they survive a moved file and can follow a re-issued one.

Typical use (the UI wires these once and passes them to the widgets)::

    store = UserDataStore.open(paths)          # never raises for a bad file or folder
    if store.recovery: show(store.recovery.message)          # damaged db set aside
    if store.read_only: show(store.read_only_reason)          # writes will fail so
    annotator = Annotator(store, settings.author_name())      # owns a UndoHistory
    doc = DocumentRef(entry.sha256, entry.id, entry.title)
    note = annotator.add_markup(doc, 3, AnnotationKind.HIGHLIGHT, quads, anchor, "yellow")
    annotator.set_note(note.uuid, "Ask the team\\nabout this")
    annotator.history.undo(); annotator.history.redo()
    store.annotations(doc.hash, page=3)        # what to draw (check a.is_drawable)
    store.search_text("discharge")             # NoteHit list for the main search
    store.subscribe(on_change)                 # StoreEvent after every commit

Threads: the store may be used from the GUI thread and one worker thread (it
locks internally); listeners run on the thread that wrote. Importing a large
notes pack (about 1 s for 7,000 notes), PDF export and :func:`.pdf_text.extract_pages`
belong off the GUI thread; call :func:`.exporting.ensure_export_allowed` before
any export.

Modules:

* :mod:`.models` — ``Annotation``, ``Bookmark``, ``Colour``, ``Layer``,
  ``DocumentRef``, ``TextAnchor``, ``Quad``, ``AnnotationKind``, ``AnchorStatus``, ``NoteHit``.
* :mod:`.store` — ``UserDataStore`` (reading, ``apply``, backups, restore,
  search, re-attach) and ``StoreEvent``.
* :mod:`.editing` — ``Annotator``: every undoable action (``add_ink`` for drawings).
* :mod:`.ink` — ``clean_ink`` and ``clean_width``: the checks every drawing passes.
* :mod:`.undo` — ``UndoHistory`` and ``Change`` (usable as is or inside a QUndoStack).
* :mod:`.anchoring` — ``selection_from_words``, ``quads_for_quote``,
  ``quad_finder``, ``locate_quote`` (pure Python over PyMuPDF's word lists).
* :mod:`.reattaching` — ``reattach`` and ``ReattachReport``.
* :mod:`.pdf_text` — ``extract_pages`` (PyMuPDF; run it in a worker process).
* :mod:`.exporting` — ``collect``, ``to_markdown``, ``to_csv``, ``write_notes``,
  ``ensure_export_allowed``.
* :mod:`.pdf_export` — ``export_annotated_pdf`` (PyMuPDF; not on the GUI thread).
* :mod:`.packs` / :mod:`.pack_format` — notes packs: ``build_pack``,
  ``write_pack``, ``read_pack``, ``import_pack``, ``PackError``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ecip_reader.userdata.editing import Annotator
    from ecip_reader.userdata.models import (
        AnchorStatus,
        Annotation,
        AnnotationKind,
        Bookmark,
        Colour,
        DocumentRef,
        Layer,
        NoteHit,
        Quad,
        TextAnchor,
    )
    from ecip_reader.userdata.store import StoreEvent, UserDataStore
    from ecip_reader.userdata.undo import Change, UndoHistory

# Where each name below lives. They are imported on first use (PEP 562), so a
# module of this package that needs none of them (``reading_history`` at
# start-up) does not load the store, the undo history and their dependencies.
_HOMES = {
    "Annotator": "editing",
    "AnchorStatus": "models",
    "Annotation": "models",
    "AnnotationKind": "models",
    "Bookmark": "models",
    "Colour": "models",
    "DocumentRef": "models",
    "Layer": "models",
    "NoteHit": "models",
    "Quad": "models",
    "TextAnchor": "models",
    "StoreEvent": "store",
    "UserDataStore": "store",
    "Change": "undo",
    "UndoHistory": "undo",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    "AnchorStatus",
    "Annotation",
    "AnnotationKind",
    "Annotator",
    "Bookmark",
    "Change",
    "Colour",
    "DocumentRef",
    "Layer",
    "NoteHit",
    "Quad",
    "StoreEvent",
    "TextAnchor",
    "UndoHistory",
    "UserDataStore",
]
