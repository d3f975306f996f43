"""A small library of real PDFs with a catalogue, made on the fly for tests."""

from __future__ import annotations

from pathlib import Path

import pymupdf

from ecip_reader.library.catalogue import (
    Catalogue,
    CatalogueEntry,
    load_catalogue,
    sha256_file,
    write_catalogue,
)

# id -> (title, organisation, kind, topics, pages of text)
DOCUMENTS: dict[str, tuple[str, str, str, list[str], list[str]]] = {
    "perfect-week": (
        "Making every week a Perfect Week",
        "Northern Devon Healthcare NHS Trust",
        "case-study",
        ["perfect week", "patient flow"],
        [
            "A Perfect Week concentrates senior attention on patient flow for seven days.",
            "Ward teams review every patient each morning and remove delays to discharge.",
            "The trust kept the Perfect Week way of working in day-to-day practice.",
        ],
    ),
    "discharge-to-assess": (
        "Discharge to Assess",
        "South Warwickshire NHS Foundation Trust",
        "case-study",
        ["discharge", "community care"],
        [
            "Discharge to assess moves people home once they are medically fit.",
            "Assessment of longer-term needs happens at home, not on a hospital ward.",
        ],
    ),
    "breaking-the-cycle": (
        "Breaking the Cycle Together",
        "NHS England",
        "presentation",
        ["breaking the cycle", "escalation"],
        [
            "Breaking the Cycle is a step change in emergency care over one week.",
            "The emergency department and the wards work to one escalation plan.",
        ],
    ),
}


def make_test_library(root: Path) -> Catalogue:
    """Write three small PDFs and a valid catalogue into ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    entries: list[CatalogueEntry] = []
    for doc_id, (title, org, kind, topics, pages) in DOCUMENTS.items():
        doc = pymupdf.open()
        for text in pages:
            page = doc.new_page(width=595, height=842)
            page.insert_text((72, 72), title, fontsize=16)
            page.insert_textbox(pymupdf.Rect(72, 100, 523, 770), text, fontsize=11)
        doc.set_metadata({"title": title, "author": org})
        file_name = f"{doc_id}.pdf"
        doc.save(root / file_name, deflate=True)
        doc.close()
        entries.append(
            CatalogueEntry(
                id=doc_id,
                title=title,
                organisation=org,
                region="England",
                programme="Test programme",
                kind=kind,
                topics=tuple(topics),
                summary=pages[0],
                related=(),
                file=file_name,
                pages=len(pages),
                sha256=sha256_file(root / file_name),
            )
        )
    write_catalogue(root, entries)
    return load_catalogue(root, verify_hashes=True)
