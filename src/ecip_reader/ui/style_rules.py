"""Style rules the looks share, and the contrast arithmetic behind them.

* :func:`focus_rules` — keyboard focus is always visible, in every look;
* :func:`contrast_rules` — frames for fields and boxes in high contrast;
* :func:`font_rules` — larger text sized from the application font;
* :func:`contrast` — the WCAG 2 contrast ratio of two colours.

The rules take any object with the colour names of :class:`~.theme.Colours`.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

MIN_TEXT_CONTRAST = 7.0  # WCAG AAA for text


class RuleColours(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def muted(self) -> str: ...
    @property
    def surface(self) -> str: ...
    @property
    def surface_alt(self) -> str: ...
    @property
    def border(self) -> str: ...
    @property
    def accent(self) -> str: ...
    @property
    def accent_soft(self) -> str: ...


def luminance(colour: QColor) -> float:
    """Relative luminance as WCAG 2 defines it (0 for black, 1 for white)."""

    def linear(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(v) for v in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str | QColor, other: str | QColor) -> float:
    """The WCAG contrast ratio of two colours: 1 (the same) to 21 (black on white)."""
    a, b = sorted((luminance(QColor(one)), luminance(QColor(other))), reverse=True)
    return (a + 0.05) / (b + 0.05)


def is_high_contrast(palette: QPalette) -> bool:
    """Whether every text of ``palette`` stands at 7:1 or more against its background."""
    role = QPalette.ColorRole
    return all(
        contrast(palette.color(words), palette.color(ground)) >= MIN_TEXT_CONTRAST
        for words, ground in (
            (role.Text, role.Base),
            (role.WindowText, role.Window),
            (role.ButtonText, role.Button),
            (role.HighlightedText, role.Highlight),
        )
    )


def focus_rules(c: RuleColours) -> str:
    """Keyboard focus is always visible: a 2-pixel ring in the accent colour.

    Qt's own focus marks are faint, or gone where the style sheet draws a
    widget; these rules draw one ring for all. The ring is there but
    transparent without the focus, so nothing moves when the focus arrives.
    """
    ringed = (
        "QTreeView, QTableView, QListView, QScrollArea#detailsPane, QAbstractScrollArea#pageCanvas,"
        ' QToolButton[autoRaise="true"], QCheckBox, QRadioButton, QPushButton, QLabel#linkList'
    )
    focused = ", ".join(f"{part.strip()}:focus" for part in ringed.split(","))
    return f"""
{ringed} {{ border: 2px solid transparent; }}
QToolButton[autoRaise="true"] {{ border-radius: 4px; padding: 1px 3px; }}
QToolButton[autoRaise="true"][popupMode="2"] {{ padding-right: 14px; }}
QToolButton[autoRaise="true"][popupMode="1"] {{ padding-right: 18px; }}
QToolButton[autoRaise="true"]::menu-button {{ border: none; width: 16px; }}
QToolButton[autoRaise="true"]:hover {{ background: {c.surface_alt}; }}
QToolButton[autoRaise="true"]:checked {{ background: {c.accent_soft}; }}
QToolButton[autoRaise="false"] {{ border: 1px solid {c.border}; border-radius: 4px;
    padding: 2px 6px; background: {c.surface}; }}
QToolButton[autoRaise="false"]:hover {{ background: {c.surface_alt}; }}
QToolButton[autoRaise="false"]:pressed {{ background: {c.accent_soft}; }}
QToolButton[autoRaise="false"]:focus {{ border: 2px solid {c.accent}; padding: 1px 5px; }}
QCheckBox, QRadioButton, QLabel#linkList {{ border-radius: 4px; padding: 1px 2px; }}
QPushButton {{ border-radius: 6px; padding: 4px 14px; background: {c.surface};
    border-color: {c.border}; border-width: 1px; margin: 1px; }}
QPushButton:hover {{ background: {c.surface_alt}; }}
QPushButton:pressed {{ background: {c.accent_soft}; }}
QPushButton:disabled {{ color: {c.muted}; }}
QPushButton:flat {{ border-color: transparent; background: transparent; }}
QPushButton#primary {{ border: 2px solid transparent; background-clip: padding;
    padding: 5px 16px; margin: 0px; }}
{focused} {{ border-color: {c.accent}; }}
QPushButton:focus {{ border-width: 2px; margin: 0px; }}
QPushButton#primary:focus {{ border-color: {c.text}; }}
QLineEdit#libraryFilterText:focus {{ border: 2px solid {c.accent}; padding: 4px 7px; }}
QToolButton#chip:focus {{ border: 2px solid {c.accent}; padding: 2px 9px; }}
QToolButton#tabClose {{ border: 2px solid transparent; padding: 0px; }}
QToolButton#tabClose:focus {{ border-color: {c.accent}; }}
QTabBar::tab:selected:focus {{ border: 2px solid {c.accent}; padding: 5px 12px; }}
"""


def contrast_rules(c: RuleColours) -> str:
    """In high contrast, fields and boxes get a frame in the border colour.

    Fusion draws their frames a shade darker than the window, which on black
    is black: the fields would have no edge at all.
    """
    fields = "QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit, QTextEdit"
    focused = ", ".join(f"{part.strip()}:focus" for part in fields.split(","))
    return f"""
{fields} {{ border: 1px solid {c.border}; border-radius: 3px; padding: 2px 4px;
    background: {c.surface}; color: {c.text}; }}
{focused} {{ border: 2px solid {c.accent}; padding: 1px 3px; }}
QComboBox QLineEdit, QAbstractSpinBox QLineEdit {{ border: none; padding: 0px;
    background: transparent; }}
QAbstractSpinBox[buttonSymbols="NoButtons"]::up-button,
QAbstractSpinBox[buttonSymbols="NoButtons"]::down-button {{ subcontrol-origin: border;
    width: 0px; height: 0px; }}
QCheckBox::indicator, QRadioButton::indicator {{ width: 14px; height: 14px;
    border: 1px solid {c.border}; background: {c.surface}; }}
QRadioButton::indicator {{ border-radius: 8px; }}
QCheckBox::indicator:checked, QRadioButton::indicator:checked {{ background: {c.accent};
    border-color: {c.text}; }}
"""


def font_rules() -> str:
    """Text made larger than the rest grows with the application font."""
    base = QApplication.font().pointSizeF()
    base = base if base > 0 else 10.0
    return f"QLabel#detailsTitle {{ font-size: {base * 1.5:.1f}pt; }}\n"
