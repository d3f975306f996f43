"""What a screen reader meets: walk the accessibility tree and list the elements it cannot name.

:func:`unnamed_elements` walks the ``QAccessible`` tree under a widget (or a
menu) the way an assistive tool does and returns one :class:`Problem` for each
element a user could reach or operate whose name is missing or unhelpful:

* an interactive element (button, check box, edit, spin or combo box, list,
  tree, table, slider, tab, menu item) or any focusable element with no name;
* a name that is only a class name ("QToolButton") or a number;
* a name that carries shortcut text ("Zoom Out\\tCtrl+-"): the shortcut is
  announced separately, from the action's own shortcut;
* a combo or spin box without an accessible name of its own and without a
  label that is its buddy (on Linux their accessible name is their value, so
  only the name set on the widget or the buddy says what they are for).

Hidden elements are left out (a user does not meet them until they show), but
menu items are checked whether their menu is open or not. Each problem names
the element's role and its path of object names from the starting widget, so
a failing test says which widget to fix. New panels need no change here:
walking the window they are in checks them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QElapsedTimer, QObject, Qt, QTimer
from PySide6.QtGui import QAccessible, QAccessibleInterface, QAction, QColor, QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QMenu,
    QWidget,
)

from ecip_reader.ui.style_rules import contrast

Role = QAccessible.Role

INTERACTIVE = frozenset(
    {
        Role.Button,
        Role.CheckBox,
        Role.RadioButton,
        Role.ComboBox,
        Role.SpinBox,
        Role.EditableText,
        Role.Slider,
        Role.Dial,
        Role.List,
        Role.Tree,
        Role.Table,
        Role.PageTab,
        Role.PageTabList,
        Role.ButtonMenu,
        Role.ButtonDropDown,
        Role.ButtonDropGrid,
        Role.MenuItem,
        Role.ListItem,
        Role.TreeItem,
        Role.Link,
        Role.HotkeyField,
    }
)
# Parts whose text is their content (an empty cell is a fact, not a missing name).
CONTENT = frozenset({Role.Cell, Role.ColumnHeader, Role.RowHeader, Role.StaticText})

SHORTCUT_TEXT = re.compile(r"\t|\b(Ctrl|Alt|Shift|Meta|Cmd)\+\S")
CLASS_NAME = re.compile(r"^Q[A-Z][A-Za-z]+$")
MAX_ITEMS = 40  # rows of a list or cells of a table looked at: the first ones say enough


@dataclass(frozen=True)
class Problem:
    path: str
    role: str
    name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}  [{self.role}] {self.name!r}: {self.reason}"


def describe(problems: Iterable[Problem]) -> str:
    """One line per problem, for an assertion message."""
    return "\n".join(str(p) for p in problems)


def _label(obj: QObject | None, role: Role, index: int) -> str:
    if obj is None:
        return f"{role.name}[{index}]"
    name = obj.objectName()
    kind = type(obj).__name__
    return f"{kind}#{name}" if name else f"{kind}[{index}]"


def _hidden(iface: QAccessibleInterface) -> bool:
    obj = iface.object()
    if iface.role() == Role.MenuItem and isinstance(obj, QAction):
        return not obj.isVisible()  # the menu may be closed; its items still count
    if iface.role() == Role.PopupMenu:
        return False
    return bool(iface.state().invisible)


def _has_buddy(widget: QWidget) -> bool:
    window = widget.window()
    return any(label.buddy() is widget for label in window.findChildren(QLabel))


def _is_content(iface: QAccessibleInterface) -> bool:
    role = iface.role()
    if role in CONTENT:
        return not (role == Role.StaticText and iface.state().focusable)
    cell = iface.tableCellInterface() if role == Role.TreeItem else None
    return cell is not None and cell.columnIndex() > 0  # a tree's later columns are cells


def _reason(iface: QAccessibleInterface) -> str | None:
    role = iface.role()
    name = iface.text(QAccessible.Text.Name).strip()
    obj = iface.object()
    interactive = role in INTERACTIVE or bool(iface.state().focusable)
    if _is_content(iface):
        return None
    if not interactive:
        return None
    if isinstance(obj, QComboBox | QAbstractSpinBox):
        if not obj.accessibleName().strip() and not _has_buddy(obj):
            return "no accessible name or label of its own (its value is not a name)"
        return None
    if not name:
        return "no name"
    if SHORTCUT_TEXT.search(iface.text(QAccessible.Text.Name)):
        return "the name carries shortcut text"
    if CLASS_NAME.match(name) or (obj is not None and name == type(obj).__name__):
        return "the name is a class name"
    if name.isdigit() and role not in (Role.ListItem, Role.TreeItem):
        return "the name is only a number"
    return None


def _walk(
    iface: QAccessibleInterface | None, path: str, seen: set[int]
) -> Iterator[tuple[QAccessibleInterface, str]]:
    if iface is None or not iface.isValid() or _hidden(iface):
        return
    obj = iface.object()
    key = shiboken6.getCppPointer(obj)[0] if obj is not None else None
    if key is not None:  # the tree should hold no loop; this makes sure of it
        if key in seen:
            return
        seen.add(key)
    yield iface, path
    menu = obj.menu() if isinstance(obj, QAbstractButton) and hasattr(obj, "menu") else None
    if isinstance(menu, QMenu):  # a button's drop-down menu is not in the tree until opened
        yield from _walk(QAccessible.queryAccessibleInterface(menu), f"{path} > menu", seen)
    count = iface.childCount()
    if iface.role() in (Role.List, Role.Tree, Role.Table):
        count = min(count, MAX_ITEMS)
    for index in range(count):
        child = iface.child(index)
        if child is None:
            continue
        yield from _walk(child, f"{path} > {_label(child.object(), child.role(), index)}", seen)


def elements(root: QObject) -> Iterator[tuple[QAccessibleInterface, str]]:
    """Every element shown under ``root`` (a widget or a menu), with its path."""
    iface = QAccessible.queryAccessibleInterface(root)
    assert iface is not None, f"no accessibility interface for {root!r}"
    yield from _walk(iface, _label(root, iface.role(), 0), set())


def unnamed_elements(*roots: QObject) -> list[Problem]:
    """The problems of every element under ``roots`` (see the module's description)."""
    problems: list[Problem] = []
    for root in roots:
        for iface, path in elements(root):
            reason = _reason(iface)
            if reason is not None:
                name = iface.text(QAccessible.Text.Name)
                problems.append(Problem(path, iface.role().name, name, reason))
    return problems


def assert_all_named(*roots: QObject) -> None:
    problems = unnamed_elements(*roots)
    assert not problems, "Elements a screen reader cannot name:\n" + describe(problems)


def open_windows() -> list[QWidget]:
    """Top-level windows now shown: dialogs and popups opened by the code under test."""
    return [w for w in QApplication.topLevelWidgets() if w.isVisible()]


def problems_of_modal(trigger: Callable[[], object], wait_ms: int = 20_000) -> list[Problem]:
    """Run ``trigger``, which opens a modal dialog and waits in it; walk the dialog, then close it.

    Returns the dialog's problems; fails if no modal dialog opened.
    """
    found: list[list[Problem]] = []
    timer = QTimer()
    timer.setInterval(25)
    waited = QElapsedTimer()

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            if waited.hasExpired(wait_ms):
                timer.stop()
            return
        timer.stop()
        found.append(unnamed_elements(dialog))
        if isinstance(dialog, QDialog):
            dialog.reject()
        else:
            dialog.close()

    timer.timeout.connect(look)
    waited.start()
    timer.start()
    trigger()
    timer.stop()
    assert found, "no modal dialog opened"
    return found[0]


def focus_change(focused: QImage, unfocused: QImage, ratio: float = 3.0) -> int:
    """How many pixels change by at least ``ratio`` of contrast when the focus arrives.

    WCAG 2.2 asks a focus indicator to change the pixels it covers by 3:1.
    """
    if focused.size() != unfocused.size():
        return focused.width() * focused.height()
    a = focused.convertToFormat(QImage.Format.Format_ARGB32)
    b = unfocused.convertToFormat(QImage.Format.Format_ARGB32)
    row = a.bytesPerLine()
    bits_a, bits_b = bytes(a.constBits()), bytes(b.constBits())
    changed = 0
    for y in range(a.height()):
        if bits_a[y * row : (y + 1) * row] == bits_b[y * row : (y + 1) * row]:
            continue
        for x in range(a.width()):
            one, other = a.pixel(x, y), b.pixel(x, y)
            if one != other and contrast(QColor(one), QColor(other)) >= ratio:
                changed += 1
    return changed


def tab_stops(window: QWidget) -> list[QWidget]:
    """Every widget of ``window`` that Tab should reach now, found without Qt's focus chain:
    shown, enabled, taking focus from Tab, and not handing its focus to another widget."""
    return [
        widget
        for widget in window.findChildren(QWidget)
        if widget.window() is window
        and widget.isVisible()
        and widget.isEnabled()
        and widget.focusPolicy().value & Qt.FocusPolicy.TabFocus.value
        and widget.focusProxy() is None
    ]


def label(widget: QWidget) -> str:
    """What a user hears or reads for ``widget``: its accessible name, else its text."""
    text = getattr(widget, "text", None)
    shown = text() if callable(text) else ""
    return widget.accessibleName() or str(shown).replace("&", "") or type(widget).__name__
