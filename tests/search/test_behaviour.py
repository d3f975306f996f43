"""What a person searching notices: which documents come back, in what order, with what snippets."""

from __future__ import annotations

from ecip_reader.search.combined import merge
from ecip_reader.search.results import SearchResponse
from ecip_reader.search.service import SearchService


def ids(response: SearchResponse) -> list[str]:
    return [hit.doc_id for hit in response.results]


def marked(response: SearchResponse) -> set[str]:
    return {
        text.lower()
        for hit in response.results
        for page in hit.pages
        for text, is_match in page.segments
        if is_match
    }


def test_english_stemming_matches_every_form_of_a_word(nhs_service: SearchService) -> None:
    for form in ("discharge", "discharged", "discharging"):
        assert set(ids(nhs_service.search(form))) >= {"home-first"}, form
    response = nhs_service.search("discharge")
    assert {"discharged", "discharging"} <= marked(response)


def test_results_are_grouped_by_document_with_1_based_pages_and_marked_snippets(
    nhs_service: SearchService,
) -> None:
    response = nhs_service.search("care homes")
    top = response.results[0]
    assert top.doc_id == "care-homes"
    assert [p.page for p in top.pages] and all(p.page in (1, 2) for p in top.pages)
    assert len({hit.doc_id for hit in response.results}) == len(response.results)
    page = top.pages[0]
    assert "care homes" in page.snippet.lower()
    assert "<b>" in page.snippet_html() and "care" in response.highlight_terms


def test_title_and_organisation_weigh_more_than_body_text(nhs_service: SearchService) -> None:
    # "frailty" is in one title and in no page text; "frail" is in another document's text.
    response = nhs_service.search("frailty")
    assert ids(response)[0] == "long-stays"
    assert ids(nhs_service.search("Lincolnshire")) == ["care-homes"]


def test_documents_with_some_of_the_words_are_listed_when_none_has_all(
    nhs_service: SearchService,
) -> None:
    both = nhs_service.search("trusted assessor")
    assert ids(both) == ["care-homes"] and not both.fallback_or and both.message is None
    some = nhs_service.search("ambulance zebrafish")
    assert some.fallback_or
    assert ids(some) == ["front-door"]
    assert some.message is not None and "some of them" in some.message


def test_exact_phrase_exclusion_or_and_prefix(nhs_service: SearchService) -> None:
    assert ids(nhs_service.search('"single point of access"')) == ["referrals"]
    assert "referrals" not in ids(nhs_service.search('"access point"'))
    with_both = set(ids(nhs_service.search("community")))
    assert with_both == {"home-first", "referrals"}
    assert ids(nhs_service.search("community -referrals -number")) == ["home-first"]
    assert set(ids(nhs_service.search("ambulance OR frail"))) == {"front-door", "long-stays"}
    assert set(ids(nhs_service.search("discharg*"))) >= {"home-first", "care-homes"}
    assert set(ids(nhs_service.search("discharged*"))) >= {"home-first", "care-homes"}


def test_field_filters(nhs_service: SearchService) -> None:
    assert ids(nhs_service.search("title:frailty")) == ["long-stays"]
    assert ids(nhs_service.search("title:care")) == ["care-homes"]
    assert ids(nhs_service.search("org:suffolk")) == ["long-stays"]
    assert ids(nhs_service.search("kind:presentation")) == ["long-stays"]
    assert set(ids(nhs_service.search("kind:presentations"))) == {"long-stays"}
    assert ids(nhs_service.search('topic:"single point of access"')) == ["referrals"]
    # A word only in the body text is not found in the title field.
    assert ids(nhs_service.search("title:ambulance")) == []


def test_nhs_acronyms_find_the_spelled_out_form_and_back(nhs_service: SearchService) -> None:
    # A&E on the page, "emergency department" only in the topics.
    assert ids(nhs_service.search("emergency department"))[0] == "front-door"
    assert ids(nhs_service.search("ED"))[0] == "front-door"
    # D2A on the page; the spelled-out form finds it.
    assert "home-first" in ids(nhs_service.search("discharge to assess"))
    # LOS on the page, "length of stay" in the topics: both ways.
    assert ids(nhs_service.search("length of stay"))[0] == "long-stays"
    assert ids(nhs_service.search("LOS"))[0] == "long-stays"
    assert ids(nhs_service.search("DToC")) == ["long-stays"]
    assert ids(nhs_service.search("TA")) == ["care-homes"]
    assert ids(nhs_service.search("SPA")) == ["referrals"]
    assert ids(nhs_service.search("GP")) == ["referrals"]


def test_punctuation_inside_words(nhs_service: SearchService) -> None:
    assert ids(nhs_service.search("A&E")) == ["front-door"]
    assert ids(nhs_service.search("4-hour")) == ["front-door"]
    assert ids(nhs_service.search('"4-hour standard"')) == ["front-door"]
    # "re-admission" and "readmission" find each other.
    assert set(ids(nhs_service.search("readmission"))) == {"home-first", "referrals"}
    assert set(ids(nhs_service.search("re-admission"))) == {"home-first", "referrals"}


def test_facet_counts_describe_the_matching_documents(nhs_service: SearchService) -> None:
    response = nhs_service.search("care")
    assert response.total_documents == len(ids(response))
    kinds = response.facets["kind"]
    assert sum(kinds.values()) == response.total_documents
    assert set(response.facets) == {"kind", "organisation", "programme", "topic"}
    assert response.facets["programme"]["Breaking the Cycle"] >= 2


def test_filters_narrow_results_but_facets_still_offer_the_other_values(
    nhs_service: SearchService,
) -> None:
    everything = nhs_service.search("care")
    only = nhs_service.search("care", filters={"kind": "supporting-document"})
    assert ids(only) == ["referrals"]
    assert only.total_documents == 1
    assert only.facets["kind"] == everything.facets["kind"]
    by_programme = nhs_service.search("care", filters={"programme": "Perfect Week"})
    assert set(ids(by_programme)) <= {"home-first", "long-stays"}
    assert by_programme.facets["kind"].get("supporting-document") is None


def test_more_like_this_offers_related_documents(nhs_service: SearchService) -> None:
    related = nhs_service.more_like_this("care-homes", limit=3)
    assert "care-homes" not in related
    assert 0 < len(related) <= 3
    assert set(related) <= {"front-door", "home-first", "long-stays", "referrals"}
    assert nhs_service.more_like_this("no-such-document") == []


def test_messages_for_queries_with_nothing_to_search(nhs_service: SearchService) -> None:
    for query in ("", "   ", "the", '"', "-", "*"):
        response = nhs_service.search(query)
        assert response.results == () and response.message, query
    assert nhs_service.search("-ambulance").message == (
        "Add a word to search for: a search cannot only leave words out."
    )
    unknown = nhs_service.search("xylophone")
    assert unknown.results == () and unknown.message == "No document contains “xylophone”."


def test_json_shape(nhs_service: SearchService) -> None:
    data = nhs_service.search("ambulance").to_json()
    assert {
        "query",
        "took_ms",
        "total_documents",
        "suggestion",
        "fallback_or",
        "results",
        "facets",
    } <= set(data)
    hit = data["results"][0]
    assert {"doc_id", "title", "kind", "score", "pages"} <= set(hit)
    assert hit["pages"][0]["page"] == 3 and "Ambulance" in hit["pages"][0]["snippet"]


def test_results_from_another_source_alone_keep_their_some_of_the_words_note(
    nhs_service: SearchService,
) -> None:
    nothing_here = nhs_service.search("xylophone")
    elsewhere = nhs_service.search("ambulance zebrafish")
    merged = merge(nothing_here, [elsewhere], limit=10)
    assert ids(merged) == ["front-door"] and merged.fallback_or
    assert merged.message == elsewhere.message and merged.message is not None


def test_an_organisation_is_found_by_every_spelling_but_shown_by_one(
    nhs_service: SearchService,
) -> None:
    by_alias = nhs_service.search('org:"West Suffolk Hospital"')
    assert [hit.doc_id for hit in by_alias.results] == ["long-stays"]
    assert by_alias.results[0].organisation == "West Suffolk NHS Foundation Trust"
    assert by_alias.facets["organisation"] == {"West Suffolk NHS Foundation Trust": 1}
    plain = nhs_service.search("west suffolk hospital")
    assert plain.results and plain.results[0].doc_id == "long-stays"
