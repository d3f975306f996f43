"""Memory the worker has freed goes back to the system once it is quiet (Linux, glibc)."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
from ecip_reader.pdf.process_memory import release_free_memory, resident_bytes

MB = 1024 * 1024
start = resident_bytes()
blocks = [bytes(8192) for _ in range(20_000)]  # 160 MB in blocks the C allocator hands out
keep = bytes(8192)  # allocated last: the freed blocks below it cannot shrink the heap's top
del blocks
freed = resident_bytes()
released = release_free_memory()
print((freed - start) // MB, (resident_bytes() - start) // MB, released)
"""


def test_freed_blocks_are_returned_when_released() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    ).stdout.split()
    held_after_free, held_after_release, released = int(out[0]), int(out[1]), out[2]
    assert released == "True"
    assert held_after_free > 100  # what the allocator keeps on its own
    assert held_after_release < 20
