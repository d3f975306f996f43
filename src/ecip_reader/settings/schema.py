"""The settings the reader knows: names, types, defaults and allowed values.

Shared by the user's settings, the machine-wide policy file and the Windows
registry policy, so all three accept exactly the same keys and values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ecip_reader.errors import UserError

SCHEMA_VERSION = 1


class Theme(StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"
    HIGH_CONTRAST = "high-contrast"


class NightMode(StrEnum):
    OFF = "off"
    INVERT = "invert"
    SEPIA = "sepia"


class AuthorSource(StrEnum):
    OS_USER = "os-user"  # the login name
    FIXED = "fixed"  # ``author_name``


class LibraryLayout(StrEnum):
    GRID = "grid"
    LIST = "list"


# key -> (type, default)
SCHEMA: dict[str, tuple[type, Any]] = {
    "theme": (str, Theme.SYSTEM.value),
    "allow_import": (bool, True),
    "allow_export": (bool, True),
    "extra_library_folders": (list, []),
    # Machine policy only: folders whose prebuilt search indexes may be opened as they are.
    "trusted_index_folders": (list, []),
    "author_source": (str, AuthorSource.OS_USER.value),
    "author_name": (str, ""),
    "night_mode": (str, NightMode.OFF.value),
    "library_view": (str, LibraryLayout.GRID.value),
    "library_filters": (dict, {}),
    "window_geometry": (str, ""),
    # The name of the screen the user last chose for slides ("HDMI-1"); "": the largest other.
    "slides_screen": (str, ""),
}

THEMES = tuple(t.value for t in Theme)


class PolicyError(UserError):
    pass


def check(key: str, value: Any, source: str) -> Any:
    """``value`` when it is of the type ``key`` takes; raises :class:`PolicyError` if not."""
    if key not in SCHEMA:
        raise PolicyError(f"{source}: unknown setting {key!r}.")
    kind, _ = SCHEMA[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise PolicyError(f"{source}: setting {key!r} must be of type {kind.__name__}.")
    return value


def default(key: str) -> Any:
    """A fresh copy of ``key``'s built-in default."""
    value = SCHEMA[key][1]
    return value.copy() if isinstance(value, (list, dict)) else value


@dataclass
class Policy:
    """The machine-wide policy: preset values, the keys users may not change, and
    one sentence for each mistake found in it (the mistaken keys are not applied)."""

    values: dict[str, Any] = field(default_factory=dict)
    locked: frozenset[str] = frozenset()
    problems: tuple[str, ...] = ()
    unreadable: bool = False  # the policy file could not be read: everything is locked
