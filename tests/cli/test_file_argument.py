"""``ecip-reader [FILE]`` next to the commands: both parse."""

from __future__ import annotations

import pytest

from ecip_reader import cli
from ecip_reader.cli import build_parser, split_file


@pytest.mark.parametrize(
    ("argv", "file", "rest"),
    [
        ([], None, []),
        (["minutes.pdf"], "minutes.pdf", []),
        (["--data-dir", "d", "-v", "minutes.pdf"], "minutes.pdf", ["--data-dir", "d", "-v"]),
        (["search", "sepsis"], None, ["search", "sepsis"]),
        (["--data-dir", "search", "search", "x"], None, ["--data-dir", "search", "search", "x"]),
    ],
)
def test_file_is_taken_apart_from_commands(
    argv: list[str], file: str | None, rest: list[str]
) -> None:
    assert split_file(argv) == (file, rest)


def test_search_command_still_parses() -> None:
    _file, rest = split_file(["search", "--json", "patient flow"])
    args = build_parser().parse_args(rest)
    assert args.command == "search"


def test_window_start_gets_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[object] = []

    def fake_run_gui(paths: object, file: str | None = None) -> int:
        seen.append(file)
        return 0

    import ecip_reader.app

    monkeypatch.setattr(ecip_reader.app, "run_gui", fake_run_gui)
    assert cli.main(["handover.pdf"]) == 0
    assert seen == ["handover.pdf"]
