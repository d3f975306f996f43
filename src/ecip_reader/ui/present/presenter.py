"""A presentation on one or two screens: the slides, the presenter console, the timer.

:class:`Presenter` places the :class:`PresentationWindow` and, with a second
screen, a :class:`PresenterConsole`: slides on the projector (the screen the
reader's window is not on), console on the laptop. S swaps them; plugging a
screen in or out during the talk moves them (one screen left: slides there,
no console; a second screen arrives: slides go to it). What is presented —
one document, or the stops of a session plan — is a :class:`Deck`.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QImage, QKeyEvent, QScreen

from ecip_reader.ui.present import keys as k
from ecip_reader.ui.present.console import PresenterConsole
from ecip_reader.ui.present.console_parts import StopWatch, StripItem
from ecip_reader.ui.present.screens import (
    ScreenWatcher,
    find_screen,
    projector_for,
    screen_key,
    screens,
)
from ecip_reader.ui.present.window import PresentationWindow
from ecip_reader.ui.render.remote_document import RemoteDocument


class Deck(Protocol):
    """What is presented: captions, the next slide, the strip, and moving around it."""

    def caption(self, window: PresentationWindow) -> str: ...

    def next_page(self, window: PresentationWindow) -> tuple[RemoteDocument, int, str] | None: ...

    def notes(self, window: PresentationWindow) -> list[str]: ...

    def strip(self, window: PresentationWindow) -> tuple[list[StripItem], int]: ...

    def position(self, window: PresentationWindow) -> int: ...

    def jump(self, window: PresentationWindow, row: int) -> None: ...


class DocumentDeck:
    """The pages of the document the window shows."""

    def caption(self, window: PresentationWindow) -> str:
        count = window.page_count()
        where = f"Slide {window.current_page() + 1} of {count}" if count else "Opening…"
        return f"{where}  ·  {window.title}" if window.title else where

    def next_page(self, window: PresentationWindow) -> tuple[RemoteDocument, int, str] | None:
        page = window.current_page() + 1
        if page >= window.page_count():
            return None
        return window.remote(), page, f"Slide {page + 1}"

    def notes(self, window: PresentationWindow) -> list[str]:
        return []

    def strip(self, window: PresentationWindow) -> tuple[list[StripItem], int]:
        remote = window.remote()
        items = [StripItem(remote, p, str(p + 1)) for p in range(window.page_count())]
        return items, window.current_page()

    def position(self, window: PresentationWindow) -> int:
        return window.current_page()

    def jump(self, window: PresentationWindow, row: int) -> None:
        window.go_to(row)


class Presenter(QObject):
    finished = Signal(int)  # 0-based page shown last
    placed = Signal()  # the slides or the console moved to another screen
    slides_chosen = Signal(str)  # the user put the slides on the screen of this name

    def __init__(
        self,
        window: PresentationWindow,
        home: QScreen | None,
        deck: Deck | None = None,
        parent: QObject | None = None,
        preferred: str = "",
    ) -> None:
        """``preferred``: the name of the screen the slides went to when last chosen."""
        super().__init__(parent)
        self.window = window
        self.preferred = preferred
        self.deck: Deck = deck or DocumentDeck()
        home = home or window.screen() or QGuiApplication.primaryScreen()
        self._home = screen_key(home) if home is not None else None
        self._chosen: tuple[str, int, int, int, int] | None = None
        self.swapped = False
        self.console: PresenterConsole | None = None
        self.stopwatch = StopWatch()
        self._ended = False
        self._watcher = ScreenWatcher(self)
        self._watcher.changed.connect(self._screens_changed)
        window.extra_keys = self._extra_key
        window.finished.connect(self._finished)
        window.page_shown.connect(lambda _page: self._page_changed())

    # -- where things go --------------------------------------------------------------

    def home(self) -> QScreen | None:
        """The laptop: the screen the reader's window was on (or the first there is)."""
        found = find_screen(self._home) if self._home is not None else None
        every = screens()
        return found or QGuiApplication.primaryScreen() or (every[0] if every else None)

    def placement(self) -> tuple[QScreen | None, QScreen | None]:
        """(screen for the slides, screen for the console or ``None``)."""
        laptop = self.home()
        every = screens()
        if len(every) < 2 or laptop is None:
            return laptop, None
        chosen = find_screen(self._chosen) if self._chosen is not None else None
        projector = chosen if chosen is not None and chosen is not laptop else None
        projector = projector or projector_for(laptop, every, self.preferred)
        if self.swapped:
            return laptop, projector
        return projector, laptop

    def start(self, slides: QScreen | None = None) -> None:
        """Show the slides on ``slides`` (by default the projector) and the console beside."""
        if slides is not None:
            self._chosen = screen_key(slides)
            self.swapped = slides is self.home() and len(screens()) > 1
            if not self.swapped and slides.name() and slides.name() != self.preferred:
                self.preferred = slides.name()  # F5 goes there from now on
                self.slides_chosen.emit(slides.name())
        self.stopwatch.start()
        self._place()

    def _place(self) -> None:
        if self._ended:
            return
        slides, console_screen = self.placement()
        if slides is not None:
            self.window.present(slides)
        if console_screen is None:
            if self.console is not None:
                self.console.finish()
                self.console = None
            self.window.activateWindow()
            self.window.setFocus()
        else:
            if self.console is None:
                self.console = PresenterConsole(self, self.window)
            self.console.show_on(console_screen)
            self.console.raise_()
            self.console.activateWindow()
            self.console.setFocus(Qt.FocusReason.OtherFocusReason)
        self._ask_ahead()
        self.placed.emit()

    def swap(self) -> None:
        """Slides to the laptop and console to the projector, or back."""
        if len(screens()) < 2:
            self.window.show_notice("There is only one screen: nothing to swap.")
            return
        self.swapped = not self.swapped
        self._place()

    def _screens_changed(self) -> None:
        QTimer.singleShot(0, self, self._replace_after_change)

    def _replace_after_change(self) -> None:
        if self._ended:
            return
        if self._chosen is not None and find_screen(self._chosen) is None:
            self._chosen = None
        if len(screens()) < 2:
            self.swapped = False
        self._place()

    # -- keys ------------------------------------------------------------------------

    def _extra_key(self, event: QKeyEvent) -> bool:
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        key = event.key()
        if key == k.TIMER_KEY:
            self.stopwatch.toggle()
        elif key == k.TIMER_RESET_KEY:
            self.stopwatch.reset()
        elif key == k.SWAP_KEY:
            QTimer.singleShot(0, self, self.swap)  # not inside the key handling of a moving window
        else:
            return False
        return True

    def key(self, event: QKeyEvent) -> bool:
        """A key pressed on the console: the presentation's keys work there too."""
        return self.window.handle_key(event)

    # -- what the console shows ---------------------------------------------------------

    def caption(self) -> str:
        return self.deck.caption(self.window)

    def next_slide(self) -> tuple[QImage | None, tuple[float, float], str]:
        found = self.deck.next_page(self.window)
        if found is None:
            return None, (16.0, 9.0), "The end — nothing comes after this slide."
        remote, page, caption = found
        width = self.window.device_width(remote, page)
        image = remote.image(page, width) or remote.placeholder(page, width)
        return image, remote.shown_size(page), caption

    def notes(self) -> list[str]:
        """The stop's note (in a session plan), then the trainer's notes on the page."""
        extra = self.deck.notes(self.window)
        link = self.window.link
        mine = link.notes(self.window.doc_key, self.window.current_page() + 1) if link else []
        # A stop made from a highlight carries the highlight's note: say it once.
        mine = [line for line in mine if not any(e and e in line for e in extra)]
        return [*extra, *mine]

    def strip_items(self) -> tuple[list[StripItem], int]:
        return self.deck.strip(self.window)

    def strip_position(self) -> int:
        return self.deck.position(self.window)

    def jump(self, row: int) -> None:
        self.deck.jump(self.window, row)
        self.window.changed.emit()

    def end(self) -> None:
        self.window.request_end()

    # -- following the presentation -----------------------------------------------------

    def _page_changed(self) -> None:
        self._ask_ahead()
        if self.console is not None:
            self.console.refresh()

    def _ask_ahead(self) -> None:
        """Have the next slide drawn before it is needed, wherever it is."""
        found = self.deck.next_page(self.window)
        window = self.window
        if found is None:
            window.also_wanted = []
            return
        remote, page, _caption = found
        if remote.info is None:  # not open yet: ask once it is
            remote.opened.connect(self._ask_ahead_once, Qt.ConnectionType.SingleShotConnection)
            return
        if remote is window.remote():
            if page not in (window.current_page() + 1, *window.also_wanted):
                window.also_wanted = [page]
                window.ask_for_pages()
        else:
            window.also_wanted = []
            width = window.device_width(remote, page)
            remote.request_pages([(page, width, window.devicePixelRatioF())])

    def _ask_ahead_once(self, _info: object) -> None:
        if not self._ended:
            self._ask_ahead()

    def _finished(self, page: int) -> None:
        self._ended = True
        if self.console is not None:
            self.console.finish()
            self.console = None
        self.finished.emit(page)
