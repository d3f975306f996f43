"""Real full disks and read-only folders for the tests: a small tmpfs, a read-only bind mount.

Both need the right to mount. As root the mounts are made directly; a test run
by an ordinary user calls :func:`rerun_in_own_namespace` first, which runs the
same test again as root of a user and mount namespace of its own (``unshare
-rm``), where a tmpfs can be mounted, and passes when it passed there.

Root ignores file permissions but not a read-only mount or a full tmpfs, so
what the tests see is what any user would see.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.users import is_root

REPOSITORY = Path(__file__).resolve().parents[2]


def rerun_in_own_namespace(request: pytest.FixtureRequest) -> bool:
    """``False`` as root (go on); otherwise run this test again where it may mount
    and return ``True`` once it passed there."""
    if is_root():
        return False
    # The rerun is uid 0 of its namespace, so the shared /tmp would give it the
    # folders of the machine's real root (``ecip-reader-0``), which it does not own.
    with tempfile.TemporaryDirectory(prefix="ecip-ns-") as private_tmp:
        done = subprocess.run(
            ["unshare", "-rm", sys.executable, "-m", "pytest", "-q", request.node.nodeid],
            cwd=REPOSITORY,
            env={**os.environ, "TMPDIR": private_tmp},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    return True


def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True)


def _unmount(folder: Path) -> None:
    subprocess.run(["umount", str(folder)], check=True, capture_output=True)


@contextmanager
def small_disk(size_kb: int = 600) -> Iterator[Path]:
    """A fresh tmpfs of ``size_kb`` KiB that anybody may write to."""
    folder = Path(tempfile.mkdtemp(prefix="ecip-disk-"))
    _mount("-t", "tmpfs", "-o", f"size={size_kb}k,mode=0777", "tmpfs", str(folder))
    try:
        yield folder
    finally:
        _unmount(folder)
        folder.rmdir()


def fill(disk: Path) -> Path:
    """Fill ``disk`` to the last byte; deleting the returned file frees the space again."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o666)
    try:
        for size in (65536, 4096, 1):
            block = b"\0" * size
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, block)
    finally:
        os.close(fd)
    return filler


@contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """``folder`` mounted read-only over itself: nobody, root included, can write in it."""
    folder.mkdir(parents=True, exist_ok=True)
    _mount("--bind", str(folder), str(folder))
    try:
        _mount("-o", "remount,bind,ro", str(folder), str(folder))
        yield folder
    finally:
        _unmount(folder)


def free_bytes(folder: Path) -> int:
    info = os.statvfs(folder)
    return info.f_bavail * info.f_frsize
