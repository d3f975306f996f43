"""The manual page is made from the program's own --help and lists every command."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ecip_reader.cli import COMMANDS, build_parser
from tests.packaging.conftest import load_script

make_manpage = load_script("linux/make_manpage.py")


def test_help_text_is_taken_apart_into_usage_sections_and_items() -> None:
    text = build_parser().format_help()
    parsed = make_manpage.parse_help(text)
    assert parsed.usage.startswith("ecip-reader [OPTIONS] [FILE ...]")
    assert parsed.description[0].startswith("ECIP Case-Study Reader: read, search")
    sections = dict(parsed.sections)
    options = dict(sections["options"])
    assert "--data-dir DIR" in options
    assert "also settable with ECIP_READER_HOME" in options["--data-dir DIR"]
    assert set(COMMANDS) <= set(dict(sections["positional arguments"]))
    assert parsed.epilog == ["Exit codes: 0 success, 1 failure (reason on stderr), 2 usage error."]


def test_roff_escapes_what_roff_would_read_as_commands() -> None:
    assert make_manpage.roff(".hidden -x \\n") == "\\&.hidden \\-x \\en"
    assert make_manpage.option_name("--data-dir DIR") == "\\fB\\-\\-data\\-dir\\fR \\fIDIR\\fR"


@pytest.mark.slow
def test_the_page_documents_every_command_and_renders(tmp_path: Path) -> None:
    program = Path(sys.executable).with_name("ecip-reader")
    out = tmp_path / "ecip-reader.1"
    assert make_manpage.main([str(program), str(out), "--date", "2026-12-06"]) == 0

    page = out.read_text(encoding="utf-8")
    assert page.startswith('.TH ECIP-READER 1 "2026-12-06" "ecip\\-reader ')
    for command in COMMANDS:
        assert f'.SS "{make_manpage.roff(command)}"' in page
    assert "\\fB\\-\\-json\\fR" in page  # a command's own option
    assert ".SH ENVIRONMENT" in page and ".SH EXIT STATUS" in page
    if shutil.which("groff"):  # the page is valid roff: groff renders it without a warning
        result = subprocess.run(
            ["groff", "-man", "-Tutf8", "-ww", str(out)], capture_output=True, text=True
        )
        assert result.returncode == 0 and result.stderr == ""
