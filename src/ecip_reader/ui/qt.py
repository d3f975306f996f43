"""The one place for what PySide6 needs worked around; each workaround says why.

* **Actions that Qt keeps are looked up, never held.** PySide can mark its own
  wrapper of a ``QAction`` owned by a Qt object as deleted while the action
  lives on (seen for the icon a ``QLineEdit`` shows at its start, after a
  document was opened and the style sheet changed). Code that needs such an
  action later gives it an object name and calls :func:`find_action`.
* **A slot of a Python subclass may be called with no argument**: ``triggered``
  connected straight to ``setVisible`` of a dock subclass raised "setVisible()
  takes exactly one argument (0 given)", so such connections go through a
  lambda that passes the value on (see the window's action wiring).
* The PySide6 versions the reader accepts are pinned in ``pyproject.toml``;
  the reason (a reference count lost per signal in 6.12.0) is tested in
  ``tests/ui/test_qt_runtime.py``.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction


def find_action(parent: QObject, name: str) -> QAction | None:
    """The action named ``name`` among ``parent``'s children, wrapped afresh."""
    return parent.findChild(QAction, name)
