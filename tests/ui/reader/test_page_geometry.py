"""Page layout and the page cache: the Qt-free parts of the page view."""

from __future__ import annotations

from ecip_reader.viewing.layout import (
    FIT_PAGE,
    FIT_WIDTH,
    MARGIN,
    SPACING,
    PageLayout,
    fit_zoom,
    next_zoom,
)
from ecip_reader.viewing.page_cache import PageCache

A4 = (595.0, 842.0)
LANDSCAPE = (842.0, 595.0)


def test_pages_are_stacked_centred_with_gaps() -> None:
    layout = PageLayout([A4, LANDSCAPE, A4], 0.75, view_width=1000)
    first, wide, last = layout.rects
    assert (first.y, first.width, first.height) == (MARGIN, 595, 842)  # 0.75 × 96/72 = 1
    assert wide.y == first.bottom + SPACING and last.y == wide.bottom + SPACING
    for rect in layout.rects:
        assert abs((rect.x + rect.width / 2) - 500) <= 1
    assert layout.height == last.bottom + MARGIN


def test_a_page_wider_than_the_view_widens_the_strip() -> None:
    layout = PageLayout([A4], 2.0, view_width=400)
    assert layout.width == layout.rects[0].width + 2 * MARGIN
    assert layout.rects[0].x == MARGIN


def test_visible_pages_and_the_page_that_fills_most_of_the_view() -> None:
    layout = PageLayout([A4] * 10, 0.75, view_width=800)
    second = layout.rects[1]
    assert list(layout.pages_between(second.y + 10, second.y + 500)) == [1]
    assert list(layout.pages_between(second.bottom - 10, second.bottom + 100)) == [1, 2]
    assert layout.most_visible(second.bottom - 100, second.bottom + 600) == 2
    assert list(layout.pages_between(layout.height + 10, layout.height + 20)) == []
    page, fraction = layout.locate(second.y + second.height / 4)
    assert page == 1 and abs(fraction - 0.25) < 0.01
    assert layout.position_of(1, 0.25) == second.y + second.height / 4


def test_fit_width_and_fit_page() -> None:
    width = fit_zoom(FIT_WIDTH, [A4], 800, 600)
    assert round(PageLayout([A4], width, 800).rects[0].width) == 800 - 2 * MARGIN
    page = fit_zoom(FIT_PAGE, [A4], 800, 600)
    assert PageLayout([A4], page, 800).rects[0].height <= 600 - 2 * MARGIN
    assert fit_zoom(FIT_WIDTH, [A4], 10, 10) == 0.25  # never below 25 %


def test_one_huge_page_neither_shrinks_the_others_nor_pushes_them_out_of_view() -> None:
    """An A4 report with a 200-inch plan: fit width fits the A4 pages, and they are in view."""
    plan = (14_400.0, 14_400.0)
    sizes = [A4, plan, A4, A4]
    zoom = fit_zoom(FIT_WIDTH, sizes, 786, 600)
    layout = PageLayout(sizes, zoom, 786)
    first, huge, *_rest = layout.rects
    assert first.width == 786 - 2 * MARGIN  # the A4 pages fill the view's width…
    assert first.x >= 0 and first.x + first.width <= 786  # …inside the view, not at x=2292
    assert huge.x == MARGIN and layout.width == huge.width + 2 * MARGIN  # scrolled across
    assert fit_zoom(FIT_PAGE, sizes, 786, 600) == fit_zoom(FIT_PAGE, [A4], 786, 600)
    # Ordinary mixed pages still all fit: a landscape page is not "outsize".
    mixed = [A4, LANDSCAPE, A4]
    zoom = fit_zoom(FIT_WIDTH, mixed, 786, 600)
    assert max(r.width for r in PageLayout(mixed, zoom, 786).rects) == 786 - 2 * MARGIN


def test_zoom_steps_stop_at_25_and_400_percent() -> None:
    assert next_zoom(1.0, +1) == 1.1
    assert next_zoom(1.0, -1) == 0.9
    assert next_zoom(1.05, +1) == 1.1
    assert next_zoom(4.0, +1) == 4.0
    assert next_zoom(0.25, -1) == 0.25


def test_the_cache_keeps_within_its_budget_dropping_the_least_recently_used() -> None:
    cache: PageCache[bytes] = PageCache(len, budget=100)
    cache.put((1, 0, 10), b"a" * 40)
    cache.put((1, 1, 10), b"b" * 40)
    assert cache.get((1, 0, 10)) is not None  # page 0 is now the most recently used
    cache.put((1, 2, 10), b"c" * 40)
    assert (1, 1, 10) not in cache and (1, 0, 10) in cache and (1, 2, 10) in cache
    assert cache.used == 80


def test_the_nearest_width_stands_in_for_a_missing_one() -> None:
    cache: PageCache[str] = PageCache(len, budget=1000)
    cache.put((1, 0, 400), "small")
    cache.put((1, 0, 800), "large")
    cache.put((2, 0, 700), "other document")
    assert cache.nearest(1, 0, 700) == (800, "large")
    assert cache.nearest(1, 0, 500) == (400, "small")
    assert cache.nearest(1, 5, 500) is None
    cache.drop_document(1)
    assert cache.nearest(1, 0, 700) is None and len(cache) == 1


def test_one_image_larger_than_the_budget_is_still_kept() -> None:
    cache: PageCache[bytes] = PageCache(len, budget=10)
    cache.put((1, 0, 10), b"x" * 5)
    cache.put((1, 1, 10), b"y" * 50)
    assert (1, 1, 10) in cache and (1, 0, 10) not in cache
