"""Running a piece of the reader as an ordinary user, whoever runs the tests.

As root, the function runs in a forked child that has given up root for
``nobody`` (so file permissions count again); as root of a user namespace of
its own (a test rerun by :mod:`tests.support.disks`) it keeps uid 0 but drops
every capability; as any other user it runs in a forked child as that user.
The child needs no interpreter of its own: it carries on with the modules
already loaded and sends back JSON. (The interpreter's own files may be out of
an ordinary user's reach, so modules the standard library loads lazily are
loaded here first.)
"""

from __future__ import annotations

import _strptime  # noqa: F401  (loaded now: the child may not be allowed to read it later)
import ctypes
import json
import os
import pwd
import select
import signal
import subprocess
import tempfile
import traceback
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ORDINARY_USER = "nobody"


def is_root() -> bool:
    return os.geteuid() == 0


@contextmanager
def shared_folder() -> Iterator[Path]:
    """A folder an ordinary user can reach and write (the tests' own are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="ecip-ordinary-"))
    folder.chmod(0o777)
    try:
        yield folder
    finally:
        subprocess.run(["rm", "-rf", str(folder)], check=False)


def _in_own_user_namespace() -> bool:
    """Whether this is root of a user namespace that maps only this user (``unshare -r``)."""
    try:
        mapping = Path("/proc/self/uid_map").read_text(encoding="ascii").split()
    except OSError:
        return False
    return mapping != ["0", "0", "4294967295"]


def _drop_capabilities() -> None:
    """Keep uid 0 but give up its powers, so that file permissions count again.

    Root of an ``unshare -r`` namespace cannot become anyone else (only its own
    uid is mapped), and for its own files it may ignore permissions as root does.
    """
    libc = ctypes.CDLL(None, use_errno=True)

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Sets(ctypes.Structure):
        _fields_ = [(name, ctypes.c_uint32) for name in ("effective", "permitted", "inheritable")]

    header = Header(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3: two sets of 32 bits each
    nothing = (Sets * 2)()
    if libc.capset(ctypes.byref(header), nothing) != 0:
        error = ctypes.get_errno()
        raise OSError(error, os.strerror(error))


def _become_ordinary() -> None:
    if not is_root():
        return
    if _in_own_user_namespace():
        _drop_capabilities()
        return
    user = pwd.getpwnam(ORDINARY_USER)
    os.setgroups([])
    os.setgid(user.pw_gid)
    os.setuid(user.pw_uid)


def run_as_ordinary_user(work: Callable[[], Any], timeout: float = 60) -> Any:
    """``work()``'s JSON-able result, computed by an ordinary user; its exception re-raised
    here as :class:`AssertionError` with the child's traceback."""
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork with threads (3.12+)
        pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        try:
            _become_ordinary()
            payload = {"ok": True, "result": work()}
        except BaseException:
            payload = {"ok": False, "error": traceback.format_exc()}
        with os.fdopen(write_end, "w") as out:
            json.dump(payload, out)
        os._exit(0)
    os.close(write_end)
    chunks: list[bytes] = []
    with os.fdopen(read_end, "rb") as pipe:
        while True:
            ready, _w, _x = select.select([pipe], [], [], timeout)
            if not ready:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                raise AssertionError(f"the ordinary user's run took more than {timeout} s")
            chunk = os.read(pipe.fileno(), 65536)
            if not chunk:
                break
            chunks.append(chunk)
    os.waitpid(pid, 0)
    payload = json.loads(b"".join(chunks) or b'{"ok": false, "error": "no answer"}')
    if not payload["ok"]:
        raise AssertionError(payload["error"])
    return payload["result"]
