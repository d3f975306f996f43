"""Protection against a reference-counting fault in one PySide6 release.

In PySide6 6.12.0, ``SignalInstance.emit()`` returns ``True`` without taking a
reference to it, so every signal emitted from Python takes one reference from
the interpreter's ``True``. After some hundreds of emits Python aborts with
"bool_dealloc: deallocating True or False". :func:`guard_signal_emit` detects
the fault with a single emit and, only when it is present, gives ``True`` a
reference count no program can use up (``True`` is a static object that is
never freed, so this is harmless; Python 3.12 and later treat it so anyway).
"""

from __future__ import annotations

import ctypes
import logging
import sys

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

_RESERVE = 1 << 40
_guarded = False


class _Probe(QObject):
    ping = Signal()


def emit_takes_a_reference() -> bool:
    """Whether emitting a signal takes a reference from ``True`` (the fault)."""
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(4):
        probe.ping.emit()
    return sys.getrefcount(True) < before - 2


def guard_signal_emit() -> bool:
    """Neutralise the fault if this PySide6 has it; returns whether it had."""
    global _guarded
    if _guarded:
        return True
    if not emit_takes_a_reference():
        return False
    refcount = ctypes.c_ssize_t.from_address(id(True))
    refcount.value += _RESERVE
    _guarded = True
    log.info("PySide6 signal emit drops references to True; guarded")
    return True
