"""Any query text returns results or a plain message; never an exception, never a broken index."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecip_reader.search.results import SearchResponse
from ecip_reader.search.service import DAMAGED_MESSAGE, SearchService


def words(text: str) -> list[str]:
    return text.split(" ")


# Pieces of the query language and of the corpus, so that generated queries reach
# the parser's and the index's corners rather than only "no such word".
SYNTAX = [
    *"\"()[]{}-+*?~^:|\\/&'",
    *words("~2 OR AND NOT or title: org: kind: topic: programme: region: type: body:"),
    *[" ", "  ", "\t", "\n", "\x00", "\u202e", "\u200f", "\ufeff"],
]
WORDS = [
    *words("winter kaleidoscope dŵr gęślą رعاية ﻣﺮﺣﺒﺎ 急诊护理改进项目 急诊 sepsis the a page"),
    *words("2001 4-hour A&E re-admission nhs.uk discharg wallchart ﬁ İ ß"),
    *["x" * 60, "e\u0301"],
]
QUERIES = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from(SYNTAX + WORDS), max_size=14).map("".join),
    st.lists(st.sampled_from(SYNTAX + WORDS), max_size=14).map(" ".join),
    st.text(alphabet=st.sampled_from(list('"()-*~:|^\\ ')), max_size=30),
    st.text(min_size=400, max_size=3_000),
)
FILTERS = st.dictionaries(
    st.sampled_from(["kind", "organisation", "programme", "topic", "other", ""]),
    st.one_of(st.sampled_from(["document", "", "case-study"]), st.text(max_size=12)),
    max_size=3,
)


@pytest.fixture
def service(corpus_search: SearchService) -> SearchService:
    return corpus_search


def check(response: SearchResponse, service: SearchService) -> None:
    assert isinstance(response, SearchResponse)
    assert response.results or response.message, "neither results nor a message"
    if response.message is not None:
        assert response.message != DAMAGED_MESSAGE  # a hidden exception, not the index
        assert response.message.strip() == response.message and "\n" not in response.message
        assert "Traceback" not in response.message
    json.dumps(response.to_json())
    for hit in response.results:
        for page in hit.pages:
            assert page.page >= 1
            page.snippet_html()
    assert service.status() == "ready"


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=QUERIES, filters=FILTERS, limit=st.integers(-5, 500))
def test_any_query_gives_results_or_a_plain_message(
    service: SearchService, query: str, filters: dict[str, str], limit: int
) -> None:
    check(service.search(query, limit=limit, filters=filters), service)


def test_the_fuzzed_index_still_finds_ordinary_words(service: SearchService) -> None:
    response = service.search("winter pressures")
    assert [hit.doc_id for hit in response.results] == ["thousands-of-pages.pdf"]
