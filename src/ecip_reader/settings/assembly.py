"""Adding up the settings found in one policy source, each checked on its own.

Used for the policy file and for the Windows registry alike. A mistaken key
is reported and ignored while the others apply; a locked key whose value is
mistaken stays locked at its safe value; when ``locked`` itself cannot be
read, every key the source sets is locked. Each mistake becomes one sentence
that says where it is and what became of the key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ecip_reader.settings.rules import (
    POLICY_KEYS,
    IsAbsolute,
    check_locked_names,
    check_value,
    default_is_absolute,
    safe_value,
    shown,
    unknown_key,
)
from ecip_reader.settings.schema import Policy

LOCKED = "locked"
UNREADABLE = object()  # the value of a setting that could not be read at all


@dataclass(frozen=True)
class Setting:
    """One key as found in a policy source, with where it was found."""

    where: str  # e.g. "/etc/xdg/ecip-reader/policy.toml, line 3"
    key: str
    value: Any  # UNREADABLE when it could not be read
    problem: str = ""  # why it could not be read


@dataclass(frozen=True)
class _Complaint:
    where: str
    text: str
    key: str | None = None  # the policy key it is about, when its fate is still to be said
    entry: bool = False  # about one entry of a list: that entry alone is ignored

    def sentence(self, locked: set[str], unusable: set[str]) -> str:
        text = self.text
        if self.key is not None and not self.entry and self.key in locked & unusable:
            value = safe_value(self.key)
            text += (
                f"; it is locked at its safe value, {'no folders' if value == [] else shown(value)}"
            )
        elif self.key is not None:
            text += "; ignored"
        return f"{self.where}: {text}."


def assemble(settings: Sequence[Setting], is_absolute: IsAbsolute = default_is_absolute) -> Policy:
    """The policy the settings of one source add up to, checked key by key."""
    complaints: list[_Complaint] = []
    values: dict[str, Any] = {}
    unusable: set[str] = set()
    seen: dict[str, str] = {}
    locked: set[str] = set()
    lock_everything = False
    for item in settings:
        key, where = item.key, item.where
        if key and key in seen:
            complaints.append(
                _Complaint(
                    where,
                    f"{key!r} is set a second time (first at {seen[key]}), so neither is used",
                    key,
                )
            )
            values.pop(key, None)
            unusable.add(key)
            lock_everything |= key == LOCKED
            continue
        seen[key] = where
        if key == LOCKED:
            if item.value is UNREADABLE or not isinstance(item.value, list):
                why = item.problem or f"must be a list of setting names, not {shown(item.value)}"
                complaints.append(
                    _Complaint(
                        where, f"'locked' {why}; every setting of this policy is locked instead"
                    )
                )
                lock_everything = True
                continue
            names, problems = check_locked_names(item.value)
            locked |= names
            complaints.extend(_Complaint(where, f"{p}; ignored") for p in problems)
        elif key not in POLICY_KEYS:
            subject = repr(key) if key else "this line"
            text = f"{subject} {item.problem}" if item.problem else unknown_key(key)
            complaints.append(_Complaint(where, f"{text}; ignored"))
        elif item.value is UNREADABLE:
            unusable.add(key)
            complaints.append(_Complaint(where, f"{key!r} {item.problem}", key))
        else:
            checked = check_value(key, item.value, is_absolute)
            if checked.usable:
                values[key] = checked.value
            else:
                unusable.add(key)
            complaints.extend(
                _Complaint(where, f"{key!r} {p}", key, entry=checked.per_entry)
                for p in checked.problems
            )
    if lock_everything:
        locked |= (set(values) | unusable) - {LOCKED}
    for key in unusable & locked:
        values[key] = safe_value(key)
    sentences = tuple(c.sentence(locked, unusable) for c in complaints)
    return Policy(values, frozenset(locked), sentences)
