"""The details pane beside the library, and the "Continue reading" strip above it."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics, QMouseEvent, QPainter, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ecip_reader.library.catalogue import ANGLE_LABEL, CatalogueEntry
from ecip_reader.ui import theme
from ecip_reader.ui.accessible import leave_on_backtab
from ecip_reader.ui.flow_layout import FlowLayout
from ecip_reader.ui.library.cards import paint_cover, two_lines
from ecip_reader.ui.library.model import describe_last_read, kind_label
from ecip_reader.userdata.reading_history import Position

CoverSource = Callable[[str], QPixmap | None]


def cover_pixmap(
    entry: CatalogueEntry, thumb: QPixmap | None, size: QSize, ratio: float
) -> QPixmap:
    pixmap = QPixmap(round(size.width() * ratio), round(size.height() * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    paint_cover(painter, QRect(0, 0, size.width(), size.height()), entry, thumb)
    painter.end()
    return pixmap


def _section(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text.upper(), parent)
    label.setObjectName("sectionTitle")
    return label


def _show_links(label: QLabel, entries: Sequence[CatalogueEntry], otherwise: str) -> None:
    """Links to ``entries`` (reachable with Tab and Enter), or the sentence ``otherwise``."""
    label.setText(_links(entries) if entries else otherwise)
    flags = Qt.TextInteractionFlag
    label.setTextInteractionFlags(
        flags.TextBrowserInteraction if entries else flags.LinksAccessibleByMouse
    )


def _links(entries: Sequence[CatalogueEntry]) -> str:
    return "<br>".join(
        f'<a href="doc:{html.escape(e.id)}">{html.escape(e.title)}</a>' for e in entries
    )


class DetailsPane(QScrollArea):
    """Everything about the selected document, and the button to open it."""

    open_requested = Signal(str)
    show_requested = Signal(str)  # select another document in the library
    topic_chosen = Signal(str)

    def __init__(self, cover_source: CoverSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailsPane")
        self.setAccessibleName("Document details")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._cover_source = cover_source
        self._entry: CatalogueEntry | None = None
        body = QWidget(self)
        body.setObjectName("detailsPane")
        self.setWidget(body)
        s = theme.SPACING
        layout = QVBoxLayout(body)
        layout.setContentsMargins(s * 2, s * 2, s * 2, s * 2)
        layout.setSpacing(s)

        self.cover = QLabel(body)
        self.cover.setAccessibleName("Cover")
        self.title = QLabel(body)
        self.title.setObjectName("detailsTitle")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.angle = QLabel(body)
        self.angle.setObjectName("muted")
        self.angle.setWordWrap(True)
        self.angle.setAccessibleName("Editorial angle")
        self.organisation = QLabel(body)
        self.organisation.setWordWrap(True)
        self.meta = QLabel(body)
        self.meta.setObjectName("muted")
        self.meta.setWordWrap(True)
        self.progress_text = QLabel(body)
        self.progress_text.setObjectName("muted")
        self.progress = QProgressBar(body)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName("Reading progress")
        self.open_button = QPushButton("Open", body)
        self.open_button.setObjectName("primary")
        self.open_button.setAccessibleName("Open the selected document")
        self.open_button.setAutoDefault(True)  # Enter opens it, as Space does
        self.open_button.clicked.connect(self._open)
        self.summary = QLabel(body)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.topics = QWidget(body)
        self.topics_layout = FlowLayout(self.topics)
        self.related = QLabel(body)
        self.related.setWordWrap(True)
        self.related.linkActivated.connect(self._link)
        self.related.setObjectName("linkList")
        self.related.setAccessibleName("Related documents")
        leave_on_backtab(self.related)
        self.more_like_this = QLabel(body)
        self.more_like_this.setWordWrap(True)
        self.more_like_this.linkActivated.connect(self._link)
        self.more_like_this.setObjectName("linkList")
        self.more_like_this.setAccessibleName("More like this")
        leave_on_backtab(self.more_like_this)
        self.empty = QLabel("Choose a document to see its details.", body)
        self.empty.setObjectName("muted")
        self.empty.setWordWrap(True)

        button_row = QHBoxLayout()
        button_row.addWidget(self.open_button)
        button_row.addStretch(1)
        self._content: list[QWidget] = []
        header: tuple[QWidget, ...] = (
            self.cover,
            self.title,
            self.angle,
            self.organisation,
            self.meta,
            self.progress_text,
            self.progress,
        )
        for widget in header:
            layout.addWidget(widget)
            self._content.append(widget)
        layout.addSpacing(s // 2)
        layout.addLayout(button_row)
        sections: tuple[tuple[str, QWidget], ...] = (
            ("Summary", self.summary),
            ("Topics", self.topics),
            ("Related documents", self.related),
            ("More like this", self.more_like_this),
        )
        for title, section in sections:
            label = _section(title, body)
            layout.addSpacing(s)
            layout.addWidget(label)
            layout.addWidget(section)
            self._content += [label, section]
        self._content.append(self.open_button)
        layout.addWidget(self.empty)
        layout.addStretch(1)
        self.set_entry(None)

    @property
    def entry(self) -> CatalogueEntry | None:
        return self._entry

    def set_entry(
        self,
        entry: CatalogueEntry | None,
        related: Sequence[CatalogueEntry] = (),
        position: Position | None = None,
    ) -> None:
        self._entry = entry
        for widget in self._content:
            widget.setVisible(entry is not None)
        self.empty.setVisible(entry is None)
        if entry is None:
            return
        ratio = self.devicePixelRatioF()
        self.cover.setPixmap(
            cover_pixmap(entry, self._cover_source(entry.id), QSize(132, 180), ratio)
        )
        self.title.setText(entry.title)
        self.angle.setText(f"{ANGLE_LABEL}: {entry.angle}" if entry.angle else "")
        self.angle.setVisible(bool(entry.angle))
        self.organisation.setText(entry.shown_organisation)
        pages = "1 page" if entry.pages == 1 else f"{entry.pages} pages" if entry.pages else ""
        facts = " · ".join(part for part in (kind_label(entry.kind), pages, entry.region) if part)
        self.meta.setText(f"{html.escape(facts)}<br>{html.escape(entry.programme)}")
        if position is not None:
            page = min(position.page, entry.pages)
            when = describe_last_read(position.last_read)
            self.progress_text.setText(
                f"Page {page} of {entry.pages}" + (f" · read {when.lower()}" if when else "")
            )
            self.progress.setRange(0, entry.pages)
            self.progress.setValue(page)
            self.open_button.setText("Continue reading")
        else:
            self.progress_text.setText("Not opened yet")
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
            self.open_button.setText("Open")
        self.progress.setVisible(position is not None)
        self.summary.setText(entry.summary)
        self.topics_layout.clear()
        for topic in entry.topics:
            chip = QToolButton(self.topics)
            chip.setObjectName("chip")
            chip.setText(topic)
            chip.setToolTip(f"Show documents about {topic}")
            chip.setAccessibleName(f"Topic {topic}")
            chip.clicked.connect(lambda _checked=False, t=topic: self.topic_chosen.emit(t))
            self.topics_layout.addWidget(chip)
        _show_links(self.related, related, "None listed.")
        _show_links(self.more_like_this, (), "…")

    def set_more_like_this(self, doc_id: str, entries: Sequence[CatalogueEntry] | None) -> None:
        """Fill "More like this"; ``None`` while the search index is not ready."""
        if self._entry is None or self._entry.id != doc_id:
            return
        if entries is None:
            _show_links(self.more_like_this, (), "Shown once search is ready.")
        else:
            _show_links(self.more_like_this, entries, "Nothing similar found.")

    def _open(self) -> None:
        if self._entry is not None:
            self.open_requested.emit(self._entry.id)

    def _link(self, href: str) -> None:
        if href.startswith("doc:"):
            self.show_requested.emit(href[4:])


CARD_WIDTH = 264


class _RecentCard(QFrame):
    clicked = Signal(str)

    def __init__(self, entry: CatalogueEntry, cover: QPixmap, detail: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("recentCard")
        self.doc_id = entry.id
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(f"Continue reading {entry.title}")
        self.setAccessibleName(f"Continue reading {entry.title}")
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setFixedWidth(CARD_WIDTH)
        image = QLabel(self)
        image.setPixmap(cover)
        title = QLabel(self)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        text_width = CARD_WIDTH - 8 - 12 - 10 - round(cover.deviceIndependentSize().width())
        title.setText(two_lines(entry.title, QFontMetrics(font), text_width))
        info = QLabel(detail, self)
        info.setObjectName("muted")
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(title)
        text.addWidget(info)
        text.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 8, 12, 8)
        row.setSpacing(10)
        row.addWidget(image)
        row.addLayout(text, 1)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.doc_id)

    def keyPressEvent(self, event: object) -> None:
        key = getattr(event, "key", lambda: None)()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit(self.doc_id)
        else:
            super().keyPressEvent(event)  # type: ignore[arg-type]


class ContinueStrip(QWidget):
    """The documents read most recently, one click from where they were left."""

    open_requested = Signal(str)
    MAX_ITEMS = 4

    def __init__(self, cover_source: CoverSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("continueStrip")
        # as wide as the view allows: cards that do not fit are hidden, not squeezed
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Continue reading")
        self._cover_source = cover_source
        s = theme.SPACING
        layout = QVBoxLayout(self)
        layout.setContentsMargins(s * 2, s * 2, s * 2, s)
        layout.setSpacing(s)
        layout.addWidget(_section("Continue reading", self))
        self._row = QHBoxLayout()
        self._row.setSpacing(s + 4)
        layout.addLayout(self._row)
        self.doc_ids: list[str] = []
        self._items: list[tuple[CatalogueEntry, Position]] = []
        self.setVisible(False)

    def refresh_look(self) -> None:
        self.set_items(self._items)

    def set_items(self, items: Sequence[tuple[CatalogueEntry, Position]]) -> None:
        self._items = list(items)
        while self._row.count():
            item = self._row.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.doc_ids = [entry.id for entry, _ in items[: self.MAX_ITEMS]]
        ratio = self.devicePixelRatioF()
        for entry, position in items[: self.MAX_ITEMS]:
            cover = cover_pixmap(entry, self._cover_source(entry.id), QSize(34, 46), ratio)
            when = describe_last_read(position.last_read)
            detail = f"Page {min(position.page, entry.pages)} of {entry.pages}" + (
                f" · {when}" if when else ""
            )
            card = _RecentCard(entry, cover, detail, self)
            card.clicked.connect(self.open_requested)
            self._row.addWidget(card)
        self._row.addStretch(1)
        self.setVisible(bool(items))
        self._fit_cards()

    def _fit_cards(self) -> None:
        """Show as many cards as the width allows (at least one)."""
        room = self.width() - 4 * theme.SPACING
        step = CARD_WIDTH + self._row.spacing()
        fits = max(1, (room + self._row.spacing()) // step)
        shown = 0
        for index in range(self._row.count()):
            item = self._row.itemAt(index)
            widget = item.widget() if item is not None else None
            if isinstance(widget, _RecentCard):
                widget.setVisible(shown < fits)
                shown += 1

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_cards()
