"""The typed model of one library source: its front matter and its blocks.

A source file is TOML front matter followed by a small Markdown subset (see
``sources.py``). The parser turns it into these frozen dataclasses; the HTML
and PDF builders only ever see the model, never the raw text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

KINDS = ("case-study", "presentation", "supporting-document", "about")

KIND_LABELS = {
    "case-study": "Case study",
    "presentation": "Presentation",
    "supporting-document": "Supporting document",
    "about": "About this collection",
}


# ---- inline content -------------------------------------------------------


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Emphasis:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Link:
    """``[text](doc:ID)`` to another document or ``[text](#anchor)`` within this one."""

    target: str
    children: tuple[Inline, ...]
    line: int = 0  # the source line where the link starts

    @property
    def is_internal(self) -> bool:
        return self.target.startswith("#")

    @property
    def doc_id(self) -> str:
        return self.target.removeprefix("doc:")


Inline = Text | Strong | Emphasis | Link


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The text of ``inlines`` with all markup dropped."""
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            parts.append(node.text)
        else:
            parts.append(plain_text(node.children))
    return "".join(parts)


def links_in(inlines: tuple[Inline, ...]) -> list[Link]:
    found: list[Link] = []
    for node in inlines:
        if isinstance(node, Link):
            found.append(node)
        if not isinstance(node, Text):
            found.extend(links_in(node.children))
    return found


# ---- blocks -----------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    level: int  # 1 for "#", 2 for "##"
    content: tuple[Inline, ...]
    anchor: str
    line: int

    @property
    def text(self) -> str:
        return plain_text(self.content)


@dataclass(frozen=True)
class Paragraph:
    content: tuple[Inline, ...]
    line: int


@dataclass(frozen=True)
class SpeakerNote:
    """A ``Notes:`` paragraph under a slide, printed small at the foot of the slide."""

    content: tuple[Inline, ...]
    line: int


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    start: int
    items: tuple[tuple[Inline, ...], ...]
    line: int


@dataclass(frozen=True)
class Box:
    """A ``:::summary`` or ``:::note`` box holding paragraphs and lists."""

    kind: str  # "summary" or "note"
    blocks: tuple[Paragraph | ListBlock, ...]
    line: int


Block = Heading | Paragraph | SpeakerNote | ListBlock | Box


def block_inlines(block: Block) -> list[tuple[Inline, ...]]:
    """Every run of inline content inside ``block``."""
    if isinstance(block, (Heading, Paragraph, SpeakerNote)):
        return [block.content]
    if isinstance(block, ListBlock):
        return list(block.items)
    runs: list[tuple[Inline, ...]] = []
    for inner in block.blocks:
        runs.extend(block_inlines(inner))
    return runs


def links_in_blocks(blocks: tuple[Block, ...]) -> list[tuple[Link, int]]:
    """Every link of ``blocks`` with the line where it starts."""
    found: list[tuple[Link, int]] = []
    for block in blocks:
        for run in block_inlines(block):
            found.extend((link, link.line or block.line) for link in links_in(run))
    return found


# ---- the document -------------------------------------------------------------


@dataclass(frozen=True)
class FrontMatter:
    id: str
    title: str
    organisation: str
    region: str
    programme: str
    kind: str
    topics: tuple[str, ...]
    related: tuple[str, ...]
    summary: str
    updated: str = "2017-03-24"  # YYYY-MM-DD: the source's last change, the PDF's date
    angle: str = ""  # the angle this edition chose, shown as its subtitle

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class SourceDocument:
    path: Path
    meta: FrontMatter
    blocks: tuple[Block, ...]

    @property
    def headings(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading)]

    def links(self) -> list[tuple[Link, int]]:
        """Every link with the line where it starts."""
        return links_in_blocks(self.blocks)

    def word_count(self) -> int:
        words = 0
        for block in self.blocks:
            for run in block_inlines(block):
                words += len(plain_text(run).split())
        return words
