"""Names, titles and authors carrying ESC, BEL, CR or LF never reach the terminal raw."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

from ecip_reader.cli import main
from ecip_reader.library.catalogue import Catalogue, write_catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.text import terminal_text
from ecip_reader.userdata import Annotator, Layer, UserDataStore
from ecip_reader.userdata.ops import PutLayer
from ecip_reader.userdata.packs import build_pack, write_pack
from tests.userdata.helpers import DOC

HOSTILE_TITLE = "Flow\r\nFAKE RESULT\x1b[2J\x07 audit"
SHOWN_TITLE = "Flow\\r\\nFAKE RESULT\\x1b[2J\\x07 audit"
RAW = ("\x1b", "\x07", "\r")


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain words", "plain words"),
        ("a\r\nb", "a\\r\\nb"),
        ("bell\x07 and escape\x1b]0;owned\x07", "bell\\x07 and escape\\x1b]0;owned\\x07"),
        ("reversed \u202eeulav", "reversed \\u202eeulav"),
        ("C1 \x9b31m", "C1 \\x9b31m"),
        (os.fsdecode(b"name-\xff\xfe.pdf"), "name-\\xff\\xfe.pdf"),
        ("Welsh dŵr and tab\there", "Welsh dŵr and tab\\there"),
    ],
)
def test_the_sanitiser_escapes_what_a_terminal_would_act_on(raw: str, shown: str) -> None:
    assert terminal_text(raw) == shown


def test_search_prints_a_hostile_title_escaped_on_one_line(
    small_library: Catalogue, app_paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    entries = [
        dataclasses.replace(e, title=HOSTILE_TITLE) if e.id == "perfect-week" else e
        for e in small_library.entries
    ]
    write_catalogue(small_library.root, entries)
    assert main(["search", "--library", str(small_library.root), "perfect", "week"]) == 0
    out = capsys.readouterr().out
    assert not any(char in out for char in RAW)
    (line,) = [line for line in out.splitlines() if "FAKE RESULT" in line]
    assert line.startswith(f"1. {SHOWN_TITLE}")


def test_index_prints_a_hostile_file_name_escaped_on_one_line(
    tmp_path: Path, app_paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "share"
    folder.mkdir()
    (folder / "rota\x1b[31m\r\nOK.pdf").write_bytes(b"")
    assert main(["index", "--library", str(folder)]) == 0
    out = capsys.readouterr().out
    assert not any(char in out for char in RAW)
    assert "  rota\\x1b[31m\\r\\nOK.pdf is not a PDF: the file is empty.\n" in out


def test_notes_layers_prints_a_hostile_author_escaped(
    app_paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    with UserDataStore.open(app_paths) as store:
        layer = Layer(1, "Mallory\x1b]0;pwned\x07\r\nAlice", "pack\x1b.json", "2025-01-01")
        store.apply([PutLayer(layer)], external=True)
    assert main(["notes", "layers"]) == 0
    out = capsys.readouterr().out
    assert not any(char in out for char in RAW)
    assert out == (
        "Mallory\\x1b]0;pwned\\x07\\r\\nAlice: 0 notes, 0 bookmarks, shown "
        "(from pack\\x1b.json, imported 2025-01-01)\n"
    )
    assert main(["notes", "layers", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["name"] == "Mallory\x1b]0;pwned\x07\r\nAlice"  # JSON keeps the data exact


def test_notes_import_never_prints_a_pack_authors_escapes_raw(
    app_paths: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with UserDataStore.open(app_paths) as store:
        Annotator(store, "Alice").add_bookmark(DOC, 2, "Flowchart")
        pack = build_pack(store, "Mallory\x1b]0;pwned\x07\r\nAlice")
    path = tmp_path / "evil\x1b[2J.ecip-notes.json"
    write_pack(pack, path)
    main(["notes", "import", str(path)])  # accepted or refused, it is said on one line
    captured = capsys.readouterr()
    printed = captured.out + captured.err
    assert not any(char in printed for char in RAW)
    assert printed.count("\n") == 1
    assert "Mallory\\x1b]0;pwned\\x07\\r\\nAlice" in printed or "evil\\x1b[2J" in printed
