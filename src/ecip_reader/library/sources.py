"""Where documents come from besides the bundled collection, as library entries.

Three kinds of source: the bundled collection, each extra library folder the
organisation's policy names (a network share, catalogued or a plain folder of
PDFs), and "My documents", the user's own PDFs (:mod:`ecip_reader.library.my_documents`).

Documents of the other sources get ids ``"<source key>:<id in that source>"``
so they never clash with the bundled ids, and carry their absolute path in
``CatalogueEntry.file`` (``Catalogue.path_of`` joins an absolute path as is).

My documents are searched through a folder of links in the user cache (one
sub-folder per file, so the indexer's sentences name the user's own file);
nothing is copied.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from ecip_reader.errors import UserError
from ecip_reader.fileio import shown_path
from ecip_reader.library.catalogue import CATALOGUE_FILE, CatalogueEntry, load_catalogue
from ecip_reader.library.folders import BUNDLED, LibraryFolder
from ecip_reader.library.my_documents import (
    MISSING,
    SOURCE_KEY,
    UserDocument,
    UserLibrary,
    pdfs_below,
)
from ecip_reader.paths import AppPaths

log = logging.getLogger(__name__)

BUNDLED_LABEL = "Bundled collection"
MINE_LABEL = "My documents"
MINE_KIND = "my-document"
FOLDER_KIND = "document"
UNREACHABLE = "not reachable now"


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    root: Path | None = None
    reachable: bool = True

    @property
    def shown_label(self) -> str:
        return self.label if self.reachable else f"{self.label} ({UNREACHABLE})"


def source_key(doc_id: str) -> str:
    """The source a document id belongs to ("bundled" for plain catalogue ids)."""
    key, sep, _rest = doc_id.partition(":")
    return key if sep else BUNDLED


def qualify(key: str, doc_id: str) -> str:
    return doc_id if key == BUNDLED else f"{key}:{doc_id}"


def local_id(doc_id: str) -> str:
    _key, sep, rest = doc_id.partition(":")
    return rest if sep else doc_id


def folder_key(folder: Path) -> str:
    name = os.path.normcase(str(folder)).encode("utf-8", "surrogateescape")
    digest = hashlib.sha256(name).hexdigest()
    return f"share-{digest[:10]}"


def folder_source(folder: LibraryFolder) -> Source:
    label = folder.path.name or str(folder.path)
    return Source(folder_key(folder.path), label, folder.path, folder.available)


def folder_entries(source: Source) -> list[CatalogueEntry]:
    """The documents of an extra library folder (empty when it cannot be read)."""
    root = source.root
    if root is None or not source.reachable:
        return []
    try:
        if (root / CATALOGUE_FILE).is_file():
            catalogue = load_catalogue(root)
            return [
                replace(
                    e,
                    id=qualify(source.key, e.id),
                    related=tuple(qualify(source.key, r) for r in e.related),
                    file=str(catalogue.path_of(e).absolute()),
                )
                for e in catalogue.entries
            ]
        return [
            _plain_entry(
                source.key, shown_path(path.relative_to(root).as_posix()), path, source.label
            )
            for path in pdfs_below(root)
        ]
    except (OSError, UserError) as exc:
        log.warning("library folder %s could not be read: %s", root, exc)
        return []


def _plain_entry(
    key: str, rel: str, path: Path, organisation: str, kind: str = FOLDER_KIND
) -> CatalogueEntry:
    return CatalogueEntry(
        id=qualify(key, rel),
        title=shown_path(path.stem.replace("_", " ")),
        organisation=organisation,
        kind=kind,
        summary=shown_path(str(path)),
        file=str(path.absolute()),
    )


def link_folder(paths: AppPaths) -> Path:
    """The folder of links through which My documents are indexed."""
    return paths.cache / "my-documents"


def mine_rel(key: str, name: str) -> str:
    """The id of a file of My documents inside the folder of links (see :func:`sync_links`)."""
    return f"{key}/{shown_path(name)}"


def mine_document(library: UserLibrary, doc_id: str | None) -> UserDocument | None:
    """The file of My documents behind the library id ``doc_id``, if it is one."""
    if doc_id is None or source_key(doc_id) != SOURCE_KEY:
        return None
    return library.get(local_id(doc_id).split("/", 1)[0])


def mine_entries(library: UserLibrary) -> list[CatalogueEntry]:
    """One entry per file of My documents; a missing file says so in its title."""
    entries = []
    for doc in library.documents():
        entry = _plain_entry(
            SOURCE_KEY, mine_rel(doc.key, doc.path.name), doc.path, MINE_LABEL, MINE_KIND
        )
        if doc.state() == MISSING:
            entry = replace(
                entry,
                title=f"{entry.title} (missing)",
                summary=f"This file is missing: {shown_path(str(doc.path))}",
            )
        entries.append(entry)
    return entries


def sync_links(library: UserLibrary, folder: Path) -> None:
    """Make ``folder`` hold one link per present file of My documents, and nothing else."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {d.key: d for d in library.documents() if d.state() != MISSING}
    for child in folder.iterdir():
        if child.name not in wanted:
            shutil.rmtree(child, ignore_errors=True)
    for key, doc in wanted.items():
        target = folder / key / doc.path.name
        if target.is_symlink() and Path(os.readlink(target)) == doc.path:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        try:
            target.symlink_to(doc.path)
        except OSError:
            try:  # no symbolic links (e.g. Windows without the privilege)
                os.link(doc.path, target)
            except OSError as exc:
                log.warning("%s cannot be indexed: %s", doc.path, exc)
