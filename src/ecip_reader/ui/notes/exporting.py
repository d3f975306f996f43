"""The export and import work behind the notes dialogs, run off the GUI thread.

Markdown, CSV and notes packs are written on a task thread (the store locks
internally). An annotated PDF needs PyMuPDF, which never runs in the GUI
process: :func:`export_pdf_in_worker` runs it in a spawned process that opens
the notes database read-only
(:func:`~ecip_reader.userdata.pdf_export.export_in_process`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

from ecip_reader.paths import AppPaths
from ecip_reader.text import counted
from ecip_reader.userdata import DocumentRef, UserDataStore
from ecip_reader.userdata.exporting import write_notes
from ecip_reader.userdata.packs import import_pack
from ecip_reader.userdata.pdf_export import export_in_process
from ecip_reader.userdata.session_plans import SessionPlan

FORMATS: dict[str, tuple[str, str]] = {  # key -> (name shown, file suffix)
    "md": ("Markdown", ".md"),
    "csv": ("CSV (spreadsheet)", ".csv"),
    "pdf": ("Annotated PDF", ".pdf"),
    "pack": ("Notes pack", ".json"),
}


def export_text(
    store: UserDataStore,
    fmt: str,
    dest: Path,
    doc_hashes: Collection[str] | None,
    known: Mapping[str, DocumentRef],
    author: str,
    name: str = "",
    sessions: Sequence[SessionPlan] = (),
) -> str:
    """Write Markdown, CSV or a notes pack; returns a sentence saying what was written.

    A pack is called ``name`` and carries the session plans ``sessions``.
    """
    count = counted(
        write_notes(store, fmt, dest, doc_hashes, known, author, name, sessions),
        "note or bookmark",
        "notes and bookmarks",
    )
    if fmt == "pack":
        plans = f" and {counted(len(sessions), 'session plan')}" if sessions else ""
        return f"Saved a notes pack of {count}{plans} as {dest.name}."
    return f"Saved {count} as {dest.name}."


def export_pdf_in_worker(paths: AppPaths, doc_hash: str, source: Path, dest: Path) -> str:
    """Write the annotated PDF in a process of its own and wait for it (from a task thread)."""
    result = export_in_process(paths, doc_hash, source, dest)
    notes = counted(result.annotations, "note")
    text = f"Saved {dest.name} with {notes} and {counted(result.bookmarks, 'bookmark')}"
    return text + (f" ({result.skipped} could not be placed)." if result.skipped else ".")


def import_notes_pack(store: UserDataStore, path: Path) -> str:
    """Import a notes pack as its author's layer; returns the summary sentence."""
    return import_pack(store, path).summary
