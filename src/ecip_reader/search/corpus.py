"""What an index is built from: a catalogued library, or any folder of PDFs.

A catalogued library is identified by its catalogue's digest. A plain folder
has no catalogue: its PDFs are found by walking it, identified by their path
inside the folder, and recognised as unchanged by size and modification time
(and, when those changed, by their SHA-256).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from ecip_reader.fileio import shown_path
from ecip_reader.library.catalogue import CATALOGUE_FILE, Catalogue, CatalogueEntry, load_catalogue
from ecip_reader.text import clean_text

FOLDER_KIND = "document"


@dataclass(frozen=True)
class FileState:
    """A PDF of a folder library as seen on disk."""

    path: Path
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Corpus:
    root: Path
    catalogue: Catalogue | None

    @classmethod
    def at(cls, root: Path) -> Corpus:
        """The library in ``root``: catalogued when it holds a catalogue, else a plain folder."""
        root = root.resolve()
        if (root / CATALOGUE_FILE).is_file():
            return cls(root, load_catalogue(root))
        return cls(root, None)

    @property
    def kind(self) -> str:
        return "catalogue" if self.catalogue is not None else "folder"

    def scan(self) -> dict[str, FileState]:
        """Every PDF below a folder library (hidden folders skipped), by its path
        inside the folder with "/" separators, which is also its document id.

        A name that is a broken link or a link loop is listed too (with size -1),
        so the indexer says what is wrong with it; it is looked at again once
        the link leads to a file.
        """
        found: dict[str, FileState] = {}
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith(".") or not name.lower().endswith(".pdf"):
                    continue
                path = Path(dirpath) / name
                try:
                    info = path.stat()
                except OSError:
                    if not path.is_symlink():
                        continue  # gone since the folder was listed
                    found[document_id(path, self.root)] = FileState(path, -1, 0)
                    continue
                found[document_id(path, self.root)] = FileState(
                    path, info.st_size, info.st_mtime_ns
                )
        return found


def document_id(path: Path, root: Path) -> str:
    """The id of a PDF of a folder library: its path inside ``root``, with "/" separators.

    Bytes of a name that are not UTF-8 are written as ``\\xff`` escapes, so the id
    can be stored, searched and printed.
    """
    return shown_path(path.relative_to(root).as_posix())


def entry_meta(entry: CatalogueEntry, pages: int) -> CatalogueEntry:
    """What the index keeps of a catalogued document: the entry, with its page count."""
    return replace(entry, pages=pages)


_WORD_PREFIX = re.compile(r"^(microsoft (word|powerpoint|excel) - )", re.IGNORECASE)
_JUNK_TITLES = {"untitled", "title", "document", "slide 1", "presentation", "pdf"}


def folder_title(rel: str, metadata_title: str) -> str:
    """The title of a PDF with no catalogue: its metadata title when it is a real one."""
    title = _WORD_PREFIX.sub("", clean_text(metadata_title)).strip()
    name = rel.rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0]
    looks_like_a_file = re.fullmatch(
        r"[\w.-]+\.(docx?|pptx?|xlsx?|pdf|tex|dvi|indd)", title, re.IGNORECASE
    )
    if (
        len(title) >= 3
        and title.lower() not in _JUNK_TITLES
        and title.lower() != name.lower()
        and not looks_like_a_file
    ):
        return title
    words = re.sub(r"[_\-]+", " ", stem).strip()
    return words or name


def folder_meta(rel: str, metadata_title: str, pages: int) -> CatalogueEntry:
    """A PDF of a plain folder, known by its path in the folder."""
    return CatalogueEntry(
        id=rel, title=folder_title(rel, metadata_title), kind=FOLDER_KIND, file=rel, pages=pages
    )
