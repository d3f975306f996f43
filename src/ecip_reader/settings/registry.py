"""Machine-wide policy from the Windows registry (Group Policy or the MSI).

On Windows an organisation can set policy either in
``%ProgramData%\\ecip-reader\\policy.toml`` or as values under
``HKEY_LOCAL_MACHINE\\Software\\Policies\\ECIP Reader``. The registry wins for
each key it sets; locked keys from both places add up. Value types:

========================  =============  =====================================================
name                      type           example
========================  =============  =====================================================
``theme``                 REG_SZ         ``system`` / ``light`` / ``dark`` / ``high-contrast``
``allow_import``          REG_DWORD      ``0`` or ``1``
``allow_export``          REG_DWORD      ``0`` or ``1``
``extra_library_folders`` REG_MULTI_SZ   one folder per line
``trusted_index_folders`` REG_MULTI_SZ   one folder per line
``author_source``         REG_SZ         ``os-user`` or ``fixed``
``author_name``           REG_SZ         ``Ward 7 training``
``locked``                REG_MULTI_SZ   one setting name per line
========================  =============  =====================================================

On any other system :func:`with_registry` returns the policy unchanged.
"""

from __future__ import annotations

import ntpath
import sys
from collections.abc import Mapping

from ecip_reader.settings.assembly import LOCKED, UNREADABLE, Setting, assemble
from ecip_reader.settings.rules import RULES
from ecip_reader.settings.schema import Policy

POLICY_KEY = r"Software\Policies\ECIP Reader"
SOURCE = rf"HKEY_LOCAL_MACHINE\{POLICY_KEY}"

# The value types of winreg, so values can be converted (and tested) anywhere.
REG_SZ, REG_EXPAND_SZ, REG_DWORD, REG_MULTI_SZ, REG_QWORD = 1, 2, 4, 7, 11

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


def _where(name: str) -> str:
    return f"{SOURCE}, value {name!r}"


def _as_list(data: object, kind: int) -> list[object] | None:
    if kind == REG_MULTI_SZ and isinstance(data, list):
        return [item.strip() if isinstance(item, str) else item for item in data if item != ""]
    if kind in (REG_SZ, REG_EXPAND_SZ) and isinstance(data, str):
        # a single string may separate entries with semicolons
        return [item.strip() for item in data.split(";") if item.strip()]
    return None


def _convert(name: str, data: object, kind: int) -> tuple[object, str]:
    """The registry value as the policy file would hold it, or why it has the wrong type."""
    expected = RULES[name].kind if name in RULES else list
    if expected is bool:
        if kind in (REG_DWORD, REG_QWORD) and isinstance(data, int) and data in (0, 1):
            return bool(data), ""
        return UNREADABLE, "must be REG_DWORD 0 or 1"
    if expected is list:
        items = _as_list(data, kind)
        if items is None:
            return UNREADABLE, "must be REG_MULTI_SZ (one entry per line)"
        return items, ""
    if kind not in (REG_SZ, REG_EXPAND_SZ) or not isinstance(data, str):
        return UNREADABLE, "must be REG_SZ text"
    return data, ""


def policy_from_registry(values: RegistryValues) -> Policy:
    """Turn registry values into a :class:`Policy`, checked value by value like the file."""
    found: list[Setting] = []
    for name, (data, kind) in values.items():
        if name != LOCKED and name not in RULES:
            found.append(Setting(_where(name), name, data))  # reported as unknown
            continue
        value, problem = _convert(name, data, kind)
        found.append(Setting(_where(name), name, value, problem))
    # Registry values are Windows paths wherever they are checked.
    return assemble(found, is_absolute=_windows_absolute)


def _windows_absolute(folder: str) -> bool:
    expanded = ntpath.expandvars(folder)
    drive, rest = ntpath.splitdrive(expanded)
    return (bool(drive) and rest.startswith(("\\", "/"))) or expanded.startswith("\\\\")


def merge(file_policy: Policy, registry: Policy) -> Policy:
    """The registry's values win key by key; the locked keys and problems of both count."""
    return Policy(
        {**file_policy.values, **registry.values},
        file_policy.locked | registry.locked,
        file_policy.problems + registry.problems,
        file_policy.unreadable,
    )


def with_registry(policy: Policy, values: RegistryValues | None = None) -> Policy:
    """``policy`` with the registry policy applied (values are read on Windows only)."""
    registry_values = read_registry_values() if values is None else values
    if not registry_values:
        return policy
    return merge(policy, policy_from_registry(registry_values))
