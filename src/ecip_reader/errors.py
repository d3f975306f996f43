"""One exception root for the whole application.

Two families, kept apart on purpose:

* :class:`UserError` — the environment's fault (a damaged file, a full disk, a
  read-only folder, a malformed catalogue). Its message is one plain sentence a
  person can act on; it is shown as it is, without a traceback.
* Everything else is a bug: logged with its traceback and reported once.
"""

from __future__ import annotations

import errno


class EcipError(Exception):
    """Root of every exception the application raises on purpose."""


class UserError(EcipError):
    """A problem with the user's environment or input, with a plain message."""


class CatalogueError(UserError):
    """The catalogue of a library is missing, malformed or does not match its files."""


class DocumentError(UserError):
    """A PDF could not be opened, read or rendered."""


class StorageError(UserError):
    """User data could not be read or written."""


def describe_os_error(exc: OSError, what: str) -> str:
    """Turn an :class:`OSError` into one sentence that says what to do next.

    ``what`` names the thing being written or read, e.g. "your notes".
    """
    name = f" ({exc.filename})" if exc.filename else ""
    if exc.errno == errno.ENOSPC:
        return f"Cannot save {what}: the disk is full{name}. Free some space and try again."
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"Cannot save {what}: permission denied{name}."
    if exc.errno == errno.EROFS:
        return f"Cannot save {what}: the folder is read-only{name}."
    if exc.errno == errno.ENOENT:
        return f"Cannot find {what}{name}."
    return f"Cannot access {what}{name}: {exc.strerror or exc}."
