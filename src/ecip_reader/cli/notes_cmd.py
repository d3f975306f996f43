"""``ecip-reader notes``: list, export and import notes; manage imported layers and backups.

* ``notes list [--doc ID] [--json]`` — the notes and bookmarks in the database;
* ``notes export --format md|csv|pdf|pack [--doc ID] -o FILE`` — Markdown, CSV,
  an annotated copy of a PDF (needs ``--doc``) or a notes pack of your own notes
  (``--name`` names the pack, ``--session PLAN`` carries a session plan in it);
* ``notes import FILE`` — a notes pack, as its own layer;
* ``notes layers [--json]`` and ``notes remove-layer NAME``;
* ``notes sessions [--json]`` — the session plans, yours and imported, stop by stop;
* ``notes backups`` and ``notes restore BACKUP``.

``--doc`` takes a document id of the bundled library or a document's SHA-256.
Exports honour the organisation's ``allow_export`` policy.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecip_reader.cli.output import json_text, t
from ecip_reader.paths import AppPaths

if TYPE_CHECKING:
    from ecip_reader.library.catalogue import Catalogue
    from ecip_reader.userdata.models import DocumentRef
    from ecip_reader.userdata.session_plans import SessionPlan
    from ecip_reader.userdata.store import UserDataStore

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
FORMATS = ("md", "csv", "pdf", "pack")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="notes_action", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="list notes and bookmarks")
    listing.add_argument("--doc", metavar="ID", help="only this document (id or SHA-256)")
    listing.add_argument("--json", action="store_true", help="print JSON")
    export = sub.add_parser("export", help="export notes to a file")
    export.add_argument("--format", choices=FORMATS, required=True, help="md, csv, pdf or pack")
    export.add_argument("--doc", metavar="ID", help="only this document (required for pdf)")
    export.add_argument("-o", "--output", metavar="FILE", type=Path, required=True)
    export.add_argument(
        "--name", metavar="NAME", default="", help="the pack's name (pack only), e.g. 'Ward 7'"
    )
    export.add_argument(
        "--session",
        metavar="PLAN",
        action="append",
        default=[],
        help="carry this session plan in the pack (pack only; may be repeated)",
    )
    importing = sub.add_parser("import", help="import a notes pack as a layer")
    importing.add_argument("file", type=Path, metavar="FILE")
    layers = sub.add_parser("layers", help="list imported layers")
    layers.add_argument("--json", action="store_true", help="print JSON")
    remove = sub.add_parser("remove-layer", help="remove an imported layer and its notes")
    remove.add_argument("name", metavar="NAME", help="the layer's name (the pack's name)")
    sessions = sub.add_parser("sessions", help="list session plans and their stops")
    sessions.add_argument("--json", action="store_true", help="print JSON")
    sub.add_parser("backups", help="list the backups of the notes database")
    restore = sub.add_parser("restore", help="replace the notes with a backup's")
    restore.add_argument("backup", metavar="BACKUP", help="a backup file, or its name")


def _catalogue() -> Catalogue | None:
    from ecip_reader.errors import CatalogueError
    from ecip_reader.library.catalogue import load_catalogue
    from ecip_reader.paths import bundled_library_dir

    try:
        return load_catalogue(bundled_library_dir())
    except CatalogueError:
        return None


def _known(catalogue: Catalogue | None) -> dict[str, DocumentRef]:
    from ecip_reader.userdata.models import DocumentRef

    if catalogue is None:
        return {}
    return {e.sha256: DocumentRef(e.sha256, e.id, e.title) for e in catalogue}


def _resolve(value: str, store: UserDataStore, catalogue: Catalogue | None) -> DocumentRef | None:
    """A document by catalogue id, by SHA-256, or by an id the store has recorded."""
    from ecip_reader.userdata.models import DocumentRef

    for ref in [*_known(catalogue).values(), *store.documents().values()]:
        if value in (ref.doc_id, ref.hash):
            return ref
    lowered = value.lower()
    if len(lowered) == 64 and all(c in "0123456789abcdef" for c in lowered):
        return DocumentRef(lowered)
    return None


def run(args: argparse.Namespace, paths: AppPaths) -> int:
    from ecip_reader.userdata.store import UserDataStore

    action: str = args.notes_action
    writes = action in ("import", "remove-layer", "restore")
    store = UserDataStore.open(paths, read_only=not writes)
    try:
        if store.recovery is not None:
            print(t(store.recovery.message), file=sys.stderr)
            if store.recovery.damaged_copy is None and not writes and action != "backups":
                return EXIT_FAILURE  # damaged and left as it is: nothing true to list or export
        handler = {
            "list": _list,
            "export": _export,
            "import": _import,
            "layers": _layers,
            "remove-layer": _remove_layer,
            "sessions": _sessions,
            "backups": _backups,
            "restore": _restore,
        }[action]
        return handler(args, paths, store)
    finally:
        store.close()


def _doc_filter(
    args: argparse.Namespace, store: UserDataStore, catalogue: Catalogue | None
) -> tuple[DocumentRef | None, bool]:
    """The document ``--doc`` names; the flag is False when it names nothing known."""
    if not args.doc:
        return None, True
    ref = _resolve(args.doc, store, catalogue)
    if ref is None:
        print(f"ecip-reader: no document with the id '{t(args.doc)}'.", file=sys.stderr)
    return ref, ref is not None


def _list(args: argparse.Namespace, paths: AppPaths, store: UserDataStore) -> int:
    from ecip_reader.userdata.exporting import collect
    from ecip_reader.userdata.models import AnchorStatus
    from ecip_reader.userdata.packs import annotation_to_json, bookmark_to_json

    catalogue = _catalogue()
    ref, ok = _doc_filter(args, store, catalogue)
    if not ok:
        return EXIT_USAGE
    groups = collect(store, None if ref is None else {ref.hash}, _known(catalogue))
    labels = {c.key: c.label for c in store.palette()}
    layers = {la.id: la.name for la in store.layers()}
    if args.json:
        items: list[dict[str, Any]] = []
        for group in groups:
            doc = {"doc_id": group.document.doc_id, "title": group.document.title}
            for a in group.annotations:
                colour_name = labels.get(a.colour, a.colour)
                layer = layers.get(a.layer_id) if a.layer_id is not None else None
                record = annotation_to_json(a)
                items.append(
                    {
                        "type": "annotation",
                        **record,
                        **doc,
                        "colour_name": colour_name,
                        "layer": layer,
                    }
                )
            for b in group.bookmarks:
                layer = layers.get(b.layer_id) if b.layer_id is not None else None
                items.append({"type": "bookmark", **bookmark_to_json(b), **doc, "layer": layer})
        print(json_text(items, indent=1))
        return EXIT_OK
    count = 0
    for group in groups:
        name = group.document.doc_id or group.document.hash[:12]
        print(f"{t(group.document.display_title)} ({t(name)})")
        for b in group.bookmarks:
            print(f"  p.{b.page}  bookmark  {t(b.label)}")
        for a in group.annotations:
            quote = f"“{t(a.quote)}”  " if a.quote else ""
            note = " / ".join(t(line) for line in a.note.splitlines())
            extra = "  [could not re-attach]" if a.status is AnchorStatus.DETACHED else ""
            colour = t(labels.get(a.colour, a.colour))
            author = t(a.author)
            print(
                f"  p.{a.page}  {a.kind.value}  {colour}  {author}  {quote}{note}{extra}".rstrip()
            )
        count += len(group.annotations) + len(group.bookmarks)
    print(f"{count} notes and bookmarks." if count else "No notes or bookmarks.")
    return EXIT_OK


def _export(args: argparse.Namespace, paths: AppPaths, store: UserDataStore) -> int:
    from ecip_reader.settings import load_settings
    from ecip_reader.userdata.exporting import ensure_export_allowed, write_notes

    settings = load_settings(paths)
    ensure_export_allowed(settings)
    catalogue = _catalogue()
    ref, ok = _doc_filter(args, store, catalogue)
    if not ok:
        return EXIT_USAGE
    output: Path = args.output
    if args.format == "pdf":
        return _export_pdf(ref, catalogue, store, output)
    only = None if ref is None else {ref.hash}
    author = settings.author_name()
    plans = _chosen_plans(args.session, store)
    if plans is None:
        return EXIT_USAGE
    known = _known(catalogue)
    count = write_notes(store, args.format, output, only, known, author, args.name, plans)
    if args.format == "pack":
        plural = "s" if len(plans) != 1 else ""
        carried = f" and {len(plans)} session plan{plural}" if plans else ""
        print(f"Wrote a notes pack of {count} notes and bookmarks{carried} to {t(output)}.")
    else:
        print(f"Wrote {count} notes and bookmarks to {t(output)}.")
    return EXIT_OK


def _chosen_plans(names: list[str], store: UserDataStore) -> list[SessionPlan] | None:
    """The session plans named (by name or UUID); ``None`` after saying one is unknown."""
    plans = store.sessions(include_hidden=True)
    chosen: list[SessionPlan] = []
    for wanted in names:
        found = next((p for p in plans if wanted in (p.name, p.uuid)), None)
        if found is None:
            print(f"ecip-reader: there is no session plan {wanted!r}.", file=sys.stderr)
            return None
        chosen.append(found)
    return chosen


def _sessions(args: argparse.Namespace, paths: AppPaths, store: UserDataStore) -> int:
    from ecip_reader.userdata.packs import session_to_json

    documents = {**store.documents(), **_known(_catalogue())}
    layers = {la.id: la.name for la in store.layers()}
    plans = store.sessions(include_hidden=True)
    if args.json:
        rows = []
        for plan in plans:
            row = session_to_json(plan)
            row["layer"] = layers.get(plan.layer_id) if plan.layer_id is not None else None
            for stop in row["stops"]:
                ref = documents.get(stop["doc"])
                stop["doc_id"] = ref.doc_id if ref else ""
                stop["title"] = ref.title if ref else ""
            rows.append(row)
        print(json_text(rows, indent=1))
        return EXIT_OK
    if not plans:
        print("No session plans.")
    for plan in plans:
        whose = f" (from {t(layers.get(plan.layer_id, '?'))})" if plan.layer_id is not None else ""
        print(f"{t(plan.name)}{whose}: {len(plan.stops)} stops")
        for number, stop in enumerate(plan.stops, start=1):
            ref = documents.get(stop.doc_hash)
            title = ref.display_title if ref else stop.doc_hash[:12]
            region = "  [region]" if stop.region is not None else ""
            label = f"  {t(stop.label)}" if stop.label else ""
            note = t(" / ".join(stop.note.splitlines()))
            line = f"  {number}. {t(title)}, p.{stop.page}{label}{region}"
            print(f"{line}  — {note}" if note else line)
    return EXIT_OK


def _export_pdf(
    ref: DocumentRef | None, catalogue: Catalogue | None, store: UserDataStore, output: Path
) -> int:
    from ecip_reader.userdata.pdf_export import export_annotated_pdf

    if ref is None:
        print("ecip-reader: an annotated PDF needs --doc ID.", file=sys.stderr)
        return EXIT_USAGE
    entry = next((e for e in catalogue or () if e.sha256 == ref.hash), None)
    if entry is None or catalogue is None:
        print(
            f"ecip-reader: the PDF of {t(ref.doc_id or ref.hash)} is not in the library.",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    result = export_annotated_pdf(store, ref.hash, catalogue.path_of(entry), output)
    print(
        f"Wrote {t(output)} with {result.annotations} annotations and {result.bookmarks} bookmarks"
        + (f" ({result.skipped} could not be placed)." if result.skipped else ".")
    )
    return EXIT_OK


def _import(args: argparse.Namespace, paths: AppPaths, store: UserDataStore) -> int:
    from ecip_reader.userdata.packs import import_pack

    print(t(import_pack(store, args.file).summary))
    return EXIT_OK


def _layers(args: argparse.Namespace, paths: AppPaths, store: UserDataStore) -> int:
    sizes = store.layer_sizes()
    rows = [
        {
            "name": layer.name,
            "author": layer.author,
            "visible": layer.visible,
            "annotations": sizes.get(layer.id, (0, 0))[0],
            "bookmarks": sizes.get(layer.id, (0, 0))[1],
            "source": layer.source,
            "imported_at": layer.imported_at,
        }
        for layer in store.layers()
    ]
    if args.json:
        print(json_text(rows, indent=1))
        return EXIT_OK
    if not rows:
        print("No imported notes.")
    for row in rows:
        shown = "shown" if row["visible"] else "hidden"
        by = f" by {row['author']}" if row["author"] and row["author"] != row["name"] else ""
        print(
            f"{t(row['name'])}{t(by)}: {row['annotations']} notes, {row['bookmarks']} bookmarks, "
            f"{shown} (from {t(row['source'])}, imported {t(row['imported_at'])})"
        )
    return EXIT_OK


def _remove_layer(args: argparse.Namespace, paths: AppPaths, store: UserDataStore) -> int:
    from ecip_reader.userdata.ops import DeleteLayer

    layer = store.layer_named(args.name)
    if layer is None:
        print(f"ecip-reader: there are no imported notes of '{t(args.name)}'.", file=sys.stderr)
        return EXIT_FAILURE
    store.apply([DeleteLayer(layer.id)], external=True)
    print(f"Removed the notes of {t(layer.name)}.")
    return EXIT_OK


def _backups(args: argparse.Namespace, paths: AppPaths, store: UserDataStore) -> int:
    backups = store.backups()
    for backup in backups:
        print(f"{backup.display_date}  {backup.reason}  {t(backup.path)}")
    if not backups:
        print("No backups yet.")
    return EXIT_OK


def _restore(args: argparse.Namespace, paths: AppPaths, store: UserDataStore) -> int:
    candidate = Path(args.backup)
    if not candidate.exists() and candidate.name == args.backup:
        candidate = store.backup_folder / args.backup
    store.restore_backup(candidate)
    print(f"Restored your notes from {t(candidate.name)}.")
    return EXIT_OK
