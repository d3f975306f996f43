"""Run a command on this machine as if some system libraries were not installed.

The folder holding the libraries is replaced, in a private mount namespace
(``unshare -rm``: no root needed, nothing outside the command sees it), by a
folder of links to everything in it but the hidden libraries. The dynamic
loader then really fails to find them, exactly as on a machine that lacks
their package.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path


def library_path(name: str, needed_by: Path) -> Path:
    """Where the loader finds ``name`` for ``needed_by`` (asked of ``ldd``)."""
    ldd = shutil.which("ldd")
    assert ldd is not None, "ldd (libc-bin) is needed for this test"
    out = subprocess.run([ldd, str(needed_by)], capture_output=True, text=True, check=True)
    for line in out.stdout.splitlines():
        parts = line.split()
        if parts and parts[0] == name and len(parts) >= 3 and parts[2].startswith("/"):
            return Path(parts[2]).resolve()
    raise AssertionError(f"{needed_by} does not load {name} on this machine:\n{out.stdout}")


def run_without(
    libraries: Mapping[str, Path],
    command: Sequence[str],
    work: Path,
    env: Mapping[str, str],
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run ``command`` with ``libraries`` (name -> a file that needs it) not installed."""
    unshare = shutil.which("unshare")
    assert unshare is not None, "util-linux's unshare is needed for this test"
    hidden = {name: library_path(name, user) for name, user in libraries.items()}
    folders = {path.parent for path in hidden.values()}
    assert len(folders) == 1, f"the libraries live in several folders: {folders}"
    (folder,) = folders
    # Every file name under which a hidden library can be loaded: the soname and its target.
    stems = {name for name in hidden} | {path.name for path in hidden.values()}
    original = work / "original"
    links = work / "links"
    original.mkdir(parents=True)
    links.mkdir()
    for entry in os.listdir(folder):
        if entry not in stems and not any(entry.startswith(stem + ".") for stem in stems):
            (links / entry).symlink_to(original / entry)
    script = 'mount --bind "$1" "$2" && mount --bind "$3" "$1" && shift 3 && exec "$@"'
    namespace = [unshare, "-rm", "sh", "-c", script, "sh", str(folder), str(original), str(links)]
    return subprocess.run(
        [*namespace, *command],
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
