"""Loaded by every Python process started with this folder on PYTHONPATH.

It makes any network use fail loudly: creating or connecting a socket of any
family but AF_UNIX, and name look-ups, raise and are logged to the file named by
``ECIP_NETGUARD_LOG``. Worker processes inherit the environment, so they are
guarded too.
"""

from __future__ import annotations

import os
import socket
import traceback

_LOG = os.environ.get("ECIP_NETGUARD_LOG")


def _record(what: str) -> None:
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as handle:
            handle.write(f"pid {os.getpid()}: {what}\n")
            handle.write("".join(traceback.format_stack(limit=12)))
            handle.write("\n")


class NetworkBlocked(OSError):
    pass


_real_socket = socket.socket


class _GuardedSocket(_real_socket):
    def __init__(
        self, family: int = -1, type: int = -1, proto: int = -1, fileno: int | None = None
    ) -> None:
        fam = socket.AF_INET if family == -1 else family
        if fileno is None and fam != socket.AF_UNIX:
            _record(f"socket(family={fam})")
            raise NetworkBlocked(f"network socket blocked (family {fam})")
        super().__init__(family, type, proto, fileno)


def _blocked_lookup(*args: object, **kwargs: object) -> object:
    _record(f"name look-up {args!r}")
    raise NetworkBlocked("name look-up blocked")


socket.socket = _GuardedSocket  # type: ignore[misc]
socket.getaddrinfo = _blocked_lookup  # type: ignore[assignment]
socket.gethostbyname = _blocked_lookup  # type: ignore[assignment]
socket.create_connection = _blocked_lookup  # type: ignore[assignment]
