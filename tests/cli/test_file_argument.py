"""``ecip-reader [FILE ...]`` next to the commands: both parse."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from ecip_reader import cli
from ecip_reader.cli import build_parser, split_files


@pytest.mark.parametrize(
    ("argv", "files", "rest"),
    [
        ([], [], []),
        (["minutes.pdf"], ["minutes.pdf"], []),
        (["--data-dir", "d", "-v", "minutes.pdf"], ["minutes.pdf"], ["--data-dir", "d", "-v"]),
        (["a.pdf", "-v", "b c.pdf"], ["a.pdf", "b c.pdf"], ["-v"]),
        (["--", "-odd.pdf"], ["-odd.pdf"], []),
        (["search", "sepsis"], [], ["search", "sepsis"]),
        (["--data-dir", "search", "search", "x"], [], ["--data-dir", "search", "search", "x"]),
    ],
)
def test_files_are_taken_apart_from_commands(
    argv: list[str], files: list[str], rest: list[str]
) -> None:
    assert split_files(argv) == (files, rest)


def test_search_command_still_parses() -> None:
    _files, rest = split_files(["search", "--json", "patient flow"])
    args = build_parser().parse_args(rest)
    assert args.command == "search"


def test_window_start_gets_every_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The desktop entry's ``%F`` passes every chosen file: all of them open."""
    seen: list[object] = []

    def fake_run_gui(paths: object, files: Sequence[str] = ()) -> int:
        seen.append(list(files))
        return 0

    import ecip_reader.app

    monkeypatch.setattr(ecip_reader.app, "run_gui", fake_run_gui)
    assert cli.main(["--data-dir", str(tmp_path), "handover.pdf", "triage.pdf"]) == 0
    assert seen == [["handover.pdf", "triage.pdf"]]


def test_a_command_after_a_file_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli.main(["handover.pdf", "verify"])
    assert stopped.value.code == 2
    assert "a command cannot follow a file: handover.pdf" in capsys.readouterr().err
