"""A memory-bounded cache of rendered pages, least recently used out first.

Qt-free on purpose: it stores any value and asks ``size_of`` for its bytes,
so it can be tested without a display. Keys are ``(doc, page, width)``; the
cache can also answer "the best image of this page at any width", which the
view draws scaled while the sharp page is on its way.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

PageKey = tuple[int, int, int]  # (document handle, 0-based page, device pixel width)

DEFAULT_BUDGET = 128 * 1024 * 1024


class PageCache(Generic[T]):
    def __init__(self, size_of: Callable[[T], int], budget: int = DEFAULT_BUDGET) -> None:
        self._size_of = size_of
        self.budget = budget
        self._items: OrderedDict[PageKey, tuple[T, int]] = OrderedDict()
        self._widths: dict[tuple[int, int], set[int]] = {}
        self.used = 0

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: PageKey) -> bool:
        return key in self._items

    def get(self, key: PageKey) -> T | None:
        item = self._items.get(key)
        if item is None:
            return None
        self._items.move_to_end(key)
        return item[0]

    def put(self, key: PageKey, value: T) -> None:
        size = self._size_of(value)
        self.remove(key)
        self._items[key] = (value, size)
        self._widths.setdefault((key[0], key[1]), set()).add(key[2])
        self.used += size
        self._evict(keep=key)

    def nearest(self, doc: int, page: int, width: int) -> tuple[int, T] | None:
        """The cached image of ``page`` closest in width to ``width`` (larger preferred)."""
        widths = self._widths.get((doc, page))
        if not widths:
            return None
        best = min(widths, key=lambda w: (abs(w - width), -w))
        return best, self._items[(doc, page, best)][0]

    def remove(self, key: PageKey) -> None:
        item = self._items.pop(key, None)
        if item is None:
            return
        self.used -= item[1]
        widths = self._widths.get((key[0], key[1]))
        if widths is not None:
            widths.discard(key[2])
            if not widths:
                del self._widths[(key[0], key[1])]

    def drop_document(self, doc: int) -> None:
        for key in [k for k in self._items if k[0] == doc]:
            self.remove(key)

    def clear(self) -> None:
        self._items.clear()
        self._widths.clear()
        self.used = 0

    def _evict(self, keep: PageKey) -> None:
        while self.used > self.budget and len(self._items) > 1:
            oldest = next(iter(self._items))
            if oldest == keep:
                self._items.move_to_end(oldest)
                continue
            self.remove(oldest)
