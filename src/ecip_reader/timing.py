"""Process start time, so start-up can be measured from the moment the process began."""

from __future__ import annotations

import os
import sys
import time

_IMPORTED_AT = time.time()


def process_start_time() -> float:
    """Wall-clock time (``time.time()`` scale) at which this process started.

    On Linux this is read from ``/proc``; elsewhere it falls back to the moment
    this module was first imported, which is early in every entry point.
    """
    if sys.platform.startswith("linux"):
        try:
            with open("/proc/self/stat", encoding="ascii") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            start_ticks = int(fields[19])
            with open("/proc/uptime", encoding="ascii") as handle:
                uptime = float(handle.read().split()[0])
            ticks = os.sysconf("SC_CLK_TCK")
            return time.time() - uptime + start_ticks / ticks
        except (OSError, ValueError, IndexError):
            pass
    return _IMPORTED_AT


def ms_since_process_start() -> float:
    return (time.time() - process_start_time()) * 1000.0
