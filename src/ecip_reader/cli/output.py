"""Writing to the terminal: every outside string escaped, JSON always valid UTF-8.

Text-mode commands pass each string that came from outside the program (file
names, PDF titles and text, notes, pack authors, error sentences) through
:func:`ecip_reader.text.terminal_text`, imported here as ``t``. JSON output goes
through :func:`json_text`.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from ecip_reader.text import terminal_text as t

__all__ = ["json_text", "safe_streams", "t"]


def json_text(value: Any, **options: Any) -> str:
    """``value`` as JSON text that can always be written as UTF-8.

    Characters are written as they are, except that a string holding a lone
    surrogate (a file name that is not UTF-8) makes the whole text fall back
    to ``\\u`` escapes, which every JSON reader decodes.
    """
    text = json.dumps(value, ensure_ascii=False, **options)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(value, ensure_ascii=True, **options)
    return text


def safe_streams() -> None:
    """Make standard output and error show what they cannot encode as escapes, never fail."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
