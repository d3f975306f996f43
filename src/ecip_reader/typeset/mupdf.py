"""PyMuPDF for the library build, typed as ``Any`` in this one place.

PyMuPDF's functions carry no type annotations; the strict type check of the
core would flag every call. Importing the module through this alias keeps
the rest of the package strictly checked without scattering ignores.
"""

from __future__ import annotations

from typing import Any

import pymupdf as _pymupdf

pymupdf: Any = _pymupdf
