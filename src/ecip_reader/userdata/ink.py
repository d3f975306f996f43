"""Checking and storing drawings (ink annotations): strokes of points in PDF page space.

A drawing is a tuple of strokes, each a tuple of ``(x, y)`` points in PDF points
of the unrotated page (origin top left, y downwards). :func:`clean_ink` is the
one gate every drawing passes — from the presentation pen, an undo, a notes
pack or the database — so nothing larger, stranger or off any page gets in.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence

from ecip_reader.userdata.models import (
    MAX_COORDINATE,
    MAX_INK_POINTS,
    MAX_INK_WIDTH,
    MAX_STROKES,
    Stroke,
    rounded_point,
)


class InkError(ValueError):
    """A drawing that cannot be stored; the message names the problem in a few words."""


def _coordinate(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InkError("drawing points must be numbers")
    number = float(value)
    if not math.isfinite(number):
        raise InkError("drawing points must be finite numbers")
    if not 0.0 <= number <= MAX_COORDINATE:
        raise InkError(f"drawing points must lie on a page (0 to {MAX_COORDINATE:,.0f} points)")
    return number


def clean_width(width: object) -> float:
    """A line width in points, finite and from 0.1 to :data:`MAX_INK_WIDTH`."""
    if isinstance(width, bool) or not isinstance(width, (int, float)):
        raise InkError("the drawing's width must be a number")
    value = float(width)
    if not math.isfinite(value) or not 0.1 <= value <= MAX_INK_WIDTH:
        raise InkError(f"the drawing's width must be from 0.1 to {MAX_INK_WIDTH:g} points")
    return round(value, 2)


def clean_ink(strokes: Iterable[Iterable[Sequence[object]]]) -> tuple[Stroke, ...]:
    """Rounded strokes without repeated points; raises :class:`InkError` for a bad drawing."""
    cleaned: list[Stroke] = []
    total = 0
    for stroke in strokes:
        if not isinstance(stroke, Iterable) or isinstance(stroke, (str, bytes)):
            raise InkError("each line of a drawing must be a list of points")
        points: list[tuple[float, float]] = []
        for point in stroke:
            if (
                not isinstance(point, Sequence)
                or isinstance(point, (str, bytes))
                or len(point) != 2
            ):
                raise InkError("each drawing point must be a pair of numbers")
            rounded = rounded_point((_coordinate(point[0]), _coordinate(point[1])))
            if not points or points[-1] != rounded:
                points.append(rounded)
            total += 1
            if total > MAX_INK_POINTS:
                raise InkError(f"a drawing can hold at most {MAX_INK_POINTS:,} points")
        if points:
            cleaned.append(tuple(points))
            if len(cleaned) > MAX_STROKES:
                raise InkError(f"a drawing can hold at most {MAX_STROKES:,} lines")
    if not cleaned:
        raise InkError("a drawing needs at least one line")
    return tuple(cleaned)


def ink_to_json(strokes: Sequence[Stroke]) -> str:
    return json.dumps([[list(p) for p in stroke] for stroke in strokes], separators=(",", ":"))


def ink_from_json(text: str) -> tuple[Stroke, ...]:
    return tuple(tuple((float(x), float(y)) for x, y in stroke) for stroke in json.loads(text))
