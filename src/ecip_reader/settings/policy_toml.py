"""Reading a policy file safely, and a piece of it even when the rest is broken.

A policy file comes from outside the reader's control, so it is read with care:

* only a regular file is read (a FIFO, a device or a folder is refused without
  opening it for a blocking read), and at most :data:`MAX_BYTES` of it;
* it must be UTF-8 text (a byte-order mark is allowed), with no NUL or other
  control character;
* brackets nested deeper than :data:`MAX_DEPTH` are refused before the TOML
  parser sees them, so no recursion limit can be reached.

When the file as a whole is not valid TOML, each top-level ``key = value``
statement is parsed on its own (:func:`statements`), so one broken line costs
only its own key.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecip_reader.settings.assembly import UNREADABLE
from ecip_reader.settings.rules import control_character

MAX_BYTES = 256 * 1024
MAX_DEPTH = 8

_STATEMENT = re.compile(r"""^[ \t]*(?:([A-Za-z0-9_-]+)|"([^"\n]*)"|'([^'\n]*)')[ \t]*[=.]""")
_TOKEN = re.compile(r'"""|\'\'\'|\\.|["\'#\[\]{}\n]')
_AT = re.compile(r"\s*\(at line \d+, column \d+\)|\s*\(at end of document\)")


class UnreadableFile(Exception):
    """The file exists but cannot be used at all; the message says why in a few words."""


def read_text(path: Path) -> str:
    """The text of ``path``; raises :class:`FileNotFoundError` or :class:`UnreadableFile`."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise UnreadableFile(exc.strerror or str(exc)) from exc
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableFile("it is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableFile("it is not a regular file")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise UnreadableFile(exc.strerror or str(exc)) from exc
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced between the two looks
            raise UnreadableFile("it is not a regular file")
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_BYTES:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise UnreadableFile(exc.strerror or str(exc)) from exc
    finally:
        os.close(fd)
    if size > MAX_BYTES:
        raise UnreadableFile(f"it is larger than {MAX_BYTES // 1024} KB")
    raw = b"".join(chunks)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableFile("it is not UTF-8 text") from exc


def nesting_depth(text: str) -> int:
    """How deeply brackets and braces nest in ``text``, outside strings and comments."""
    depth = deepest = 0
    quote: str | None = None  # the delimiter of the string we are in
    comment = False
    for match in _TOKEN.finditer(text):
        token = match.group()
        if comment:
            comment = token != "\n"
        elif quote is not None:
            if token == quote or (token == "\n" and len(quote) == 1):
                quote = None
        elif token == "#":
            comment = True
        elif token in ('"""', "'''", '"', "'"):
            quote = token
        elif token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]}":
            depth = max(0, depth - 1)
    return deepest


@dataclass(frozen=True)
class Statement:
    line: int  # 1-based line where it starts
    key: str  # the top-level key it sets ("" when none could be seen)
    value: Any  # the parsed value, or UNREADABLE
    problem: str = ""  # why it could not be parsed


def _split(text: str) -> list[tuple[int, str, str]]:
    """(first line, key, text) of each top-level statement; comments and blank lines skipped."""
    pieces: list[tuple[int, str, list[str]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        found = _STATEMENT.match(line)
        if found is not None or line.startswith("["):
            key = next((g for g in found.groups() if g is not None), "") if found else ""
            pieces.append((number, key, [line]))
        elif pieces:
            pieces[-1][2].append(line)
        elif line.strip() and not line.lstrip().startswith("#"):
            pieces.append((number, "", [line]))
    return [(number, key, "\n".join(lines)) for number, key, lines in pieces]


def _parse_one(text: str) -> tuple[dict[str, Any] | None, str]:
    bad = control_character(text.replace("\t", " ").replace("\n", " ").replace("\r", " "))
    if bad is not None:
        return None, f"contains a control character ({bad})"
    if nesting_depth(text) > MAX_DEPTH:
        return None, f"nests brackets more than {MAX_DEPTH} deep"
    try:
        return tomllib.loads(text), ""
    except tomllib.TOMLDecodeError as exc:
        return None, f"is not valid TOML ({_AT.sub('', str(exc)).strip()})"
    except RecursionError:  # pragma: no cover - the depth check comes first
        return None, "nests brackets too deeply"


def statements(text: str) -> list[Statement]:
    """Every top-level setting of ``text`` with its line; a broken one costs only itself."""
    pieces = _split(text)
    whole, _problem = _parse_one(text)
    if whole is not None:
        lines: dict[str, int] = {}
        for number, key, _piece in pieces:
            lines.setdefault(key, number)
        return [Statement(lines.get(key, 0), key, value) for key, value in whole.items()]
    found: list[Statement] = []
    for number, key, piece in pieces:
        parsed, problem = _parse_one(piece)
        if parsed is None:
            found.append(Statement(number, key, UNREADABLE, problem))
            continue
        for name, value in parsed.items():
            found.append(Statement(number, name, value))
    return found
