"""Build the library: every source → ``<id>.pdf``, then ``catalogue.json``.

All sources are parsed and cross-checked before anything is written, so a
faulty source never leaves a half-updated library behind. With ``only``, just
those documents are typeset; the catalogue is still written for the whole
collection, reusing the PDFs already in the output folder for the rest.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ecip_reader.errors import UserError, describe_os_error
from ecip_reader.fileio import atomic_write_bytes
from ecip_reader.library.catalogue import (
    CatalogueEntry,
    load_catalogue,
    sha256_file,
    write_catalogue,
)
from ecip_reader.typeset.checks import (
    cross_reference_errors,
    editorial_warnings,
    organisation_errors,
)
from ecip_reader.typeset.model import KINDS, SourceDocument
from ecip_reader.typeset.organisations import Organisation, read_organisations
from ecip_reader.typeset.slides import split_slides
from ecip_reader.typeset.sources import SourceError, read_source

# The order of the catalogue: programmes as the listing presents them.
PROGRAMME_ORDER = (
    "ECIP featured case studies",
    "Breaking the Cycle case studies",
    "Breaking the Cycle and Perfect Week events",
    "Other ECIP and non-ECIP case studies",
    "About this collection",
)


class SourceProblems(UserError):
    """One or more sources are malformed; ``errors`` names each file and line."""

    def __init__(self, errors: list[SourceError]) -> None:
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        super().__init__(f"{errors[0]}{more}")
        self.errors = errors


@dataclass(frozen=True)
class Built:
    entry: CatalogueEntry
    seconds: float
    typeset: bool  # False when an existing PDF was reused (``only`` builds)


@dataclass
class TypesetReport:
    output: Path
    documents: list[Built] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def pages(self) -> int:
        return sum(b.entry.pages for b in self.documents)


def typeset(doc: SourceDocument) -> tuple[bytes, int]:
    """The finished PDF bytes of one document and its page count."""
    from ecip_reader.typeset.finish import finish
    from ecip_reader.typeset.layout import typeset_pages
    from ecip_reader.typeset.slides import typeset_slides

    layout = typeset_slides(doc) if doc.meta.kind == "presentation" else typeset_pages(doc)
    return finish(layout, doc.meta), layout.pages


def read_sources(sources: Path) -> list[SourceDocument]:
    """Parse and cross-check every ``*.md`` in ``sources``; raise :class:`SourceProblems`."""
    try:
        paths = sorted(p for p in sources.iterdir() if p.suffix == ".md" and p.is_file())
    except OSError as exc:
        raise UserError(describe_os_error(exc, "the library sources")) from exc
    if not paths:
        raise UserError(f"There are no .md sources in {sources}.")
    docs: list[SourceDocument] = []
    errors: list[SourceError] = []
    for path in paths:
        try:
            docs.append(read_source(path))
        except SourceError as exc:
            errors.append(exc)
    known = {p.stem for p in paths}
    errors.extend(cross_reference_errors(docs, known))
    try:
        organisations = read_organisations(sources)
    except SourceError as exc:
        errors.append(exc)
    else:
        errors.extend(organisation_errors(docs, organisations))
    for doc in docs:
        if doc.meta.kind == "presentation":
            try:
                split_slides(doc)
            except SourceError as exc:
                errors.append(exc)
    if errors:
        raise SourceProblems(errors)
    return docs


def _entry(
    doc: SourceDocument, pages: int, pdf: Path, organisations: dict[str, Organisation]
) -> CatalogueEntry:
    meta = doc.meta
    known = organisations.get(meta.organisation)
    return CatalogueEntry(
        id=meta.id,
        title=meta.title,
        organisation=meta.organisation,
        region=meta.region,
        programme=meta.programme,
        kind=meta.kind,
        topics=meta.topics,
        summary=meta.summary,
        related=meta.related,
        file=pdf.name,
        pages=pages,
        sha256=sha256_file(pdf),
        angle=meta.angle,
        organisation_aliases=known.aliases if known is not None else (),
    )


def _existing_pages(output: Path) -> dict[str, int]:
    try:
        catalogue = load_catalogue(output)
    except UserError:
        return {}
    return {e.id: e.pages for e in catalogue.entries}


def sort_key(entry: CatalogueEntry) -> tuple[int, int, str]:
    rank = PROGRAMME_ORDER.index(entry.programme) if entry.programme in PROGRAMME_ORDER else 99
    return (rank, KINDS.index(entry.kind), entry.id)


def _typeset_all(
    docs: list[SourceDocument], wanted: Callable[[SourceDocument], bool]
) -> dict[str, tuple[bytes, int, float]]:
    """Typeset the wanted documents in memory: id -> (PDF bytes, pages, seconds)."""
    done: dict[str, tuple[bytes, int, float]] = {}
    errors: list[SourceError] = []
    for doc in docs:
        if not wanted(doc):
            continue
        started = time.perf_counter()
        try:
            data, pages = typeset(doc)
        except SourceError as exc:  # a slide too full to fit, for example
            errors.append(exc)
            continue
        done[doc.meta.id] = (data, pages, time.perf_counter() - started)
    if errors:
        raise SourceProblems(errors)
    return done


def build_library(
    sources: Path,
    output: Path,
    only: Sequence[str] = (),
    progress: Callable[[int, int, Built], None] | None = None,
) -> TypesetReport:
    """Build the PDFs and the catalogue; ``progress(i, n, built)`` after each document.

    Nothing is written unless every wanted document typesets cleanly.
    """
    started = time.perf_counter()
    docs = read_sources(sources)
    ids = {d.meta.id for d in docs}
    unknown = [i for i in only if i not in ids]
    if unknown:
        raise UserError(f"There is no source for {', '.join(unknown)} in {sources}.")
    previous = _existing_pages(output) if only else {}
    organisations = read_organisations(sources)

    def wanted(doc: SourceDocument) -> bool:
        pdf = output / f"{doc.meta.id}.pdf"
        keep = doc.meta.id in previous and pdf.is_file()
        return not only or doc.meta.id in only or not keep

    typeset_docs = _typeset_all(docs, wanted)
    report = TypesetReport(output)
    for number, doc in enumerate(docs, start=1):
        pdf = output / f"{doc.meta.id}.pdf"
        if doc.meta.id in typeset_docs:
            data, pages, seconds = typeset_docs[doc.meta.id]
            try:
                atomic_write_bytes(pdf, data)
            except OSError as exc:
                raise UserError(describe_os_error(exc, pdf.name)) from exc
            done = Built(_entry(doc, pages, pdf, organisations), seconds, True)
        else:
            done = Built(_entry(doc, previous[doc.meta.id], pdf, organisations), 0.0, False)
        report.documents.append(done)
        report.warnings.extend(editorial_warnings(doc, done.entry.pages))
        if progress is not None:
            progress(number, len(docs), done)
    stale = sorted(p.name for p in output.glob("*.pdf") if p.stem not in ids)
    report.warnings.extend(f"{name}: has no source and is not in the catalogue" for name in stale)
    entries = sorted((b.entry for b in report.documents), key=sort_key)
    try:
        write_catalogue(output, entries)
    except OSError as exc:
        raise UserError(describe_os_error(exc, "the catalogue")) from exc
    load_catalogue(output, verify_hashes=True)  # the written catalogue must read back clean
    report.seconds = time.perf_counter() - started
    return report
