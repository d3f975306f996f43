"""The effective settings: built-in defaults, then the machine-wide policy, then the user's.

The policy (see :mod:`.policy`) is read first. Its values become the defaults;
keys listed in its ``locked`` array cannot be changed by the user. The user's
settings (JSON with a schema version) are read second and saved with
write-temp-then-rename, so a crash never leaves half a file.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from ecip_reader.errors import StorageError, describe_os_error
from ecip_reader.fileio import atomic_write_text
from ecip_reader.settings.schema import (
    SCHEMA,
    SCHEMA_VERSION,
    AuthorSource,
    LibraryLayout,
    NightMode,
    Policy,
    PolicyError,
    Theme,
    check,
    default,
)

log = logging.getLogger(__name__)

MAX_SETTINGS_BYTES = 1024 * 1024  # far more than any real settings file

_Choice = TypeVar("_Choice", Theme, NightMode, AuthorSource, LibraryLayout)


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
            with self.path.open("rb") as handle:
                raw = handle.read(MAX_SETTINGS_BYTES + 1)
            if len(raw) > MAX_SETTINGS_BYTES:
                raise ValueError(f"larger than {MAX_SETTINGS_BYTES // 1024} KB")
            data = json.loads(raw.decode("utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError, RecursionError) as exc:
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
                self._user[key] = check(key, value, str(self.path))
            except PolicyError as exc:
                log.warning("ignoring setting: %s", exc)

    def is_locked(self, key: str) -> bool:
        return key in self.policy.locked

    def get(self, key: str) -> Any:
        if key not in SCHEMA:
            raise KeyError(key)
        if key in self._user and key not in self.policy.locked:
            return self._user[key]
        if key in self.policy.values:
            return self.policy.values[key]
        return default(key)

    def set(self, key: str, value: Any) -> None:
        if self.is_locked(key):
            raise PolicyError(f"The setting {key!r} is set by your organisation.")
        self._user[key] = check(key, value, "settings")
        self.save()

    def update(self, values: Mapping[str, Any]) -> None:
        for key, value in values.items():
            if not self.is_locked(key):
                self._user[key] = check(key, value, "settings")
        self.save()

    def save(self) -> None:
        payload = json.dumps(
            {"schema": SCHEMA_VERSION, "values": self._user}, indent=2, sort_keys=True
        )
        try:
            atomic_write_text(self.path, payload)
        except OSError as exc:
            raise StorageError(describe_os_error(exc, "your settings")) from exc

    # -- typed accessors ---------------------------------------------------------

    def _choice(self, key: str, kind: type[_Choice]) -> _Choice:
        value = self.get(key)
        try:
            return kind(value)
        except ValueError:
            return kind(default(key))

    def theme(self) -> Theme:
        return self._choice("theme", Theme)

    def night_mode(self) -> NightMode:
        return self._choice("night_mode", NightMode)

    def author_source(self) -> AuthorSource:
        return self._choice("author_source", AuthorSource)

    def library_layout(self) -> LibraryLayout:
        return self._choice("library_view", LibraryLayout)

    def allow_import(self) -> bool:
        return bool(self.get("allow_import"))

    def allow_export(self) -> bool:
        return bool(self.get("allow_export"))

    def extra_library_folders(self) -> list[str]:
        return [f for f in self.get("extra_library_folders") if isinstance(f, str)]

    def library_filters(self) -> dict[str, str]:
        raw = self.get("library_filters")
        return {str(k): v for k, v in raw.items() if isinstance(v, str)}

    def window_geometry(self) -> str:
        return str(self.get("window_geometry"))

    def slides_screen(self) -> str:
        return str(self.get("slides_screen"))

    def author_name(self) -> str:
        name = str(self.get("author_name"))
        if self.author_source() == AuthorSource.FIXED and name:
            return name
        if name and not self.is_locked("author_source"):
            return name
        try:
            return getpass.getuser()
        except (OSError, KeyError):
            return "Reader"
