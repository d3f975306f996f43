"""Typed settings: defaults, then the machine-wide policy, then the user's choices.

The policy file (TOML, see ``AppPaths.policy_file``) is read first. Its values
become the defaults; keys listed in its ``locked`` array cannot be changed by the
user. The user's settings (JSON with a schema version) are read second and
saved with write-temp-then-rename, so a crash never leaves half a file.

Example policy file::

    allow_import = false
    allow_export = true
    extra_library_folders = ["/srv/shared/case-studies"]
    author_source = "os-user"      # or "fixed", with author_name
    theme = "light"
    locked = ["allow_import", "theme"]
"""

from __future__ import annotations

import contextlib
import getpass
import json
import logging
import os
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ecip_reader.errors import UserError, describe_os_error

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1

# key -> (type, default)
_SCHEMA: dict[str, tuple[type, Any]] = {
    "theme": (str, "system"),  # "system", "light" or "dark"
    "allow_import": (bool, True),
    "allow_export": (bool, True),
    "extra_library_folders": (list, []),
    "author_source": (str, "os-user"),  # "os-user" or "fixed"
    "author_name": (str, ""),
    "night_mode": (str, "off"),  # "off", "invert" or "sepia"
    "library_view": (str, "grid"),  # "grid" or "list"
    "library_filters": (dict, {}),
    "window_geometry": (str, ""),
}

THEMES = ("system", "light", "dark")


class PolicyError(UserError):
    pass


def _check(key: str, value: Any, source: str) -> Any:
    if key not in _SCHEMA:
        raise PolicyError(f"{source}: unknown setting {key!r}.")
    kind, _ = _SCHEMA[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise PolicyError(f"{source}: setting {key!r} must be of type {kind.__name__}.")
    return value


@dataclass
class Policy:
    """The machine-wide policy: preset values and the keys users may not change."""

    values: dict[str, Any] = field(default_factory=dict)
    locked: frozenset[str] = frozenset()

    @classmethod
    def load(cls, path: Path) -> Policy:
        """The policy file at ``path``, plus the registry policy key on Windows."""
        from ecip_reader.settings.registry import with_registry

        return with_registry(cls.load_file(path))

    @classmethod
    def load_file(cls, path: Path) -> Policy:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return cls()
        except OSError as exc:
            log.warning("policy file unreadable: %s", exc)
            return cls()
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise PolicyError(f"The policy file {path} is not valid TOML: {exc}.") from exc
        locked = data.pop("locked", [])
        if not isinstance(locked, list) or not all(isinstance(k, str) for k in locked):
            raise PolicyError(f"{path}: 'locked' must be a list of setting names.")
        values = {k: _check(k, v, str(path)) for k, v in data.items()}
        for key in locked:
            _check(key, _SCHEMA[key][1] if key in _SCHEMA else None, str(path))
        return cls(values, frozenset(locked))


class Settings:
    """The effective settings; ``set`` refuses locked keys and saves at once."""

    def __init__(self, path: Path, policy: Policy | None = None) -> None:
        self.path = path
        self.policy = policy or Policy()
        self._user: dict[str, Any] = {}
        self.load_error: str | None = None
        self._load()

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            # A damaged settings file is moved aside; defaults apply.
            self.load_error = f"Your settings could not be read and were reset ({exc})."
            log.warning("%s", self.load_error)
            with contextlib.suppress(OSError):
                self.path.replace(self.path.with_suffix(".damaged.json"))
            return
        if not isinstance(data, dict):
            return
        values = data.get("values", {})
        if not isinstance(values, dict):
            return
        for key, value in values.items():
            try:
                self._user[key] = _check(key, value, str(self.path))
            except PolicyError as exc:
                log.warning("ignoring setting: %s", exc)

    def is_locked(self, key: str) -> bool:
        return key in self.policy.locked

    def get(self, key: str) -> Any:
        if key not in _SCHEMA:
            raise KeyError(key)
        if key in self._user and key not in self.policy.locked:
            return self._user[key]
        if key in self.policy.values:
            return self.policy.values[key]
        default = _SCHEMA[key][1]
        return default.copy() if isinstance(default, (list, dict)) else default

    def set(self, key: str, value: Any) -> None:
        if self.is_locked(key):
            raise PolicyError(f"The setting {key!r} is set by your organisation.")
        self._user[key] = _check(key, value, "settings")
        self.save()

    def update(self, values: Mapping[str, Any]) -> None:
        for key, value in values.items():
            if not self.is_locked(key):
                self._user[key] = _check(key, value, "settings")
        self.save()

    def save(self) -> None:
        payload = json.dumps(
            {"schema": SCHEMA_VERSION, "values": self._user}, indent=2, sort_keys=True
        )
        try:
            atomic_write_text(self.path, payload)
        except OSError as exc:
            raise UserError(describe_os_error(exc, "your settings")) from exc

    def author_name(self) -> str:
        if self.get("author_source") == "fixed" and self.get("author_name"):
            return str(self.get("author_name"))
        if self.get("author_name") and not self.is_locked("author_source"):
            return str(self.get("author_name"))
        try:
            return getpass.getuser()
        except (OSError, KeyError):
            return "Reader"


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
