"""Whether a prebuilt index in a library folder may be opened at all.

Whoosh keeps its table of contents and segment details as Python pickles, and
reading a pickle can run code. An index shipped beside a library
(``LIBRARY/index``) is therefore opened only when nobody but this user or the
administrator can have written it: the index folder, every file and folder in
it, and every folder above it must belong to this user or to root, and none may
be writable by a group or by others (a folder above may be, when its sticky
bit keeps others from renaming what is in it, as in ``/tmp``). Links inside
the index are not followed.

An organisation that shares a library folder it controls can name it in the
machine policy's ``trusted_index_folders``; an index inside a folder named
there is opened without these checks. The names are taken only from a policy
file that only root (or this user) can change; on Windows, where owners are
not seen this way, only from the policy, and otherwise only indexes inside the
installation folder are opened.

Everything else gets its own index, built locally in the user's cache as for a
plain folder of PDFs.
"""

from __future__ import annotations

import logging
import os
import stat
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from ecip_reader.paths import AppPaths, install_root
from ecip_reader.settings import PolicyError, load_policy

log = logging.getLogger(__name__)

POLICY_KEY = "trusted_index_folders"
_WRITABLE_BY_OTHERS = stat.S_IWGRP | stat.S_IWOTH
MAX_INDEX_ENTRIES = 10_000  # an index holds a few dozen files; more is not an index


def _owners(uid: int | None) -> set[int]:
    return {0, os.getuid() if uid is None else uid}


def _unsafe(info: os.stat_result, owners: set[int], above: bool) -> str | None:
    """Why an entry with status ``info`` could be changed by someone else, or None."""
    if info.st_uid not in owners:
        return "belongs to another user"
    if info.st_mode & _WRITABLE_BY_OTHERS:
        sticky = above and stat.S_ISDIR(info.st_mode) and info.st_mode & stat.S_ISVTX
        if not sticky:
            return "can be changed by other users"
    return None


def _entries(folder: Path) -> Iterable[Path]:
    """The folder and everything below it, links not followed."""
    yield folder
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        for name in (*dirnames, *filenames):
            yield Path(dirpath) / name


def untrusted_reason(folder: Path, uid: int | None = None) -> str | None:
    """Why the index in ``folder`` must not be opened, or None when only this user
    (``uid``, by default the one running) or root can have written it."""
    owners = _owners(uid)
    try:
        real = folder.resolve(strict=True)
        for count, entry in enumerate(_entries(real)):
            if count > MAX_INDEX_ENTRIES:
                return "it holds far more files than an index does"
            info = entry.lstat()
            if stat.S_ISLNK(info.st_mode):
                return f"{entry} is a link"
            why = _unsafe(info, owners, above=False)
            if why is not None:
                return f"{entry} {why}"
        for parent in real.parents:
            why = _unsafe(parent.stat(), owners, above=True)
            if why is not None:
                return f"{parent} {why}"
    except (OSError, RuntimeError) as exc:
        return f"it cannot be examined ({exc})"
    return None


def _inside(folder: Path, roots: Sequence[Path]) -> bool:
    try:
        real = folder.resolve()
    except (OSError, RuntimeError):
        return False
    for root in roots:
        try:
            if real.is_relative_to(root.resolve()):
                return True
        except (OSError, RuntimeError):
            continue
    return False


def index_trusted(folder: Path, trusted: Sequence[Path] = (), uid: int | None = None) -> bool:
    """True when the prebuilt index in ``folder`` may be opened (see the module's notes)."""
    if _inside(folder, trusted):
        return True
    if sys.platform == "win32":
        return _inside(folder, [install_root()])
    why = untrusted_reason(folder, uid)
    if why is not None:
        log.warning("the index in %s is not opened: %s; a local one is built instead", folder, why)
        return False
    return True


def trusted_folders(paths: AppPaths) -> list[Path]:
    """The folders whose prebuilt indexes the machine policy trusts.

    None when the policy cannot be read, or when its file could be changed by
    someone other than root or this user (a trust granted there means nothing).
    """
    try:
        policy = load_policy(paths.policy_file)
    except PolicyError as exc:
        log.warning("no index folder is trusted: %s", exc)
        return []
    values = policy.values.get(POLICY_KEY, [])
    folders = [Path(os.path.expanduser(v)) for v in values if isinstance(v, str) and v.strip()]
    if not folders or sys.platform == "win32":
        return folders
    why = _policy_file_problem(paths.policy_file)
    if why is not None:
        log.warning("%s in the policy is ignored: %s", POLICY_KEY, why)
        return []
    return folders


def _policy_file_problem(path: Path) -> str | None:
    owners = _owners(None)
    try:
        real = path.resolve(strict=True)
        why = _unsafe(real.stat(), owners, above=False)
        if why is not None:
            return f"{real} {why}"
        for parent in real.parents:
            why = _unsafe(parent.stat(), owners, above=True)
            if why is not None:
                return f"{parent} {why}"
    except (OSError, RuntimeError) as exc:
        return f"the policy file cannot be examined ({exc})"
    return None
