"""The keys of presentation mode, in one table: what the window does, what Help lists.

The presentation window and the presenter console both take these keys; the
console sends them to the window, so a trainer at the laptop never has to
reach for the projected screen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

NEXT_KEYS = frozenset(
    {Qt.Key.Key_Space, Qt.Key.Key_PageDown, Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_N}
)
PREVIOUS_KEYS = frozenset({Qt.Key.Key_PageUp, Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_Backspace})
# In a session plan these step from stop to stop; the other moving keys still turn pages.
NEXT_STOP_KEYS = frozenset({Qt.Key.Key_Space, Qt.Key.Key_N})
PREVIOUS_STOP_KEYS = frozenset({Qt.Key.Key_Backspace})
MOVING_KEYS = NEXT_KEYS | PREVIOUS_KEYS | {Qt.Key.Key_Home, Qt.Key.Key_End}
KEEP_KEYS = frozenset({Qt.Key.Key_K, Qt.Key.Key_Return, Qt.Key.Key_Enter})
DISCARD_KEY = Qt.Key.Key_D
TIMER_KEY = Qt.Key.Key_T
TIMER_RESET_KEY = Qt.Key.Key_R
SWAP_KEY = Qt.Key.Key_S

# (keys, what they do) for Help → Keyboard shortcuts and the console's key list.
PRESENTATION_SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Space, Page Down, Right, Down, wheel", "Next page"),
    ("Backspace, Page Up, Left, Up", "Previous page"),
    ("Space / Backspace in a session plan", "Next / previous stop"),
    ("Home / End", "First / last page"),
    ("Number, then Enter", "Go to that page"),
    ("B / W", "Black / white screen"),
    ("B or W, then Space or any moving key", "The page again, without moving on"),
    ("L", "Spotlight around the mouse"),
    ("D", "Laser pointer dot"),
    ("Z, then drag", "Enlarge a region (Z or Esc to go back)"),
    ("P", "Draw with a pen (C clears the page's drawing)"),
    ("Ctrl+Z / Ctrl+Shift+Z", "Undo / redo the last line or clearing"),
    ("T / R", "Start or pause / reset the presenter console's timer"),
    ("S", "Swap the slides and the presenter console between the screens"),
    ("Esc", "Back: leave the pen, the zoom or the blank screen, then the presentation"),
    ("K or Enter / D / Esc", "Keep the drawing / discard it / go back, when asked on leaving"),
)

# The short key list the console shows under the slides.
CONSOLE_HINTS = (
    "Space next",
    "Backspace back",
    "B/W blank",
    "P pen",
    "L spotlight",
    "D laser",
    "Z zoom",
    "T timer",
    "S swap screens",
    "Esc end",
)
