"""Calling into a PyMuPDF module from a worker process, by name.

The window must never load PyMuPDF; a process pool needs a function it can
pickle. :func:`call` is that function: it lives in a module free of PyMuPDF
and imports the module it is given only inside the worker.
"""

from __future__ import annotations

import importlib
from typing import Any


def call(module: str, function: str, *args: Any) -> Any:
    """``module.function(*args)``, the module imported where this runs."""
    return getattr(importlib.import_module(module), function)(*args)
