"""The command line itself: help on every command, version, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecip_reader import __version__
from ecip_reader.cli import COMMANDS, main


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main([command, "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: ecip-reader {command}")
    assert COMMANDS[command][1] in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"ecip-reader {__version__}"


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["search", "--limit", "many", "discharge"])
    assert stop.value.code == 2
    assert "invalid" in capsys.readouterr().err


def test_environment_fault_is_one_sentence_and_exit_1(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A library folder with a broken catalogue: the command fails with a plain message.
    library = tmp_path / "lib"
    library.mkdir()
    (library / "catalogue.json").write_text("{not json")
    monkeypatch.setenv("ECIP_READER_LIBRARY", str(library))
    code = main(["verify"])
    err = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in err.err + err.out
