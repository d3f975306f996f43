"""A ring of shared memory that carries page samples from the worker to the GUI.

The GUI process creates the segment (:func:`create_segment`) and removes it
when it stops. The worker attaches to it and places each rendered page in the
ring with :class:`RingAllocator`; the GUI copies the samples out and sends a
release for that request, which frees the space again. When the ring is full
(the GUI is behind), the worker sends the samples through the pipe instead.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from multiprocessing import shared_memory

DEFAULT_RING_BYTES = 32 * 1024 * 1024


def create_segment(size: int = DEFAULT_RING_BYTES) -> shared_memory.SharedMemory:
    """A new shared-memory segment for the ring (owned by the caller)."""
    return shared_memory.SharedMemory(create=True, size=size)


def attach_segment(name: str) -> shared_memory.SharedMemory:
    """Attach to a segment made by :func:`create_segment` in another process."""
    return shared_memory.SharedMemory(name=name, create=False)


@dataclass
class _Block:
    key: int
    start: int
    end: int
    released: bool = False


class RingAllocator:
    """First-in, first-out allocation of byte ranges in a ring of ``capacity`` bytes.

    Blocks are freed by key in any order; space is reclaimed from the oldest
    block on, so a block released early waits for the older ones.
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._blocks: deque[_Block] = deque()
        self._by_key: dict[int, _Block] = {}

    def __len__(self) -> int:
        return len(self._blocks)

    def allocate(self, key: int, size: int) -> int | None:
        """The offset of ``size`` free bytes for ``key``, or ``None`` when there is no room."""
        if size <= 0 or size > self.capacity or key in self._by_key:
            return None
        start = self._find_room(size)
        if start is None:
            return None
        block = _Block(key, start, start + size)
        self._blocks.append(block)
        self._by_key[key] = block
        return start

    def release(self, key: int) -> None:
        block = self._by_key.pop(key, None)
        if block is None:
            return
        block.released = True
        while self._blocks and self._blocks[0].released:
            self._blocks.popleft()

    def _find_room(self, size: int) -> int | None:
        if not self._blocks:
            return 0
        first, last = self._blocks[0], self._blocks[-1]
        if last.start >= first.start:
            # Used bytes run from first.start to last.end without wrapping.
            if self.capacity - last.end >= size:
                return last.end
            if first.start >= size:
                return 0
            return None
        # Wrapped: used bytes are [first.start, capacity) and [0, last.end).
        if first.start - last.end >= size:
            return last.end
        return None
