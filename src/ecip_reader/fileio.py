"""Safe file access: durable writes, and reads only of regular files.

Writes go to a temporary file beside the target, flushed, then renamed: a crash
at any instant leaves either the old file or the new one, never half of either.
The temporary file is private (mode 0600); files meant for other people
(exports, notes packs) ask for :func:`shared_mode`, the mode a newly created
file gets from the user's umask (usually 0644).

Reads of files that anyone could have put in a folder (a library folder, a
share, a file named on the command line) go through :func:`open_regular`: a
named pipe, a device, a socket, a broken link or a link loop is refused with a
reason before anything waits on it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import threading
from pathlib import Path
from typing import BinaryIO

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


# -- reading files that others may have put there ----------------------------------------


class NotAFile(OSError):
    """``path`` is not a regular file once links are followed.

    ``reason`` completes a sentence whose subject is the file ("is a named pipe,
    not a file"); :meth:`sentence` names the file.
    """

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(errno.EINVAL, reason, str(path))
        self.path = Path(path)
        self.reason = reason

    def sentence(self) -> str:
        return f"{shown_name(self.path)} {self.reason}."


IS_FOLDER = "is a folder, not a file"
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)


def _kind_reason(mode: int) -> str | None:
    """Why a file of this mode cannot be read as a document; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return IS_FOLDER
    if stat.S_ISFIFO(mode):
        return "is a named pipe, not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a file"
    return "is not a regular file"


def _missing_reason(path: Path, exc: OSError) -> str | None:
    """The reason for a failed look at ``path`` that lies in a link, if it does."""
    if exc.errno == errno.ELOOP:
        return "is a link that leads back to itself"
    if exc.errno in (errno.ENOENT, errno.ENOTDIR) and os.path.islink(path):
        return "is a link to a file that does not exist"
    return None


def check_regular_file(path: Path) -> os.stat_result:
    """The status of ``path`` when it is a regular file once links are followed.

    Raises :class:`NotAFile` for a folder, a named pipe, a device, a socket, a
    broken link or a link loop, and the usual :class:`OSError` otherwise
    (``FileNotFoundError``, ``PermissionError``...). Never opens the file, so a
    device is never woken and a pipe never waited on.
    """
    try:
        info = os.stat(path)
    except OSError as exc:
        reason = _missing_reason(path, exc)
        if reason is not None:
            raise NotAFile(path, reason) from exc
        raise
    reason = _kind_reason(info.st_mode)
    if reason is not None:
        raise NotAFile(path, reason)
    return info


def open_regular(path: Path) -> BinaryIO:
    """Open ``path`` for reading in binary mode, only if it is a regular file.

    The file is looked at first (:func:`check_regular_file`), then opened
    without waiting (a pipe put in its place meanwhile cannot block) and looked
    at again through the open handle, so what is read is what was checked.
    """
    check_regular_file(path)
    try:
        fd = os.open(path, os.O_RDONLY | _O_NONBLOCK | _O_BINARY)
    except OSError as exc:
        reason = _missing_reason(path, exc)
        if reason is not None:
            raise NotAFile(path, reason) from exc
        raise
    try:
        reason = _kind_reason(os.fstat(fd).st_mode)
        if reason is not None:
            raise NotAFile(path, reason)
        if _O_NONBLOCK:
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def shown_name(path: Path | str) -> str:
    """A file's name as people see it: bytes that are not UTF-8 as ``\\xff`` escapes."""
    return shown_path(Path(path).name)


def shown_path(value: str) -> str:
    """``value`` with the bytes of a name that is not UTF-8 shown as ``\\xff`` escapes.

    Python keeps such bytes as lone surrogates, which cannot be written as
    UTF-8 (to a terminal, JSON, SQLite or Whoosh); this makes them printable
    and keeps names that differ apart.
    """
    if value.isascii():
        return value
    try:
        raw = value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that stands for no byte
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


# -- what a file is ------------------------------------------------------------------

# A PDF's "%PDF-" marker may follow some junk; readers look this far for it.
HEADER_WINDOW = 1024
PDF_MARKER = b"%PDF-"

# First bytes of formats people mistake for PDFs, and how to name them.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"PK\x03\x04", "a ZIP archive (perhaps a Word or PowerPoint file)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old-style Office document"),
    (b"{\\rtf", "an RTF document"),
)


def other_format(head: bytes) -> str | None:
    """What a file starting with ``head`` is when it is surely no PDF ("it is a PNG image",
    "the file is empty"); None when it may be one."""
    if not head:
        return "the file is empty"
    if PDF_MARKER in head:
        return None
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return f"it is {kind}"
    return None
