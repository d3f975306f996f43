"""Read a library source file into a :class:`SourceDocument`.

The format: TOML front matter between two ``+++`` lines, then a small Markdown
subset — ``#`` and ``##`` headings, paragraphs, ``- `` bullets, ``1. ``
numbered lists, ``:::summary`` / ``:::note`` boxes closed by ``:::`` and, in
presentations, ``Notes:`` paragraphs. Anything else is refused with a
:class:`SourceError` that names the file and the line.
"""

from __future__ import annotations

import datetime
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ecip_reader.errors import UserError
from ecip_reader.typeset.inline import parse_inline
from ecip_reader.typeset.model import (
    KINDS,
    Block,
    Box,
    FrontMatter,
    Heading,
    Inline,
    ListBlock,
    Paragraph,
    SourceDocument,
    SpeakerNote,
    Text,
    links_in_blocks,
    plain_text,
)

FENCE = "+++"
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_BULLET = re.compile(r"- (.*)")
_NUMBER = re.compile(r"(\d{1,2})\. (.*)")
_HEADING = re.compile(r"(#+)\s+(.*)")
_BOX_KINDS = ("summary", "note")
_TEXT_FIELDS = ("id", "title", "programme", "kind", "summary")
_OPTIONAL_TEXT = ("organisation", "region", "angle")
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


class SourceError(UserError):
    """A library source is malformed; the message names the file and the line."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        where = f"{path.name}, line {line}" if line else path.name
        super().__init__(f"{where}: {message}.")
        self.path = path
        self.line = line


def anchor_for(text: str) -> str:
    """The anchor of a heading: lower case, spaces to hyphens, punctuation dropped."""
    folded = unicodedata.normalize("NFKD", text.lower())
    kept = "".join(ch for ch in folded if ch.isalnum() or ch in " -")
    kept = "".join(ch for ch in kept if ch.isascii())
    return re.sub(r"-{2,}", "-", re.sub(r"\s+", "-", kept.strip())).strip("-")


def read_source(path: Path) -> SourceDocument:
    """Parse ``path``; raise :class:`SourceError` naming the file and line on any fault."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(path, None, f"cannot be read ({exc.strerror})") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SourceError(path, line, "is not valid UTF-8") from exc
    return parse_source(path, text)


def parse_source(path: Path, text: str) -> SourceDocument:
    lines = text.removeprefix("\ufeff").splitlines()
    meta, body_start = _front_matter(path, lines)
    blocks = _BlockParser(path, meta.kind == "presentation").parse(lines, body_start)
    return SourceDocument(path, meta, blocks)


# ---- front matter ---------------------------------------------------------------


def _front_matter(path: Path, lines: list[str]) -> tuple[FrontMatter, int]:
    if not lines or lines[0].strip() != FENCE:
        raise SourceError(path, 1, "the file must start with a '+++' line opening the front matter")
    try:
        close = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        message = "the front matter opened here is never closed by '+++'"
        raise SourceError(path, 1, message) from None
    try:
        data = tomllib.loads("\n".join(lines[1:close]))
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_POSITION.search(str(exc))
        line = int(found.group(1)) + 1 if found else 1
        reason = _TOML_POSITION.sub("", str(exc)).strip()
        raise SourceError(path, line, f"the front matter is not valid TOML ({reason})") from exc
    return _meta(path, data, lines, close), close + 1


def _meta(path: Path, data: dict[str, object], lines: list[str], close: int) -> FrontMatter:
    def line_of(key: str) -> int:
        for i in range(1, close):
            if re.match(rf"\s*{re.escape(key)}\s*=", lines[i]):
                return i + 1
        return 1

    def fail(key: str, why: str) -> SourceError:
        return SourceError(path, line_of(key), f"front matter field '{key}' {why}")

    unknown = sorted(set(data) - {*_TEXT_FIELDS, *_OPTIONAL_TEXT, "topics", "related", "updated"})
    if unknown:
        raise fail(unknown[0], "is not a known field")
    values: dict[str, str] = {}
    for key in _TEXT_FIELDS:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise fail(key, "is missing or empty")
        values[key] = " ".join(value.split())
    for key in _OPTIONAL_TEXT:
        value = data.get(key, "")
        if not isinstance(value, str):
            raise fail(key, "must be text (or left out)")
        values[key] = " ".join(value.split())
    updated = data.get("updated")
    if not isinstance(updated, datetime.date) or isinstance(updated, datetime.datetime):
        raise fail("updated", "must be the date of the last change, written like 2026-12-06")
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("topics", "related"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise fail(key, "must be a list of non-empty strings")
        lists[key] = tuple(v.strip() for v in value)
    if not ID_PATTERN.fullmatch(values["id"]):
        raise fail("id", "must be lower-case letters, digits and single hyphens")
    if values["id"] != path.stem:
        raise fail("id", f"is '{values['id']}' but the file is named '{path.name}'")
    if values["kind"] not in KINDS:
        raise fail("kind", f"must be one of {', '.join(KINDS)}")
    if not lists["topics"]:
        raise fail("topics", "must name at least one topic")
    for other in lists["related"]:
        if not ID_PATTERN.fullmatch(other):
            raise fail("related", f"holds '{other}', which is not a document id")
        if other == values["id"]:
            raise fail("related", "names the document itself")
    return FrontMatter(
        id=values["id"],
        title=values["title"],
        organisation=values["organisation"],
        region=values["region"],
        programme=values["programme"],
        kind=values["kind"],
        topics=lists["topics"],
        related=lists["related"],
        summary=values["summary"],
        updated=updated.isoformat(),
        angle=values["angle"],
    )


# ---- blocks ---------------------------------------------------------------------


@dataclass
class _Pending:
    """Lines of the paragraph or list being read, each with its line number."""

    kind: str = ""  # "", "para", "bullet" or "number"
    line: int = 0
    start: int = 1
    items: list[list[tuple[int, str]]] = field(default_factory=list)


class _BlockParser:
    def __init__(self, path: Path, presentation: bool) -> None:
        self.path = path
        self.presentation = presentation
        self.blocks: list[Block] = []
        self.box_blocks: list[Paragraph | ListBlock] = []
        self.box: tuple[str, int] | None = None
        self.pending = _Pending()
        self.anchors: set[str] = set()

    def error(self, line: int, message: str) -> SourceError:
        return SourceError(self.path, line, message)

    def parse(self, lines: list[str], first: int) -> tuple[Block, ...]:
        for index in range(first, len(lines)):
            self.feed(index + 1, lines[index].rstrip())
        self.flush()
        if self.box is not None:
            raise self.error(self.box[1], f"the ':::{self.box[0]}' box is never closed by ':::'")
        if not any(isinstance(b, Heading) for b in self.blocks):
            raise self.error(first + 1, "the document has no '# ' heading")
        self.check_internal_links()
        return tuple(self.blocks)

    def feed(self, number: int, line: str) -> None:
        stripped = line.strip()
        if not stripped:
            self.flush()
            return
        if stripped.startswith(":::"):
            self.flush()
            self.fence(number, stripped[3:].strip())
            return
        if stripped.startswith("<") and re.match(r"</?[A-Za-z]", stripped):
            raise self.error(number, "raw HTML is not supported")
        heading = _HEADING.fullmatch(stripped)
        if heading and line.startswith("#"):
            self.flush()
            self.heading(number, len(heading.group(1)), heading.group(2).strip())
            return
        bullet = _BULLET.fullmatch(stripped)
        numbered = _NUMBER.fullmatch(stripped)
        if bullet:
            self.item(number, "bullet", bullet.group(1), 1)
        elif numbered:
            self.item(number, "number", numbered.group(2), int(numbered.group(1)))
        elif self.pending.kind in ("bullet", "number"):
            self.pending.items[-1].append((number, stripped))  # a wrapped list item
        else:
            if self.pending.kind != "para":
                self.flush()
                self.pending = _Pending("para", number, 1, [[]])
            self.pending.items[-1].append((number, stripped))

    def fence(self, number: int, name: str) -> None:
        if name == "":
            if self.box is None:
                raise self.error(number, "':::' closes a box, but no box is open")
            kind, opened = self.box
            if not self.box_blocks:
                raise self.error(opened, f"the ':::{kind}' box is empty")
            self.blocks.append(Box(kind, tuple(self.box_blocks), opened))
            self.box, self.box_blocks = None, []
            return
        if name not in _BOX_KINDS:
            raise self.error(number, f"unknown box ':::{name}' (use :::summary or :::note)")
        if self.box is not None:
            raise self.error(number, f"':::{name}' opens a box inside the ':::{self.box[0]}' box")
        self.box = (name, number)

    def heading(self, number: int, level: int, text: str) -> None:
        if level > 2:
            raise self.error(number, "only '# ' and '## ' headings are supported")
        if self.box is not None:
            raise self.error(number, "a heading cannot stand inside a box")
        if not text:
            raise self.error(number, "the heading has no text")
        content = self.inline(number, text)
        anchor = anchor_for(plain_text(content))
        if not anchor:
            raise self.error(number, "the heading needs at least one letter or digit")
        unique, n = anchor, 2
        while unique in self.anchors:
            unique, n = f"{anchor}-{n}", n + 1
        self.anchors.add(unique)
        self.blocks.append(Heading(level, content, unique, number))

    def item(self, number: int, kind: str, text: str, value: int) -> None:
        if self.pending.kind != kind:
            self.flush()
            self.pending = _Pending(kind, number, value, [])
        self.pending.items.append([(number, text)])

    def flush(self) -> None:
        pending, self.pending = self.pending, _Pending()
        if not pending.kind:
            return
        runs = [self.inline_lines(item) for item in pending.items]
        block: Paragraph | ListBlock | SpeakerNote
        if pending.kind == "para":
            first = pending.items[0][0][1]
            if self.presentation and self.box is None and first.startswith("Notes:"):
                block = SpeakerNote(_strip_notes_label(runs[0]), pending.line)
            else:
                block = Paragraph(runs[0], pending.line)
        else:
            block = ListBlock(pending.kind == "number", pending.start, tuple(runs), pending.line)
        if self.box is not None:
            if isinstance(block, SpeakerNote):
                raise self.error(pending.line, "a 'Notes:' paragraph cannot stand inside a box")
            self.box_blocks.append(block)
        else:
            self.blocks.append(block)

    def inline_lines(self, lines: list[tuple[int, str]]) -> tuple[Inline, ...]:
        joined = " ".join(text for _, text in lines)
        starts: list[tuple[int, int]] = []
        offset = 0
        for number, text in lines:
            starts.append((offset, number))
            offset += len(text) + 1

        def line_at(at: int) -> int:
            return next(n for start, n in reversed(starts) if start <= at)

        def fail(at: int, message: str) -> Exception:
            return self.error(line_at(at), message)

        return parse_inline(joined, fail, line_at)

    def inline(self, number: int, text: str) -> tuple[Inline, ...]:
        return self.inline_lines([(number, text)])

    def check_internal_links(self) -> None:
        for link, line in links_in_blocks(tuple(self.blocks)):
            if link.is_internal and link.target[1:] not in self.anchors:
                raise self.error(line, f"the link '{link.target}' matches no heading of this file")


def _strip_notes_label(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
    first = content[0]
    if isinstance(first, Text):
        rest = first.text.removeprefix("Notes:").lstrip()
        return ((Text(rest),) if rest else ()) + content[1:]
    return content
