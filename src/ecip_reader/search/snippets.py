"""Snippets: the part of a page where the matched words are densest, words marked.

The words to mark are the surface forms behind the matched index terms (from
the store's vocabulary), found with one regular expression per query; nothing
is re-analysed, so a snippet costs a few tens of microseconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

SNIPPET_CHARS = 200
MAX_MATCHES = 400
_SPACE = re.compile(r"\s+")

Segments = tuple[tuple[str, bool], ...]


def _trie(words: Iterable[str]) -> str:
    """One regular expression for ``words`` with shared beginnings factored out.

    Python tries the branches of an alternation one by one at every position;
    a trie tries each letter once, which makes marking a page several times faster.
    """
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return body + "?" if len(branches) == 1 and len(branches[0]) == 1 else f"(?:{body})?"
        return body

    return build(root)


class Marker:
    """Finds the given words (and words starting with the given stems) in page text.

    The text is lowered once and searched with a case-sensitive trie pattern,
    which lets the regular-expression engine skip quickly to possible first
    letters; the left word boundary is checked afterwards.
    """

    def __init__(self, words: Iterable[str], stems: Iterable[str] = ()) -> None:
        alternatives = [_trie(sorted({w.lower() for w in words if w}))]
        alternatives += sorted(
            {re.escape(s.lower()) + r"[^\W_]*" for s in stems if s}, key=len, reverse=True
        )
        self._body = "|".join(a for a in alternatives if a)
        self._fast = re.compile(f"(?:{self._body})(?![^\\W_])")
        self._careful_pattern: re.Pattern[str] | None = None

    @property
    def _careful(self) -> re.Pattern[str]:
        """The pattern for text whose length lower case changes (compiled when needed)."""
        if self._careful_pattern is None:
            self._careful_pattern = re.compile(
                f"(?<![^\\W_])(?:{self._body})(?![^\\W_])", re.IGNORECASE
            )
        return self._careful_pattern

    def find(self, text: str, limit: int = MAX_MATCHES) -> list[tuple[int, int, str]]:
        """(start, end, lower-case word) of each match, in order."""
        lowered = text.lower()
        found: list[tuple[int, int, str]] = []
        if len(lowered) != len(text):  # lower case changed the length: match the text itself
            for match in self._careful.finditer(text):
                found.append((match.start(), match.end(), match.group().lower()))
                if len(found) >= limit:
                    break
            return found
        for match in self._fast.finditer(lowered):
            start = match.start()
            if start and (lowered[start - 1].isalnum()):
                continue
            found.append((start, match.end(), match.group()))
            if len(found) >= limit:
                break
        return found


def surface_pattern(words: Iterable[str], stems: Iterable[str] = ()) -> Marker | None:
    """A :class:`Marker` for whole ``words`` and words starting with ``stems``."""
    if not any(words := list(words)) and not any(stems := list(stems)):
        return None
    return Marker(words, stems)


def _tidy(text: str) -> str:
    return _SPACE.sub(" ", text)


def _lead(text: str, width: int) -> Segments:
    flat = _tidy(text).strip()
    if len(flat) <= width:
        return ((flat, False),) if flat else ()
    cut = flat.rfind(" ", 0, width)
    return ((flat[: cut if cut > width // 2 else width].rstrip() + " …", False),)


def make_snippet(
    text: str, marker: Marker | None, width: int = SNIPPET_CHARS
) -> tuple[Segments, list[str]]:
    """The snippet of ``text`` and the matched words found anywhere on it (lower case)."""
    matches = marker.find(text) if marker is not None else []
    if not matches:
        return _lead(text, width), []
    found = list(dict.fromkeys(m[2] for m in matches))
    # Slide a window over the matches: the best one holds the most different words.
    best, best_score, j = 0, -1, 0
    inside: dict[str, int] = {}
    for i, (start, _end, _word) in enumerate(matches):
        while j < len(matches) and matches[j][1] - start <= width:
            inside[matches[j][2]] = inside.get(matches[j][2], 0) + 1
            j += 1
        score = 4 * len(inside) + (j - i)
        if score > best_score:
            best, best_score = i, score
        word = matches[i][2]
        if word in inside:
            inside[word] -= 1
            if not inside[word]:
                del inside[word]
    first = matches[best]
    window = [m for m in matches[best:] if m[1] - first[0] <= width] or [first]
    span = window[-1][1] - first[0]
    lead = max(20, (width - span) // 2)
    begin = max(0, first[0] - lead)
    if begin > 0:
        space = text.find(" ", begin, first[0])
        begin = space + 1 if space >= 0 else begin
    end = min(len(text), max(window[-1][1], begin + width))
    if end < len(text):
        space = text.rfind(" ", window[-1][1], end)
        end = space if space > 0 else end
    segments: list[tuple[str, bool]] = []
    cursor = begin
    for start, stop, _word in window:
        if start < cursor:
            continue
        if start > cursor:
            segments.append((_tidy(text[cursor:start]), False))
        segments.append((_tidy(text[start:stop]), True))
        cursor = stop
    if end > cursor:
        segments.append((_tidy(text[cursor:end]), False))
    if begin > 0:
        segments.insert(0, ("… ", False))
    if end < len(text):
        segments.append((" …", False))
    return _merge(segments), found


def _merge(segments: list[tuple[str, bool]]) -> Segments:
    merged: list[tuple[str, bool]] = []
    for text, marked in segments:
        if not text:
            continue
        if merged and merged[-1][1] == marked:
            merged[-1] = (merged[-1][0] + text, marked)
        else:
            merged.append((text, marked))
    if merged and not merged[0][1]:
        merged[0] = (merged[0][0].lstrip(), False)
    if merged and not merged[-1][1]:
        merged[-1] = (merged[-1][0].rstrip(), False)
    return tuple(m for m in merged if m[0])
