"""Only plain files are opened: pipes, devices, sockets and bad links get one sentence each."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from ecip_reader.pdf.file_kind import not_a_plain_file
from ecip_reader.pdf.render_protocol import OpenDocument, OpenFailed
from ecip_reader.pdf.render_worker import RenderServer
from tests.support.pdfs import write_text_pdf


def test_a_plain_file_and_a_link_to_one_pass(tmp_path: Path) -> None:
    real = write_text_pdf(tmp_path / "real.pdf", ["Sepsis screening."])
    (tmp_path / "link.pdf").symlink_to(real)
    assert not_a_plain_file(real) is None
    assert not_a_plain_file(tmp_path / "link.pdf") is None
    assert not_a_plain_file(tmp_path / "missing.pdf") is None  # the opener says it is missing


def test_everything_else_gets_its_sentence(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "x.pdf")
    (tmp_path / "zero.pdf").symlink_to("/dev/zero")
    (tmp_path / "folder.pdf").mkdir()
    (tmp_path / "gone.pdf").symlink_to(tmp_path / "deleted.pdf")
    (tmp_path / "a.pdf").symlink_to(tmp_path / "b.pdf")
    (tmp_path / "b.pdf").symlink_to(tmp_path / "a.pdf")
    listener = socket.socket(socket.AF_UNIX)
    try:
        listener.bind(str(tmp_path / "socket.pdf"))
        sentences = {
            name: not_a_plain_file(tmp_path / name)
            for name in ("x.pdf", "zero.pdf", "folder.pdf", "gone.pdf", "a.pdf", "socket.pdf")
        }
    finally:
        listener.close()
    assert sentences == {
        "x.pdf": "x.pdf is a named pipe, not a file.",
        "zero.pdf": "zero.pdf is a device, not a file.",
        "folder.pdf": "folder.pdf is a folder, not a file.",
        "gone.pdf": "gone.pdf is a link to a file that does not exist.",
        "a.pdf": "a.pdf is a link that leads back to itself.",
        "socket.pdf": "socket.pdf is a socket, not a file.",
    }


def test_the_worker_refuses_a_named_pipe_without_waiting_for_it(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "x.pdf")
    (tmp_path / "zero.pdf").symlink_to("/dev/zero")
    replies: list[object] = []
    server = RenderServer(replies.append)
    server.handle(OpenDocument(1, str(tmp_path / "x.pdf")))
    server.handle(OpenDocument(2, str(tmp_path / "zero.pdf")))
    assert replies == [
        OpenFailed(1, "x.pdf is a named pipe, not a file."),
        OpenFailed(2, "zero.pdf is a device, not a file."),
    ]
    assert not server.has_work()
