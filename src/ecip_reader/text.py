"""Cleaning text that comes from a PDF or from a person before it is shown or indexed.

One cleaner serves the page text the indexer reads, metadata, outlines, link
targets and typed queries, so a query and the text it is meant to find are
always cleaned alike. This module imports neither PyMuPDF nor Qt: the search
core runs in the GUI process, which must not load PyMuPDF.

Page text is cleaned at twenty thousand pages a build, so rather than asking
for the category of every character, the cleaner asks once for each distinct
character and deletes the unwanted ones with ``str.translate``.
"""

from __future__ import annotations

import re
import unicodedata

# Terminal escape sequences ("ESC [ 2 J" clears a screen) are removed whole.
_TERMINAL_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-_]")
# Control, format (bidirectional overrides, zero-width), surrogate, private-use
# and unassigned characters.
_DROPPED = frozenset(("Cc", "Cf", "Cs", "Co", "Cn"))
_SPACES = re.compile(r"[ \t\r\f\v]+")
_MEMO_LIMIT = 100_000

_unwanted: dict[str, bool] = {}


def _is_unwanted(char: str) -> bool:
    known = _unwanted.get(char)
    if known is None:
        known = char not in "\n\t" and unicodedata.category(char) in _DROPPED
        if len(_unwanted) < _MEMO_LIMIT:
            _unwanted[char] = known
    return known


def clean_text(value: object) -> str:
    """Make a metadata, extracted or typed string safe to show and to index.

    NFKC-normalises (Arabic presentation forms, ligatures, full-width letters),
    removes terminal escape sequences, drops control, format and
    bidirectional-override characters, and folds runs of white space into one
    space (line breaks are kept). Anything that is not a string gives ``""``.
    """
    if not isinstance(value, str):
        return ""
    text = _TERMINAL_ESCAPE.sub("", unicodedata.normalize("NFKC", value))
    if not (text.isascii() and text.isprintable()):
        remove = {ord(char): None for char in set(text) if _is_unwanted(char)}
        if remove:
            text = text.translate(remove)
    return _SPACES.sub(" ", text).strip()


def counted(number: int, one: str, many: str | None = None) -> str:
    """ "1 note", "3 notes": a number with the word that agrees with it."""
    return f"{number} {one if number == 1 else (many or one + 's')}"
