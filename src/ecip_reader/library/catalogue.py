"""The catalogue of a library: ``catalogue.json`` beside its PDFs.

The bundled library ships one (written by the library build); folders of the
user's own PDFs have none and are described from the files themselves by the
search indexer. :func:`load_catalogue` validates every entry and names the
entry and field when something is wrong.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecip_reader.errors import CatalogueError
from ecip_reader.fileio import NotAFile, open_regular

CATALOGUE_FILE = "catalogue.json"
CATALOGUE_FORMAT = 1
KINDS = ("case-study", "presentation", "supporting-document", "about")

_TEXT_FIELDS = ("id", "title", "programme", "kind", "summary", "file")
# Text that may be empty: a document whose organisation the listing does not name.
_OPTIONAL_TEXT = ("organisation", "region", "angle")
ANGLE_LABEL = "Editorial angle of this summary edition"
NO_ORGANISATION = "Organisation not named"


@dataclass(frozen=True, kw_only=True)
class CatalogueEntry:
    """One document: the record the catalogue, the search index and the window share.

    A catalogued library fills every field; a document known only as a file
    (a plain folder, My documents) has an id, a title, a kind and its file.
    """

    id: str
    title: str
    organisation: str = ""
    region: str = ""
    programme: str = ""
    kind: str = ""
    topics: tuple[str, ...] = ()
    summary: str = ""
    related: tuple[str, ...] = ()
    file: str = ""
    pages: int = 0
    sha256: str = ""
    # The angle a summary edition chose for itself (its subtitle), when it chose one.
    angle: str = ""
    # Other names of the organisation (as a listing spelt it), found by search too.
    organisation_aliases: tuple[str, ...] = ()

    @property
    def full_title(self) -> str:
        """The title with the edition's own angle, wherever a title is shown in full."""
        return f"{self.title} — {ANGLE_LABEL.lower()}: {self.angle}" if self.angle else self.title

    @property
    def shown_organisation(self) -> str:
        return self.organisation or NO_ORGANISATION

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "organisation": self.organisation,
            "region": self.region,
            "programme": self.programme,
            "kind": self.kind,
            "topics": list(self.topics),
            "summary": self.summary,
            "related": list(self.related),
            "file": self.file,
            "pages": self.pages,
            "sha256": self.sha256,
            "angle": self.angle,
            "organisation_aliases": list(self.organisation_aliases),
        }


@dataclass(frozen=True)
class Catalogue:
    root: Path
    entries: tuple[CatalogueEntry, ...]
    digest: str  # SHA-256 of catalogue.json: changes whenever any entry changes

    def __iter__(self) -> Iterator[CatalogueEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, doc_id: str) -> CatalogueEntry:
        for entry in self.entries:
            if entry.id == doc_id:
                return entry
        raise KeyError(doc_id)

    def path_of(self, entry: CatalogueEntry) -> Path:
        return self.root / entry.file


def sha256_file(path: Path) -> str:
    """The SHA-256 of a regular file; :class:`~ecip_reader.fileio.NotAFile` for anything else."""
    digest = hashlib.sha256()
    with open_regular(path) as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _entry(raw: object, position: int) -> CatalogueEntry:
    if not isinstance(raw, dict):
        raise CatalogueError(f"Catalogue entry {position} is not an object.")
    name = raw.get("id") if isinstance(raw.get("id"), str) else f"number {position}"

    def fail(field: str, why: str) -> CatalogueError:
        return CatalogueError(f"Catalogue entry {name!r}: field {field!r} {why}.")

    for field in _TEXT_FIELDS:
        value = raw.get(field)
        if not isinstance(value, str) or not value.strip():
            raise fail(field, "is missing or empty")
    for field in _OPTIONAL_TEXT:
        if not isinstance(raw.get(field, ""), str):
            raise fail(field, "must be text")
    for field in ("topics", "related", "organisation_aliases"):
        value = raw.get(field, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(field, "must be a list of strings")
    pages = raw.get("pages")
    if not isinstance(pages, int) or isinstance(pages, bool) or pages < 1:
        raise fail("pages", "must be a whole number of at least 1")
    sha = raw.get("sha256")
    if not isinstance(sha, str) or len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
        raise fail("sha256", "must be 64 lower-case hexadecimal digits")
    if raw["kind"] not in KINDS:
        raise fail("kind", f"must be one of {', '.join(KINDS)}")
    if "/" in raw["file"] or "\\" in raw["file"] or raw["file"].startswith("."):
        raise fail("file", "must be a plain file name")
    return CatalogueEntry(
        id=raw["id"],
        title=raw["title"],
        organisation=raw.get("organisation", ""),
        region=raw.get("region", ""),
        programme=raw["programme"],
        kind=raw["kind"],
        topics=tuple(raw["topics"]),
        summary=raw["summary"],
        related=tuple(raw["related"]),
        file=raw["file"],
        pages=pages,
        sha256=sha,
        angle=raw.get("angle", ""),
        organisation_aliases=tuple(raw.get("organisation_aliases", [])),
    )


def load_catalogue(root: Path, verify_hashes: bool = False) -> Catalogue:
    """Read and validate ``root/catalogue.json``.

    Every file must exist; with ``verify_hashes`` its SHA-256 must match too.
    Raises :class:`CatalogueError` naming the entry and the field at fault.
    """
    path = root / CATALOGUE_FILE
    try:
        with open_regular(path) as handle:
            raw_bytes = handle.read()
    except FileNotFoundError as exc:
        raise CatalogueError(f"The library at {root} has no {CATALOGUE_FILE}.") from exc
    except NotAFile as exc:
        raise CatalogueError(f"Cannot read {path}: it {exc.reason}.") from exc
    except OSError as exc:
        raise CatalogueError(f"Cannot read {path}: {exc.strerror}.") from exc
    try:
        data = json.loads(raw_bytes.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise CatalogueError(f"{path} is not valid JSON: {exc}.") from exc
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise CatalogueError(f"{path} must hold an object with a 'documents' list.")
    if data.get("format") != CATALOGUE_FORMAT:
        raise CatalogueError(
            f"{path} has format {data.get('format')!r}; expected {CATALOGUE_FORMAT}."
        )
    entries = tuple(_entry(raw, i + 1) for i, raw in enumerate(data["documents"]))
    seen: set[str] = set()
    for entry in entries:
        if entry.id in seen:
            raise CatalogueError(f"Catalogue entry {entry.id!r} appears twice.")
        seen.add(entry.id)
    for entry in entries:
        for other in entry.related:
            if other not in seen:
                raise CatalogueError(
                    f"Catalogue entry {entry.id!r}: field 'related' names unknown id {other!r}."
                )
        file_path = root / entry.file
        if not file_path.is_file():
            raise CatalogueError(
                f"Catalogue entry {entry.id!r}: field 'file' names {entry.file}, which is missing."
            )
        if verify_hashes and sha256_file(file_path) != entry.sha256:
            raise CatalogueError(
                f"Catalogue entry {entry.id!r}: field 'sha256' does not match {entry.file}; "
                "the file has been changed or damaged."
            )
    return Catalogue(root, entries, hashlib.sha256(raw_bytes).hexdigest())


def write_catalogue(root: Path, entries: list[CatalogueEntry]) -> Path:
    """Write ``catalogue.json`` (stable order and formatting, so the build is deterministic)."""
    from ecip_reader.fileio import atomic_write_text

    payload = {"format": CATALOGUE_FORMAT, "documents": [e.to_json() for e in entries]}
    path = root / CATALOGUE_FILE
    atomic_write_text(path, json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    return path
