"""The zoom choices of the page view and reading a typed zoom (Qt-free)."""

from __future__ import annotations

from ecip_reader.viewing.layout import FIT_PAGE, FIT_WIDTH, MAX_ZOOM, MIN_ZOOM

ZoomMode = str | float

ZOOM_CHOICES: tuple[tuple[str, ZoomMode], ...] = (
    ("Fit width", FIT_WIDTH),
    ("Fit page", FIT_PAGE),
    ("50 %", 0.5),
    ("75 %", 0.75),
    ("100 %", 1.0),
    ("125 %", 1.25),
    ("150 %", 1.5),
    ("200 %", 2.0),
    ("300 %", 3.0),
    ("400 %", 4.0),
)


def parse_zoom(text: str) -> ZoomMode | None:
    """``"fit width"``, ``"Fit page"``, ``"150"``, ``"150 %"`` or ``1.5``-style factors."""
    cleaned = text.strip().lower().replace("%", "").strip()
    for label, mode in ZOOM_CHOICES:
        if isinstance(mode, str) and cleaned in (label.lower(), mode):
            return mode
    try:
        value = float(cleaned)
    except ValueError:
        return None
    factor = value / 100.0 if value > MAX_ZOOM else value
    return factor if MIN_ZOOM <= factor <= MAX_ZOOM else None
