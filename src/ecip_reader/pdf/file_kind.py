"""Refusing what is not a plain file before anything opens it.

Opening a named pipe for reading waits until something writes into it, which
may be never; a device may never stop giving bytes. :func:`not_a_plain_file`
looks at a path with ``stat`` only (links followed, nothing opened) and says
in one sentence why it cannot be read as a PDF.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


def not_a_plain_file(path: Path) -> str | None:
    """Why ``path`` is not a regular file, or ``None`` when it is one (or does not exist).

    A path that does not exist is left to the opener, which says so itself.
    """
    name = path.name
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if os.path.islink(path):
            return f"{name} is a link to a file that does not exist."
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return f"{name} is a link that leads back to itself."
        return None  # permissions and the like: the opener names them
    except ValueError:
        return None  # a name no file can have (a NUL in it): the opener says so
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return f"{name} is a folder, not a PDF."
    if stat.S_ISFIFO(mode):
        return f"{name} is not a PDF: it is a named pipe."
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return f"{name} is not a PDF: it is a device."
    if stat.S_ISSOCK(mode):
        return f"{name} is not a PDF: it is a socket."
    return f"{name} is not a PDF: it is not a regular file."
