"""``ecip-reader verify``: what an administrator's detection rule sees.

Each test points the bundled library at a copy of a small library with a
prebuilt index beside it (``ECIP_READER_LIBRARY``), damages one thing, and
checks the exit code and the line that names the problem.
"""

from __future__ import annotations

import errno
import json
import shutil
from pathlib import Path

import pytest

from ecip_reader.cli import main
from ecip_reader.install.verify import check_user_data, verify_installation
from ecip_reader.library.catalogue import CATALOGUE_FILE, load_catalogue, write_catalogue
from ecip_reader.paths import AppPaths
from tests.install.helpers import line_of, lines_of, run_verify


def test_intact_installation_passes(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_verify(capsys)
    assert code == 0, out
    assert line_of(out, "bundled library").startswith(
        "OK   bundled library: 3 documents, all hashes"
    )
    assert line_of(out, "search index").startswith("OK   search index: prebuilt, matches")
    assert line_of(out, "user data").startswith("OK   user data: writable")
    assert out.splitlines()[-1] == "installation verified: every check passed"


def test_json_report_shape(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_verify(capsys, "--json")
    report = json.loads(out)
    assert code == 0 and report["ok"] is True
    names = [check["name"] for check in report["checks"]]
    assert names == ["bundled library", "search index", "policy", "user data"]
    for check in report["checks"]:
        assert {"name", "ok", "detail"} <= set(check)
        assert isinstance(check["detail"], str) and check["detail"]


def test_changed_pdf_fails_and_is_named(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = library / "discharge-to-assess.pdf"
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0xFF
    pdf.write_bytes(bytes(data))

    code, out = run_verify(capsys)

    assert code == 1
    line = line_of(out, "bundled library")
    assert line.startswith("FAIL bundled library: 1 of 3 files changed or damaged")
    assert "discharge-to-assess.pdf" in line
    assert "perfect-week.pdf" not in line
    assert "NOT verified: 1 of 4 checks failed" in out.splitlines()[-1]


def test_missing_pdf_fails(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (library / "perfect-week.pdf").unlink()
    code, out = run_verify(capsys)
    assert code == 1
    line = line_of(out, "bundled library")
    assert line.startswith("FAIL") and "perfect-week.pdf" in line


def test_index_built_for_another_catalogue_is_stale(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalogue = load_catalogue(library)
    entries = list(catalogue.entries)
    entries[0] = entries[0].__class__(**{**entries[0].__dict__, "title": "A retitled document"})
    write_catalogue(library, entries)

    code, out = run_verify(capsys)

    assert code == 1
    assert line_of(out, "bundled library").startswith("OK")
    line = line_of(out, "search index")
    assert line.startswith("FAIL search index: prebuilt index stale (built for another catalogue)")


def test_damaged_index_fails(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = library / "index" / "pages.sqlite3"
    store.write_bytes(store.read_bytes()[:-100] + b"\0" * 100)
    code, out = run_verify(capsys)
    assert code == 1
    assert line_of(out, "search index").startswith("FAIL search index: prebuilt index damaged")


def test_no_index_at_all_says_how_to_build_one(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.rmtree(library / "index")
    code, out = run_verify(capsys)
    assert code == 1
    assert "run `ecip-reader index`" in line_of(out, "search index")

    assert main(["index"]) == 0
    capsys.readouterr()
    code, out = run_verify(capsys)
    assert code == 0, out
    assert line_of(out, "search index").startswith("OK   search index: built on this machine")


def test_missing_catalogue_fails(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (library / CATALOGUE_FILE).unlink()
    code, out = run_verify(capsys)
    assert code == 1
    assert line_of(out, "bundled library").startswith("FAIL bundled library: The library at")
    assert line_of(out, "search index").startswith("FAIL search index: not checked")


def test_data_folder_that_cannot_be_created_fails(
    library: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The tests run as root, which may write anywhere: a home folder *below a
    # regular file* cannot be created by anyone, which is a real failure.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the home folder should be")
    monkeypatch.setenv("ECIP_READER_HOME", str(blocker / "ecip"))

    code, out = run_verify(capsys)

    assert code == 1
    line = line_of(out, "user data")
    assert line.startswith("FAIL user data: not writable: a file stands where a folder should be")
    assert str(blocker / "ecip" / "data") in line and str(blocker / "ecip" / "config") in line


def test_read_only_data_folder_fails(app_paths: AppPaths) -> None:
    # Simulated: as root a read-only folder is still writable, so the write
    # probe is replaced by one that fails the way a read-only folder does.
    def read_only(folder: Path) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(folder))

    check = check_user_data(app_paths, probe=read_only)
    assert not check.ok
    assert check.line() == (
        f"FAIL user data: not writable: permission denied ({app_paths.data}, "
        f"{app_paths.cache}, {app_paths.config})"
    )


def test_write_probe_leaves_nothing_behind(app_paths: AppPaths) -> None:
    before = sorted(p.name for p in app_paths.data.iterdir())
    assert check_user_data(app_paths).ok
    assert sorted(p.name for p in app_paths.data.iterdir()) == before


def test_broken_policy_fails_verify(
    library: Path, app_paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    app_paths.policy_file.parent.mkdir(parents=True, exist_ok=True)
    app_paths.policy_file.write_text('allow_import = "no"\n', encoding="utf-8")
    code, out = run_verify(capsys)
    assert code == 1
    assert lines_of(out, "policy") == [
        f"OK   policy: {app_paths.policy_file} read; sets nothing; locks nothing",
        f"FAIL policy: {app_paths.policy_file}, line 1: 'allow_import' must be true or false, "
        "not 'no'; ignored.",
    ]


def test_policy_and_unreachable_share_are_reported(
    library: Path, app_paths: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    share = tmp_path / "share"
    share.mkdir()
    (share / "local-guide.pdf").write_bytes(b"%PDF-1.4\n")
    offline = tmp_path / "offline-share"
    app_paths.policy_file.parent.mkdir(parents=True, exist_ok=True)
    app_paths.policy_file.write_text(
        f'allow_export = false\nextra_library_folders = ["{share}", "{offline}"]\n'
        'locked = ["allow_export"]\n',
        encoding="utf-8",
    )

    code, out = run_verify(capsys)

    assert code == 0, out  # an out-of-reach share is a warning, not a failure
    assert line_of(out, "policy") == (
        f"OK   policy: {app_paths.policy_file} read; sets allow_export, "
        "extra_library_folders; locks allow_export"
    )
    assert line_of(out, f"extra library {share}").startswith(
        f"OK   extra library {share}: reachable, 1 PDF files"
    )
    assert line_of(out, f"extra library {offline}").startswith(
        f"WARN extra library {offline}: not reachable now"
    )


def test_verify_installation_api(library: Path, app_paths: AppPaths) -> None:
    report = verify_installation(app_paths)
    assert report.ok
    assert report.checks[0].name == "bundled library"
    assert report.to_json() == {
        "ok": True,
        "summary": "installation verified: every check passed",
        "problems": [],
        "warnings": [],
        "checks": [c.to_json() for c in report.checks],
    }


def test_share_with_prebuilt_index_is_checked_against_its_catalogue(
    library: Path,
    built_library: Path,
    app_paths: AppPaths,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    share = tmp_path / "share"
    shutil.copytree(built_library, share)
    app_paths.policy_file.parent.mkdir(parents=True, exist_ok=True)
    app_paths.policy_file.write_text(f'extra_library_folders = ["{share}"]\n', encoding="utf-8")

    code, out = run_verify(capsys)
    assert code == 0, out
    assert line_of(out, f"extra library {share}") == (
        f"OK   extra library {share}: reachable, 3 PDF files, with its prebuilt index"
    )

    # The share's PDFs and catalogue were updated, but its index was not rebuilt.
    catalogue = load_catalogue(share)
    write_catalogue(share, list(reversed(catalogue.entries)))
    code, out = run_verify(capsys)
    assert code == 0, out  # the reader indexes the share itself: a warning
    assert line_of(out, f"extra library {share}") == (
        f"WARN extra library {share}: reachable, 3 PDF files; its prebuilt index stale "
        "(built for another catalogue), so it is indexed on this machine"
    )
