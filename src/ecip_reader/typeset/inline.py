"""Inline Markdown of the library sources: ``**bold**``, ``*italic*`` and links.

Links may only point at another document (``doc:ID``) or at a heading of the
same document (``#anchor``); the collection is read offline, so web addresses
are refused. A backslash escapes ``*``, ``[``, ``]`` and itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ecip_reader.typeset.model import Emphasis, Inline, Link, Strong, Text

_WEB = re.compile(r"(?i)\b(?:https?://|ftp://|www\.)|\bmailto:")
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ANCHOR = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

# Reports an error at a character offset of the text being parsed.
Fail = Callable[[int, str], Exception]
# The source line of a character offset.
LineAt = Callable[[int], int]


def parse_inline(text: str, fail: Fail, line_at: LineAt) -> tuple[Inline, ...]:
    """Parse one paragraph, list item or heading of inline Markdown."""
    web = _WEB.search(text)
    if web:
        raise fail(web.start(), "web addresses are not allowed (the collection is read offline)")
    nodes, _end = _parse(text, 0, "", fail, line_at)
    return tuple(nodes)


def _parse(
    text: str, pos: int, closer: str, fail: Fail, line_at: LineAt
) -> tuple[list[Inline], int]:
    """Parse from ``pos`` until ``closer`` (``""`` = end of text).

    Returns the nodes and the offset after the closer; a closing ``]`` is left
    for the caller to read.
    """
    opened_at = pos - max(len(closer), 1)
    nodes: list[Inline] = []
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            nodes.append(Text("".join(buffer)))
            buffer.clear()

    while pos < len(text):
        ch = text[pos]
        if closer == "]" and ch == "]":
            flush()
            return nodes, pos
        # Inside *italic*, a "**" opens bold rather than closing the italic.
        closes = closer in ("**", "*") and text.startswith(closer, pos)
        if closes and not (closer == "*" and text.startswith("**", pos)):
            flush()
            return nodes, pos + len(closer)
        if ch == "\\" and pos + 1 < len(text) and text[pos + 1] in "\\*[]":
            buffer.append(text[pos + 1])
            pos += 2
        elif text.startswith("**", pos):
            flush()
            children, pos = _parse(text, pos + 2, "**", fail, line_at)
            nodes.append(Strong(tuple(children)))
        elif ch == "*":
            flush()
            children, pos = _parse(text, pos + 1, "*", fail, line_at)
            nodes.append(Emphasis(tuple(children)))
        elif ch == "[":
            flush()
            link, pos = _parse_link(text, pos, fail, line_at)
            nodes.append(link)
        elif ch == "]":
            raise fail(pos, "a ']' has no matching '['; write \\] for a literal bracket")
        else:
            buffer.append(ch)
            pos += 1
    if closer:
        what = {"**": "bold '**'", "*": "italic '*'", "]": "link '['"}[closer]
        raise fail(opened_at, f"the {what} is never closed")
    flush()
    return nodes, pos


def _parse_link(text: str, pos: int, fail: Fail, line_at: LineAt) -> tuple[Link, int]:
    children, end = _parse(text, pos + 1, "]", fail, line_at)
    if not children:
        raise fail(pos, "a link has no text")
    # _parse stopped on "]" without consuming it.
    if not text.startswith("](", end):
        raise fail(pos, "a '[' is not followed by '](target)'; write \\[ for a literal bracket")
    close = text.find(")", end + 2)
    if close < 0:
        raise fail(end, "a link target has no closing ')'")
    target = text[end + 2 : close].strip()
    if target.startswith("doc:"):
        if not _ID.fullmatch(target[4:]):
            raise fail(end, f"'{target}' is not a valid document link (doc: then an id)")
    elif target.startswith("#"):
        if not _ANCHOR.fullmatch(target[1:]):
            raise fail(end, f"'{target}' is not a valid anchor (lower case, hyphens)")
    else:
        raise fail(end, f"link target '{target}' must start with 'doc:' or '#'")
    return Link(target, tuple(children), line_at(pos)), close + 1
