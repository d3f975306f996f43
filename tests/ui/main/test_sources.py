"""The user's own PDFs and the organisation's library folders, in the window."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from ecip_reader.library.folders import IMPORT_OFF_MESSAGE
from ecip_reader.library.sources import BUNDLED_LABEL, MINE_LABEL
from tests.support.badfiles import make_empty, make_user_password, write_good_pdf
from tests.support.window import WAIT, Session, write_policy

SessionMaker = Callable[[], Session]


def titles(session: Session, source: str) -> list[str]:
    model = session.window.library_model
    return sorted(e.title for e in model.entries() if model.source_label(e.id) == source)


def search_ids(session: Session, query: str) -> list[str]:
    return [hit.doc_id for hit in session.services.search.search(query, {}).results]


def test_added_pdfs_are_listed_searched_and_opened(
    qtbot: QtBot, session_maker: SessionMaker, tmp_path: Path
) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    good = write_good_pdf(mine / "ward-audit.pdf", ["zeppelin", "quokka"])
    empty = make_empty(mine)
    locked = make_user_password(mine)
    session = session_maker()
    window = session.window
    assert window.action("add_pdfs").isEnabled()
    assert window.action("add_pdfs").shortcut().toString() == "Ctrl+Shift+O"

    with qtbot.waitSignal(window.sources.added, timeout=WAIT) as blocker:
        assert window.sources.add_files([good.path, empty.path, locked.path])
    result = blocker.args[0]
    assert result is not None and len(result.added) == 2  # an empty file is not kept
    assert titles(session, MINE_LABEL) == ["password", "ward-audit"]
    assert "empty.pdf is not a PDF: the file is empty." in window.message_bar.messages
    assert "password.pdf is password-protected." in window.message_bar.messages
    assert not list((session.services.paths.data).glob("*.pdf")), "nothing is copied"

    hits = search_ids(session, "zeppelin")
    assert len(hits) == 1 and hits[0].startswith("mine:")
    assert titles(session, BUNDLED_LABEL), "the bundled collection is still there"
    assert "perfect-week" in search_ids(session, "senior attention")

    window.open_document(hits[0])
    tab = window.tabs.current_tab()
    assert tab is not None and tab.entry.title == "ward-audit"


def test_missing_file_is_shown_as_missing(
    qtbot: QtBot, session_maker: SessionMaker, tmp_path: Path
) -> None:
    good = write_good_pdf(tmp_path / "handover.pdf", ["walrus"])
    session = session_maker()
    with qtbot.waitSignal(session.window.sources.added, timeout=WAIT):
        session.window.sources.add_files([good.path])
    good.path.unlink()
    session.close()
    again = session_maker()
    assert titles(again, MINE_LABEL) == ["handover (missing)"]


def test_policy_turns_importing_off(
    qtbot: QtBot, session_maker: SessionMaker, tmp_path: Path
) -> None:
    write_policy("allow_import = false\nlocked = ['allow_import']\n")
    good = write_good_pdf(tmp_path / "note.pdf", ["otter"])
    session = session_maker()
    window = session.window
    for name in ("add_pdfs", "add_folder", "open_pdf_file"):
        assert not window.action(name).isEnabled()
        assert window.action(name).toolTip() == "Set by your organisation"
    with qtbot.assertNotEmitted(window.sources.added):
        assert window.sources.add_files([good.path]) is False  # refused at once
    assert window.message_bar.text() == IMPORT_OFF_MESSAGE
    assert "Adding" not in window.work.text(), "nothing was started"
    assert titles(session, MINE_LABEL) == []


def test_organisation_folders_are_sources(session_maker: SessionMaker, tmp_path: Path) -> None:
    share = tmp_path / "Regional share"
    write_good_pdf(share / "winter-plan.pdf", ["snowdrift"])
    gone = tmp_path / "Unplugged drive"
    write_policy(f"extra_library_folders = [{str(share)!r}, {str(gone)!r}]\n")
    session = session_maker()
    window = session.window
    assert titles(session, "Regional share") == ["winter-plan"]
    labels = [value for value, _count in window.library_filter.facet_totals("source")]
    assert "Unplugged drive (not reachable now)" in labels
    assert any("not reachable now" in m for m in window.message_bar.messages)

    window.library_filter.set_facet("source", "Regional share")
    assert window.library_filter.rowCount() == 1

    hits = search_ids(session, "snowdrift")
    assert len(hits) == 1
    window.open_document(hits[0])
    tab = window.tabs.current_tab()
    assert tab is not None and tab.entry.title == "winter-plan"


def test_opening_a_library_file_by_path_opens_its_catalogue_entry(
    session_maker: SessionMaker,
) -> None:
    session = session_maker()
    window = session.window
    catalogue = session.services.catalogue
    assert catalogue is not None
    entry = catalogue.get("perfect-week")
    window.sources.open_file(catalogue.path_of(entry))
    tab = window.tabs.current_tab()
    assert tab is not None and tab.entry.title == entry.title
    assert titles(session, MINE_LABEL) == [], "a library document is not added to My documents"
