"""Page geometry read without loading pages, and small helpers of the render worker.

Qt-free and PyMuPDF-free by itself: functions take the open document handle
they work on.
"""

from __future__ import annotations

import os
from typing import Any

PUNCTUATION = ".,;:!?()[]{}\"'«»“”‘’…"


def trim_punctuation(word: str, x0: float, x1: float) -> tuple[float, float]:
    """Narrow a word's box so that leading and trailing punctuation is not marked.

    Characters are taken as equally wide, which is close enough for a highlight.
    """
    stripped = word.strip(PUNCTUATION)
    if not stripped or len(stripped) == len(word) or not word:
        return x0, x1
    each = (x1 - x0) / len(word)
    lead = len(word) - len(word.lstrip(PUNCTUATION))
    trail = len(word) - len(word.rstrip(PUNCTUATION))
    return x0 + lead * each, x1 - trail * each


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


def resident_bytes() -> int:
    """Resident memory of this process (Linux), or 0 where it cannot be read."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0
