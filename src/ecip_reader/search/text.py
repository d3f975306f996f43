"""Cleaning text before it is analysed: page text, queries, titles.

The result is exactly that of :func:`ecip_reader.pdf.document.clean_text` (a
test keeps the two identical), computed differently for two reasons: this
module does not import PyMuPDF (the search core also runs in the GUI process,
which must not load it), and it is about four times faster on page text, which
matters at twenty thousand pages: instead of asking for the category of every
character, it asks once for each distinct character and deletes the unwanted
ones with ``str.translate``.
"""

from __future__ import annotations

import re
import unicodedata

_TERMINAL_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-_]")
_DROPPED = ("Cc", "Cf", "Cs", "Co", "Cn")
_SPACES = re.compile(r"[ \t\r\f\v]+")


_unwanted: dict[str, bool] = {}


def _is_unwanted(char: str) -> bool:
    known = _unwanted.get(char)
    if known is None:
        known = char not in "\n\t" and unicodedata.category(char) in _DROPPED
        if len(_unwanted) < 100_000:
            _unwanted[char] = known
    return known


def normalise(value: object) -> str:
    """NFKC, no terminal escapes or control/format characters, white space folded."""
    if not isinstance(value, str):
        return ""
    text = _TERMINAL_ESCAPE.sub("", unicodedata.normalize("NFKC", value))
    if not (text.isascii() and text.isprintable()):
        remove = {ord(char): None for char in set(text) if _is_unwanted(char)}
        if remove:
            text = text.translate(remove)
    return _SPACES.sub(" ", text).strip()
