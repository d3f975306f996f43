"""Checks of the single fields of a notes pack; each failure names the field in a few words.

:mod:`ecip_reader.userdata.pack_format` builds its items from these. A failing
check raises :class:`Invalid`, which the format turns into one sentence.
"""

from __future__ import annotations

import math
import re
import uuid as uuid_module
from collections.abc import Callable
from typing import Any

from ecip_reader.userdata.models import DocumentRef, Quad, parse_iso

MAX_ITEMS = 10_000
MAX_PAGE = 100_000
MAX_QUADS = 1_000
_SURROGATE = re.compile("[\ud800-\udfff]")
_HASH = re.compile(r"^[0-9a-f]{64}$")


class Invalid(Exception):
    """A field that does not hold what the format says; the message names it."""


def text(item: dict[str, Any], key: str, limit: int, required: bool = True) -> str:
    value = item.get(key, None if required else "")
    if not isinstance(value, str):
        raise Invalid(f"{key!r} must be text")
    if len(value) > limit:
        raise Invalid(f"{key!r} is longer than {limit:,} characters")
    return value


def stamp(item: dict[str, Any], key: str) -> str:
    value = text(item, key, 64)
    try:
        parse_iso(value)
    except ValueError as exc:
        raise Invalid(f"{key!r} must be a date and time such as 2025-05-01T09:30:00Z") from exc
    return value


def is_hash(value: str) -> bool:
    """Whether ``value`` is a SHA-256 in 64 lower-case hex digits."""
    return bool(_HASH.match(value))


def page(item: dict[str, Any]) -> int:
    value = item.get("page")
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_PAGE:
        raise Invalid("'page' must be a whole number from 1")
    return value


def uuid_of(item: dict[str, Any], key: str = "uuid") -> str:
    """The UUID in ``key`` in its canonical form, or ``""`` when it is not one."""
    value = item.get(key)
    try:
        return str(uuid_module.UUID(value)) if isinstance(value, str) else ""
    except ValueError:
        return ""


def number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise Invalid("coordinates must be finite numbers")
    return float(value)


def quads(item: dict[str, Any]) -> tuple[Quad, ...]:
    value = item.get("quads", [])
    if not isinstance(value, list) or len(value) > MAX_QUADS:
        raise Invalid(f"'quads' must be a list of at most {MAX_QUADS} quads")
    found = []
    for quad in value:
        if not isinstance(quad, list) or len(quad) != 8:
            raise Invalid("each quad must be a list of 8 numbers")
        found.append(Quad(*(number(v) for v in quad)).rounded())
    return tuple(found)


def doc_of(item: dict[str, Any], documents: dict[str, DocumentRef]) -> str:
    value = item.get("doc")
    if not isinstance(value, str) or value not in documents:
        raise Invalid("'doc' must name one of the pack's documents")
    return value


def items(
    data: dict[str, Any],
    key: str,
    parse: Callable[[dict[str, Any]], Any],
    limit: int = MAX_ITEMS,
    singular: str = "",
) -> list[Any]:
    """The list ``key`` of ``data``, each entry parsed; entries need distinct UUIDs."""
    value = data.get(key, [])
    if not isinstance(value, list):
        raise Invalid(f"{key!r} must be a list")
    if len(value) > limit:
        raise Invalid(f"it holds {len(value):,} {key}; the limit is {limit:,}")
    singular = singular or key.rstrip("s")
    parsed: list[Any] = []
    seen: set[str] = set()
    for position, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            raise Invalid(f"{singular} {position} is not an object")
        try:
            record = parse(item)
            if not record.uuid:
                raise Invalid("'uuid' must be a UUID")
        except Invalid as exc:
            raise Invalid(f"{singular} {position}: {exc}") from exc
        if record.uuid in seen:
            raise Invalid(f"{singular} {position} repeats the uuid {record.uuid}")
        seen.add(record.uuid)
        parsed.append(record)
    return parsed


def broken_text_place(data: object) -> str | None:
    """Where the first string holding a lone UTF-16 surrogate is, or ``None`` if none does.

    JSON's ``\\ud800`` escapes decode to such strings, which no file, database or
    terminal can hold. The place reads like ``annotations › 2 › note``.
    """
    stack: list[tuple[object, tuple[str, ...]]] = [(data, ())]
    while stack:
        value, place = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                return " › ".join(place) or "the top level"
        elif isinstance(value, dict):
            for key, inner in reversed(list(value.items())):
                shown = _SURROGATE.sub("?", key)[:24]
                if shown != key[:24]:
                    return " › ".join((*place, shown))
                stack.append((inner, (*place, shown)))
        elif isinstance(value, list):
            numbered = list(enumerate(value, start=1))
            stack.extend((inner, (*place, str(n))) for n, inner in reversed(numbered))
    return None
