"""The query language: what each piece of syntax means, and that no text breaks it."""

from __future__ import annotations

import subprocess
import sys
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecip_reader.search.analysis import analyze
from ecip_reader.search.query import parse_query
from ecip_reader.search.results import SearchResponse
from ecip_reader.search.service import SearchService
from ecip_reader.search.thesaurus import Thesaurus
from ecip_reader.text import clean_text


def shape(text: str) -> list[list[tuple[str, str, str | None, bool]]]:
    return [
        [(c.text, c.kind, c.field, c.negated) for c in group] for group in parse_query(text).groups
    ]


def test_plain_words_phrases_and_exclusions() -> None:
    assert shape('delayed "transfer of care" -ambulance') == [
        [("delayed", "word", None, False)],
        [("transfer of care", "phrase", None, False)],
        [("ambulance", "word", None, True)],
    ]
    assert shape("NOT escalation") == [[("escalation", "word", None, True)]]
    assert shape('-"red bag"') == [[("red bag", "phrase", None, True)]]


def test_or_binds_neighbouring_words() -> None:
    assert shape("frailty ambulance OR handover | triage") == [
        [("frailty", "word", None, False)],
        [
            ("ambulance", "word", None, False),
            ("handover", "word", None, False),
            ("triage", "word", None, False),
        ],
    ]
    assert shape("OR or") == [[("or", "word", None, False)]]


def test_prefix_fuzzy_and_fields() -> None:
    assert shape('discharg* dischage~ title:frailty org:"West Suffolk" kind:presentation') == [
        [("discharg", "prefix", None, False)],
        [("dischage", "fuzzy", None, False)],
        [("frailty", "word", "title", False)],
        [("West Suffolk", "phrase", "organisation", False)],
        [("presentation", "word", "kind", False)],
    ]
    # An unknown field name is just text; a one-letter prefix is a word.
    assert shape("http://nhs.uk a*") == [
        [("http://nhs.uk", "word", None, False)],
        [("a", "word", None, False)],
    ]


def test_stray_syntax_is_ignored() -> None:
    assert shape('"unclosed phrase') == [[("unclosed phrase", "phrase", None, False)]]
    assert shape('( ) " " - * ~ title:') == [[("title:", "word", None, False)]]
    assert shape("(triage)") == [[("triage", "word", None, False)]]


def test_typographic_quotes_work_like_straight_ones() -> None:
    assert shape("“perfect week”") == [[("perfect week", "phrase", None, False)]]


def test_analysis_splits_and_joins_words_with_inner_punctuation() -> None:
    assert analyze("A&E") == [["ae"]]
    assert analyze("4-hour re-admission") == [["4hour", "4", "hour"], ["readmiss", "re", "admiss"]]
    assert analyze("nhs.uk file_name 24/7") == [
        ["nhsuk", "nh", "uk"],
        ["filenam", "file", "name"],
        ["247", "24", "7"],
    ]
    assert analyze("Discharge discharged DISCHARGING the") == [["discharg"]] * 3


def test_chinese_and_japanese_are_indexed_as_pairs_of_characters() -> None:
    assert analyze("急诊护理") == [["急诊"], ["诊护"], ["护理"]]
    assert analyze("急 诊") == [["急"], ["诊"]]  # a lone character is kept as itself
    assert analyze("救急センター") == [["救急"], ["急セ"], ["セン"], ["ンタ"], ["ター"]]
    # Latin letters and digits beside the characters are words of their own.
    assert analyze("NHS急诊2024") == [["nh"], ["急诊"], ["2024"]]


def test_the_thesaurus_file_reads_both_ways() -> None:
    thesaurus = Thesaurus.load()
    assert "emergency department" in thesaurus.alternatives("A&E")
    assert "a&e" in thesaurus.alternatives("Emergency  Department")
    assert "discharge to assess" in thesaurus.alternatives("D2A")
    assert "los" in thesaurus.alternatives("length of stay")
    assert thesaurus.alternatives("zebra") == ()


@given(st.text(max_size=200))
def test_the_parser_accepts_any_text(text: str) -> None:
    parsed = parse_query(text)
    for group in parsed.groups:
        assert group
        for clause in group:
            assert clause.text and any(ch.isalnum() for ch in clause.text)
            assert 0 <= clause.start <= clause.end <= len(parsed.text)


SYNTAX = st.sampled_from(
    ['"', "-", "OR", "NOT", "*", "~", "title:", "org:", "kind:", "topic:", "(", ")", "|", " "]
)
WORDS = st.sampled_from(
    ["discharge", "dischage", "A&E", "4-hour", "care", "the", "LOS", "x" * 50, "ﬁ", "İ", "急诊"]
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    query=st.one_of(
        st.text(max_size=60), st.lists(st.one_of(SYNTAX, WORDS), max_size=12).map(" ".join)
    ),
    limit=st.integers(-3, 300),
)
def test_any_query_gives_a_response_never_an_exception(
    nhs_service: SearchService, query: str, limit: int
) -> None:
    response = nhs_service.search(query, limit=limit)
    assert isinstance(response, SearchResponse)
    assert response.results or response.message
    assert len(response.results) <= max(1, min(limit, 200))
    response.to_json()


def test_queries_and_page_text_are_cleaned_alike() -> None:
    # One cleaner for both: a ligature, a bidi override and a zero-width space in a
    # query cannot keep it from the word on the page.
    assert clean_text("ﬁ\u202erst\u200b  aid") == "first aid"
    assert clean_text("\x1b[31mred\x1b[0m bag") == "red bag"
    assert clean_text("ward\t\t3\r\nbay  4 ") == "ward 3\nbay 4"
    assert clean_text("ＡＢＣ ｶﾅ") == "ABC カナ"
    assert clean_text(None) == clean_text(42) == ""
    assert shape("ﬁrst\u200b aid") == [
        [("first", "word", None, False)],
        [("aid", "word", None, False)],
    ]


@given(st.text(max_size=120))
def test_cleaned_text_holds_no_control_characters_or_runs_of_spaces(text: str) -> None:
    cleaned = clean_text(text)
    assert cleaned == cleaned.strip()
    assert "\x1b" not in cleaned and "\t" not in cleaned and "  " not in cleaned
    dropped = ("Cc", "Cf", "Cs", "Co", "Cn")
    assert all(c == "\n" or unicodedata.category(c) not in dropped for c in cleaned)


def test_the_search_core_does_not_load_pymupdf() -> None:
    code = "import sys, ecip_reader.search; print('pymupdf' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
