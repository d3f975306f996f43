"""Ranking as a searcher sees it: results fill up, every-word documents first,
corrections shown and reversible, accents folded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ecip_reader.search.engine import Engine
from ecip_reader.search.ranking import Ranking
from ecip_reader.search.results import SearchResponse
from ecip_reader.search.service import SearchService
from ecip_reader.search.thesaurus import Thesaurus
from ecip_reader.search.wordlist import Wordlist
from tests.support.pdfs import write_html_pdf


def ids(response: SearchResponse) -> list[str]:
    return [hit.doc_id for hit in response.results]


def test_documents_with_every_word_come_first_and_the_rest_fill_up(
    nhs_service: SearchService,
) -> None:
    # "care" and "discharge" are both in two documents; two more hold "care" only.
    response = nhs_service.search("care discharge", limit=10)
    assert set(ids(response)[:2]) == {"home-first", "care-homes"}
    assert set(ids(response)[2:]) == {"long-stays", "referrals"}
    assert response.all_words_documents == 2 and response.total_documents == 4
    assert not response.fallback_or and response.message is None
    assert all(hit.missing == () for hit in response.results[:2])
    assert all(hit.missing == ("discharge",) for hit in response.results[2:])
    # The limit is filled from the documents with some of the words.
    assert len(nhs_service.search("care discharge", limit=3).results) == 3


def test_when_no_document_has_every_word_the_others_are_ranked_and_said_so(
    nhs_service: SearchService,
) -> None:
    response = nhs_service.search("frailty ambulance")
    assert set(ids(response)) == {"long-stays", "front-door"}
    assert response.all_words_documents == 0 and response.fallback_or
    assert response.message is not None and "some of them" in response.message


def test_both_ranking_modes_put_the_page_with_every_word_first(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    folder.mkdir()
    # One page repeats "handover" many times; another has each word once.
    write_html_pdf(folder / "busy.pdf", ["handover " * 40 + "notes"], "Busy")
    write_html_pdf(folder / "both.pdf", ["handover at the bedside with triage notes"], "Both")
    service = SearchService(tmp_path / "index", folder, None)
    service.prepare()
    try:
        assert ids(service.search("handover triage"))[0] == "both.pdf"
        engine = Engine(service.index_dir, Thesaurus.load())
        try:
            for mode in ("tiers", "coordination"):
                engine.set_ranking(Ranking(mode=mode))
                response = engine.search("handover triage")
                assert ids(response) == ["both.pdf", "busy.pdf"], mode
                assert response.all_words_documents == 1
                assert response.results[1].missing == ("triage",)
        finally:
            engine.close()
    finally:
        service.close()


def test_coordination_ranks_documents_with_more_of_the_words_higher(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    folder.mkdir()
    filler = " ".join(f"word{n}" for n in range(300))
    write_html_pdf(folder / "two.pdf", [f"alpha and beta. {filler}"], "Two")
    write_html_pdf(folder / "one.pdf", ["gamma " * 30], "Gamma")
    write_html_pdf(folder / "other.pdf", [filler], "Other")
    service = SearchService(tmp_path / "index", folder, None)
    service.prepare()
    try:
        engine = Engine(service.index_dir, Thesaurus.load())
        try:
            engine.set_ranking(Ranking(mode="tiers"))  # no document has every word: plain sums
            assert ids(engine.search("alpha beta gamma")) == ["one.pdf", "two.pdf"]
            engine.set_ranking(Ranking(mode="coordination"))
            response = engine.search("alpha beta gamma")
            assert ids(response) == ["two.pdf", "one.pdf"]
            assert response.results[0].missing == ("gamma",)
            assert response.results[1].missing == ("alpha", "beta")
        finally:
            engine.close()
    finally:
        service.close()


def test_a_misspelt_word_is_corrected_visibly_and_can_be_searched_as_typed(
    nhs_service: SearchService,
) -> None:
    response = nhs_service.search("dischage")
    assert response.corrected_query == "discharge"
    assert response.as_typed_query == '"dischage"'
    assert "home-first" in ids(response)
    as_typed = nhs_service.search(response.as_typed_query)
    assert as_typed.results == () and as_typed.corrected_query is None
    assert as_typed.message == "No document contains “dischage”."
    assert as_typed.suggestion == "discharge"
    two = nhs_service.search("ambulnce handover")
    assert two.corrected_query == "ambulance handover"
    assert two.as_typed_query == '"ambulnce" handover'
    assert ids(two) == ["front-door"]
    assert nhs_service.search("discharge").corrected_query is None


def test_a_real_word_missing_from_the_collection_is_searched_as_typed(
    nhs_service: SearchService,
) -> None:
    # "hose" is one letter from "home", which the collection holds; it is a real
    # word, so it is not replaced.
    assert Wordlist.load().knows("hose")
    response = nhs_service.search("hose")
    assert response.results == () and response.corrected_query is None
    assert response.message == "No document contains “hose”."
    assert response.suggestion == "home"
    # Beside other words it simply matches nothing.
    beside = nhs_service.search("ambulance hose")
    assert ids(beside) == ["front-door"] and beside.corrected_query is None
    assert beside.results[0].missing == ("hose",)


def test_short_words_are_corrected_by_one_letter_at_most(nhs_service: SearchService) -> None:
    # "frialty" is two edits from "frailty" (a swap counts as one): corrected.
    assert nhs_service.search("frialty").corrected_query == "frailty"
    # "fral" is one letter short of "frail".
    assert nhs_service.search("fral").corrected_query == "frail"
    # "fial" is two letters from "frail" and too short for two edits.
    assert nhs_service.search("fial").corrected_query is None


@pytest.fixture(scope="module")
def accents(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchService]:
    base = tmp_path_factory.mktemp("accents")
    folder = base / "library"
    folder.mkdir()
    write_html_pdf(folder / "cymraeg.pdf", ["Mae Ysbyty Gwynedd a Thŷ Wŷn yn cydweithio."])
    write_html_pdf(folder / "welsh-plain.pdf", ["The Wyn ward report, typed without accents."])
    write_html_pdf(folder / "polski.pdf", ["Szpital w Łódź. Zażółć gęślą jaźń."])
    write_html_pdf(folder / "english.pdf", ["A visit to Lodz and its emergency department."])
    service = SearchService(base / "index", folder, None)
    service.prepare()
    yield service
    service.close()


def test_words_typed_without_accents_find_them(accents: SearchService) -> None:
    assert set(ids(accents.search("wyn"))) == {"cymraeg.pdf", "welsh-plain.pdf"}
    assert set(ids(accents.search("lodz"))) == {"polski.pdf", "english.pdf"}
    assert ids(accents.search("zazolc")) == ["polski.pdf"]
    assert ids(accents.search("gesla jazn")) == ["polski.pdf"]
    snippet = accents.search("zazolc").results[0].pages[0].segments
    assert ("Zażółć", True) in snippet


def test_exact_accents_rank_first(accents: SearchService) -> None:
    assert ids(accents.search("Łódź")) == ["polski.pdf", "english.pdf"]
    assert ids(accents.search("wŷn")) == ["cymraeg.pdf", "welsh-plain.pdf"]
    assert accents.search("Łódź").corrected_query is None


def test_the_wordlist_knows_english_and_not_typing_mistakes() -> None:
    words = Wordlist.load()
    assert len(words) > 50_000
    for word in ("trust", "else", "Assessor", "colour", "color"):
        assert words.knows(word), word
    for word in ("dischage", "asess", "zzxq"):
        assert not words.knows(word), word


def test_a_missing_wordlist_is_an_empty_one(tmp_path: Path) -> None:
    missing = Wordlist.load(tmp_path / "nothing.txt")
    assert len(missing) == 0 and not missing.knows("trust")
