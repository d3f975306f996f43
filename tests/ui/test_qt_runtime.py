"""The Qt binding itself must survive a long session of signals.

PySide6 6.12.0 on Python 3.11 loses a reference to ``True`` on every signal
emitted from Python, and the interpreter aborts once the count runs out (after
a few hundred emits). A reader emits thousands of signals while scrolling, so
the version range in pyproject.toml excludes it; this test keeps it excluded.
"""

from __future__ import annotations

import subprocess
import sys

PROGRAM = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal

class Emitter(QObject):
    changed = Signal(int)

app = QCoreApplication([])
emitter = Emitter()
seen = []
emitter.changed.connect(seen.append)
before = sys.getrefcount(True)
for i in range(20000):
    emitter.changed.emit(i)
print(len(seen), sys.getrefcount(True) - before)
"""


def test_many_signal_emits_do_not_corrupt_the_interpreter() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr[-500:]
    delivered, refcount_drift = map(int, done.stdout.split())
    assert delivered == 20000
    assert abs(refcount_drift) < 100
