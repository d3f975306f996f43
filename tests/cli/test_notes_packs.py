"""``ecip-reader notes`` with named packs and session plans, and with hostile pack files."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from ecip_reader.cli import main
from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.settings import Settings
from ecip_reader.userdata import Annotator, DocumentRef, UserDataStore
from ecip_reader.userdata.session_editing import SessionEditor


@pytest.fixture
def library(small_library: Catalogue, monkeypatch: pytest.MonkeyPatch) -> Catalogue:
    monkeypatch.setenv("ECIP_READER_LIBRARY", str(small_library.root))
    return small_library


@pytest.fixture
def planned(library: Catalogue, app_paths: AppPaths) -> str:
    """A bookmark and a session plan of three stops over the three documents of the library."""
    refs = [DocumentRef(e.sha256, e.id, e.title) for e in library]
    Settings(app_paths.settings_file).set("author_name", "Dr A. Trainer")
    with UserDataStore.open(app_paths) as store:
        annotator = Annotator(store, "Dr A. Trainer")
        annotator.add_bookmark(refs[0], 1, "Start")
        editor = SessionEditor(annotator)
        plan = editor.create("Ward 7 — session 2")
        editor.add_stop(plan.uuid, refs[0], 2, note="First\nthen")
        editor.add_stop(plan.uuid, refs[1], 1, region=(72, 90, 300, 200), label="The rota")
        editor.add_stop(plan.uuid, refs[2], 3)
        annotator.history.close()
    return plan.name


def test_a_named_pack_with_a_plan_goes_from_trainer_to_attendee(
    planned: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = tmp_path / "ward7.json"
    old = os.umask(0o022)
    try:
        args = ["notes", "export", "--format", "pack", "--name", "Ward 7 — session 2"]
        assert main([*args, "--session", planned, "-o", str(pack)]) == 0
    finally:
        os.umask(old)
    assert capsys.readouterr().out.strip() == (
        f"Wrote a notes pack of 1 notes and bookmarks and 1 session plan to {pack}."
    )
    assert stat.S_IMODE(pack.stat().st_mode) == 0o644
    other = str(tmp_path / "attendee")
    assert main(["--data-dir", other, "notes", "import", str(pack)]) == 0
    assert capsys.readouterr().out.strip() == (
        "Imported “Ward 7 — session 2” from Dr A. Trainer: 1 added; 1 session plan."
    )
    assert main(["--data-dir", other, "notes", "layers"]) == 0
    assert capsys.readouterr().out.startswith(
        "Ward 7 — session 2 by Dr A. Trainer: 0 notes, 1 bookmarks, shown (from ward7.json"
    )
    assert main(["--data-dir", other, "notes", "sessions"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Ward 7 — session 2 (from Ward 7 — session 2): 3 stops",
        "  1. Making every week a Perfect Week, p.2  — First / then",
        "  2. Discharge to Assess, p.1  The rota  [region]",
        "  3. Breaking the Cycle Together, p.3",
    ]
    assert main(["--data-dir", other, "notes", "sessions", "--json"]) == 0
    (plan,) = json.loads(capsys.readouterr().out)
    assert plan["layer"] == "Ward 7 — session 2"
    assert [(s["doc_id"], s["page"], s["region"]) for s in plan["stops"]] == [
        ("perfect-week", 2, None),
        ("discharge-to-assess", 1, [72.0, 90.0, 300.0, 200.0]),
        ("breaking-the-cycle", 3, None),
    ]


def test_an_unknown_plan_is_a_usage_error(
    planned: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "p.json"
    assert main(["notes", "export", "--format", "pack", "--session", "Nope", "-o", str(out)]) == 2
    assert capsys.readouterr().err.strip() == "ecip-reader: there is no session plan 'Nope'."
    assert not out.exists()


@pytest.mark.slow
def test_hostile_pack_files_give_one_sentence_and_never_hang(
    app_paths: AppPaths, tmp_path: Path
) -> None:
    surrogate = tmp_path / "surrogate.json"
    surrogate.write_text(
        '{"format": "ecip-notes-pack", "version": 1, "author": "\\ud800", '
        '"created": "2025-05-01T09:30:00Z", "documents": {}}',
        encoding="utf-8",
    )
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    expected = {
        surrogate: "ecip-reader: The notes pack surrogate.json is not valid: the text at author "
        "is not valid Unicode (it holds a lone surrogate).",
        fifo: "ecip-reader: The notes pack fifo.json is a named pipe, not a file; choose the "
        "pack's .json file.",
        Path("/dev/zero"): "ecip-reader: The notes pack zero is a device, not a file; choose "
        "the pack's .json file.",
    }
    for path, sentence in expected.items():
        done = subprocess.run(
            [sys.executable, "-m", "ecip_reader", "notes", "import", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
            env=os.environ,
        )
        assert (done.returncode, done.stdout, done.stderr.strip()) == (1, "", sentence)
