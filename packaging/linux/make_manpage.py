"""Write the ecip-reader(1) manual page from the program's own ``--help``.

Runs ``PROGRAM --help`` and ``PROGRAM COMMAND --help`` for every command the
top-level help lists, turns argparse's text into roff, and adds the sections
a manual page has that ``--help`` does not (files, environment, exit status).
So the page always says what the built program says.

Usage::

    python packaging/linux/make_manpage.py PROGRAM OUTPUT.1 [--date YYYY-MM-DD]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

SECTION = re.compile(r"^([A-Za-z][\w ]*):$")


@dataclass
class Help:
    usage: str = ""
    description: list[str] = field(default_factory=list)
    sections: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    epilog: list[str] = field(default_factory=list)


def parse_help(text: str) -> Help:
    """argparse's help text -> usage, description paragraphs, item lists, epilog."""
    result = Help()
    lines = text.splitlines()
    i = 0
    if lines and lines[0].startswith("usage: "):
        usage = [lines[0][len("usage: ") :]]
        i = 1
        while i < len(lines) and lines[i].startswith(" "):
            usage.append(lines[i].strip())
            i += 1
        result.usage = " ".join(usage)
    paragraph: list[str] = []
    items: list[tuple[str, str]] | None = None
    item_indent = 0

    def end_paragraph() -> None:
        if paragraph:
            target = result.description if not result.sections else result.epilog
            target.append(" ".join(paragraph))
            paragraph.clear()

    for line in lines[i:]:
        if not line.strip():
            end_paragraph()
            if items:  # a blank line ends a list, but not the gap under its heading
                items = None
            continue
        indent = len(line) - len(line.lstrip())
        heading = SECTION.match(line)
        if heading and indent == 0:
            end_paragraph()
            items = []
            result.sections.append((heading.group(1), items))
            continue
        if items is not None and indent > 0:
            if items and indent > item_indent + 2:
                name, help_text = items[-1]
                items[-1] = (name, f"{help_text} {line.strip()}".strip())
                continue
            parts = re.split(r"\s{2,}", line.strip(), maxsplit=1)
            items.append((parts[0], parts[1] if len(parts) > 1 else ""))
            item_indent = indent
            continue
        items = None
        paragraph.append(line.strip())
    end_paragraph()
    return result


def roff(text: str) -> str:
    """Escape plain text for roff."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return re.sub(r"^([.'])", r"\\&\1", text)


def option_name(name: str) -> str:
    """``--data-dir DIR`` -> bold option names, italic placeholders."""
    words = []
    for part in name.split(", "):
        option, _, argument = part.partition(" ")
        text = f"\\fB{roff(option)}\\fR"
        if argument:
            text += f" \\fI{roff(argument)}\\fR"
        words.append(text)
    return ", ".join(words)


def items_roff(items: list[tuple[str, str]]) -> list[str]:
    out: list[str] = []
    for name, help_text in items:
        if not help_text:
            continue  # a placeholder line such as COMMAND, whose choices follow
        out += [".TP", option_name(name), roff(help_text)]
    return out


def run_help(program: str, *args: str) -> str:
    env = dict(os.environ, COLUMNS="200", QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [program, *args, "--help"], capture_output=True, text=True, env=env, check=True
    ).stdout


def commands(top: Help) -> list[str]:
    for title, items in top.sections:
        if title == "positional arguments":
            return [name for name, help_text in items if help_text and name != "FILE"]
    return []


FIXED_SECTIONS = r"""
.SH FILES
.TP
.I /etc/xdg/ecip\-reader/policy.toml
Machine\-wide policy: settings set, and optionally locked, for every user.
A commented example is in
.IR /usr/share/doc/ecip\-reader/examples/policy.toml .
.TP
.I ~/.local/share/ecip\-reader/
Notes, bookmarks, highlights, reading history, backups and the log file
.RI ( logs/ecip\-reader.log ).
.TP
.I ~/.config/ecip\-reader/
Settings.
.TP
.I ~/.cache/ecip\-reader/
Search indexes built on this computer and thumbnails; safe to delete.
.SH ENVIRONMENT
.TP
.B ECIP_READER_HOME
Keep data, cache and settings below this folder (as \fB\-\-data\-dir\fR does).
.TP
.B ECIP_READER_POLICY
Read this policy file instead of the machine\-wide one.
.TP
.B ECIP_READER_LIBRARY
Use this catalogued folder of PDFs instead of the bundled library.
.SH EXIT STATUS
0 when the command did what was asked, 1 when it ran and failed (the reason
is printed on standard error), 2 for a usage error.
"""


def manpage(program: str, date: str) -> str:
    top = parse_help(run_help(program))
    version = subprocess.run(
        [program, "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    name = Path(program).name
    summary = top.description[0].split(": ", 1)[-1].rstrip(".") if top.description else ""
    out = [
        f'.TH {name.upper()} 1 "{date}" "{roff(version)}" "User Commands"',
        ".SH NAME",
        f"{roff(name)} \\- {roff(summary)}",
        ".SH SYNOPSIS",
    ]
    for form in top.usage.split("  |  "):
        out += [roff(form.strip()), ".br"]
    out[-1:] = [".SH DESCRIPTION"]
    out += [roff(p) + "\n.PP" for p in top.description]
    out.append(
        "With no command, the reader's window opens; with PDF files it opens them too. "
        "When the reader already runs for the user, that window is raised instead."
    )
    for title, items in top.sections:
        if title == "options":
            out += [".SH OPTIONS", *items_roff(items)]
    out.append(".SH COMMANDS")
    for command in commands(top):
        sub = parse_help(run_help(program, command))
        out += [f'.SS "{roff(command)}"', roff(sub.usage), ".PP"]
        out += [roff(p) + "\n.PP" for p in sub.description]
        for _title, items in sub.sections:
            out += items_roff(items)
        out += [roff(p) + "\n.PP" for p in sub.epilog]
    out.append(FIXED_SECTIONS.strip())
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("program")
    parser.add_argument("output", type=Path)
    parser.add_argument("--date", default="", help="the date printed on the page")
    args = parser.parse_args(argv)
    date = (
        args.date
        or subprocess.run(
            ["date", "-u", "+%Y-%m-%d"], capture_output=True, text=True
        ).stdout.strip()
    )
    args.output.write_text(manpage(args.program, date), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
