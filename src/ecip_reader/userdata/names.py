"""Names that come from other people (pack authors, pack names, plan names): one clean line.

A notes pack is written by someone else's reader, or by hand. Its author and
name become a layer's name in menus, lists and terminal output, so they are
reduced to one short line of printable text: terminal escapes, control and
format characters go, line breaks and tabs become spaces, runs of spaces fold.
"""

from __future__ import annotations

import os
import unicodedata
import uuid

from ecip_reader.text import clean_text

MAX_NAME_CHARS = 120  # a layer, pack or plan name as shown in lists and menus


def clean_name(value: object, limit: int = MAX_NAME_CHARS) -> str:
    """One line of printable text, at most ``limit`` characters (cut with an ellipsis)."""
    text = " ".join(clean_text(value).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def shown_file_name(name: str) -> str:
    """A file name fit for a sentence: undecodable bytes as �, control characters escaped."""
    try:
        text = os.fsencode(name).decode("utf-8", "replace")
    except (UnicodeError, ValueError):
        text = name.encode("utf-8", "replace").decode("utf-8")
    return "".join(_escaped(c) for c in text)


def _escaped(char: str) -> str:
    if unicodedata.category(char) not in ("Cc", "Cf"):
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


# Packs from one author with one name are one pack: re-importing it updates its layer.
_PACK_NAMESPACE = uuid.UUID("3f9d3c8a-1d55-4c7e-9a57-6c1e2b0a4f21")


def pack_identity(author: str, name: str) -> str:
    """The id of the pack ``name`` by ``author`` (a pack with no name is named after its author)."""
    return str(uuid.uuid5(_PACK_NAMESPACE, f"{author}\n{name or author}"))
