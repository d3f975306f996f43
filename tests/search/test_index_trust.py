"""No code from a share: a prebuilt index others could have written is never opened.

Whoosh reads its table of contents with ``pickle``. Each test plants a table of
contents whose unpickling creates a marker folder (what an attacker with write
access to a share would do, manifest and checksums included) and checks
whether the marker appears.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from ecip_reader.cli import main
from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.search.builder import build_index
from ecip_reader.search.corpus import Corpus
from ecip_reader.search.manifest import WHOOSH_DIR, index_files, read_manifest
from ecip_reader.search.service import PREBUILT_DIR, SearchService, service_for
from ecip_reader.search.trust import index_trusted, trusted_folders, untrusted_reason


def run_planted_code(marker: str, segments: list[Any]) -> list[Any]:
    """What the planted pickle calls: leave a mark, then hand Whoosh the real segments."""
    os.makedirs(marker, exist_ok=True)  # Whoosh reads its table of contents more than once
    return segments


class _Payload:
    """Unpickles as the index's real segments, creating ``marker`` on the way:
    the stand-in for an attacker's code, which nobody would notice."""

    def __init__(self, marker: Path, segments: list[Any]) -> None:
        self.marker = marker
        self.segments = segments

    def __reduce__(self) -> tuple[Any, ...]:
        return (run_planted_code, (str(self.marker), self.segments))


def plant_pickle(index: Path, marker: Path) -> None:
    """Rewrite the index's table of contents to run code, and its manifest to match."""
    storage = FileStorage(str(index / WHOOSH_DIR))
    toc = TOC.read(storage, "MAIN")
    storage.delete_file(f"_MAIN_{toc.generation}.toc")
    payload: Any = _Payload(marker, toc.segments)
    TOC(toc.schema, payload, toc.generation).write(storage, "MAIN")
    manifest = read_manifest(index)
    assert manifest is not None
    manifest.index_files = index_files(index)
    manifest.save(index)


@pytest.fixture
def share(small_library: Catalogue, tmp_path: Path) -> Path:
    """A catalogued library with a prebuilt index in which a pickle waits."""
    root = small_library.root
    build_index(root / PREBUILT_DIR, Corpus(root, small_library), lock_dir=tmp_path)
    plant_pickle(root / PREBUILT_DIR, tmp_path / "code-ran")
    return root


def writable_by_others(path: Path) -> None:
    path.chmod(path.stat().st_mode | stat.S_IWGRP | stat.S_IWOTH)


def write_policy(paths: AppPaths, folders: list[Path]) -> None:
    paths.policy_file.parent.mkdir(parents=True, exist_ok=True)
    listed = ", ".join(f'"{folder}"' for folder in folders)
    paths.policy_file.write_text(f"trusted_index_folders = [{listed}]\n", encoding="utf-8")


def test_an_index_others_can_write_is_not_opened_and_one_is_built_locally(
    share: Path, small_library: Catalogue, tmp_path: Path
) -> None:
    writable_by_others(share / PREBUILT_DIR)
    service = SearchService(tmp_path / "cache", share, small_library)
    try:
        assert service.status() == "missing"  # the shared one does not count
        report = service.prepare()
        assert report is not None and report.documents == 3
        assert [hit.doc_id for hit in service.search("escalation").results] == [
            "breaking-the-cycle"
        ]
        assert (tmp_path / "cache" / "manifest.json").is_file()
    finally:
        service.close()
    assert not (tmp_path / "code-ran").exists()


def test_the_planted_code_would_run_if_the_policy_trusted_the_folder(
    share: Path, small_library: Catalogue, tmp_path: Path, app_paths: AppPaths
) -> None:
    """The attack is real: with the folder trusted, opening the index runs the pickle."""
    writable_by_others(share / PREBUILT_DIR)
    write_policy(app_paths, [share])
    assert trusted_folders(app_paths) == [share]
    service = service_for(app_paths, share, trusted_folders(app_paths))
    try:
        assert service.status() == "ready"
        assert service.search("escalation").results  # and nothing looks wrong
    finally:
        service.close()
    assert (tmp_path / "code-ran").is_dir()


def test_a_policy_file_others_can_change_trusts_nothing(
    share: Path, app_paths: AppPaths, tmp_path: Path
) -> None:
    writable_by_others(share / PREBUILT_DIR)
    write_policy(app_paths, [share])
    writable_by_others(app_paths.policy_file)
    assert trusted_folders(app_paths) == []
    service = service_for(app_paths, share, trusted_folders(app_paths))
    try:
        assert service.status() == "missing"
    finally:
        service.close()
    assert not (tmp_path / "code-ran").exists()


def test_search_from_the_command_line_builds_its_own_index_for_such_a_share(
    share: Path, tmp_path: Path, app_paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    writable_by_others(share)
    assert main(["search", "--library", str(share), "--json", "escalation"]) == 0
    assert '"doc_id": "breaking-the-cycle"' in capsys.readouterr().out
    assert not (tmp_path / "code-ran").exists()


def owned_by_someone_else(index: Path) -> str | None:
    """The reason given for ``index`` once it belongs to another user (and back to us)."""
    if os.geteuid() == 0:  # root's own files are trusted: give the folder to "nobody"
        os.chown(index, 65534, -1)
        try:
            return untrusted_reason(index)
        finally:
            os.chown(index, 0, -1)
    return untrusted_reason(index, uid=os.getuid() + 4242)  # as if another user looked


def test_what_makes_an_index_folder_untrusted(tmp_path: Path) -> None:
    index = tmp_path / "library" / "index"
    (index / "whoosh").mkdir(parents=True)
    (index / "whoosh" / "_MAIN_1.toc").write_bytes(b"toc")
    (index / "manifest.json").write_text("{}", encoding="utf-8")
    for path in (tmp_path, tmp_path / "library", index, index / "whoosh"):
        path.chmod(0o755)
    assert untrusted_reason(index) is None
    assert index_trusted(index)

    assert owned_by_someone_else(index) == f"{index} belongs to another user"

    (index / "whoosh" / "_MAIN_1.toc").chmod(0o666)
    assert (
        untrusted_reason(index)
        == f"{index / 'whoosh' / '_MAIN_1.toc'} can be changed by other users"
    )
    (index / "whoosh" / "_MAIN_1.toc").chmod(0o644)

    (tmp_path / "library").chmod(0o777)  # a folder above, with no sticky bit
    assert untrusted_reason(index) == f"{tmp_path / 'library'} can be changed by other users"
    (tmp_path / "library").chmod(0o1777)  # sticky, as /tmp: others cannot rename the index
    assert untrusted_reason(index) is None
    (tmp_path / "library").chmod(0o755)

    (index / "whoosh" / "extra.seg").symlink_to("/etc/hostname")
    assert untrusted_reason(index) == f"{index / 'whoosh' / 'extra.seg'} is a link"
    assert not index_trusted(index)
    assert index_trusted(index, trusted=[tmp_path / "library"])  # the policy says so
