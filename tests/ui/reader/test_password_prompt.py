"""A password-protected PDF asks for its password inside the document view."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ecip_reader.ui.reader.view import DocumentView
from ecip_reader.ui.render.client import RenderClient
from tests.support.badfiles import USER_PASSWORD, make_user_password

WAIT = 20_000


@pytest.fixture
def client(qtbot: QtBot) -> Iterator[RenderClient]:
    made = RenderClient()
    yield made
    made.close()


def test_wrong_then_right_password(qtbot: QtBot, client: RenderClient, tmp_path: Path) -> None:
    locked = make_user_password(tmp_path)
    view = DocumentView(client, locked.path, "password", "Password")
    qtbot.addWidget(view)
    view.resize(640, 560)
    failures: list[str] = []
    view.failed.connect(failures.append)
    with qtbot.waitSignal(view.password_needed, timeout=WAIT) as first:
        view.show()
    assert first.args == ["password.pdf is password-protected."]
    prompt = view.password_prompt
    assert prompt.isVisible()
    assert prompt.message.text() == "password.pdf is password-protected."
    assert view.page_count() == 0

    prompt.field.setText("not-the-password")
    with qtbot.waitSignal(view.password_needed, timeout=WAIT) as wrong:
        prompt.open_button.click()
    assert wrong.args == ["The password for password.pdf is not correct."]
    assert prompt.isVisible() and prompt.field.isEnabled()
    assert prompt.field.text() == ""

    prompt.field.setText(USER_PASSWORD)
    with qtbot.waitSignal(view.first_page_sharp, timeout=WAIT):
        qtbot.keyClick(prompt.field, "\r")
    assert view.page_count() == 1
    assert not prompt.isVisible()
    assert failures == []
    view.close_document()


def test_password_is_never_written_to_disk(
    qtbot: QtBot, client: RenderClient, tmp_path: Path, isolated_home: Path
) -> None:
    (tmp_path / "docs").mkdir()
    locked = make_user_password(tmp_path / "docs")
    view = DocumentView(client, locked.path, "password", "Password")
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.password_needed, timeout=WAIT):
        view.show()
    with qtbot.waitSignal(view.first_page_sharp, timeout=WAIT):
        view.retry_with_password(USER_PASSWORD)
    view.close_document()
    secret = USER_PASSWORD.encode()
    for path in isolated_home.rglob("*"):
        if path.is_file():
            assert secret not in path.read_bytes(), path
