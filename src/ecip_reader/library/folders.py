"""What the organisation's policy means for the libraries a user sees and may add.

* :func:`library_folders` — the bundled library first, then every extra library
  folder the policy names (for example a read-only network share), each once.
* :func:`ensure_import_allowed` — adding one's own PDFs can be turned off by
  the policy (``allow_import = false``); every import path calls it first and
  shows its one-sentence message.

Qt-free: the main window, the command line and ``verify`` use the same rules.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ecip_reader.errors import UserError
from ecip_reader.paths import bundled_library_dir
from ecip_reader.settings import Settings

BUNDLED = "bundled"
ORGANISATION = "organisation"

IMPORT_OFF_MESSAGE = "Adding your own PDFs has been turned off by your organisation."


class ImportNotAllowed(UserError):
    """The machine-wide policy turns importing one's own PDFs off."""


def ensure_import_allowed(settings: Settings) -> None:
    """Raise :class:`ImportNotAllowed` when the policy forbids adding PDFs."""
    if not settings.allow_import():
        raise ImportNotAllowed(IMPORT_OFF_MESSAGE)


@dataclass(frozen=True)
class LibraryFolder:
    path: Path
    source: str  # BUNDLED or ORGANISATION

    @property
    def available(self) -> bool:
        """The folder can be read now (a network share may be out of reach)."""
        try:
            return self.path.is_dir() and os.access(self.path, os.R_OK | os.X_OK)
        except OSError:
            return False


def _expand(folder: str) -> Path:
    return Path(os.path.expandvars(os.path.expanduser(folder)))


def extra_folders(values: object, exclude: Path | None = None) -> list[LibraryFolder]:
    """The extra library folders named in a policy or settings value, each once.

    ``~`` and environment variables (``$HOME``, ``%USERPROFILE%``) are expanded;
    blank entries, entries that are not text, folders that are not full paths
    (which would depend on where the reader was started) and ``exclude`` are dropped.
    """
    seen = {os.path.normcase(str(exclude))} if exclude is not None else set()
    folders: list[LibraryFolder] = []
    for raw in values if isinstance(values, list) else []:
        if not isinstance(raw, str) or not raw.strip():
            continue
        path = _expand(raw.strip())
        if not path.is_absolute():
            continue
        key = os.path.normcase(str(path))
        if key not in seen:
            seen.add(key)
            folders.append(LibraryFolder(path, ORGANISATION))
    return folders


def library_folders(settings: Settings, bundled: Path | None = None) -> list[LibraryFolder]:
    """The bundled library, then the extra folders of the effective settings."""
    first = (bundled or bundled_library_dir()).absolute()
    extra = extra_folders(settings.extra_library_folders(), exclude=first)
    return [LibraryFolder(first, BUNDLED), *extra]
