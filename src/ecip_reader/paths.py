"""Every file-system location the application uses, in one place.

Per-user folders come from platformdirs. They can be redirected as a whole with
``--data-dir DIR`` or the ``ECIP_READER_HOME`` environment variable, which puts
``data/``, ``cache/`` and ``config/`` below that folder. The machine-wide policy
file lives in the platform's site configuration folder and can be pointed
elsewhere with ``ECIP_READER_POLICY``.

The install folder (the package, ``resources/`` and ``bundled_library/``) is only
ever read.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from ecip_reader import APP_NAME

HOME_ENV = "ECIP_READER_HOME"
POLICY_ENV = "ECIP_READER_POLICY"
LIBRARY_ENV = "ECIP_READER_LIBRARY"
POLICY_FILE_NAME = "policy.toml"


def install_root() -> Path:
    """The read-only folder holding ``resources/`` and ``bundled_library/``."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    # src/ecip_reader/paths.py -> repository root
    return Path(__file__).resolve().parents[2]


def resources_dir() -> Path:
    return install_root() / "resources"


def bundled_library_dir() -> Path:
    override = os.environ.get(LIBRARY_ENV)
    return Path(override) if override else install_root() / "bundled_library"


def policy_folders() -> list[Path]:
    """The machine-wide folders a policy file is looked for in, in order."""
    joined = platformdirs.site_config_dir(APP_NAME, appauthor=False, multipath=True)
    folders = [Path(p) for p in joined.split(os.pathsep) if p]
    if sys.platform.startswith("linux"):
        folders.append(Path("/etc/xdg") / APP_NAME)
    return folders


# Looked up through this name, so that tests can keep a machine's own policy out.
_policy_folders = policy_folders


def site_policy_file() -> Path:
    """The machine-wide policy file: the first site config folder that holds one.

    ``XDG_CONFIG_DIRS`` may list several folders (Ubuntu desktops put
    ``/etc/xdg/xdg-ubuntu`` first), and packages install into ``/etc/xdg``, so
    every folder is tried, ``/etc/xdg`` last on Linux.
    """
    folders = _policy_folders()
    for folder in folders:
        # Anything at all by that name counts (a folder or a pipe is reported, not skipped).
        if os.path.lexists(folder / POLICY_FILE_NAME):
            return folder / POLICY_FILE_NAME
    return folders[0] / POLICY_FILE_NAME


def _admin_owned(path: Path) -> bool:
    """Only an administrator can change ``path`` or the folder holding it.

    On Windows the policy folders themselves are writable by administrators only.
    """
    if sys.platform == "win32":
        return True
    try:
        for item in (path, path.parent):
            info = item.stat()
            if info.st_uid != 0 or info.st_mode & 0o022:
                return False
    except OSError:
        return False
    return True


def machine_policy_file() -> Path | None:
    """The site policy file an administrator set up, if there is one.

    Such a file always applies: neither ``ECIP_READER_POLICY`` nor a policy
    folder a user added to ``XDG_CONFIG_DIRS`` can replace it, so a user cannot
    escape the organisation's locks by pointing the reader at a policy of their own.
    """
    for folder in _policy_folders():
        path = folder / POLICY_FILE_NAME
        if os.path.lexists(path) and _admin_owned(path):
            return path
    return None


@dataclass(frozen=True)
class AppPaths:
    """The writable per-user folders and the machine-wide policy file."""

    data: Path
    cache: Path
    config: Path
    policy_file: Path
    policy_named: bool = False  # named by ECIP_READER_POLICY, so it ought to exist
    # ECIP_READER_POLICY when an administrator's policy file replaced it (it is not read).
    policy_override_ignored: Path | None = None

    @classmethod
    def from_environment(cls, data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
        """Resolve the folders; ``data_dir`` (from ``--data-dir``) wins over the environment."""
        home = data_dir or os.environ.get(HOME_ENV)
        policy_override = os.environ.get(POLICY_ENV)
        admin = machine_policy_file()
        ignored: Path | None = None
        if admin is not None:
            policy, named = admin, False
            if policy_override and Path(policy_override) != admin:
                ignored = Path(policy_override)
        elif policy_override:
            policy, named = Path(policy_override), True
        else:
            policy, named = site_policy_file(), False
        if home:
            root = Path(home).expanduser().resolve()
            return cls(root / "data", root / "cache", root / "config", policy, named, ignored)
        return cls(
            Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            policy,
            named,
            ignored,
        )

    @property
    def database(self) -> Path:
        """The annotations and bookmarks database."""
        return self.data / "userdata.sqlite3"

    @property
    def settings_file(self) -> Path:
        return self.config / "settings.json"

    @property
    def index_root(self) -> Path:
        """Search indexes built on this machine (bundled library and imported folders)."""
        return self.cache / "indexes"

    @property
    def thumbnails(self) -> Path:
        return self.cache / "thumbnails"

    def ensure(self) -> None:
        """Create the writable folders; raises :class:`OSError` when that is impossible."""
        for folder in (self.data, self.cache, self.config):
            folder.mkdir(parents=True, exist_ok=True)
