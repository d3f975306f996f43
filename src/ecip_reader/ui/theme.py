"""Light, dark and high-contrast looks on the Fusion style, following the system by default.

The choice ("system", "light", "dark" or "high-contrast") is kept in the
``theme`` setting. With "system" the look follows the desktop's colour scheme
and changes with it; when the desktop asks for high contrast, the reader takes
the desktop's own colours as they are (or its high-contrast look, if the
desktop's colours are not high-contrast themselves). The high-contrast look
keeps every text at 7:1 or more against its background (WCAG AAA).
Colours are defined once here (:class:`Colours`); widgets that paint by hand
(cards, chips, snippets) take them from :func:`colours`. Text sizes follow the
application font: nothing here sets a size of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from ecip_reader.settings import Theme
from ecip_reader.ui.style_rules import (
    MIN_TEXT_CONTRAST,
    contrast,
    contrast_rules,
    focus_rules,
    font_rules,
    is_high_contrast,
)

CHOICES = tuple(Theme)

# One spacing unit; layouts use multiples of it so the whole window breathes alike.
SPACING = 8


@dataclass(frozen=True)
class Colours:
    name: str
    window: str
    surface: str  # lists, cards, fields
    surface_alt: str  # alternating rows, chips, placeholders
    text: str
    muted: str  # secondary text
    border: str
    accent: str
    accent_text: str
    accent_soft: str  # selected chips, highlighted rows
    match: str  # search term highlight in snippets
    warning_bg: str
    warning_text: str
    kinds: dict[str, str]  # catalogue kind -> accent colour of its card
    match_text: str = ""  # text on the search highlight, when not ``text``

    @property
    def on_match(self) -> str:
        return self.match_text or self.text


LIGHT = Colours(
    name="light",
    window="#f4f5f7",
    surface="#ffffff",
    surface_alt="#eef0f3",
    text="#1d2330",
    muted="#5d6472",
    border="#d9dde3",
    accent="#005eb8",
    accent_text="#ffffff",
    accent_soft="#dceafa",
    match="#fde58a",
    warning_bg="#fff4d6",
    warning_text="#5c4300",
    kinds={
        "case-study": "#005eb8",
        "presentation": "#6b4fae",
        "supporting-document": "#00796f",
        "about": "#56606e",
    },
)

DARK = Colours(
    name="dark",
    window="#1b1e23",
    surface="#23272e",
    surface_alt="#2b3038",
    text="#e4e7ec",
    muted="#a0a7b3",
    border="#363c46",
    accent="#62abf0",  # 4.5:1 or more on every dark background, chips and rows included
    accent_text="#0d1117",
    accent_soft="#23395a",
    match="#7a6420",
    warning_bg="#3d3320",
    warning_text="#f3dfa8",
    kinds={
        "case-study": "#3d7fc4",
        "presentation": "#8b72cf",
        "supporting-document": "#2f9b90",
        "about": "#7c8593",
    },
)

HIGH_CONTRAST = Colours(
    name="high-contrast",
    window="#000000",
    surface="#000000",
    surface_alt="#1f1f1f",
    text="#ffffff",
    muted="#d9d9d9",
    border="#c8c8c8",
    accent="#ffd500",
    accent_text="#000000",
    accent_soft="#3d3300",
    match="#ffd500",
    match_text="#000000",
    warning_bg="#1f1f1f",
    warning_text="#ffd500",
    kinds={
        "case-study": "#003f7d",
        "presentation": "#4b2c84",
        "supporting-document": "#00524b",
        "about": "#3a3f47",
    },
)

LOOKS = {"light": LIGHT, "dark": DARK, "high-contrast": HIGH_CONTRAST}
# The desktop's own colours, taken as they are (see :func:`system_colours`).
SYSTEM_LOOK = "system"

_current: Colours = LIGHT
_applied: QPalette | None = None  # the palette this module last gave the application
_system: QPalette | None = None  # the palette the application had from elsewhere


def colours() -> Colours:
    """The colours of the look in use."""
    return _current


def system_scheme() -> str:
    hints = QGuiApplication.styleHints()
    return "dark" if hints.colorScheme() == Qt.ColorScheme.Dark else "light"


def system_high_contrast() -> bool:
    """Whether the desktop asks applications for high contrast."""
    hints = QGuiApplication.styleHints()
    return hints.accessibility().contrastPreference() == Qt.ContrastPreference.HighContrast


def resolve(choice: str) -> str:
    """The look for a user choice: "light", "dark", "high-contrast" or "system"."""
    if choice in LOOKS:
        return choice
    if system_high_contrast():
        return SYSTEM_LOOK
    return system_scheme()


def system_palette(app: QApplication) -> QPalette:
    """The palette the desktop (or the user's own Qt settings) gave the application.

    Whatever palette the application has that this module did not set is the
    desktop's; once replaced by a look of ours, the one kept from before is used.
    """
    global _system
    current = app.palette()
    if _system is None or _applied is None or current != _applied:
        _system = QPalette(current)
    return _system


def system_colours(palette: QPalette) -> Colours:
    """The desktop's palette as the reader's colours (borders and secondary text in the
    text colour, as high-contrast schemes draw them)."""
    role = QPalette.ColorRole

    def name(r: QPalette.ColorRole) -> str:
        return palette.color(QPalette.ColorGroup.Active, r).name()

    # messages in the tooltip colours, unless those are not high-contrast themselves
    tip = (role.ToolTipText, role.ToolTipBase)
    if contrast(name(tip[0]), name(tip[1])) < MIN_TEXT_CONTRAST:
        tip = (role.WindowText, role.AlternateBase)

    return Colours(
        name=SYSTEM_LOOK,
        window=name(role.Window),
        surface=name(role.Base),
        surface_alt=name(role.AlternateBase),
        text=name(role.Text),
        muted=name(role.Text),
        border=name(role.WindowText),
        accent=name(role.Highlight),
        accent_text=name(role.HighlightedText),
        accent_soft=name(role.AlternateBase),
        match=name(role.Highlight),
        match_text=name(role.HighlightedText),
        warning_bg=name(tip[1]),
        warning_text=name(tip[0]),
        kinds=dict(HIGH_CONTRAST.kinds),
    )


def palette_for(c: Colours) -> QPalette:
    pal = QPalette()
    role = QPalette.ColorRole
    group = QPalette.ColorGroup
    for r, value in (
        (role.Window, c.window),
        (role.WindowText, c.text),
        (role.Base, c.surface),
        (role.AlternateBase, c.surface_alt),
        (role.ToolTipBase, c.surface),
        (role.ToolTipText, c.text),
        (role.PlaceholderText, c.muted),
        (role.Text, c.text),
        (role.Button, c.surface),
        (role.ButtonText, c.text),
        (role.BrightText, "#ffffff"),
        (role.Highlight, c.accent),
        (role.HighlightedText, c.accent_text),
        (role.Link, c.accent),
        (role.LinkVisited, c.accent),
        (role.Light, c.surface),
        (role.Midlight, c.surface_alt),
        (role.Mid, c.border),
        (role.Dark, c.border),
        (role.Shadow, "#000000"),
    ):
        pal.setColor(r, QColor(value))
    for r in (role.Text, role.WindowText, role.ButtonText):
        pal.setColor(group.Disabled, r, QColor(c.muted))
    return pal


def style_sheet(c: Colours) -> str:
    """Small touches the palette cannot express; widgets are matched by object name."""
    return f"""
QToolBar#mainToolbar {{ background: {c.surface}; border: none;
    border-bottom: 1px solid {c.border}; padding: 4px 8px; spacing: 4px; }}
QToolBar#mainToolbar QToolButton {{ padding: 5px; border-radius: 6px; }}
QToolBar#mainToolbar QToolButton:hover {{ background: {c.surface_alt}; }}
QToolBar#mainToolbar QToolButton:checked {{ background: {c.accent_soft}; }}
QLineEdit#searchField {{ border: 1px solid {c.border}; border-radius: 8px;
    padding: 6px 10px; background: {c.window}; min-height: 20px; }}
QLineEdit#searchField:focus {{ border: 1px solid {c.accent}; background: {c.surface}; }}
QLineEdit#libraryFilterText {{ border: 1px solid {c.border}; border-radius: 6px;
    padding: 5px 8px; background: {c.surface}; }}
QTabWidget#documentTabs::pane {{ border: none; }}
QTabBar::tab {{ padding: 7px 14px; border: none; margin-right: 2px;
    background: transparent; color: {c.muted}; }}
QTabBar::tab:selected {{ color: {c.text}; border-bottom: 2px solid {c.accent}; }}
QTabBar::tab:hover {{ color: {c.text}; }}
QWidget#filterPanel, QWidget#detailsPane, QWidget#searchPanel {{ background: {c.surface}; }}
QFrame#recentCard {{ background: {c.surface}; border: 1px solid {c.border}; border-radius: 10px; }}
QFrame#recentCard:hover {{ border-color: {c.muted}; }}
QFrame#recentCard:focus {{ border-color: {c.accent}; }}
QFrame#recentCard QLabel {{ background: transparent; border: none; }}
QLabel#sectionTitle {{ color: {c.muted}; font-weight: 600; }}
QLabel#detailsTitle {{ font-weight: 600; }}
QLabel#muted {{ color: {c.muted}; }}
QLabel#searchStatus {{ color: {c.muted}; }}
QFrame#messageBar {{ background: {c.warning_bg}; border-bottom: 1px solid {c.border}; }}
QFrame#messageBar QLabel {{ color: {c.warning_text}; }}
QLabel#problem {{ background: {c.warning_bg}; color: {c.warning_text}; border-radius: 6px;
    padding: 6px 8px; }}
QToolButton#chip {{ border: 1px solid {c.border}; border-radius: 12px; padding: 3px 10px;
    background: {c.surface}; color: {c.text}; }}
QToolButton#chipMore {{ color: {c.accent}; border: none; padding: 3px 6px; }}
QToolButton#tabClose {{ border: none; border-radius: 4px; padding: 1px; }}
QToolButton#tabClose:hover {{ background: {c.surface_alt}; }}
QDockWidget {{ titlebar-close-icon: none; }}
QDockWidget::title {{ background: {c.surface}; padding: 8px 16px; text-align: left;
    border-bottom: 1px solid {c.border}; }}
QToolButton#chip:hover {{ background: {c.surface_alt}; }}
QToolButton#chip:checked {{ background: {c.accent_soft}; border-color: {c.accent}; }}
QPushButton#primary {{ background: {c.accent}; color: {c.accent_text}; border: none;
    border-radius: 6px; padding: 7px 18px; font-weight: 600; }}
QPushButton#primary:disabled {{ background: {c.border}; color: {c.muted}; }}
QTreeView, QTableView, QListView {{ border: none; }}
QHeaderView::section {{ background: {c.surface}; border: none;
    border-bottom: 1px solid {c.border}; padding: 6px 8px; color: {c.muted}; }}
QSplitter::handle {{ background: {c.border}; }}
QSplitter#librarySplitter::handle {{ background: {c.window}; border-left: 1px solid {c.border};
    border-right: 1px solid {c.border}; }}
QStatusBar {{ background: {c.surface}; border-top: 1px solid {c.border}; }}
QProgressBar {{ border: 1px solid {c.border}; border-radius: 4px; background: {c.surface_alt};
    max-height: 8px; max-width: 140px; }}
QProgressBar::chunk {{ background: {c.accent}; border-radius: 3px; }}
"""


def recolour_links(root: QWidget) -> None:
    """Lay out again every label under ``root`` that shows links, in the new link colour.

    A label fixes the colour of its links when its text is set, and setting the
    same text again does nothing: so the text is cleared and put back.
    """
    for label in root.findChildren(QLabel):
        text = label.text()
        if "<a " in text and label.textFormat() != Qt.TextFormat.PlainText:
            label.setText("")
            label.setText(text)


def sheet_for(c: Colours) -> str:
    """The whole style sheet of a look."""
    extra = contrast_rules(c) if c.name in (HIGH_CONTRAST.name, SYSTEM_LOOK) else ""
    return style_sheet(c) + focus_rules(c) + extra + font_rules()


def apply(app: QApplication, scheme: str) -> Colours:
    """Apply a look ("light", "dark", "high-contrast" or "system") to the whole application."""
    global _current, _applied
    app.setStyle("Fusion")
    if scheme == SYSTEM_LOOK:
        palette = system_palette(app)
        if is_high_contrast(palette):
            _current = system_colours(palette)
        else:  # the desktop asks for high contrast but its colours are not
            _current = HIGH_CONTRAST
            palette = palette_for(HIGH_CONTRAST)
    else:
        _current = LOOKS.get(scheme, LIGHT)
        palette = palette_for(_current)
    app.setPalette(palette)
    _applied = app.palette()
    app.setStyleSheet(sheet_for(_current))
    return _current


class ThemeController(QObject):
    """Keeps the look in line with the user's choice and, for "system", the desktop."""

    changed = Signal(str)  # the look now in use: "light", "dark", "high-contrast" or "system"

    def __init__(self, app: QApplication, choice: str = "system", parent: QObject | None = None):
        super().__init__(parent)
        self._app = app
        self._choice = choice if choice in CHOICES else "system"
        self._scheme = ""
        self._night = False  # pages are inverted for a dim room: the window goes dark too
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(self._system_changed)
        hints.accessibility().contrastPreferenceChanged.connect(self._contrast_changed)
        app.fontChanged.connect(self._font_changed)
        self._apply()

    @property
    def choice(self) -> str:
        return self._choice

    @property
    def scheme(self) -> str:
        return self._scheme

    def set_choice(self, choice: str) -> None:
        if choice not in CHOICES:
            raise ValueError(choice)
        self._choice = choice
        self._apply()

    def set_night(self, on: bool) -> None:
        """Dark around inverted pages whatever the choice; the choice again once they are not."""
        self._night = on
        self._apply()

    def _system_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self._choice == "system":
            self._apply()

    def _contrast_changed(self, _preference: Qt.ContrastPreference) -> None:
        if self._choice == "system":
            self._scheme = ""  # the desktop's colours may have changed with it
            self._app.setPalette(QPalette())  # back to the desktop's palette, to take it again
            self._apply()

    def _font_changed(self, _font: QFont) -> None:
        """The desktop's text size changed: larger text follows it."""
        self._app.setStyleSheet(sheet_for(_current))

    def _apply(self) -> None:
        scheme = "dark" if self._night else resolve(self._choice)
        if scheme != self._scheme:
            self._scheme = scheme
            apply(self._app, scheme)
            self.changed.emit(scheme)
