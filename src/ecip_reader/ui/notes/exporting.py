"""The export and import work behind the notes dialogs, run off the GUI thread.

Markdown, CSV and notes packs are written on a task thread (the store locks
internally). An annotated PDF needs PyMuPDF, which never runs in the GUI
process: :func:`export_pdf_in_worker` runs it in a spawned process that opens
the notes database read-only.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

from ecip_reader.errors import UserError
from ecip_reader.paths import AppPaths
from ecip_reader.text import counted
from ecip_reader.userdata import DocumentRef, UserDataStore
from ecip_reader.userdata.exporting import write_notes
from ecip_reader.userdata.packs import import_pack
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


def _pdf_job(paths: AppPaths, doc_hash: str, source: str, dest: str) -> tuple[int, int, int]:
    """In the worker process: write the annotated copy; (annotations, bookmarks, skipped)."""
    from ecip_reader.userdata.pdf_export import export_annotated_pdf

    store = UserDataStore.open(paths, read_only=True)
    try:
        result = export_annotated_pdf(store, doc_hash, Path(source), Path(dest))
    finally:
        store.close()
    return (result.annotations, result.bookmarks, result.skipped)


def export_pdf_in_worker(paths: AppPaths, doc_hash: str, source: Path, dest: Path) -> str:
    """Run the PDF export in a spawned process and wait for it (call from a task thread)."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        try:
            written, bookmarks, skipped = pool.apply(
                _pdf_job, (paths, doc_hash, str(source), str(dest))
            )
        except UserError:
            raise
        except (OSError, RuntimeError) as exc:
            raise UserError(f"Cannot write the annotated copy {dest.name}: {exc}.") from exc
    text = f"Saved {dest.name} with {counted(written, 'note')} and {counted(bookmarks, 'bookmark')}"
    return text + (f" ({skipped} could not be placed)." if skipped else ".")


def import_notes_pack(store: UserDataStore, path: Path) -> str:
    """Import a notes pack as its author's layer; returns the summary sentence."""
    return import_pack(store, path).summary
