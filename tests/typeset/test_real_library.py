"""The bundled library as shipped: every listing item, built, complete and honest."""

from __future__ import annotations

import re
from pathlib import Path

import pymupdf
import pytest

from ecip_reader.library.catalogue import Catalogue, load_catalogue
from ecip_reader.paths import install_root

LIBRARY = install_root() / "bundled_library"
SOURCES = LIBRARY / "sources"

FEATURED = "ECIP featured case studies"
BTC = "Breaking the Cycle case studies"
EVENTS = "Breaking the Cycle and Perfect Week events"
OTHER = "Other ECIP and non-ECIP case studies"
IPSWICH = "The Ipswich Hospital NHS Trust"
KINGS_LYNN = "The Queen Elizabeth Hospital King's Lynn NHS Foundation Trust"
SWFT = "South Warwickshire NHS Foundation Trust"
ULHT = "United Lincolnshire Hospitals NHS Trust"
UNNAMED = "Not named in the listing"

# id -> (organisation, kind, programme, words the title must hold or None)
LISTING: dict[str, tuple[str, str, str, str | None]] = {
    "northern-devon-perfect-week": (
        "Northern Devon Healthcare NHS Trust",
        "case-study",
        FEATURED,
        "Making every week a Perfect Week in North Devon",
    ),
    "south-warwickshire-whole-system": (SWFT, "case-study", FEATURED, "whole-system approach"),
    "ipswich-ed-redesign": (IPSWICH, "case-study", FEATURED, "escalation protocol"),
    "ipswich-transfer-of-care-standards": (
        IPSWICH,
        "supporting-document",
        FEATURED,
        "standards for the transfer of care",
    ),
    "btc-ipswich": (IPSWICH, "case-study", BTC, None),
    "btc-kings-lynn": (KINGS_LYNN, "case-study", BTC, None),
    "btc-west-suffolk": ("West Suffolk Hospital NHS Foundation Trust", "case-study", BTC, None),
    "btc-james-paget": (
        "James Paget University Hospitals NHS Foundation Trust",
        "case-study",
        BTC,
        None,
    ),
    "btc-peterborough-stamford": (
        "Peterborough and Stamford Hospitals NHS Foundation Trust",
        "case-study",
        BTC,
        None,
    ),
    "btc-norfolk-norwich": (
        "Norfolk and Norwich University Hospitals NHS Foundation Trust",
        "case-study",
        BTC,
        None,
    ),
    "event-breaking-the-cycle-together": (
        "ECIP (Midlands and East)",
        "presentation",
        EVENTS,
        "Breaking the Cycle Together",
    ),
    "event-south-warwickshire": (SWFT, "presentation", EVENTS, None),
    "event-operations-delivery-nhse": (
        "Operations and Delivery Directorate, NHS England",
        "presentation",
        EVENTS,
        None,
    ),
    "event-kings-lynn": (KINGS_LYNN, "presentation", EVENTS, None),
    "event-uhcw": (
        "University Hospitals Coventry & Warwickshire NHS Trust",
        "presentation",
        EVENTS,
        None,
    ),
    "event-west-suffolk": ("West Suffolk NHS Foundation Trust", "presentation", EVENTS, None),
    "event-university-of-cambridge": ("University of Cambridge", "presentation", EVENTS, None),
    "event-peterborough-stamford": (
        "Peterborough & Stamford Hospitals NHS Foundation Trust",
        "presentation",
        EVENTS,
        None,
    ),
    "lincolnshire-trusted-assessor": (
        "Lincolnshire health and care system",
        "case-study",
        OTHER,
        "Lincolnshire Care Home Trusted Assessor Project",
    ),
    "lincolnshire-discharge-support-escalation": (
        ULHT,
        "supporting-document",
        OTHER,
        "Discharge Support During Escalation at ULHT",
    ),
    "lincolnshire-hospital-discharge-developments": (
        ULHT,
        "supporting-document",
        OTHER,
        "Hospital Discharge Developments, Lincoln County Hospital",
    ),
    "south-manchester-rapid-response": (
        "South Manchester health and care system",
        "case-study",
        OTHER,
        "South Manchester Rapid Response Service",
    ),
    "sw-todays-bloods-today": (SWFT, "case-study", OTHER, "Today's Bloods Today"),
    "sw-discharge-to-assess": (SWFT, "case-study", OTHER, "Discharge to Assess"),
    "single-point-of-access": (UNNAMED, "case-study", OTHER, "Single Point of Access"),
    "case-study-90-minute-los": (UNNAMED, "case-study", OTHER, "90 Minute Length of Stay"),
    "case-study-reduce-los": (UNNAMED, "case-study", OTHER, "Reduce Length of Stay"),
    "case-study-service-redesign": (UNNAMED, "case-study", OTHER, "Service Redesign"),
    "international-comparisons": (
        UNNAMED,
        "case-study",
        OTHER,
        "International comparisons of selected service lines in seven health systems",
    ),
    "about-this-collection": (
        "Emergency Care Improvement Programme",
        "about",
        "About this collection",
        "About this collection",
    ),
}

PAGES = {
    "case-study": (3, 6),
    "presentation": (8, 14),
    "supporting-document": (2, 3),
    "about": (2, 8),
}

# Digit runs that are facts of the listing or generic method facts.
ALLOWED_NUMBERS = {"2015", "16", "4", "24", "2017", "90", "10"}
# Words of the NHS vocabulary that contain a digit (and a keyboard key in the About text).
ALLOWED_TOKENS = re.compile(r"\b(?:D2A|Red2Green|F5)\b")


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(LIBRARY, verify_hashes=True)


def test_every_listing_item_is_in_the_catalogue(catalogue: Catalogue) -> None:
    assert len(catalogue) == 30
    assert sorted(e.id for e in catalogue) == sorted(LISTING)
    for entry in catalogue:
        organisation, kind, programme, title_words = LISTING[entry.id]
        assert (entry.organisation, entry.kind, entry.programme) == (
            organisation,
            kind,
            programme,
        ), entry.id
        if title_words is not None:
            assert title_words.lower() in entry.title.lower(), entry.id
        assert entry.file == f"{entry.id}.pdf"
        assert 3 <= len(entry.topics) <= 6, entry.id
        assert all(other in LISTING for other in entry.related), entry.id


def test_every_source_is_built() -> None:
    assert sorted(p.stem for p in SOURCES.glob("*.md")) == sorted(LISTING)


def test_every_pdf_reads_well(catalogue: Catalogue) -> None:
    for entry in catalogue:
        with pymupdf.open(catalogue.path_of(entry)) as doc:
            assert doc.page_count == entry.pages, entry.id
            low, high = PAGES[entry.kind]
            assert low <= doc.page_count <= high, f"{entry.id}: {doc.page_count} pages"
            for number, page in enumerate(doc, start=1):
                assert len(page.get_text().split()) >= 10, f"{entry.id} page {number}"
            assert doc.get_toc(), entry.id
            assert doc.metadata["title"] == entry.title
            assert doc.metadata["author"] == entry.organisation
            first = " ".join(doc[0].get_text().split())
            assert "Summary edition prepared for the ECIP Case-Study Reader" in first, entry.id
            assert "UK Government Web Archive" in first, entry.id


def test_doc_links_point_at_documents_of_the_collection(catalogue: Catalogue) -> None:
    files = {entry.file for entry in catalogue}
    for entry in catalogue:
        with pymupdf.open(catalogue.path_of(entry)) as doc:
            for page in doc:
                for link in page.get_links():
                    assert link["kind"] in (pymupdf.LINK_GOTO, pymupdf.LINK_GOTOR), entry.id
                    if link["kind"] == pymupdf.LINK_GOTOR:
                        assert link["file"] in files, f"{entry.id}: {link['file']}"


def _digit_runs(path: Path) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = re.sub(r"^\s*\d+\.\s", "", line)  # numbered-list markers
        text = re.sub(r"doc:[a-z0-9-]+", "", text)
        if re.match(r"\s*(?:id|related)\s*=", text):
            continue
        text = ALLOWED_TOKENS.sub("", text)
        found.extend((number, run) for run in re.findall(r"\d+", text))
    return found


def test_sources_use_only_numbers_from_the_listing() -> None:
    invented = [
        f"{path.name}:{line}: {run}"
        for path in sorted(SOURCES.glob("*.md"))
        for line, run in _digit_runs(path)
        if run not in ALLOWED_NUMBERS
    ]
    assert invented == []
