"""Checks of a whole collection of sources: hard errors and editorial warnings.

Errors stop the build: a ``related`` id or a ``doc:`` link naming a document
that has no source. Warnings are printed and the build goes on: lengths,
page counts, topic counts and missing sections that the writing guide asks
for, so writers see at once where a text falls short.
"""

from __future__ import annotations

from collections.abc import Iterable

from ecip_reader.typeset.model import Box, SourceDocument
from ecip_reader.typeset.organisations import ORGANISATIONS_FILE, Organisation
from ecip_reader.typeset.sources import SourceError

# kind -> (fewest words, most words, fewest pages, most pages)
LIMITS: dict[str, tuple[int, int, int, int]] = {
    "case-study": (1200, 2500, 3, 6),
    "supporting-document": (700, 1200, 2, 3),
    "presentation": (0, 100_000, 8, 14),
}
CASE_STUDY_SECTIONS = (
    "Context",
    "The approach",
    "Principles",
    "What another trust could take from it",
    "Questions for discussion",
    "Related documents in this collection",
)


def _line_of_field(doc: SourceDocument, key: str) -> int:
    try:
        lines = doc.path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1
    for number, line in enumerate(lines, start=1):
        if line.lstrip().startswith(f"{key} ") or line.lstrip().startswith(f"{key}="):
            return number
    return 1


def cross_reference_errors(docs: Iterable[SourceDocument], known: set[str]) -> list[SourceError]:
    """Every ``related`` id and ``doc:`` link that names no document of the collection."""
    errors: list[SourceError] = []
    for doc in docs:
        for other in doc.meta.related:
            if other not in known:
                line = _line_of_field(doc, "related")
                errors.append(SourceError(doc.path, line, f"'related' names unknown id '{other}'"))
        for link, line in doc.links():
            if not link.is_internal and link.doc_id not in known:
                errors.append(
                    SourceError(doc.path, line, f"the link '{link.target}' names no document")
                )
    return errors


def organisation_errors(
    docs: Iterable[SourceDocument], organisations: dict[str, Organisation]
) -> list[SourceError]:
    """Front matter naming an organisation that ``organisations.toml`` does not list.

    Without that file (a collection of one's own) any organisation is accepted.
    """
    if not organisations:
        return []
    return [
        SourceError(
            doc.path,
            _line_of_field(doc, "organisation"),
            f"the organisation '{doc.meta.organisation}' is not one of the names in "
            f"{ORGANISATIONS_FILE}",
        )
        for doc in docs
        if doc.meta.organisation and doc.meta.organisation not in organisations
    ]


def editorial_warnings(doc: SourceDocument, pages: int | None = None) -> list[str]:
    """Where ``doc`` departs from the writing guide (length, sections, topics)."""
    name = doc.path.name
    warnings: list[str] = []
    meta = doc.meta
    if not 3 <= len(meta.topics) <= 6:
        warnings.append(f"{name}: has {len(meta.topics)} topics; the guide asks for 3 to 6")
    if not meta.related:
        warnings.append(f"{name}: names no related documents")
    limits = LIMITS.get(meta.kind)
    if limits is None:
        return warnings
    fewest_words, most_words, fewest_pages, most_pages = limits
    if meta.kind != "presentation":
        words = doc.word_count()
        if not fewest_words <= words <= most_words:
            warnings.append(
                f"{name}: {words} words; a {meta.kind} should have {fewest_words}–{most_words}"
            )
    if pages is not None and not fewest_pages <= pages <= most_pages:
        warnings.append(
            f"{name}: {pages} pages; a {meta.kind} should have {fewest_pages}–{most_pages}"
        )
    headings = {h.text for h in doc.headings if h.level == 1}
    if meta.kind == "case-study":
        missing = [s for s in CASE_STUDY_SECTIONS if s not in headings]
        if missing:
            warnings.append(f"{name}: missing section(s) {', '.join(missing)}")
    boxes = [b for b in doc.blocks if isinstance(b, Box)]
    if meta.kind in ("case-study", "supporting-document") and not any(
        b.kind == "summary" for b in boxes
    ):
        warnings.append(f"{name}: has no ':::summary' box")
    return warnings
