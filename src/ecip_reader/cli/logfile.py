"""The window's log file, for support: ``DATA/logs/ecip-reader.log``, rotated.

The windowed program has no terminal (on Windows none at all), so its warnings
and the tracebacks of bugs also go to a file in the user's data folder. The
file is rotated at :data:`MAX_BYTES` and :data:`BACKUPS` old files are kept,
so it never grows without bound.

No personal content: the records are the program's own messages (versions,
warnings, tracebacks), which name no notes, search words or document texts,
and before a record is written the user's home folder is replaced by ``~``
and the login name by ``<user>``, so file paths and error messages do not
name the person.
"""

from __future__ import annotations

import getpass
import logging
import logging.handlers
import os
import platform
import re
import sys
from pathlib import Path

from ecip_reader import APP_NAME, __version__
from ecip_reader.paths import AppPaths

MAX_BYTES = 1_000_000
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_file(paths: AppPaths) -> Path:
    return paths.data / "logs" / f"{APP_NAME}.log"


class Anonymising(logging.Formatter):
    """Formats a record, then removes the home folder and the login name from it."""

    def __init__(self, home: str | None = None, user: str | None = None) -> None:
        super().__init__(FORMAT)
        self._replacements: list[tuple[re.Pattern[str], str]] = []
        for folder in _spellings(home if home is not None else str(Path.home())):
            self._replacements.append((re.compile(re.escape(folder), re.IGNORECASE), "~"))
        name = user if user is not None else _login_name()
        if name and len(name) > 1:
            self._replacements.append(
                (re.compile(rf"\b{re.escape(name)}\b", re.IGNORECASE), "<user>")
            )

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for pattern, replacement in self._replacements:
            text = pattern.sub(replacement, text)
        return text


def _spellings(home: str) -> list[str]:
    """The home folder as it may appear in messages (both slash directions on Windows)."""
    home = home.rstrip("/\\")
    if not home or home in ("/", "~"):
        return []
    return sorted({home, home.replace("\\", "/"), home.replace("/", "\\")}, key=len, reverse=True)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""


def start_log_file(paths: AppPaths) -> Path | None:
    """Add the rotating log file to the root logger; None when it cannot be written.

    The file gets what the root logger passes on (warnings and errors, more
    with ``--verbose``), after a first line naming the version and system.
    A data folder that cannot be written is reported by the window itself;
    the reader then runs without a log file.
    """
    path = log_file(paths)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(Anonymising())
    started = logging.getLogger(__name__).makeRecord(
        __name__,
        logging.INFO,
        __file__,
        0,
        "%s %s started (Python %s, %s %s)",
        (APP_NAME, __version__, platform.python_version(), platform.system(), platform.release()),
        None,
    )
    handler.handle(started)
    logging.getLogger().addHandler(handler)
    return path


def stop_log_file(path: Path) -> None:
    """Close and remove the handler :func:`start_log_file` added for ``path``."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, logging.handlers.RotatingFileHandler) and os.path.abspath(
            handler.baseFilename
        ) == os.path.abspath(path):
            root.removeHandler(handler)
            handler.close()


def log_uncaught(kind: type[BaseException], value: BaseException, tb: object) -> None:
    """``sys.excepthook`` for the window: a bug's traceback goes to the log file too."""
    logging.getLogger(APP_NAME).error("uncaught exception", exc_info=(kind, value, tb))  # type: ignore[arg-type]
    sys.__excepthook__(kind, value, tb)  # type: ignore[arg-type]
