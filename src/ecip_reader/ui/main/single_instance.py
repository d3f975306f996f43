"""One reader per user and data folder: a second start hands its request to the first.

The first instance listens on a local socket (a Unix domain socket on Linux and
macOS, a named pipe on Windows; never a network socket) whose name is made
from the user name and a hash of the data folder, so two users, or tests with
their own homes, never meet. A second ``ecip-reader [FILE]`` connects, sends one
line of JSON (``{"open": "/path/file.pdf"}`` or ``{"raise": true}``), waits for
"ok" and exits; the first raises its window and opens the file.

A socket left behind by an instance that crashed is taken over: when nobody
answers on it, it is removed and listened on again.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from ecip_reader.paths import AppPaths

if TYPE_CHECKING:
    from ecip_reader.ui.main.window import MainWindow

log = logging.getLogger(__name__)

CONNECT_MS = 500
REPLY_MS = 3000
MAX_REQUEST = 64 * 1024


def server_name(paths: AppPaths) -> str:
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = "user"
    key = hashlib.sha256(f"{user}\0{paths.data.resolve()}".encode()).hexdigest()[:20]
    return f"ecip-reader-{key}"


def _request(file: str | Path | None) -> bytes:
    message: dict[str, object] = (
        {"open": str(Path(file).expanduser().absolute())} if file else {"raise": True}
    )
    return json.dumps(message).encode("utf-8") + b"\n"


def send_to_running(paths: AppPaths, file: str | Path | None) -> bool:
    """Hand ``file`` (or just "raise") to a running instance; False when none answers."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(paths))
    if not socket.waitForConnected(CONNECT_MS):
        return False
    socket.write(_request(file))
    socket.flush()
    answered = False
    while socket.waitForReadyRead(REPLY_MS):
        if bytes(socket.readAll().data()).startswith(b"ok"):
            answered = True
            break
    socket.disconnectFromServer()
    return answered


def _someone_listening(name: str) -> bool:
    probe = QLocalSocket()
    probe.connectToServer(name)
    alive = probe.waitForConnected(CONNECT_MS)
    probe.abort()
    return alive


class InstanceServer(QObject):
    """Listens for later starts; ``requested`` carries the file to open, or None."""

    requested = Signal(object)  # str | None

    def __init__(self, paths: AppPaths, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(paths)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._connection)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        """Start listening; a stale socket is taken over. False when another instance runs."""
        if self._server.listen(self.name):
            return True
        if _someone_listening(self.name):
            return False
        QLocalServer.removeServer(self.name)  # left behind by an instance that crashed
        if self._server.listen(self.name):
            return True
        log.warning("single-instance socket unavailable: %s", self._server.errorString())
        return False

    def close(self) -> None:
        self._server.close()

    @Slot()
    def _connection(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            if socket is None:
                return
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))

    def _forget(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()

    def _read(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if b"\n" not in data:
            if len(data) > MAX_REQUEST:
                socket.abort()
            else:
                self._buffers[socket] = data
            return
        line = data.split(b"\n", 1)[0]
        self._buffers[socket] = b""
        try:
            message = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            socket.write(b"bad request\n")
            return
        file = message.get("open") if isinstance(message, dict) else None
        socket.write(b"ok\n")
        socket.flush()
        self.requested.emit(file if isinstance(file, str) and file else None)


def bring_forward(window: MainWindow, file: str | None) -> None:
    """Show the window on top, and open ``file`` when one was asked for."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    if QGuiApplication.platformName() != "offscreen":  # no window stacking there
        window.raise_()
        window.activateWindow()
    if file:
        window.sources.open_file(Path(file))


def serve(window: MainWindow, paths: AppPaths) -> InstanceServer:
    """Listen for later starts on behalf of ``window``."""
    server = InstanceServer(paths, window)
    server.listen()
    server.requested.connect(lambda file: bring_forward(window, file))
    return server
