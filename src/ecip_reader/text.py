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


# Characters a terminal acts on rather than shows: C0 and C1 controls (ESC starts
# escape sequences, CR rewrites a line, BEL rings), DEL, line and paragraph
# separators, bidirectional controls that reorder what follows, and lone
# surrogates (from names that are not UTF-8), which cannot be written at all.
_TERMINAL_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED_ESCAPES.get(char)
    if named is not None:
        return named
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_text(value: object) -> str:
    """``value`` as text that is safe to print on one terminal line.

    Every character a terminal would act on (ESC, CR, LF, BEL, bidirectional
    overrides...) is shown escaped, ``\\x1b`` or ``\\u202e``, so a file name, a
    PDF title or a pack's author name can neither move the cursor, recolour the
    screen nor split a line; the bytes of a file name that is not UTF-8 are
    shown as ``\\xff``. The one sanitiser of everything the command line prints.
    """
    text = value if isinstance(value, str) else str(value)
    if text.isascii() and text.isprintable():
        return text
    return _TERMINAL_UNSAFE.sub(_escape, text)


def counted(number: int, one: str, many: str | None = None) -> str:
    """ "1 note", "3 notes": a number with the word that agrees with it."""
    return f"{number} {one if number == 1 else (many or one + 's')}"
