"""A second start hands its file to the running reader and exits."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from pytestqt.qtbot import QtBot

from ecip_reader.paths import AppPaths
from ecip_reader.ui.main.single_instance import InstanceServer, serve, server_name
from tests.support.badfiles import write_good_pdf
from tests.ui.main.test_sources import SessionMaker

WAIT = 60_000


def second_start(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "ecip_reader", *args],
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def finish(qtbot: QtBot, process: subprocess.Popen[bytes]) -> int:
    qtbot.waitUntil(lambda: process.poll() is not None, timeout=WAIT)
    _out, err = process.communicate()
    assert process.returncode == 0, err.decode()
    return process.returncode


def test_second_start_opens_its_file_in_the_first(
    qtbot: QtBot, session_maker: SessionMaker, app_paths: AppPaths, tmp_path: Path
) -> None:
    pdf = write_good_pdf(tmp_path / "rota-review.pdf", ["albatross"]).path
    session = session_maker()
    window = session.window
    server = serve(window, app_paths)
    with qtbot.waitSignal(server.requested, timeout=WAIT) as asked:
        process = second_start(str(pdf))
        finish(qtbot, process)
    assert asked.args == [str(pdf)]
    tab = window.tabs.current_tab()
    assert tab is not None and tab.entry.title == "rota-review"
    server.close()


def test_stale_socket_is_taken_over(
    qtbot: QtBot, session_maker: SessionMaker, app_paths: AppPaths
) -> None:
    name = server_name(app_paths)
    stale = Path(tempfile.gettempdir()) / name
    left = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    left.bind(str(stale))  # a crashed instance leaves its socket file behind
    left.close()
    assert stale.exists()
    session = session_maker()
    server = InstanceServer(app_paths, session.window)
    assert server.listen()
    requests: list[object] = []
    server.requested.connect(requests.append)
    finish(qtbot, second_start())
    assert requests == [None]  # "raise" only
    server.close()


def test_name_differs_per_data_folder(tmp_path: Path) -> None:
    one = AppPaths.from_environment(tmp_path / "a")
    two = AppPaths.from_environment(tmp_path / "b")
    assert server_name(one) != server_name(two)
    assert server_name(one) == server_name(AppPaths.from_environment(tmp_path / "a"))
