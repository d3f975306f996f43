"""The window's log file: in the user's data folder, rotated, naming nobody."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest

from ecip_reader import __version__, cli
from ecip_reader.cli import logfile
from ecip_reader.paths import AppPaths


@pytest.fixture
def log_path(app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("LOGNAME", "jbloggs")
    path = logfile.start_log_file(app_paths)
    assert path is not None
    yield path
    logfile.stop_log_file(path)


def test_the_log_file_is_in_the_data_folder_and_starts_with_the_version(
    log_path: Path, app_paths: AppPaths
) -> None:
    assert log_path == app_paths.data / "logs" / "ecip-reader.log"
    first = log_path.read_text(encoding="utf-8").splitlines()[0]
    assert f"ecip-reader {__version__} started (Python " in first


def test_warnings_are_logged_without_the_home_folder_or_the_login_name(log_path: Path) -> None:
    private = Path.home() / "Documents" / "jbloggs appraisal.pdf"
    logging.getLogger("ecip_reader.test").warning("cannot open %s: owned by JBloggs", private)
    try:
        raise OSError(f"[Errno 13] Permission denied: '{private}'")
    except OSError:
        logging.getLogger("ecip_reader.test").exception("a bug")

    text = log_path.read_text(encoding="utf-8")
    assert "cannot open ~/Documents/<user> appraisal.pdf: owned by <user>" in text
    assert "Permission denied: '~/Documents/<user> appraisal.pdf'" in text
    assert "Traceback" in text  # the bug's traceback is there for support
    assert str(Path.home()) not in text
    assert "jbloggs" not in text.lower()


def test_the_log_file_is_rotated(log_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    handler = next(
        h for h in logging.getLogger().handlers if getattr(h, "baseFilename", "") == str(log_path)
    )
    monkeypatch.setattr(handler, "maxBytes", 4000)
    for n in range(400):
        logging.getLogger("ecip_reader.test").warning("message number %d of many", n)

    kept = sorted(p.name for p in log_path.parent.iterdir())
    assert kept == [f"ecip-reader.log{s}" for s in ("", ".1", ".2", ".3")]
    assert all(p.stat().st_size <= 4000 for p in log_path.parent.iterdir())
    assert "message number 399 of many" in log_path.read_text(encoding="utf-8")


def test_no_log_file_when_the_data_folder_cannot_be_written(tmp_path: Path) -> None:
    blocked = tmp_path / "data"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    paths = AppPaths(blocked, tmp_path / "cache", tmp_path / "config", tmp_path / "policy.toml")

    assert logfile.start_log_file(paths) is None


def test_the_window_start_logs_to_the_file_and_closes_it(
    app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fake_run_gui(paths: AppPaths, files: Sequence[str] = ()) -> int:
        logging.getLogger("ecip_reader.app").warning("the window ran")
        return 0

    import ecip_reader.app

    monkeypatch.setattr(ecip_reader.app, "run_gui", fake_run_gui)
    assert cli.main([]) == 0

    text = logfile.log_file(app_paths).read_text(encoding="utf-8")
    assert "started" in text and "WARNING ecip_reader.app: the window ran" in text
    assert not [h for h in logging.getLogger().handlers if isinstance(h, RotatingFileHandler)]
