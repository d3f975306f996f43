"""Hostile and mistaken policy files, as an administrator (or an attacker) might leave them.

Each :class:`PolicyCase` makes one thing at the policy path and says what the
reader must make of it: the sentence it gives (a fragment), the settings that
must end up locked, and values that must apply. The tests in
``tests/settings/test_hostile_policies.py`` read every case through the real
loader, ``verify --json`` and the window.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EVERY_KEY = frozenset(
    {
        "extra_library_folders",
        "trusted_index_folders",
        "allow_import",
        "allow_export",
        "author_source",
        "author_name",
        "theme",
    }
)
LOCKED_SAFE = {"allow_import": False, "allow_export": False, "theme": "system"}
DEPTH = 5000  # far past Python's recursion limit


@dataclass(frozen=True)
class PolicyCase:
    name: str
    make: Callable[[Path], None]  # creates the policy at the path it is given
    says: str  # a fragment of the sentence the reader gives
    locked: frozenset[str] = frozenset()  # settings that must end up locked
    values: dict[str, Any] = field(default_factory=dict)  # values that must apply
    root_ok: bool = True  # False: the case means nothing to root (permissions)


def _text(text: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.write_text(text, encoding="utf-8")

    return make


def _bytes(data: bytes) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.write_bytes(data)

    return make


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _folder(path: Path) -> None:
    path.mkdir()
    (path / "policy.toml").write_text('theme = "dark"\n', encoding="utf-8")


def _huge_author(path: Path) -> None:
    """A 100 MB policy: one author name that never ends (sparse, so it costs no disk)."""
    with path.open("wb") as handle:
        handle.write(b'theme = "dark"\nlocked = ["theme"]\nauthor_name = "')
        handle.truncate(100 * 1024 * 1024)


def _link_to_device(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _unreadable(path: Path) -> None:
    path.write_text('allow_import = false\nlocked = ["allow_import"]\n', encoding="utf-8")
    path.chmod(0)


TYPO_AMONG_LOCKS = (
    "# three locks and one typo\n"
    'theme = "dark"\n'
    "allow_imprt = true\n"
    "allow_import = false\n"
    'extra_library_folders = ["/srv/case-studies"]\n'
    'locked = ["theme", "allow_import", "extra_library_folders"]\n'
)

CASES: tuple[PolicyCase, ...] = (
    PolicyCase(
        "one typo among three locks",
        _text(TYPO_AMONG_LOCKS),
        "'allow_imprt' is not a setting a policy can set (did you mean 'allow_import'?)",
        frozenset({"theme", "allow_import", "extra_library_folders"}),
        {"theme": "dark", "allow_import": False, "extra_library_folders": ["/srv/case-studies"]},
    ),
    PolicyCase(
        "a wrong colour, locked",
        _text('theme = "purple"\nallow_import = false\nlocked = ["theme", "allow_import"]\n'),
        "'theme' must be one of system, light, dark, high-contrast, not 'purple'; "
        "it is locked at its safe value",
        frozenset({"theme", "allow_import"}),
        {"theme": "system", "allow_import": False},
    ),
    PolicyCase(
        "a capital letter",
        _text('theme = "Dark"\n'),
        "not 'Dark' (did you mean 'dark'?); ignored",
    ),
    PolicyCase(
        "an author source the reader does not know, locked",
        _text('author_source = "ldap"\nlocked = ["author_source"]\n'),
        "'author_source' must be one of os-user, fixed, not 'ldap'",
        frozenset({"author_source"}),
        {"author_source": "os-user"},
    ),
    PolicyCase(
        "numbers for folders",
        _text('extra_library_folders = [1, 2, 3]\ntheme = "dark"\n'),
        "'extra_library_folders' entry 1 must be a folder name in quotes, not 1",
        values={"theme": "dark"},
    ),
    PolicyCase(
        "a relative extra folder",
        _text('extra_library_folders = ["case-studies", "/srv/share"]\n'),
        "entry 1 'case-studies' is not a full path",
        values={"extra_library_folders": ["/srv/share"]},
    ),
    PolicyCase(
        "a yes that is text, locked",
        _text('allow_export = "no"\nlocked = ["allow_export"]\n'),
        "'allow_export' must be true or false, not 'no'; it is locked at its safe value, false",
        frozenset({"allow_export"}),
        {"allow_export": False},
    ),
    PolicyCase(
        "a broken line among good ones",
        _text('theme = "dark"\nallow_import = fals\nlocked = ["allow_import", "theme"]\n'),
        "line 2: 'allow_import' is not valid TOML",
        frozenset({"allow_import", "theme"}),
        {"theme": "dark", "allow_import": False},
    ),
    PolicyCase(
        "locked is not a list",
        _text('theme = "dark"\nallow_import = false\nlocked = "theme"\n'),
        "every setting of this policy is locked instead",
        frozenset({"theme", "allow_import"}),
        {"theme": "dark", "allow_import": False},
    ),
    PolicyCase(
        "a typo in locked",
        _text('theme = "dark"\nlocked = ["theme", "alow_export"]\n'),
        "'locked' names 'alow_export', which is not a setting a policy can set "
        "(did you mean 'allow_export'?)",
        frozenset({"theme"}),
        {"theme": "dark"},
    ),
    PolicyCase(
        "a key set twice",
        _text('allow_import = true\nallow_import = false\nlocked = ["allow_import"]\n'),
        "'allow_import' is set a second time",
        frozenset({"allow_import"}),
        {"allow_import": False},
    ),
    PolicyCase(
        "arrays nested thousands deep",
        _text(f'theme = "dark"\nlocked = ["theme"]\nauthor_name = {"[" * DEPTH}{"]" * DEPTH}\n'),
        "'author_name' nests brackets more than 8 deep",
        frozenset({"theme"}),
        {"theme": "dark"},
    ),
    PolicyCase(
        "inline tables nested thousands deep",
        _text(
            'allow_import = false\nlocked = ["allow_import"]\n'
            f"extra_library_folders = {'{a = ' * DEPTH}1{'}' * DEPTH}\n"
        ),
        "'extra_library_folders' nests brackets more than 8 deep",
        frozenset({"allow_import"}),
        {"allow_import": False},
    ),
    PolicyCase(
        "an escaped NUL in a folder",
        _text('extra_library_folders = ["/srv/a\\u0000b", "/srv/c"]\n'),
        "'extra_library_folders' entry 1 contains a control character (NUL)",
        values={"extra_library_folders": ["/srv/c"]},
    ),
    PolicyCase(
        "a raw NUL byte",
        _bytes(b'theme = "dark"\nauthor_name = "Ward\x007"\nlocked = ["theme", "author_name"]\n'),
        "line 2: 'author_name' contains a control character (NUL)",
        frozenset({"theme", "author_name"}),
        {"theme": "dark", "author_name": ""},
    ),
    PolicyCase(
        "an escape character in a name",
        _text('author_name = "Ward \\u001b[31m7"\n'),
        "'author_name' contains a control character (U+001B)",
    ),
    PolicyCase(
        "a table of its own",
        _text('theme = "dark"\n[extra]\nallow_import = false\n'),
        "'extra' is not a setting a policy can set",
        values={"theme": "dark"},
    ),
    PolicyCase(
        "a 100 MB author name",
        _huge_author,
        "(it is larger than 256 KB), so every setting it could set is locked at its safe value",
        EVERY_KEY,
        LOCKED_SAFE,
    ),
    PolicyCase(
        "a FIFO",
        _fifo,
        "it is not a regular file",
        EVERY_KEY,
        LOCKED_SAFE,
    ),
    PolicyCase(
        "a folder",
        _folder,
        "it is a folder, not a file",
        EVERY_KEY,
        LOCKED_SAFE,
    ),
    PolicyCase(
        "a link to a device",
        _link_to_device,
        "it is not a regular file",
        EVERY_KEY,
        LOCKED_SAFE,
    ),
    PolicyCase(
        "Latin-1 text",
        _bytes('author_name = "Siân"\n'.encode("latin-1")),
        "it is not UTF-8 text",
        EVERY_KEY,
        LOCKED_SAFE,
    ),
    PolicyCase(
        "UTF-16 from Notepad",
        _bytes('theme = "dark"\n'.encode("utf-16")),
        "it is not UTF-8 text",
        EVERY_KEY,
        LOCKED_SAFE,
    ),
    PolicyCase(
        "a file only its owner may read",
        _unreadable,
        "Permission denied",
        EVERY_KEY,
        LOCKED_SAFE,
        root_ok=False,
    ),
)
