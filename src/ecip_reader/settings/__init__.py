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


def policy_of(paths: AppPaths) -> Policy:
    """The machine-wide policy that applies to ``paths`` (never raises; see ``Policy.problems``)."""
    return load_policy(paths.policy_file, named=paths.policy_named)


def load_settings(paths: AppPaths) -> Settings:
    """The effective settings of this user on this machine."""
    return Settings(paths.settings_file, policy_of(paths))


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
    "policy_of",
    "read_policy_file",
]
