"""Refusing what is not a plain file before anything opens it.

Opening a named pipe for reading waits until something writes into it, which
may be never; a device may never stop giving bytes. :func:`not_a_plain_file`
looks at a path with ``stat`` only (links followed, nothing opened) and says
in one sentence why it cannot be read as a PDF.
"""

from __future__ import annotations

from pathlib import Path

from ecip_reader.fileio import NotAFile, check_regular_file


def not_a_plain_file(path: Path) -> str | None:
    """Why ``path`` is not a regular file, or ``None`` when it is one (or does not exist).

    The same check as every other reader of files (:func:`check_regular_file`);
    a path that does not exist, or cannot be looked at, is left to the opener,
    which says so itself.
    """
    try:
        check_regular_file(path)
    except NotAFile as exc:
        return exc.sentence()
    except (OSError, ValueError):  # missing, no permission, a NUL in the name
        return None
    return None
