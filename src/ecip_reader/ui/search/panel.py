"""The search panel: results as you type, grouped by document, narrowed with facet chips.

Typing waits ~200 ms for a pause, then searches on a :class:`TaskRunner` thread;
an answer to an older query is dropped when a newer one was asked. Opening a
hit asks for the document at that page with the query's words highlighted; F3
and Shift+F3 walk through every page hit of the result set.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QLineEdit,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ecip_reader.ui import icons, theme
from ecip_reader.ui.accessible import clear_button
from ecip_reader.ui.flow_layout import FlowLayout
from ecip_reader.ui.library.model import FACET_TITLES, facet_label
from ecip_reader.ui.search.host import PREPARING_TEXT
from ecip_reader.ui.search.results import (
    DocIdRole,
    HitNumberRole,
    PageRole,
    ResultsModel,
    SnippetDelegate,
)
from ecip_reader.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from ecip_reader.search.results import SearchResponse

SearchFunction = Callable[[str, Mapping[str, str]], "SearchResponse"]
DEBOUNCE_MS = 200
CHIPS_PER_FACET = 4
CHIP_FACETS = ("kind", "topic")
MORE_CHIP_FACETS = ("programme", "organisation")  # behind "More filters…"
ONLY_NOTES = "only-notes"  # filter: search the reader's notes alone
AS_TYPED = "as-typed"  # link: search the misspelt words as typed
SUGGESTED = "suggest"  # link: search the "did you mean" words


class SearchPanel(QWidget):
    """Owns the search field (shown in the toolbar) and the results list (in a side dock)."""

    open_hit = Signal(str, int, tuple)  # doc id, 1-based page, words to highlight
    results_shown = Signal()  # a response (or a message) is on screen
    query_changed = Signal(str)

    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchPanel")
        self.setMinimumWidth(300)
        self.setAccessibleName("Search results")
        self._tasks = tasks
        self._search: SearchFunction | None = None
        self._state = "preparing"  # "preparing", "ready" or "failed"
        self._state_text = PREPARING_TEXT
        self._generation = 0
        self._job: int | None = None
        self._filters: dict[str, str] = {}
        self._more_chips = False
        self.response: SearchResponse | None = None
        self.current_hit = -1

        self.field = QLineEdit()
        self.field.setObjectName("searchField")
        self.field.setPlaceholderText("Search all case studies  (Ctrl+K)")
        self.field.setAccessibleName("Search the library")
        clear_button(self.field, "Clear the search")
        icons.add_field_icon(self.field, "search", "Search")
        self.field.textChanged.connect(self._typed)
        self.field.returnPressed.connect(self.search_now)

        self.status = QLabel(self)
        self.status.setObjectName("searchStatus")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Search status")
        self.suggestion = QLabel(self)
        self.suggestion.setWordWrap(True)
        self.suggestion.setAccessibleName("Spelling")
        self.suggestion.linkActivated.connect(self._use_suggestion)
        self.suggestion.hide()
        self.only_notes = QCheckBox("Only my notes", self)
        self.only_notes.setAccessibleName("Search only my notes and highlights")
        self.only_notes.setToolTip("Search your notes and highlighted passages, not the documents")
        self.only_notes.toggled.connect(lambda _on: self.search_now())
        self.only_notes.hide()  # shown once the notes can be searched
        self.chips = QWidget(self)
        self.chips.setAccessibleName("Narrow the results")
        self.chips_layout = FlowLayout(self.chips, spacing=6)

        self.model = ResultsModel(self)
        self.tree = QTreeView(self)
        self.tree.setAccessibleName("Documents and pages found")
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setIndentation(14)
        self.tree.setWordWrap(True)
        self.tree.setExpandsOnDoubleClick(False)
        self.tree.setItemDelegate(SnippetDelegate(self.tree))
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.clicked.connect(self._open_index)
        self.tree.activated.connect(self._open_index)

        s = theme.SPACING
        layout = QVBoxLayout(self)
        layout.setContentsMargins(s * 2, s * 2, s, s)
        layout.setSpacing(s)
        layout.addWidget(self.suggestion)
        layout.addWidget(self.status)
        layout.addWidget(self.only_notes)
        layout.addWidget(self.chips)
        layout.addWidget(self.tree, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.search_now)
        self._show_status()

    # -- wiring ------------------------------------------------------------------------

    def search_function(self) -> SearchFunction | None:
        return self._search

    def set_search_function(self, search: SearchFunction | None, notes: bool = False) -> None:
        """What searching calls; ``notes``: it understands :data:`ONLY_NOTES` too."""
        self._search = search
        if not notes:
            self.only_notes.setChecked(False)
        self.only_notes.setVisible(notes)

    def set_index_state(self, state: str, text: str = "") -> None:
        """ "preparing" (with a progress text), "ready" or "failed" (with the reason)."""
        was_ready = self._state == "ready"
        self._state = state
        self._state_text = text
        if state == "ready" and not was_ready and self.query():
            self.search_now()
        else:
            self._show_status()

    @property
    def index_state(self) -> str:
        return self._state

    def query(self) -> str:
        return self.field.text().strip()

    def filters(self) -> dict[str, str]:
        return dict(self._filters)

    def set_query(self, text: str) -> None:
        self.field.setText(text)

    def focus_field(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    # -- searching ---------------------------------------------------------------------

    def _typed(self, _text: str) -> None:
        self.query_changed.emit(self.query())
        if not self.query():
            self._timer.stop()
            self._generation += 1
            self._filters.clear()
            self._show(None)
            return
        self._timer.start()

    def search_now(self) -> None:
        """Search for the field's text at once (Enter, or the pause after typing)."""
        self._timer.stop()
        query = self.query()
        self._generation += 1
        if self._job is not None:
            self._tasks.cancel_callbacks(self._job)
            self._job = None
        if not query:
            self._show(None)
            return
        if self._state != "ready" or self._search is None:
            self._show_status()
            self.results_shown.emit()
            return
        generation = self._generation
        search, filters = self._search, dict(self._filters)
        if self.only_notes.isChecked():
            filters[ONLY_NOTES] = "yes"
        self._job = self._tasks.run(
            lambda: search(query, filters),
            on_success=lambda response: self._answered(generation, response),
            on_failure=lambda exc: self._failed(generation, exc),
        )

    def _answered(self, generation: int, response: SearchResponse) -> None:
        if generation != self._generation:
            return  # a newer query was asked meanwhile
        self._job = None
        self._show(response)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._job = None
        self._show(None)
        self.status.setText("Search failed. The details were written to the log.")
        self._tasks.report(exc)

    # -- showing -----------------------------------------------------------------------

    def _show(self, response: SearchResponse | None) -> None:
        self.response = response
        self.current_hit = -1
        self.model.set_response(response)
        self.tree.expandAll()
        self._show_chips(response)
        self._show_status()
        self.results_shown.emit()

    def _show_status(self) -> None:
        response = self.response
        self.suggestion.hide()
        if not self.query():
            lines = ["Type to search the text of every document."]
            if self._state != "ready":
                lines.append(self._state_text or PREPARING_TEXT)
            self.status.setText("\n".join(lines))
            return
        if self._state != "ready":
            waiting = self._state_text or PREPARING_TEXT
            if self._state == "preparing":
                waiting += " Results will appear as soon as it is ready."
            self.status.setText(waiting)
            return
        if response is None:
            self.status.setText("Searching…")
            return
        if response.corrected_query and response.as_typed_query:
            self.suggestion.setText(
                f"Showing results for <i>{html.escape(response.corrected_query)}</i>. "
                f'Search for <a href="{AS_TYPED}"><i>{html.escape(response.query)}</i></a>'
                " instead"
            )
            self.suggestion.show()
        elif response.suggestion:
            self.suggestion.setText(
                f'Did you mean <a href="{SUGGESTED}">{html.escape(response.suggestion)}</a>?'
            )
            self.suggestion.show()
        if not response.results:
            self.status.setText(response.message or f"Nothing found for “{response.query}”.")
            return
        docs = len(response.results)
        pages = len(self.model.hits)
        found = (
            f"{docs} document{'s' if docs != 1 else ''}, {pages} page{'s' if pages != 1 else ''}"
        )
        lines = []
        if response.message:
            lines.append(response.message)
        elif response.fallback_or:
            lines.append("No document has all of these words; showing documents with any of them.")
        elif 0 < response.all_words_documents < response.total_documents:
            every = response.all_words_documents
            lines.append(
                f"{every} document{' contains' if every == 1 else 's contain'} every word; "
                "the others contain some of them."
            )
        notes = sum(len(hit.pages) for hit in response.results if hit.source == "note")
        if notes:
            found += f" ({notes} of them your note{'s' if notes != 1 else ''})"
        lines.append(f"{found} · {response.took_ms:.0f} ms")
        self.status.setText("\n".join(lines))

    def _show_chips(self, response: SearchResponse | None) -> None:
        self.chips_layout.clear()
        if response is None:
            self.chips.hide()
            return
        facets = CHIP_FACETS + (MORE_CHIP_FACETS if self._more_chips else ())
        for facet in facets:
            counts = response.facets.get(facet, {})
            chosen = self._filters.get(facet)
            values = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:CHIPS_PER_FACET]
            if chosen and chosen not in dict(values):
                values.insert(0, (chosen, counts.get(chosen, 0)))
            if len(values) < 2 and not chosen:
                continue  # one value narrows nothing
            for value, count in values:
                self.chips_layout.addWidget(self._chip(facet, value, count, value == chosen))
        hidden_choice = any(f in self._filters for f in MORE_CHIP_FACETS)
        if any(len(response.facets.get(f, {})) > 1 for f in MORE_CHIP_FACETS) or hidden_choice:
            more = QToolButton(self.chips)
            more.setObjectName("chipMore")
            more.setAutoRaise(True)
            more.setText("Fewer filters" if self._more_chips else "More filters…")
            more.setAccessibleName("Show more ways to narrow the results")
            more.clicked.connect(self._toggle_more_chips)
            self.chips_layout.addWidget(more)
        self.chips.setVisible(self.chips_layout.count() > 0)

    def _chip(self, facet: str, value: str, count: int, chosen: bool) -> QToolButton:
        chip = QToolButton(self.chips)
        chip.setObjectName("chip")
        chip.setCheckable(True)
        chip.setChecked(chosen)
        label = facet_label(facet, value)
        chip.setText(f"{label}  {count}")
        chip.setToolTip(f"{FACET_TITLES[facet]}: {label}")
        chip.setAccessibleName(f"Only {FACET_TITLES[facet].lower()} {label}, {count} documents")
        chip.clicked.connect(lambda _c=False, f=facet, v=value: self.toggle_filter(f, v))
        return chip

    def _toggle_more_chips(self) -> None:
        self._more_chips = not self._more_chips
        self._show_chips(self.response)

    def chip_texts(self) -> list[str]:
        return [
            w.text()
            for i in range(self.chips_layout.count())
            if (item := self.chips_layout.itemAt(i)) is not None
            and isinstance(w := item.widget(), QToolButton)
            and w.objectName() == "chip"
        ]

    def toggle_filter(self, facet: str, value: str) -> None:
        if self._filters.get(facet) == value:
            del self._filters[facet]
        else:
            self._filters[facet] = value
        self.search_now()

    def _use_suggestion(self, href: str) -> None:
        """Search for the words as typed, or for the "did you mean" words."""
        response = self.response
        if response is None:
            return
        text = response.as_typed_query if href == AS_TYPED else response.suggestion
        if text:
            self.field.setText(text)
            self.search_now()

    # -- opening hits ------------------------------------------------------------------

    def terms(self) -> tuple[str, ...]:
        return tuple(self.response.highlight_terms) if self.response is not None else ()

    def _open_index(self, index: QModelIndex) -> None:
        doc_id = index.data(DocIdRole)
        page = index.data(PageRole) or 0
        number = index.data(HitNumberRole)
        if not isinstance(doc_id, str):
            return
        if not page:  # a document row opens at its best page
            child = self.model.index(0, 0, index)
            page = child.data(PageRole) if child.isValid() else 1
        self.current_hit = number if isinstance(number, int) else -1
        self.open_hit.emit(doc_id, int(page), self.terms())

    def hit_count(self) -> int:
        return len(self.model.hits)

    def next_hit(self) -> bool:
        return self._walk(1)

    def previous_hit(self) -> bool:
        return self._walk(-1)

    def _walk(self, step: int) -> bool:
        count = self.hit_count()
        if count == 0:
            return False
        if self.current_hit < 0:
            self.current_hit = 0 if step > 0 else count - 1
        else:
            self.current_hit = (self.current_hit + step) % count
        index = self.model.index_of_hit(self.current_hit)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)
        doc_id, page = self.model.hits[self.current_hit]
        self.open_hit.emit(doc_id, page, self.terms())
        return True

    def refresh_look(self) -> None:
        """Redraw in the colours of the current look."""
        icons.recolour_field_icon(self.field, "search")
        current = self.current_hit
        self.model.set_response(self.response)
        self.tree.expandAll()
        self.current_hit = current

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self.tree.doItemsLayout()  # snippets wrap to the new width
