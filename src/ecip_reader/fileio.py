"""Durable file writes: a temporary file beside the target, flushed, then renamed.

A crash at any instant leaves either the old file or the new one, never half
of either. The temporary file is private (mode 0600); files meant for other
people (exports, notes packs) ask for :func:`shared_mode`, the mode a newly
created file gets from the user's umask (usually 0644).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from pathlib import Path

_umask_lock = threading.Lock()


def current_umask() -> int:
    """The process's umask, read without changing it where the system allows."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _umask_lock:  # elsewhere the only way to read it is to set it and set it back
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def shared_mode() -> int:
    """The permissions of a newly created file: read-write for all, less the umask."""
    return 0o666 & ~current_umask()


def atomic_write_text(path: Path, text: str, mode: int | None = None) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    atomic_write_bytes(path, text.encode("utf-8"), mode)


def atomic_write_bytes(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write ``data`` to ``path``; ``mode`` sets its permissions (default: private, 0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        if mode is not None and hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
