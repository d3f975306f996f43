"""Machine-wide policy from the Windows registry (Group Policy or the MSI).

On Windows an organisation can set policy either in
``%ProgramData%\\ecip-reader\\policy.toml`` or as values under
``HKEY_LOCAL_MACHINE\\Software\\Policies\\ECIP Reader``. The registry wins for
each key it sets; locked keys from both places add up. Value types:

========================  =============  ==================================
name                      type           example
========================  =============  ==================================
``theme``                 REG_SZ         ``light`` / ``dark`` / ``system``
``allow_import``          REG_DWORD      ``0`` or ``1``
``allow_export``          REG_DWORD      ``0`` or ``1``
``extra_library_folders`` REG_MULTI_SZ   one folder per line
``trusted_index_folders`` REG_MULTI_SZ   one folder per line
``author_source``         REG_SZ         ``os-user`` or ``fixed``
``author_name``           REG_SZ         ``Ward 7 training``
``locked``                REG_MULTI_SZ   one setting name per line
========================  =============  ==================================

On any other system :func:`with_registry` returns the policy unchanged.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from ecip_reader.settings.schema import THEMES, AuthorSource, Policy, PolicyError

POLICY_KEY = r"Software\Policies\ECIP Reader"
SOURCE = rf"HKEY_LOCAL_MACHINE\{POLICY_KEY}"

# The value types of winreg, so values can be converted (and tested) anywhere.
REG_SZ, REG_EXPAND_SZ, REG_DWORD, REG_MULTI_SZ, REG_QWORD = 1, 2, 4, 7, 11

POLICY_KEYS: dict[str, type] = {
    "theme": str,
    "allow_import": bool,
    "allow_export": bool,
    "extra_library_folders": list,
    "trusted_index_folders": list,
    "author_source": str,
    "author_name": str,
}
AUTHOR_SOURCES = tuple(s.value for s in AuthorSource)

RegistryValues = Mapping[str, tuple[object, int]]


def read_registry_values() -> dict[str, tuple[object, int]]:
    """Every value under the policy key as ``name -> (data, type)``; empty when absent."""
    if sys.platform != "win32":
        return {}
    import winreg

    values: dict[str, tuple[object, int]] = {}
    try:
        key = winreg.OpenKey(
            winreg.HKEY_LOCAL_MACHINE, POLICY_KEY, 0, winreg.KEY_READ | winreg.KEY_WOW64_64KEY
        )
    except OSError:
        return values
    with key:
        index = 0
        while True:
            try:
                name, data, kind = winreg.EnumValue(key, index)
            except OSError:
                break
            values[name] = (data, kind)
            index += 1
    return values


def _fail(name: str, why: str) -> PolicyError:
    return PolicyError(f"{SOURCE}: value {name!r} {why}.")


def _as_list(name: str, data: object, kind: int) -> list[str]:
    if kind == REG_MULTI_SZ and isinstance(data, list):
        return [str(item).strip() for item in data if str(item).strip()]
    if kind in (REG_SZ, REG_EXPAND_SZ) and isinstance(data, str):
        # a single string may separate entries with semicolons
        return [item.strip() for item in data.split(";") if item.strip()]
    raise _fail(name, "must be REG_MULTI_SZ (one entry per line)")


def _convert(name: str, data: object, kind: int) -> Any:
    expected = POLICY_KEYS[name]
    if expected is bool:
        if kind in (REG_DWORD, REG_QWORD) and isinstance(data, int) and data in (0, 1):
            return bool(data)
        raise _fail(name, "must be REG_DWORD 0 or 1")
    if expected is list:
        return _as_list(name, data, kind)
    if kind not in (REG_SZ, REG_EXPAND_SZ) or not isinstance(data, str):
        raise _fail(name, "must be REG_SZ text")
    if name == "theme" and data not in THEMES:
        raise _fail(name, f"must be one of {', '.join(THEMES)}")
    if name == "author_source" and data not in AUTHOR_SOURCES:
        raise _fail(name, f"must be one of {', '.join(AUTHOR_SOURCES)}")
    return data


def policy_from_registry(values: RegistryValues) -> Policy:
    """Turn registry values into a :class:`Policy`; raises :class:`PolicyError` on a bad value."""
    settings: dict[str, Any] = {}
    locked: frozenset[str] = frozenset()
    for name, (data, kind) in values.items():
        if name == "locked":
            names = _as_list(name, data, kind)
            unknown = [n for n in names if n not in POLICY_KEYS]
            if unknown:
                raise _fail(name, f"names unknown settings: {', '.join(unknown)}")
            locked = frozenset(names)
        elif name in POLICY_KEYS:
            settings[name] = _convert(name, data, kind)
        else:
            raise _fail(name, "is not a setting the reader knows")
    return Policy(settings, locked)


def merge(file_policy: Policy, registry: Policy) -> Policy:
    """The registry's values win key by key; the locked keys of both apply."""
    return Policy({**file_policy.values, **registry.values}, file_policy.locked | registry.locked)


def with_registry(policy: Policy, values: RegistryValues | None = None) -> Policy:
    """``policy`` with the registry policy applied (values are read on Windows only)."""
    registry_values = read_registry_values() if values is None else values
    if not registry_values:
        return policy
    return merge(policy, policy_from_registry(registry_values))
