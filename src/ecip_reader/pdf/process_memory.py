"""How much memory this process holds, and handing freed memory back to the system.

The render worker frees most of what a page or a find needed as soon as it is
done, but the C allocator keeps the freed blocks for later: after a find
through 2,000 pages the worker held about 100 MB it no longer used. On Linux
with glibc, :func:`release_free_memory` returns them; elsewhere it does nothing
(the allocators of Windows and macOS give large blocks back on their own).
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
from collections.abc import Callable
from functools import cache

log = logging.getLogger(__name__)


def resident_bytes() -> int:
    """Resident memory of this process (Linux), or 0 where it cannot be read."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim = ctypes.CDLL(None).malloc_trim  # glibc only; musl has no such call
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def release_free_memory() -> bool:
    """Give the memory the C allocator holds free back to the system; whether it could."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
