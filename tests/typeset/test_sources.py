"""Parsing library sources: the model, and errors that name the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecip_reader.typeset.model import (
    Box,
    Emphasis,
    Heading,
    Link,
    ListBlock,
    Paragraph,
    SourceDocument,
    SpeakerNote,
    Strong,
    Text,
)
from ecip_reader.typeset.sources import SourceError, anchor_for, parse_source, read_source

from .conftest import FIXTURES

FRONT = """+++
id = "doc"
title = "A title"
organisation = "An organisation"
region = "England"
programme = "Test"
kind = "case-study"
topics = ["one"]
related = []
summary = "Short."
updated = 2026-12-06
+++
"""
BODY_START = FRONT.count("\n") + 1  # the line number of the first body line


def parse(body: str, front: str = FRONT, kind: str = "case-study") -> SourceDocument:
    return parse_source(Path("doc.md"), front.replace("case-study", kind) + body)


def test_the_sample_case_study_becomes_a_typed_model() -> None:
    doc = read_source(FIXTURES / "sample-case-study.md")
    assert doc.meta.id == "sample-case-study"
    assert doc.meta.topics == ("patient flow", "discharge", "escalation")
    assert doc.meta.related == ("sample-presentation", "sample-supporting")
    assert isinstance(doc.blocks[0], Box) and doc.blocks[0].kind == "summary"
    first = doc.headings[0]
    assert (first.level, first.text, first.anchor) == (1, "Context", "context")
    assert [h.text for h in doc.headings if h.level == 2] == [
        "Why flow matters",
        "Working with partners",
    ]
    numbered = [b for b in doc.blocks if isinstance(b, ListBlock) and b.ordered]
    assert len(numbered[0].items) == 4
    targets = {link.target for link, _line in doc.links()}
    assert {"#principles", "doc:sample-presentation", "doc:sample-supporting"} <= targets


def test_inline_markup_and_wrapped_lines() -> None:
    doc = parse("# Head\nSome **bold** and *it **both***\n[a link](doc:other) end.\n")
    para = doc.blocks[1]
    assert isinstance(para, Paragraph)
    assert para.content[1] == Strong((Text("bold"),))
    assert isinstance(para.content[3], Emphasis)
    assert para.content[3].children[1] == Strong((Text("both"),))
    link = para.content[5]
    assert isinstance(link, Link) and link.doc_id == "other"


def test_wrapped_list_items_join_their_lines() -> None:
    doc = parse("# Head\n- first item\n  carries on\n- second\n")
    items = doc.blocks[1]
    assert isinstance(items, ListBlock)
    assert [len(i) for i in items.items] == [1, 1]
    assert items.items[0] == (Text("first item carries on"),)


def test_presentation_notes_become_speaker_notes() -> None:
    doc = parse("# Slide\n- point\n\nNotes: say this.\n", kind="presentation")
    assert doc.blocks[-1] == SpeakerNote((Text("say this."),), BODY_START + 3)


def test_anchors_follow_the_documented_rule() -> None:
    assert anchor_for("What another trust could take from it") == (
        "what-another-trust-could-take-from-it"
    )
    assert anchor_for("Today's Bloods Today: why?") == "todays-bloods-today-why"
    doc = parse("# Same\ntext\n# Same\ntext\n")
    assert [h.anchor for h in doc.blocks if isinstance(h, Heading)] == ["same", "same-2"]


@pytest.mark.parametrize(
    ("body", "line", "fragment"),
    [
        ("# Head\n### Too deep\n", 2, "only '# ' and '## '"),
        ("# Head\nSome **bold never ends\n", 2, "bold '**' is never closed"),
        ("# Head\nfine line\nsee https://example.org here\n", 3, "web addresses"),
        ("# Head\n[x](other)\n", 2, "must start with 'doc:' or '#'"),
        ("# Head\n[x](#nowhere)\n", 2, "matches no heading"),
        ("# Head\n:::note\ntext\n", 2, "never closed"),
        ("# Head\n:::aside\ntext\n:::\n", 2, "unknown box"),
        ("# Head\n<b>raw</b>\n", 2, "raw HTML"),
        ("# Head\nstray ] bracket\n", 2, "no matching '['"),
        ("just text\n", 1, "no '# ' heading"),
    ],
)
def test_body_errors_name_the_file_and_line(body: str, line: int, fragment: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse(body)
    message = str(caught.value)
    assert message.startswith(f"doc.md, line {BODY_START + line - 1}:"), message
    assert fragment in message
    assert caught.value.line == BODY_START + line - 1


@pytest.mark.parametrize(
    ("front", "line", "fragment"),
    [
        (FRONT.replace('title = "A title"', 'title = "unclosed'), 3, "not valid TOML"),
        (FRONT.replace('id = "doc"', 'id = "other"'), 2, "file is named 'doc.md'"),
        (FRONT.replace('kind = "case-study"', 'kind = "poster"'), 7, "must be one of"),
        (FRONT.replace('summary = "Short."', 'summary = ""'), 10, "'summary' is missing"),
        (FRONT.replace("related = []", "related = []\ncolour = 1"), 10, "not a known field"),
        (FRONT.replace('topics = ["one"]', 'topics = "one"'), 8, "list of non-empty"),
        ("title = 'no fence'\n", 1, "must start with a '+++'"),
    ],
)
def test_front_matter_errors_name_the_file_and_line(front: str, line: int, fragment: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse_source(Path("doc.md"), front + "# Head\n")
    message = str(caught.value)
    assert message.startswith(f"doc.md, line {line}:"), message
    assert fragment in message


def test_a_missing_field_is_reported_on_line_one() -> None:
    front = FRONT.replace('programme = "Test"\n', "")
    with pytest.raises(SourceError, match=r"^doc\.md, line 1: .*'programme' is missing"):
        parse_source(Path("doc.md"), front + "# Head\n")


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "doc.md"
    path.write_bytes(FRONT.encode() + b"# Head\ncaf\xe9\n")
    with pytest.raises(SourceError, match=rf"^doc\.md, line {BODY_START + 1}: is not valid UTF-8"):
        read_source(path)


def test_angle_and_updated_are_read_and_organisation_may_be_left_out() -> None:
    front = FRONT.replace('organisation = "An organisation"\n', 'angle = "the wards"\n')
    doc = parse("# Head\n", front)
    assert (doc.meta.organisation, doc.meta.angle, doc.meta.updated) == (
        "",
        "the wards",
        "2026-12-06",
    )


def test_updated_must_be_a_date() -> None:
    for value in ('"soon"', "2026-12-06T10:00:00"):
        front = FRONT.replace("updated = 2026-12-06", f"updated = {value}")
        with pytest.raises(SourceError, match="'updated' must be the date of the last change"):
            parse("# Head\n", front)
