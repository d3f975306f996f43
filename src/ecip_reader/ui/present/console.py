"""The presenter console: what the trainer sees on the laptop while the projector shows slides.

The current slide exactly as projected (the mouse over it works the pen,
laser and spotlight on the projector), the next slide, the elapsed time with
start/pause/reset, the clock, the trainer's own notes for the page (and the
session plan's note for the stop), and a strip of every page — or every stop —
to jump to. Every presentation key works here too; T starts or pauses the
timer, R resets it, S swaps the screens.
"""

from __future__ import annotations

import html
from typing import Protocol

from PySide6.QtCore import Qt, QTime, QTimer
from PySide6.QtGui import QCloseEvent, QImage, QKeyEvent, QScreen
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ecip_reader.ui.present.console_parts import (
    ElidedLabel,
    MirrorView,
    PageStrip,
    SlideView,
    StopWatch,
    StripItem,
    format_elapsed,
)
from ecip_reader.ui.present.keys import CONSOLE_HINTS
from ecip_reader.ui.present.window import PresentationWindow

TICK_MS = 250
STYLE = """
#presenterConsole { background: #18181b; }
#presenterConsole QLabel { color: #e4e4e7; }
#presenterConsole QLabel#consoleHeading { color: #a1a1aa; font-size: 11pt; }
#presenterConsole QLabel#consoleCaption { font-size: 15pt; font-weight: 600; }
#presenterConsole QLabel#consoleTimer { font-size: 26pt; font-weight: 600; color: #fde68a; }
#presenterConsole QLabel#consoleClock { font-size: 20pt; color: #e4e4e7; }
#presenterConsole QLabel#consoleHints { color: #a1a1aa; font-size: 10pt; }
#presenterConsole QLabel#consoleQuestion { background: #fde68a; color: #18181b; font-size: 13pt;
    font-weight: 600; padding: 6px 10px; border-radius: 4px; }
#presenterConsole QTextBrowser { background: #27272a; color: #f4f4f5; border: none;
    font-size: 14pt; padding: 6px; }
#presenterConsole QListView { background: #18181b; color: #d4d4d8; border: none; }
#presenterConsole QListView::item:selected { background: #a16207; color: white; }
#presenterConsole QPushButton { background: #3f3f46; color: #f4f4f5; border: 1px solid #52525b;
    border-radius: 4px; padding: 4px 12px; font-size: 11pt; }
#presenterConsole QPushButton:hover { background: #52525b; }
"""


class ConsoleSource(Protocol):
    """What the console shows and where its clicks and keys go (the presenter)."""

    stopwatch: StopWatch

    def caption(self) -> str: ...

    def next_slide(self) -> tuple[QImage | None, tuple[float, float], str]: ...

    def notes(self) -> list[str]: ...

    def strip_items(self) -> tuple[list[StripItem], int]: ...

    def strip_position(self) -> int: ...

    def jump(self, row: int) -> None: ...

    def key(self, event: QKeyEvent) -> bool: ...

    def swap(self) -> None: ...

    def end(self) -> None: ...


def _heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("consoleHeading")
    return label


class PresenterConsole(QWidget):
    def __init__(self, source: ConsoleSource, window: PresentationWindow) -> None:
        super().__init__(None, Qt.WindowType.FramelessWindowHint | Qt.WindowType.Window)
        self.setObjectName("presenterConsole")
        self.setWindowTitle("Presenter console")
        self.setAccessibleName("Presenter console")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.source = source
        self._closing = False
        self.caption = ElidedLabel(self)
        self.caption.setObjectName("consoleCaption")
        self.timer_label = QLabel(self)
        self.timer_label.setObjectName("consoleTimer")
        self.timer_label.setAccessibleName("Elapsed time")
        self.start_button = QPushButton("Pause (T)", self)
        self.reset_button = QPushButton("Reset (R)", self)
        self.swap_button = QPushButton("Swap screens (S)", self)
        self.end_button = QPushButton("End (Esc)", self)
        for button in (self.start_button, self.reset_button, self.swap_button, self.end_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the console
        self.clock_label = QLabel(self)
        self.clock_label.setObjectName("consoleClock")
        self.clock_label.setAccessibleName("Clock")
        self.mirror = MirrorView(self)
        self.mirror.show_window(window)
        self.next_view = SlideView("Next slide", self)
        self.notes_view = QTextBrowser(self)
        self.notes_view.setAccessibleName("Your notes for this page")
        self.notes_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.strip = PageStrip(self)
        self.question = QLabel(self)
        self.question.setObjectName("consoleQuestion")
        self.question.setWordWrap(True)
        self.question.hide()
        self.hints = QLabel("   ·   ".join(CONSOLE_HINTS), self)
        self.hints.setObjectName("consoleHints")
        self.hints.setWordWrap(True)
        # Long titles and key lists must not make the console wider than a small laptop screen.
        self.hints.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._layout()
        self.start_button.clicked.connect(self._toggle_timer)
        self.reset_button.clicked.connect(self._reset_timer)
        self.end_button.clicked.connect(source.end)
        self.swap_button.clicked.connect(source.swap)
        self.strip.chosen.connect(source.jump)
        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self._tick)
        self._ticker.start()
        self.window_shown = window
        self.attach(window)
        self._tick()

    def _layout(self) -> None:
        header = QHBoxLayout()
        header.setSpacing(10)
        header.addWidget(self.caption, 1)
        header.addWidget(self.timer_label)
        header.addWidget(self.start_button)
        header.addWidget(self.reset_button)
        header.addSpacing(18)
        header.addWidget(self.clock_label)
        header.addSpacing(18)
        header.addWidget(self.swap_button)
        header.addWidget(self.end_button)
        side = QVBoxLayout()
        side.setSpacing(6)
        side.addWidget(_heading("Next", self))
        side.addWidget(self.next_view, 2)
        side.addWidget(_heading("Notes", self))
        side.addWidget(self.notes_view, 3)
        body = QHBoxLayout()
        body.setSpacing(14)
        current = QVBoxLayout()
        current.setSpacing(6)
        current.addWidget(_heading("Now on the projector", self))
        current.addWidget(self.mirror, 1)
        body.addLayout(current, 3)
        body.addLayout(side, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 8)
        layout.setSpacing(8)
        layout.addLayout(header)
        layout.addWidget(self.question)
        layout.addLayout(body, 1)
        layout.addWidget(self.strip)
        layout.addWidget(self.hints)

    def attach(self, window: PresentationWindow) -> None:
        """Mirror ``window`` (the presentation may hand over to a new one)."""
        self.window_shown = window
        self.mirror.show_window(window)
        window.changed.connect(self.mirror.update)
        window.changed.connect(self._sync_question)

    def _sync_question(self) -> None:
        """Repeat the projector's question on leaving with a drawing, with its keys."""
        bar = self.window_shown.keep_bar
        asking = bar.isVisible()
        if asking:
            keys = "K keeps it · D discards it · Esc goes back to the slides"
            if not bar.keep_button.isVisible():
                keys = "D discards it · Esc goes back to the slides"
            self.question.setText(f"{bar.message.text()}   {keys}")
        if asking != self.question.isVisible():
            self.question.setVisible(asking)

    def show_on(self, screen: QScreen) -> None:
        if self.isVisible() and self.screen() is not screen:
            self.hide()
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        self.showFullScreen()
        self.refresh(rebuild=True)

    def refresh(self, rebuild: bool = False) -> None:
        """Read the caption, next slide, notes and strip position again."""
        if self._closing:
            return
        self.caption.show_text(self.source.caption())
        image, size, caption = self.source.next_slide()
        self.next_view.show_image(image, size, caption)
        notes = self.source.notes()
        if notes:
            body = "".join(f"<p>{html.escape(n).replace(chr(10), '<br>')}</p>" for n in notes)
        else:
            body = "<p style='color:#a1a1aa'>No notes of yours on this page.</p>"
        self.notes_view.setHtml(body)
        if rebuild:
            items, current = self.source.strip_items()
            self.strip.show_items(items, current)
        else:
            self.strip.follow(self.source.strip_position())
        self.mirror.update()

    def _tick(self) -> None:
        watch = self.source.stopwatch
        self.timer_label.setText(format_elapsed(watch.seconds()))
        self.start_button.setText("Pause (T)" if watch.running else "Start (T)")
        self.clock_label.setText(QTime.currentTime().toString("HH:mm"))
        if not self.next_view.image:  # the next page may have arrived since
            image, size, caption = self.source.next_slide()
            if image is not None:
                self.next_view.show_image(image, size, caption)

    def _toggle_timer(self) -> None:
        self.source.stopwatch.toggle()
        self._tick()

    def _reset_timer(self) -> None:
        self.source.stopwatch.reset()
        self._tick()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.source.key(event):
            super().keyPressEvent(event)
        self._tick()

    def finish(self) -> None:
        self._closing = True
        self._ticker.stop()
        self.close()
        self.deleteLater()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._ticker.stop()
        super().closeEvent(event)
