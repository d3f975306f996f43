"""My documents: the list of the user's own PDFs, kept where they are."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from ecip_reader.library import my_documents as user_library
from ecip_reader.library.folders import IMPORT_OFF_MESSAGE, ImportNotAllowed
from ecip_reader.library.my_documents import CHANGED, MISSING, OK, UserLibrary
from ecip_reader.paths import AppPaths
from ecip_reader.settings import Policy, Settings
from tests.support.badfiles import write_good_pdf


def settings(paths: AppPaths, **policy: object) -> Settings:
    return Settings(paths.settings_file, Policy(dict(policy)))


def test_added_files_are_recorded_not_copied(app_paths: AppPaths, tmp_path: Path) -> None:
    pdf = write_good_pdf(tmp_path / "docs" / "audit.pdf", ["kestrel"]).path
    library = UserLibrary.for_paths(app_paths)
    result = library.add_files([pdf], settings(app_paths))
    assert [d.path for d in result.added] == [pdf]
    saved = json.loads(library.path.read_text(encoding="utf-8"))
    assert saved["documents"][0]["path"] == str(pdf)
    assert len(saved["documents"][0]["sha256"]) == 64
    assert not list(app_paths.data.rglob("*.pdf"))
    again = library.add_files([pdf], settings(app_paths))
    assert again.already == [pdf] and not again.added


def test_missing_and_changed_files_stay_listed(app_paths: AppPaths, tmp_path: Path) -> None:
    one = write_good_pdf(tmp_path / "one.pdf", ["alpha"]).path
    two = write_good_pdf(tmp_path / "two.pdf", ["beta"]).path
    library = UserLibrary.for_paths(app_paths)
    library.add_files([one, two], settings(app_paths))
    one.unlink()
    two.write_bytes(two.read_bytes() + b"\n% edited\n")
    reloaded = UserLibrary.for_paths(app_paths)
    states = {d.path.name: d.state() for d in reloaded.documents()}
    assert states == {"one.pdf": MISSING, "two.pdf": CHANGED}


def test_folder_is_remembered_and_rescanned(app_paths: AppPaths, tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    write_good_pdf(folder / "a.pdf", ["gamma"])
    library = UserLibrary.for_paths(app_paths)
    library.add_folder(folder, settings(app_paths))
    write_good_pdf(folder / "sub" / "b.pdf", ["delta"])
    found = UserLibrary.for_paths(app_paths).rescan(settings(app_paths))
    assert [d.path.name for d in found.added] == ["b.pdf"]
    assert all(d.state() == OK for d in UserLibrary.for_paths(app_paths).documents())


def test_unreadable_file_gives_one_sentence(app_paths: AppPaths, tmp_path: Path) -> None:
    result = UserLibrary.for_paths(app_paths).add_files(
        [tmp_path / "gone.pdf"], settings(app_paths)
    )
    assert result.problems == ["gone.pdf could not be added: the file does not exist."]


def test_policy_refuses_adding(app_paths: AppPaths, tmp_path: Path) -> None:
    pdf = write_good_pdf(tmp_path / "x.pdf", ["epsilon"]).path
    library = UserLibrary.for_paths(app_paths)
    with pytest.raises(ImportNotAllowed, match=IMPORT_OFF_MESSAGE):
        library.add_files([pdf], settings(app_paths, allow_import=False))
    assert not library.path.exists()


def test_adds_from_two_threads_run_one_at_a_time_and_keep_every_file(
    app_paths: AppPaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    firsts = [write_good_pdf(tmp_path / "a" / f"a{i}.pdf", ["alpha"]).path for i in range(4)]
    seconds = [write_good_pdf(tmp_path / "b" / f"b{i}.pdf", ["beta"]).path for i in range(4)]
    library = UserLibrary.for_paths(app_paths)
    hashing: list[str] = []  # which add each hash belongs to, in order
    started = threading.Event()
    release = threading.Event()
    real_hash = user_library.sha256_file

    def slow_hash(path: Path) -> str:
        hashing.append(path.parent.name)
        started.set()
        release.wait(10)
        return real_hash(path)

    monkeypatch.setattr(user_library, "sha256_file", slow_hash)
    allowed = settings(app_paths)
    adds = [
        threading.Thread(target=library.add_files, args=(files, allowed))
        for files in (firsts, seconds)
    ]
    adds[0].start()
    assert started.wait(10)
    adds[1].start()
    # reading the list never waits for a file being hashed
    assert library.documents() == []
    release.set()
    for add in adds:
        add.join(10)
    assert hashing == ["a"] * 4 + ["b"] * 4, "the second add waited for the first"
    saved = json.loads(library.path.read_text(encoding="utf-8"))
    assert sorted(Path(d["path"]) for d in saved["documents"]) == sorted(firsts + seconds)
    assert {d.path for d in UserLibrary.for_paths(app_paths).documents()} == {*firsts, *seconds}
