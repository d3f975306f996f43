"""Text selection on one page, built from the words the render worker extracted (Qt-free).

Words come as PyMuPDF's ``get_text("words")`` gives them: ``(x0, y0, x1, y1,
word, block, line, word_no)`` in PDF points of the unturned page, in reading
order. A selection is a run of consecutive words of one page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

Word = tuple[float, float, float, float, str, int, int, int]
Quad = tuple[float, float, float, float, float, float, float, float]

CONTEXT_WORDS = 8


@dataclass(frozen=True)
class TextSelection:
    """Selected text of one page.

    ``quads`` (one per line, PDF points: upper-left, upper-right, lower-left,
    lower-right x/y) cover the selected words; ``before`` and ``after`` hold a
    few words around the quote so it can be found again.
    """

    page: int  # 1-based
    text: str
    quads: tuple[Quad, ...]
    words: tuple[Word, ...]
    before: str
    after: str


def word_at(words: Sequence[Word], x: float, y: float, nearest: bool = False) -> int | None:
    """Index of the word under the PDF point, or (with ``nearest``) of the closest word.

    The closest word is found on the nearest line first, so dragging past the
    end of a line selects up to its last word.
    """
    best: tuple[float, float, int] | None = None
    for index, (x0, y0, x1, y1, *_rest) in enumerate(words):
        if x0 <= x <= x1 and y0 <= y <= y1:
            return index
        if nearest:
            dy = 0.0 if y0 <= y <= y1 else min(abs(y - y0), abs(y - y1))
            dx = 0.0 if x0 <= x <= x1 else min(abs(x - x0), abs(x - x1))
            key = (dy, dx, index)
            if best is None or key < best:
                best = key
    return best[2] if best is not None else None


def line_span(words: Sequence[Word], index: int) -> tuple[int, int]:
    """First and last index of the words on the line of word ``index``."""
    block, line = words[index][5], words[index][6]
    first = last = index
    while first > 0 and words[first - 1][5:7] == (block, line):
        first -= 1
    while last + 1 < len(words) and words[last + 1][5:7] == (block, line):
        last += 1
    return first, last


def join_words(words: Sequence[Word]) -> str:
    """Plain text: spaces between words, a line break where a line or block ends."""
    parts: list[str] = []
    previous: Word | None = None
    for word in words:
        if previous is not None:
            parts.append(" " if word[5:7] == previous[5:7] else "\n")
        parts.append(word[4])
        previous = word
    return "".join(parts)


def line_quads(words: Sequence[Word]) -> tuple[Quad, ...]:
    """One quad around the selected words of each line."""
    quads: list[Quad] = []
    current: list[float] | None = None
    key: tuple[int, int] | None = None
    for x0, y0, x1, y1, _text, block, line, _no in words:
        if current is not None and key == (block, line):
            current = [
                min(current[0], x0),
                min(current[1], y0),
                max(current[2], x1),
                max(current[3], y1),
            ]
            continue
        if current is not None:
            quads.append(_quad(current))
        current, key = [x0, y0, x1, y1], (block, line)
    if current is not None:
        quads.append(_quad(current))
    return tuple(quads)


def _quad(box: Sequence[float]) -> Quad:
    x0, y0, x1, y1 = box
    return (x0, y0, x1, y0, x0, y1, x1, y1)


def make_selection(page: int, words: Sequence[Word], first: int, last: int) -> TextSelection:
    """The selection of words ``first`` to ``last`` (either order) of ``page`` (1-based)."""
    first, last = min(first, last), max(first, last)
    chosen = tuple(words[first : last + 1])
    before = " ".join(w[4] for w in words[max(0, first - CONTEXT_WORDS) : first])
    after = " ".join(w[4] for w in words[last + 1 : last + 1 + CONTEXT_WORDS])
    return TextSelection(page, join_words(chosen), line_quads(chosen), chosen, before, after)


def word_range(words: Sequence[Word], chosen: TextSelection) -> tuple[int, int] | None:
    """The indexes in ``words`` of the first and last word of ``chosen``, if they are there."""
    if not chosen.words:
        return None
    try:
        first = list(words).index(chosen.words[0])
    except ValueError:
        return None
    last = first + len(chosen.words) - 1
    return (first, last) if last < len(words) else None


def next_word(words: Sequence[Word], index: int, step: int) -> int:
    """The word ``step`` words on from ``index`` (negative: back), kept on the page."""
    return min(max(index + step, 0), len(words) - 1)


def next_line_word(words: Sequence[Word], index: int, down: bool) -> int:
    """The word of the next (or previous) line nearest across to word ``index``.

    Lines are PyMuPDF's (block, line) pairs, in reading order; on the last line
    (or the first, going up) the last (or first) word of the page is chosen.
    """
    here = words[index]
    line = (here[5], here[6])
    middle = (here[0] + here[2]) / 2
    order = range(index + 1, len(words)) if down else range(index - 1, -1, -1)
    target: tuple[int, int] | None = None
    found: list[int] = []
    for i in order:
        key = (words[i][5], words[i][6])
        if key == line:
            continue
        if target is None:
            target = key
        elif key != target:
            break
        found.append(i)
    if not found:
        return len(words) - 1 if down else 0
    return min(found, key=lambda i: abs((words[i][0] + words[i][2]) / 2 - middle))
