"""Running ``ecip-reader verify`` in the test's process and reading its lines."""

from __future__ import annotations

import pytest

from ecip_reader.cli import main


def run_verify(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    """Exit code and everything printed (the verdict goes to stderr on failure)."""
    code = main(["verify", *extra])
    captured = capsys.readouterr()
    if code == 0:
        assert captured.err == ""
    else:
        assert captured.err.startswith("installation NOT verified")
    return code, captured.out + captured.err


def line_of(output: str, name: str) -> str:
    lines = [line for line in output.splitlines() if f" {name}:" in line]
    assert len(lines) == 1, output
    return lines[0]


def lines_of(output: str, name: str) -> list[str]:
    return [line for line in output.splitlines() if f" {name}:" in line]
