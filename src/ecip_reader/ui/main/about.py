"""Help → About: the reader, its licence and the third-party licences it ships with.

The installers carry ``THIRD-PARTY-LICENSES.txt`` (written by the build from
what it bundled: names, versions, licences and their texts) in the install
folder; the second tab shows it. A copy run from the source code has no such
file and says where the list comes from instead.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ecip_reader import APP_TITLE, __version__
from ecip_reader.paths import install_root
from ecip_reader.ui import icons, theme

LICENCES_FILE = "THIRD-PARTY-LICENSES.txt"
FROM_SOURCE = (
    "This copy of the reader runs from its source code, so it uses the Python packages "
    "it was installed with; their licences are in their own folders. The installers "
    "include the full list of third-party software with every licence text."
)


def licences_file() -> Path:
    return install_root() / LICENCES_FILE


def read_licences(path: Path | None = None) -> str | None:
    """The licence inventory's text, or None when this copy has none."""
    try:
        return (path or licences_file()).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        return f"The list of third-party licences could not be read: {exc}."


MAX_LISTED_PROBLEMS = 8


def about_text(documents: int, managed: Sequence[str] = (), problems: Sequence[str] = ()) -> str:
    """The About tab: the program, the collection, and what the organisation manages."""
    parts = [
        f"<h3>{APP_TITLE} {__version__}</h3>",
        f"<p>{documents} documents from the Emergency Care Improvement Programme case-study "
        "collection, to read, search and annotate with no network connection.</p>",
    ]
    if managed:
        parts.append(
            f"<p><b>Managed by your organisation:</b> {html.escape(', '.join(managed))}.</p>"
        )
    if problems:
        shown = "".join(f"<li>{html.escape(p)}</li>" for p in problems[:MAX_LISTED_PROBLEMS])
        more = len(problems) - MAX_LISTED_PROBLEMS
        extra = f"<p>… and {more} more.</p>" if more > 0 else ""
        parts.append(
            "<p>Mistakes in the organisation's policy (the settings they concern are not "
            f"applied, or stay locked at a safe value):</p><ul>{shown}</ul>{extra}"
        )
    parts.append(
        "<p>Licensed under the GNU Affero General Public License, version 3 or later.</p>"
        "<p>Built with Qt (LGPL 3), MuPDF (AGPL 3), Python, Whoosh and other free "
        "software: see <i>Third-party licences</i>.</p>"
    )
    return "".join(parts)


class AboutDialog(QDialog):
    """Two tabs: About, and Third-party licences (read when first shown)."""

    def __init__(
        self,
        parent: QWidget | None,
        documents: int,
        managed: Sequence[str] = (),
        problems: Sequence[str] = (),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_TITLE}")
        self.resize(720, 560)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("About and licences")
        about = QLabel(about_text(documents, managed, problems))
        about.setWordWrap(True)
        about.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        about.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.about_text = about
        logo = QLabel()
        logo.setPixmap(icons.icon("app").pixmap(64, 64))
        logo.setAlignment(Qt.AlignmentFlag.AlignTop)
        page = QWidget()
        row = QHBoxLayout(page)
        row.setContentsMargins(theme.SPACING * 2, theme.SPACING * 2, theme.SPACING * 2, 0)
        row.setSpacing(theme.SPACING * 2)
        row.addWidget(logo)
        row.addWidget(about, 1)
        self.tabs.addTab(page, "About")
        self.licences = QPlainTextEdit(self)
        self.licences.setObjectName("thirdPartyLicences")
        self.licences.setReadOnly(True)
        self.licences.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.tabs.addTab(self.licences, "Third-party licences")
        self._loaded = False
        self.tabs.currentChanged.connect(self._tab_changed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

    def show_licences(self) -> None:
        self.tabs.setCurrentWidget(self.licences)

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.licences and not self._loaded:
            self._loaded = True
            text = read_licences()
            self.licences.setPlainText(text if text is not None else FROM_SOURCE)
