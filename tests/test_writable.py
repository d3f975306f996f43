"""The start-up look at the user's folders: what cannot be saved, said in one sentence."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from ecip_reader.paths import AppPaths
from ecip_reader.writable import (
    CACHE,
    CONFIG,
    DATA,
    FolderProblem,
    prepare_folders,
    reason_of,
    stand_in_cache,
    unsaved_sentence,
)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (errno.ENOSPC, "the disk is full"),
        (errno.EDQUOT, "the disk is full"),
        (errno.EROFS, "the folder is read-only"),
        (errno.EACCES, "permission denied"),
        (errno.ENOTDIR, "a file stands where a folder should be"),
    ],
)
def test_reasons_are_plain_words(code: int, reason: str) -> None:
    assert reason_of(OSError(code, os.strerror(code))) == reason


def test_one_sentence_groups_the_folders_by_reason(tmp_path: Path) -> None:
    full = FolderProblem(DATA, tmp_path / "data", "the disk is full")
    locked = FolderProblem(CONFIG, tmp_path / "config", "permission denied")
    cache = FolderProblem(CACHE, tmp_path / "cache", "the disk is full")
    assert unsaved_sentence([]) is None
    assert unsaved_sentence([full, cache]) == (
        f"Your notes and reading history cannot be saved: the disk is full ({tmp_path / 'data'}); "
        "everything can still be read."
    )
    assert unsaved_sentence([full, locked]) == (
        f"Your notes and reading history cannot be saved: the disk is full ({tmp_path / 'data'}); "
        f"your settings cannot be saved: permission denied ({tmp_path / 'config'}); "
        "everything can still be read."
    )
    assert unsaved_sentence([cache]) == (
        f"Covers and search indexes cannot be saved: the disk is full ({tmp_path / 'cache'}); "
        "everything can still be read."
    )


def test_writable_folders_are_created_and_nothing_is_left_behind(app_paths: AppPaths) -> None:
    app_paths.data.rmdir()
    prepared = prepare_folders(app_paths)
    assert prepared.problems == () and prepared.sentence() is None
    assert prepared.paths == app_paths
    assert list(app_paths.data.iterdir()) == []


def test_the_stand_in_cache_is_private_and_the_same_each_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    first = stand_in_cache(Path("/home/alex/.cache/ecip-reader"))
    assert first == stand_in_cache(Path("/home/alex/.cache/ecip-reader"))
    assert first != stand_in_cache(Path("/home/sam/.cache/ecip-reader"))
    assert first.parent.stat().st_mode & 0o777 == 0o700


def test_a_stand_in_folder_others_could_enter_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    planted = tmp_path / f"ecip-reader-{os.getuid()}"
    planted.mkdir()
    planted.chmod(0o777)  # made by someone else to catch the reader's files
    with pytest.raises(PermissionError):
        stand_in_cache(Path("/home/alex/.cache/ecip-reader"))
    planted.rmdir()
    planted.symlink_to(tmp_path)  # a link to elsewhere is refused too
    with pytest.raises(PermissionError):
        stand_in_cache(Path("/home/alex/.cache/ecip-reader"))
