"""Settings: the built-in schema, the machine-wide policy and the user's own choices.

* :mod:`.schema` — every key with its type, default and allowed values;
* :mod:`.policy` — the policy file, with the Windows registry (:mod:`.registry`) over it;
* :mod:`.store` — :class:`Settings`, the effective values with typed accessors.
"""

from __future__ import annotations

from ecip_reader.paths import AppPaths
from ecip_reader.settings.policy import load_policy, read_policy_file
from ecip_reader.settings.schema import (
    THEMES,
    AuthorSource,
    LibraryLayout,
    NightMode,
    Policy,
    PolicyError,
    Theme,
)
from ecip_reader.settings.store import Settings


def load_settings(paths: AppPaths) -> Settings:
    """The effective settings of this user on this machine."""
    return Settings(paths.settings_file, load_policy(paths.policy_file))


__all__ = [
    "THEMES",
    "AuthorSource",
    "LibraryLayout",
    "NightMode",
    "Policy",
    "PolicyError",
    "Settings",
    "Theme",
    "load_policy",
    "load_settings",
    "read_policy_file",
]
