"""Page geometry read without loading pages, and small helpers of the render worker.

Qt-free and PyMuPDF-free by itself: functions take the open document handle
they work on.
"""

from __future__ import annotations

from typing import Any

PUNCTUATION = ".,;:!?()[]{}\"'«»“”‘’…"

# How wide each printable ASCII character is, in thousandths of the type size (the
# widths of Helvetica, the commonest PDF sans-serif). A word's box is shared among its
# letters by these widths: a trailing comma is a narrow sliver, not an average letter.
_ASCII_WIDTHS = (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 "
    "556 556 556 556 278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 "
    "556 833 722 778 667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 333 556 "
    "556 500 556 556 278 556 556 222 222 500 222 833 556 556 556 556 333 500 278 556 500 722 "
    "500 500 500 334 260 334 584"
)
_WIDTHS = {chr(32 + i): int(w) for i, w in enumerate(_ASCII_WIDTHS.split())}
_WIDTHS.update({"‘": 222, "’": 222, "“": 333, "”": 333, "«": 556, "»": 556, "…": 1000})
_OTHER_WIDTH = 556


def letter_width(char: str) -> int:
    return _WIDTHS.get(char, _OTHER_WIDTH)


def letter_span(word: str, x0: float, x1: float, start: int, end: int) -> tuple[float, float]:
    """Where letters ``start``..``end`` of ``word`` lie between ``x0`` and ``x1``.

    The box is shared among the letters by their typical widths (see above).
    """
    widths = [letter_width(c) for c in word]
    total = sum(widths)
    if not word or total <= 0:
        return x0, x1
    scale = (x1 - x0) / total
    left = x0 + sum(widths[:start]) * scale
    right = x1 - sum(widths[end:]) * scale
    return left, max(left, right)


def trim_punctuation(word: str, x0: float, x1: float) -> tuple[float, float]:
    """Narrow a word's box so that leading and trailing punctuation is not marked."""
    stripped = word.strip(PUNCTUATION)
    if not stripped or len(stripped) == len(word) or not word:
        return x0, x1
    lead = len(word) - len(word.lstrip(PUNCTUATION))
    trail = len(word) - len(word.rstrip(PUNCTUATION))
    return letter_span(word, x0, x1, lead, len(word) - trail)


def page_sizes(handle: Any) -> tuple[tuple[float, float], ...]:
    """Displayed size of every page in points, without loading the pages."""
    return page_geometry(handle)[0]


def page_geometry(handle: Any) -> tuple[tuple[tuple[float, float], ...], tuple[int, ...]]:
    """Displayed size (points) and own rotation of every page, without loading the pages.

    Uses each page's crop box and its (possibly inherited) /Rotate entry; a
    quarter turn swaps width and height.
    """
    sizes: list[tuple[float, float]] = []
    rotations: list[int] = []
    inherited: dict[int, int] = {}
    for number in range(handle.page_count):
        box = handle.page_cropbox(number)
        width, height = abs(float(box.width)), abs(float(box.height))
        rotation = _rotation(handle, handle.page_xref(number), inherited) % 360
        if rotation % 180:
            width, height = height, width
        sizes.append((width or 612.0, height or 792.0))
        rotations.append(rotation if rotation in (0, 90, 180, 270) else 0)
    return tuple(sizes), tuple(rotations)


def unturn_box(box: tuple[float, float, float, float], rotation: int) -> tuple[float, ...]:
    """A box given as fractions of a page turned clockwise by ``rotation``, on the unturned page."""
    x0, y0, x1, y1 = box
    turn = rotation % 360
    if turn == 90:
        x0, y0, x1, y1 = y0, 1 - x1, y1, 1 - x0
    elif turn == 180:
        x0, y0, x1, y1 = 1 - x1, 1 - y1, 1 - x0, 1 - y0
    elif turn == 270:
        x0, y0, x1, y1 = 1 - y1, x0, 1 - y0, x1
    return (x0, y0, x1, y1)


def _rotation(handle: Any, xref: int, inherited: dict[int, int]) -> int:
    seen: list[int] = []
    rotation = 0
    while 0 < xref < handle.xref_length() and len(seen) < 64:
        if xref in inherited:
            rotation = inherited[xref]
            break
        seen.append(xref)
        kind, value = handle.xref_get_key(xref, "Rotate")
        if kind == "int":
            rotation = int(value)
            break
        kind, value = handle.xref_get_key(xref, "Parent")
        xref = int(value.split()[0]) if kind == "xref" else 0
    for node in seen[1:]:
        inherited[node] = rotation
    return rotation
