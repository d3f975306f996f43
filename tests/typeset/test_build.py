"""The build of the sample sources: what a reader of the PDFs would notice."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pymupdf
import pytest

from ecip_reader.errors import UserError
from ecip_reader.library.catalogue import load_catalogue
from ecip_reader.typeset.build import SourceProblems, TypesetReport, build_library
from ecip_reader.typeset.finish import AUTHOR
from ecip_reader.typeset.html import FOOTER_TEXT
from ecip_reader.typeset.slides import slide_headings
from ecip_reader.typeset.sources import read_source

from .conftest import FIXTURES


def open_built(report: TypesetReport, doc_id: str) -> pymupdf.Document:
    return pymupdf.open(report.output / f"{doc_id}.pdf")


def page_texts(path: Path) -> list[str]:
    with pymupdf.open(path) as doc:
        return [page.get_text() for page in doc]


def test_every_page_has_a_text_layer(built: TypesetReport) -> None:
    assert len(built.documents) == 3
    for done in built.documents:
        texts = page_texts(built.output / done.entry.file)
        assert len(texts) == done.entry.pages
        assert all(len(text.split()) >= 10 for text in texts), done.entry.id


def test_page_one_carries_the_notice_and_the_cover(built: TypesetReport) -> None:
    for done in built.documents:
        with open_built(built, done.entry.id) as doc:
            first = " ".join(doc[0].get_text().split())
        assert "SUMMARY EDITION" in first
        assert "Written for the ECIP Case-Study Reader" in first
        assert "It is not the original document" in first
        assert done.entry.title in first
        assert done.entry.organisation in first


def test_running_header_and_footer(built: TypesetReport) -> None:
    with open_built(built, "sample-case-study") as doc:
        total = doc.page_count
        assert total >= 2
        for number, page in enumerate(doc, start=1):
            text = page.get_text()
            assert FOOTER_TEXT in text
            assert f"Page {number} of {total}" in text
        header = pymupdf.Rect(0, 0, doc[1].rect.width, 60)
        assert (
            doc[1].get_text(clip=header).strip()
            == "Keeping patients moving through a small hospital"
        )
    with open_built(built, "sample-presentation") as doc:
        assert f"Slide 2 of {doc.page_count}" in doc[1].get_text()


def test_outline_equals_the_headings(built: TypesetReport) -> None:
    case = read_source(FIXTURES / "sample-case-study.md")
    with open_built(built, "sample-case-study") as doc:
        toc = doc.get_toc()
        assert [(level, title) for level, title, _page in toc] == [
            (h.level, h.text) for h in case.headings
        ]
        for _level, title, page in toc:
            heading_area = doc[page - 1].get_text()
            assert title in heading_area, f"{title!r} is not on page {page}"
    slides = read_source(FIXTURES / "sample-presentation.md")
    with open_built(built, "sample-presentation") as doc:
        toc = doc.get_toc()
        assert [(level, title) for level, title, _page in toc] == [
            (h.level, h.text) for h in slide_headings(slides)
        ]
        level_one = [page for level, _title, page in toc if level == 1]
        assert level_one == list(range(1, doc.page_count + 1))  # one slide per heading


def test_metadata_equals_the_catalogue(built: TypesetReport) -> None:
    catalogue = load_catalogue(built.output, verify_hashes=True)
    assert [e.id for e in catalogue] == [b.entry.id for b in built.documents]
    for entry in catalogue:
        with pymupdf.open(catalogue.path_of(entry)) as doc:
            meta = doc.metadata
            assert doc.page_count == entry.pages
        assert meta["title"] == entry.title
        assert meta["author"] == AUTHOR  # the organisation is the subject, never the author
        angle = f" Editorial angle of this summary edition: {entry.angle}." if entry.angle else ""
        assert meta["subject"] == f"About {entry.organisation}.{angle} {entry.summary}"
        assert meta["keywords"] == ", ".join(entry.topics)
        # The date of the source's last change (its ``updated`` field): rebuilding changes nothing.
        assert meta["creationDate"] == meta["modDate"] == "D:20261206000000Z"


def test_internal_links_go_to_the_heading(built: TypesetReport) -> None:
    with open_built(built, "sample-case-study") as doc:
        toc = {title: page for _level, title, page in doc.get_toc()}
        links = doc[0].get_links()
        goto = [link for link in links if link["kind"] == pymupdf.LINK_GOTO]
        assert len(goto) == 1  # "the principles", one rectangle for the whole phrase
        assert goto[0]["page"] == toc["Principles"] - 1
        target = doc[goto[0]["page"]]
        below = pymupdf.Rect(0, goto[0]["to"].y, target.rect.width, goto[0]["to"].y + 40)
        assert "Principles" in target.get_text(clip=below)
        assert "the principles" in doc[0].get_text(clip=goto[0]["from"]).replace("\n", " ")


def test_doc_links_open_the_other_pdf(built: TypesetReport) -> None:
    with open_built(built, "sample-case-study") as doc:
        remote = [
            link for page in doc for link in page.get_links() if link["kind"] == pymupdf.LINK_GOTOR
        ]
        last_page = doc[-1]
        words = {
            link["file"]: last_page.get_text(clip=link["from"]).strip()
            for link in last_page.get_links()
        }
    assert {link["file"] for link in remote} == {"sample-presentation.pdf", "sample-supporting.pdf"}
    assert all(link["page"] == 0 for link in remote)
    assert all((built.output / link["file"]).is_file() for link in remote)
    assert words["sample-presentation.pdf"] == "Sample presentation"
    assert words["sample-supporting.pdf"] == "Sample supporting document"


def test_fonts_are_embedded_and_words_are_searchable(built: TypesetReport) -> None:
    with open_built(built, "sample-case-study") as doc:
        fonts = {font[3]: font[1] for page in doc for font in page.get_fonts()}
        assert fonts and all(ext not in ("n/a", "") for ext in fonts.values()), fonts
        text = "".join(page.get_text() for page in doc)
        # "first" is set with an fi ligature; it must still be found as plain letters.
        assert "\ufb01" not in text
        assert sum(len(page.search_for("first")) for page in doc) >= 1


def test_two_builds_give_identical_files(tmp_path: Path) -> None:
    one = build_library(FIXTURES, tmp_path / "one")
    two = build_library(FIXTURES, tmp_path / "two")
    for a, b in zip(one.documents, two.documents, strict=True):
        first = (one.output / a.entry.file).read_bytes()
        second = (two.output / b.entry.file).read_bytes()
        assert page_texts(one.output / a.entry.file) == page_texts(two.output / b.entry.file)
        assert hashlib.sha256(first).digest() == hashlib.sha256(second).digest()
    assert (one.output / "catalogue.json").read_bytes() == (
        two.output / "catalogue.json"
    ).read_bytes()


def test_unknown_related_id_stops_the_build(sources: Path, tmp_path: Path) -> None:
    path = sources / "sample-supporting.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace('["sample-case-study"]', '["no-such-doc"]'),
        encoding="utf-8",
    )
    with pytest.raises(SourceProblems) as caught:
        build_library(sources, tmp_path / "out")
    assert str(caught.value.errors[0]) == (
        "sample-supporting.md, line 9: 'related' names unknown id 'no-such-doc'."
    )
    assert not (tmp_path / "out").exists()


def test_doc_link_to_a_missing_document_names_the_line(sources: Path, tmp_path: Path) -> None:
    path = sources / "sample-case-study.md"
    text = path.read_text(encoding="utf-8").replace("(doc:sample-supporting)", "(doc:gone)")
    path.write_text(text, encoding="utf-8")
    line = 1 + text.splitlines().index(next(x for x in text.splitlines() if "(doc:gone)" in x))
    with pytest.raises(SourceProblems, match=rf"sample-case-study\.md, line {line}: .*doc:gone"):
        build_library(sources, tmp_path / "out")


def test_every_broken_source_is_reported(sources: Path, tmp_path: Path) -> None:
    (sources / "sample-supporting.md").write_text("no front matter\n", encoding="utf-8")
    (sources / "sample-case-study.md").write_text("+++\n", encoding="utf-8")
    with pytest.raises(SourceProblems) as caught:
        build_library(sources, tmp_path / "out")
    names = sorted(error.path.name for error in caught.value.errors)
    assert names == ["sample-case-study.md", "sample-supporting.md"]


def test_an_overfull_slide_names_its_heading_line(sources: Path, tmp_path: Path) -> None:
    path = sources / "sample-presentation.md"
    bullets = "".join(f"- point number {n} of a slide that says far too much\n" for n in range(30))
    path.write_text(path.read_text(encoding="utf-8") + "\n# Too much\n" + bullets, "utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index("# Too much") + 1
    with pytest.raises(SourceProblems, match=rf"sample-presentation\.md, line {line}: .*too much"):
        build_library(sources, tmp_path / "out")
    assert not (tmp_path / "out" / "sample-case-study.pdf").exists()


def test_only_rebuilds_the_named_documents(sources: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_library(sources, out)
    kept = (out / "sample-presentation.pdf").stat().st_mtime_ns
    report = build_library(sources, out, only=["sample-case-study"])
    assert [b.typeset for b in report.documents] == [True, False, False]
    assert (out / "sample-presentation.pdf").stat().st_mtime_ns == kept
    assert len(load_catalogue(out, verify_hashes=True)) == 3
    with pytest.raises(UserError, match="no source for nothing-here"):
        build_library(sources, out, only=["nothing-here"])


ORGANISATIONS = """
[[organisation]]
name = "Sample Community Hospital NHS Trust"
listed_as = ["Sample Community Hospital NHS Trust", "Sample Hospital NHS FT"]
"""


def test_listed_spellings_of_the_organisation_become_search_aliases(
    sources: Path, tmp_path: Path
) -> None:
    (sources / "organisations.toml").write_text(ORGANISATIONS, encoding="utf-8")
    build_library(sources, tmp_path / "out")
    entry = load_catalogue(tmp_path / "out").get("sample-case-study")
    assert entry.organisation_aliases == ("Sample Hospital NHS FT",)


def test_an_organisation_missing_from_the_list_stops_the_build(
    sources: Path, tmp_path: Path
) -> None:
    (sources / "organisations.toml").write_text(
        ORGANISATIONS.replace("Sample Community Hospital NHS Trust", "Another Trust"), "utf-8"
    )
    with pytest.raises(SourceProblems) as caught:
        build_library(sources, tmp_path / "out")
    assert "the organisation 'Sample Community Hospital NHS Trust' is not one of the names" in str(
        caught.value.errors[0]
    )
    assert not (tmp_path / "out").exists()


def test_a_title_slide_with_paragraphs_is_refused(sources: Path, tmp_path: Path) -> None:
    """The cover's title and angle come from the front matter, never from slide text."""
    path = sources / "sample-presentation.md"
    text = path.read_text(encoding="utf-8").replace(
        "# Running a flow week together\n", "# Running a flow week together\nA subtitle\n"
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceProblems, match="takes its title and angle from the front matter"):
        build_library(sources, tmp_path / "out")


def test_the_angle_is_shown_under_the_title_on_the_cover(built: TypesetReport) -> None:
    with open_built(built, "sample-presentation") as doc:
        first = " ".join(doc[0].get_text().split())
    assert (
        "Running a flow week together Editorial angle of this summary edition: "
        "a workshop for ward teams" in first
    )
    assert "SUMMARY EDITION · NOT THE ORIGINAL PRESENTATION" in first
