"""What an organisation's policy may set, and the check of each value on its own.

Shared by the policy file (:mod:`.policy`) and the Windows registry
(:mod:`.registry`), so both accept exactly the same keys and values. Each key
is checked by itself: a mistake in one key is reported and that key alone is
ignored, every other key still applies. A key named in ``locked`` stays locked
even when its own value is unusable; it then takes its *safe* value, which
for a permission is "off" (the policy fails closed, never open).
"""

from __future__ import annotations

import difflib
import os
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ecip_reader.settings.schema import THEMES, AuthorSource

MAX_NAME_CHARS = 200  # author_name
MAX_FOLDER_CHARS = 4096  # one entry of extra_library_folders or trusted_index_folders
MAX_FOLDERS = 64
AUTHOR_SOURCES = tuple(s.value for s in AuthorSource)


@dataclass(frozen=True)
class Rule:
    kind: type  # bool, str or list (of folder names)
    safe: Any  # the value a locked key takes when its own value cannot be used
    choices: tuple[str, ...] = ()
    max_chars: int = MAX_NAME_CHARS


RULES: dict[str, Rule] = {
    "extra_library_folders": Rule(list, ()),
    "trusted_index_folders": Rule(list, ()),
    "allow_import": Rule(bool, False),
    "allow_export": Rule(bool, False),
    "author_source": Rule(str, AuthorSource.OS_USER.value, AUTHOR_SOURCES),
    "author_name": Rule(str, ""),
    "theme": Rule(str, THEMES[0], THEMES),
}
POLICY_KEYS = tuple(RULES)

# What each key is called where a person reads it (Help → About, ``verify``).
LABELS = {
    "extra_library_folders": "Extra library folders",
    "trusted_index_folders": "Folders whose prebuilt search index is trusted",
    "allow_import": "Adding your own PDFs",
    "allow_export": "Exporting notes",
    "author_source": "Author of your notes",
    "author_name": "Author name",
    "theme": "Theme",
}

IsAbsolute = Callable[[str], bool]


def safe_value(key: str) -> Any:
    """A fresh copy of the value ``key`` takes when it is locked but unusable."""
    value = RULES[key].safe
    return list(value) if isinstance(value, tuple) else value


def shown(value: object, limit: int = 40) -> str:
    """A short, printable picture of a value for a sentence."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = repr(value)
    elif isinstance(value, (int, float)):
        text = str(value)
    elif isinstance(value, list):
        text = "a list"
    elif isinstance(value, dict):
        text = "a table"
    else:
        text = type(value).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def control_character(text: str) -> str | None:
    """The name of the first control character in ``text`` (NUL, ESC …), if any."""
    for char in text:
        if unicodedata.category(char) == "Cc":
            code = ord(char)
            return "NUL" if code == 0 else f"U+{code:04X}"
    return None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or nothing."""
    lowered = {c.casefold(): c for c in choices}
    if word.casefold() in lowered:
        return f" (did you mean {lowered[word.casefold()]!r}?)"
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def unknown_key(key: str) -> str:
    """``'colr' is not a setting a policy can set (did you mean …?)``."""
    return f"{shown(key)} is not a setting a policy can set{did_you_mean(key, POLICY_KEYS)}"


def _text_problem(value: str, rule: Rule) -> str | None:
    bad = control_character(value)
    if bad is not None:
        return f"contains a control character ({bad})"
    if len(value) > rule.max_chars:
        return f"is longer than {rule.max_chars} characters"
    if rule.choices and value not in rule.choices:
        choices = ", ".join(rule.choices)
        return f"must be one of {choices}, not {shown(value)}{did_you_mean(value, rule.choices)}"
    return None


def default_is_absolute(folder: str) -> bool:
    expanded = os.path.expandvars(os.path.expanduser(folder))
    return os.path.isabs(expanded)


def check_folders(
    value: list[Any], is_absolute: IsAbsolute = default_is_absolute
) -> tuple[list[str], list[str]]:
    """The usable folder names of ``value`` and one complaint per unusable entry."""
    folders: list[str] = []
    problems: list[str] = []
    for number, raw in enumerate(value, start=1):
        where = f"entry {number}"
        if len(folders) >= MAX_FOLDERS:
            problems.append(f"entries from {number} on go beyond the {MAX_FOLDERS} allowed")
            break
        if not isinstance(raw, str):
            problems.append(f"{where} must be a folder name in quotes, not {shown(raw)}")
            continue
        folder = raw.strip()
        bad = control_character(folder)
        if bad is not None:
            problems.append(f"{where} contains a control character ({bad})")
        elif not folder:
            problems.append(f"{where} is empty")
        elif len(folder) > MAX_FOLDER_CHARS:
            problems.append(f"{where} is longer than {MAX_FOLDER_CHARS} characters")
        elif not is_absolute(folder):
            problems.append(f"{where} {shown(folder)} is not a full path from the root of a drive")
        else:
            folders.append(folder)
    return folders, problems


@dataclass(frozen=True)
class Checked:
    """The outcome of checking one key: the value to use (if any) and what was wrong."""

    usable: bool
    value: Any = None
    problems: tuple[str, ...] = ()
    per_entry: bool = False  # each problem is about one entry of a list, dropped alone


def check_value(key: str, value: Any, is_absolute: IsAbsolute = default_is_absolute) -> Checked:
    """Check ``value`` for the policy key ``key`` (which must be in :data:`RULES`)."""
    rule = RULES[key]
    if rule.kind is bool:
        if isinstance(value, bool):
            return Checked(True, value)
        return Checked(False, problems=(f"must be true or false, not {shown(value)}",))
    if rule.kind is list:
        if not isinstance(value, list):
            return Checked(False, problems=(f"must be a list of folders, not {shown(value)}",))
        folders, problems = check_folders(value, is_absolute)
        if problems and not folders:
            return Checked(False, problems=tuple(problems), per_entry=True)
        return Checked(True, folders, tuple(problems), per_entry=True)
    if not isinstance(value, str):
        return Checked(False, problems=(f"must be text in quotes, not {shown(value)}",))
    problem = _text_problem(value, rule)
    if problem is not None:
        return Checked(False, problems=(problem,))
    return Checked(True, value)


def check_locked_names(names: list[Any]) -> tuple[set[str], list[str]]:
    """The policy keys named in ``locked`` and one complaint per name that is not one."""
    locked: set[str] = set()
    problems: list[str] = []
    for raw in names:
        if not isinstance(raw, str):
            problems.append(f"'locked' names {shown(raw)}, which is not a setting name in quotes")
        elif control_character(raw) is not None:
            problems.append("'locked' names a setting with a control character in it")
        elif raw not in RULES:
            hint = did_you_mean(raw, POLICY_KEYS)
            problems.append(
                f"'locked' names {shown(raw)}, which is not a setting a policy can set{hint}"
            )
        else:
            locked.add(raw)
    return locked, problems
