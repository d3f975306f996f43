"""Help → About shows the reader's licence and the third-party licences it ships with."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.ui.main import about
from ecip_reader.ui.main.about import AboutDialog
from tests.support.window import library_only_search, open_session

INVENTORY = (
    "Third-party software in the ECIP Case-Study Reader 0.1.0 (linux-x86_64)\n\n"
    "  PySide6_Essentials 6.11.3 — LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only\n"
    "  pymupdf-lite 2.0 — AGPL-3.0-or-later\n\n"
    "                   GNU LESSER GENERAL PUBLIC LICENSE\n"
)


def open_about(qtbot: QtBot, paths: AppPaths, library: Catalogue) -> AboutDialog:
    session = open_session(qtbot, paths, library, search=library_only_search(library), start=False)
    session.window.action_map["about"].trigger()
    dialog = session.window.findChild(AboutDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def test_about_shows_the_version_the_documents_and_the_licence(
    qtbot: QtBot, app_paths: AppPaths, small_library: Catalogue
) -> None:
    dialog = open_about(qtbot, app_paths, small_library)
    assert dialog.tabs.tabText(0) == "About"
    text = dialog.about_text.text()
    assert "3 documents" in text
    assert "GNU Affero General Public License, version 3 or later" in text
    assert dialog.tabs.tabText(1) == "Third-party licences"


def test_the_second_tab_shows_the_installed_licence_inventory(
    qtbot: QtBot,
    app_paths: AppPaths,
    small_library: Catalogue,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    installed = tmp_path / "install"
    installed.mkdir()
    (installed / "THIRD-PARTY-LICENSES.txt").write_text(INVENTORY, encoding="utf-8")
    monkeypatch.setattr(about, "install_root", lambda: installed)

    dialog = open_about(qtbot, app_paths, small_library)
    assert dialog.licences.toPlainText() == ""  # read only when the tab is opened
    dialog.show_licences()

    shown = dialog.licences.toPlainText()
    assert "PySide6_Essentials 6.11.3 — LGPL-3.0-only" in shown
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in shown
    assert dialog.licences.isReadOnly()


def test_a_copy_run_from_source_says_where_the_licences_are(
    qtbot: QtBot,
    app_paths: AppPaths,
    small_library: Catalogue,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(about, "install_root", lambda: tmp_path)
    dialog = open_about(qtbot, app_paths, small_library)
    dialog.show_licences()
    assert "runs from its source code" in dialog.licences.toPlainText()
