"""Relevance on the bundled library: what people look for comes up in the top three.

Each query names the document a reader would expect; typing mistakes and NHS
acronyms are included on purpose.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ecip_reader.library.catalogue import load_catalogue
from ecip_reader.paths import bundled_library_dir
from ecip_reader.search.service import SearchService

# query -> a document expected among the first three results
EXPECTED = {
    "perfect week north devon": "northern-devon-perfect-week",
    "discharge to assess": "sw-discharge-to-assess",
    "D2A": "sw-discharge-to-assess",
    "trusted assessor care homes": "lincolnshire-trusted-assessor",
    "TA": "lincolnshire-trusted-assessor",
    "single point of access": "single-point-of-access",
    "SPA": "single-point-of-access",
    "rapid response": "south-manchester-rapid-response",
    "A&E redesign": "ipswich-ed-redesign",
    "emergency department escalation protocol": "ipswich-ed-redesign",
    "ED": "ipswich-ed-redesign",
    "reduce length of stay": "case-study-reduce-los",
    "LOS": "case-study-reduce-los",
    "90 minute length of stay": "case-study-90-minute-los",
    "today's bloods today": "sw-todays-bloods-today",
    "phlebotomy": "sw-todays-bloods-today",
    "board rounds red and green days": "event-kings-lynn",
    "red2green": "event-kings-lynn",
    "SAFER": "btc-west-suffolk",
    "international comparisons": "international-comparisons",
    "queues variation flow": "event-university-of-cambridge",
    "frailty long stays": "event-west-suffolk",
    "ambulance handover": "btc-ipswich",
    "command structure": "btc-kings-lynn",
    "sustaining gains": "btc-norfolk-norwich",
    "measurement data": "btc-peterborough-stamford",
    "discharge support during escalation": "lincolnshire-discharge-support-escalation",
    "lincoln county hospital": "lincolnshire-hospital-discharge-developments",
    "transfer of care standards": "ipswich-transfer-of-care-standards",
    "service redesign": "case-study-service-redesign",
    "whole system approach": "south-warwickshire-whole-system",
    "community partners": "event-south-warwickshire",
    "four-hour standard measures to watch": "event-operations-delivery-nhse",
    "about this collection": "about-this-collection",
    # misspelt
    "dischage to asess": "sw-discharge-to-assess",
    "trusted assesor": "lincolnshire-trusted-assessor",
    "internatonal comparisons": "international-comparisons",
    "phlebotmy": "sw-todays-bloods-today",
    # fields
    "kind:presentation west suffolk": "event-west-suffolk",
    "org:peterborough": "btc-peterborough-stamford",
    'title:"breaking the cycle together"': "event-breaking-the-cycle-together",
}


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchService]:
    root = bundled_library_dir()
    catalogue = load_catalogue(root)
    service = SearchService(tmp_path_factory.mktemp("bundled-index"), root, catalogue)
    service.prepare()
    yield service
    service.close()


@pytest.mark.parametrize(("query", "expected"), sorted(EXPECTED.items()))
def test_the_expected_document_is_in_the_top_three(
    bundled: SearchService, query: str, expected: str
) -> None:
    top = [hit.doc_id for hit in bundled.search(query, limit=3).results]
    assert expected in top, (query, top)


def test_misspellings_are_corrected_and_said_so(bundled: SearchService) -> None:
    assert bundled.search("dischage to asess").corrected_query == "discharge to assess"
    assert bundled.search("trusted assesor").corrected_query == "trusted assessor"
    assert bundled.search("trusted assessor").corrected_query is None


def test_acronyms_and_their_spelled_out_forms_find_the_same_documents(
    bundled: SearchService,
) -> None:
    for short, long in (("D2A", "discharge to assess"), ("LOS", "length of stay"), ("ED", "A&E")):
        a = {hit.doc_id for hit in bundled.search(short, limit=5).results}
        b = {hit.doc_id for hit in bundled.search(long, limit=5).results}
        assert len(a & b) >= 3, (short, long)


def test_facets_count_kinds_of_documents(bundled: SearchService) -> None:
    response = bundled.search("breaking the cycle", limit=50)
    kinds = response.facets["kind"]
    assert kinds["presentation"] >= 3 and kinds["case-study"] >= 5
    assert sum(kinds.values()) == response.total_documents


def test_more_like_this_stays_on_topic(bundled: SearchService) -> None:
    related = bundled.more_like_this("sw-discharge-to-assess", limit=5)
    assert len(related) == 5 and "sw-discharge-to-assess" not in related
    assert {"lincolnshire-hospital-discharge-developments", "btc-james-paget"} & set(related)
