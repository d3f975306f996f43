"""The library list's columns: the title first, the others elided or hidden as room runs out.

:func:`fit_columns` shares a width among columns by their rules; it knows no
Qt. :class:`FittedTable` applies it whenever the table's width changes, so the
Title column keeps a readable width beside the details pane, the search panel
or on a 1366-pixel screen. A column the user widens by hand keeps that width
until the table's width changes again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QTableView, QWidget


@dataclass(frozen=True)
class ColumnRule:
    minimum: int  # narrower than this, the column is hidden rather than squeezed
    preferred: int  # what it gets when there is room
    drop_order: int  # the lowest is hidden first; the title column is never hidden (0)


def fit_columns(available: int, rules: Sequence[ColumnRule], first: int = 0) -> list[int]:
    """Widths for ``rules`` in ``available`` pixels; 0 means hidden.

    Column ``first`` (the title) is to get its preferred width, or half the
    room when that is less (never less than its minimum); the other columns get
    their minimums, those with the lowest ``drop_order`` hidden while they do
    not fit beside it. Then every column grows toward its preferred width, the
    title first; any room left goes to the title. A list narrower than the
    title's minimum shows the title alone, as wide as the list.
    """
    shown = set(range(len(rules)))
    title = rules[first]
    target = max(title.minimum, min(title.preferred, available // 2))

    def needed() -> int:
        return sum(rules[i].minimum for i in shown) - title.minimum + target

    droppable = sorted((i for i in shown if i != first), key=lambda i: rules[i].drop_order)
    while needed() > available and droppable:
        shown.discard(droppable.pop(0))
    widths = [rules[i].minimum if i in shown else 0 for i in range(len(rules))]
    spare = max(0, available - sum(widths))
    for i in [first, *(j for j in range(len(rules)) if j != first)]:
        if i in shown and spare > 0:
            grow = min(spare, rules[i].preferred - widths[i])
            if grow > 0:
                widths[i] += grow
                spare -= grow
    widths[first] += spare
    if available < title.minimum:  # a very narrow list: the title has all of it
        widths[first] = max(available, 0)
    return widths


class FittedTable(QTableView):
    """A table whose columns follow :func:`fit_columns` whenever its width changes."""

    def __init__(self, rules: Sequence[ColumnRule], first: int = 0, parent: QWidget | None = None):
        super().__init__(parent)
        self.rules = list(rules)
        self.first = first
        self._fitted_width = -1

    def fit_columns(self) -> None:
        self._fitted_width = self.viewport().width()
        header = self.horizontalHeader()
        for column, width in enumerate(fit_columns(self._fitted_width, self.rules, self.first)):
            hidden = width == 0
            if header.isSectionHidden(column) != hidden:
                header.setSectionHidden(column, hidden)
            if not hidden and header.sectionSize(column) != width:
                header.resizeSection(column, width)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)  # also called when only the viewport's size changed
        if self.viewport().width() != self._fitted_width:
            self.fit_columns()
