"""The bundled library as shipped: every listing item, built, complete and honest."""

from __future__ import annotations

import importlib.util
import re
import tomllib
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
WEST_SUFFOLK = "West Suffolk NHS Foundation Trust"
PETERBOROUGH = "Peterborough and Stamford Hospitals NHS Foundation Trust"
UNNAMED = ""  # the listing names no organisation
BTC_TITLE = "Breaking the Cycle — "
EVENT_TITLE = "Breaking the Cycle / Perfect Week event — "

# id -> (organisation, kind, programme, the title: the listing's own words)
LISTING: dict[str, tuple[str, str, str, str]] = {
    "northern-devon-perfect-week": (
        "Northern Devon Healthcare NHS Trust",
        "case-study",
        FEATURED,
        "Making every week a perfect week in North Devon",
    ),
    "south-warwickshire-whole-system": (
        SWFT,
        "case-study",
        FEATURED,
        "A whole system approach to improving emergency care performance",
    ),
    "ipswich-ed-redesign": (
        IPSWICH,
        "case-study",
        FEATURED,
        "Ipswich Hospital: redesigning processes to improve patient flow",
    ),
    "ipswich-transfer-of-care-standards": (
        IPSWICH,
        "supporting-document",
        FEATURED,
        "Professional standards for the transfer of care for patients",
    ),
    "btc-ipswich": (IPSWICH, "case-study", BTC, BTC_TITLE + "The Ipswich Hospital NHS Trust"),
    "btc-kings-lynn": (
        KINGS_LYNN,
        "case-study",
        BTC,
        BTC_TITLE + "The Queen Elizabeth Hospital King's Lynn NHS FT",
    ),
    "btc-west-suffolk": (
        WEST_SUFFOLK,
        "case-study",
        BTC,
        BTC_TITLE + "West Suffolk Hospital NHS FT",
    ),
    "btc-james-paget": (
        "James Paget University Hospitals NHS Foundation Trust",
        "case-study",
        BTC,
        BTC_TITLE + "James Paget University Hospitals NHS FT",
    ),
    "btc-peterborough-stamford": (
        PETERBOROUGH,
        "case-study",
        BTC,
        BTC_TITLE + "Peterborough and Stamford Hospitals NHS FT",
    ),
    "btc-norfolk-norwich": (
        "Norfolk and Norwich University Hospitals NHS Foundation Trust",
        "case-study",
        BTC,
        BTC_TITLE + "Norfolk and Norwich University Hospitals NHS Foundation Trust",
    ),
    "event-breaking-the-cycle-together": (
        UNNAMED,
        "presentation",
        EVENTS,
        "Breaking the Cycle Together",
    ),
    "event-south-warwickshire": (
        SWFT,
        "presentation",
        EVENTS,
        EVENT_TITLE + "South Warwickshire NHS FT",
    ),
    "event-operations-delivery-nhse": (
        "NHS England",
        "presentation",
        EVENTS,
        EVENT_TITLE + "Operations and Delivery Directorate, NHS England",
    ),
    "event-kings-lynn": (
        KINGS_LYNN,
        "presentation",
        EVENTS,
        EVENT_TITLE + "The Queen Elizabeth Hospital King's Lynn NHS FT",
    ),
    "event-uhcw": (
        "University Hospitals Coventry and Warwickshire NHS Trust",
        "presentation",
        EVENTS,
        EVENT_TITLE + "University Hospitals Coventry & Warwickshire NHS Trust",
    ),
    "event-west-suffolk": (
        WEST_SUFFOLK,
        "presentation",
        EVENTS,
        EVENT_TITLE + "West Suffolk NHS FT",
    ),
    "event-university-of-cambridge": (
        "University of Cambridge",
        "presentation",
        EVENTS,
        EVENT_TITLE + "University of Cambridge",
    ),
    "event-peterborough-stamford": (
        PETERBOROUGH,
        "presentation",
        EVENTS,
        EVENT_TITLE + "Peterborough & Stamford Hospital NHS FT",
    ),
    "lincolnshire-trusted-assessor": (
        UNNAMED,
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
        UNNAMED,
        "case-study",
        OTHER,
        "South Manchester Rapid Response Service",
    ),
    "sw-todays-bloods-today": (SWFT, "case-study", OTHER, "Today's Bloods Today"),
    "sw-discharge-to-assess": (SWFT, "case-study", OTHER, "Discharge to Assess"),
    "single-point-of-access": (
        UNNAMED,
        "case-study",
        OTHER,
        "Easier Access, Better Care — Single Point of Access",
    ),
    "case-study-90-minute-los": (
        UNNAMED,
        "case-study",
        OTHER,
        "Case Study — 90 Minute Length of Stay",
    ),
    "case-study-reduce-los": (UNNAMED, "case-study", OTHER, "Case Study — Reduce Length of Stay"),
    "case-study-service-redesign": (UNNAMED, "case-study", OTHER, "Case Study — Service Redesign"),
    "international-comparisons": (
        UNNAMED,
        "case-study",
        OTHER,
        "International comparisons of selected service lines in seven health systems",
    ),
    "about-this-collection": (
        UNNAMED,
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
# The About document also dates the mergers it names.
ALLOWED_NUMBERS = {"2015", "16", "4", "24", "2017", "90", "10", "2018", "2022"}
# Words of the NHS vocabulary that contain a digit (and a keyboard key in the About text).
ALLOWED_TOKENS = re.compile(r"\b(?:D2A|Red2Green|F5)\b")


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(LIBRARY, verify_hashes=True)


def test_every_listing_item_is_in_the_catalogue(catalogue: Catalogue) -> None:
    assert len(catalogue) == 30
    assert sorted(e.id for e in catalogue) == sorted(LISTING)
    for entry in catalogue:
        organisation, kind, programme, title = LISTING[entry.id]
        assert (entry.title, entry.organisation, entry.kind, entry.programme) == (
            title,
            organisation,
            kind,
            programme,
        ), entry.id
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
            # The reader's edition wrote the text, never the organisation it is about.
            assert doc.metadata["author"] == "ECIP Case-Study Reader (summary edition)"
            assert entry.organisation in doc.metadata["subject"], entry.id
            assert doc.xref_get_key(doc.pdf_catalog(), "Lang") == ("string", "en-GB")
            first = " ".join(doc[0].get_text().split())
            assert entry.title in first, entry.id
            if entry.kind != "about":
                assert "SUMMARY EDITION" in first, entry.id
                assert "It is not the original document" in first, entry.id
                assert "not written or approved by the organisation" in first, entry.id
            if entry.angle:
                assert f"Editorial angle of this summary edition: {entry.angle}" in first
            # The archive is what the listing said it would be, not a promise.
            assert "Web Archive" not in first, entry.id


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
        if re.match(r"\s*(?:id|related|updated)\s*=", text):
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


def test_titles_that_name_an_organisation_carry_an_angle_of_ours(catalogue: Catalogue) -> None:
    """Breaking the Cycle studies and named decks: the listing's entry, and our angle marked."""
    for entry in catalogue:
        if entry.title.startswith((BTC_TITLE, EVENT_TITLE)):
            assert entry.angle, entry.id
            assert entry.full_title.endswith(
                f"editorial angle of this summary edition: {entry.angle}"
            )


def test_each_organisation_has_one_name_and_the_listing_spellings_are_aliases(
    catalogue: Catalogue,
) -> None:
    names = {e.organisation for e in catalogue if e.organisation}
    assert "West Suffolk Hospital NHS Foundation Trust" not in names
    assert "Peterborough & Stamford Hospitals NHS Foundation Trust" not in names
    assert not any("not named" in n.lower() for n in names)
    west_suffolk = [e for e in catalogue if e.organisation == WEST_SUFFOLK]
    assert {e.id for e in west_suffolk} == {"btc-west-suffolk", "event-west-suffolk"}
    for entry in west_suffolk:
        assert set(entry.organisation_aliases) == {
            "West Suffolk Hospital NHS FT",
            "West Suffolk NHS FT",
        }
    peterborough = catalogue.get("event-peterborough-stamford")
    assert "Peterborough & Stamford Hospital NHS FT" in peterborough.organisation_aliases


def test_the_pdf_date_is_the_sources_last_change(catalogue: Catalogue) -> None:
    for entry in catalogue:
        text = (SOURCES / f"{entry.id}.md").read_text(encoding="utf-8")
        found = re.search(r"(?m)^updated = (\d{4})-(\d{2})-(\d{2})$", text)
        assert found is not None, entry.id
        with pymupdf.open(catalogue.path_of(entry)) as doc:
            assert doc.metadata["creationDate"] == f"D:{''.join(found.groups())}000000Z"


def test_about_names_each_later_merger_and_the_editorial_rules() -> None:
    about = " ".join((SOURCES / "about-this-collection.md").read_text(encoding="utf-8").split())
    data = tomllib.loads((SOURCES / "organisations.toml").read_text(encoding="utf-8"))
    for organisation in data["organisation"]:
        if organisation.get("since"):
            assert f"{organisation['name']}** {organisation['since']}" in about
    assert "Titles are the listing's own" in about
    assert "Editorial angle of this summary edition" in about


def test_no_text_says_more_about_an_organisation_than_the_listing() -> None:
    """The sentences a reviewer must read, and outcomes the listing gives only as aims."""
    texts = " ".join(" ".join(p.read_text(encoding="utf-8").split()) for p in SOURCES.glob("*.md"))
    for claim in (
        "flow, quality and productivity all improved",
        "the national view",
        "What national teams ask",
        "ECIP (Midlands and East)",
        'health and care system"',
        "has one of the top-performing",
        "promoted nationally by",
        "is held in the UK Government Web Archive",
        "estimated date of discharge",
    ):
        assert claim not in texts, claim


def test_the_review_list_of_organisation_sentences_is_up_to_date() -> None:
    """Change a sentence about an organisation and this fails until the list is refreshed."""
    script = LIBRARY / "list_organisation_sentences.py"
    spec = importlib.util.spec_from_file_location("review_list", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    review = (LIBRARY / "organisation-sentences.md").read_text(encoding="utf-8")
    assert review.split(module.HEAD_END, 1)[1].strip() == module.generated_list().strip()
    assert "Outcome of the last review" in review
