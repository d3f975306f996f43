"""Libraries of small generated PDFs for the search tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ecip_reader.library.catalogue import (
    Catalogue,
    CatalogueEntry,
    load_catalogue,
    sha256_file,
    write_catalogue,
)
from ecip_reader.search.service import SearchService
from tests.support.pdfs import write_text_pdf

# id -> (title, organisation, kind, programme, topics, page texts)
NHS_DOCUMENTS: dict[str, tuple[str, str, str, str, list[str], list[str]]] = {
    "front-door": (
        "Streaming at the front door",
        "Ipswich Hospital NHS Trust",
        "case-study",
        "Breaking the Cycle",
        ["emergency department", "patient flow"],
        [
            "Crowding in A&E starts elsewhere in the hospital.",
            "Senior review at triage kept the 4-hour standard for eight quarters.",
            "Ambulance handover delays fell once streaming began at the front door.",
        ],
    ),
    "home-first": (
        "Home first",
        "South Warwickshire NHS Foundation Trust",
        "case-study",
        "Perfect Week",
        ["discharge", "community care"],
        [
            "Patients were discharged home and assessed there: D2A cut waiting on wards.",
            "Discharging earlier in the day freed beds for admissions.",
            "The team measured re-admission within thirty days.",
        ],
    ),
    "long-stays": (
        "Long stays and frailty",
        "West Suffolk NHS Foundation Trust",
        "presentation",
        "Perfect Week",
        ["length of stay", "frailty"],
        [
            "Reducing LOS for frail older people needs a whole-system plan.",
            "Delayed transfers of care fell after weekly reviews.",
        ],
    ),
    "care-homes": (
        "Care home placements",
        "Lincolnshire health and care system",
        "case-study",
        "Breaking the Cycle",
        ["care homes", "discharge"],
        [
            "A trusted assessor visits the ward on behalf of the care homes.",
            "Care homes accepted patients within a day of referral.",
        ],
    ),
    "referrals": (
        "One number for referrals",
        "Northern Devon Healthcare NHS Trust",
        "supporting-document",
        "Breaking the Cycle",
        ["single point of access", "community care"],
        [
            "General practitioners call a single point of access for urgent community care.",
            "The service answers within ten minutes; readmission rates were also tracked.",
        ],
    ),
}


# Other spellings of an organisation, as a listing may give them.
ALIASES = {"West Suffolk NHS Foundation Trust": ("West Suffolk Hospital NHS FT",)}


def make_nhs_library(root: Path) -> Catalogue:
    root.mkdir(parents=True, exist_ok=True)
    entries = []
    for doc_id, (title, org, kind, programme, topics, pages) in NHS_DOCUMENTS.items():
        name = f"{doc_id}.pdf"
        write_text_pdf(root / name, pages, title, org)
        entries.append(
            CatalogueEntry(
                id=doc_id,
                title=title,
                organisation=org,
                region="East of England",
                programme=programme,
                kind=kind,
                topics=tuple(topics),
                summary=pages[0],
                related=(),
                file=name,
                pages=len(pages),
                sha256=sha256_file(root / name),
                organisation_aliases=ALIASES.get(org, ()),
            )
        )
    write_catalogue(root, entries)
    return load_catalogue(root, verify_hashes=True)


@pytest.fixture(scope="module")
def nhs_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchService]:
    """A ready search service over the generated NHS library (built once per module)."""
    base = tmp_path_factory.mktemp("nhs")
    catalogue = make_nhs_library(base / "library")
    service = SearchService(base / "index", catalogue.root, catalogue)
    service.prepare()
    yield service
    service.close()


@pytest.fixture
def small_service(small_library: Catalogue, tmp_path: Path) -> Iterator[SearchService]:
    """A search service over the shared three-document fixture library (not built yet)."""
    service = SearchService(tmp_path / "index", small_library.root, small_library)
    yield service
    service.close()
