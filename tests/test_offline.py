"""The offline promise: no command opens a network connection, ever.

Each command runs in a child process whose ``sitecustomize`` (see
``tests/support/netguard``) makes any socket other than AF_UNIX, and any name
look-up, fail and write a record. Worker processes inherit the guard. On Linux
the same commands also run inside a new network namespace with no network at
all (``unshare -rn``), which catches connections attempted from C++ code that
the Python guard cannot see; they must behave the same there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ecip_reader.library.catalogue import Catalogue

GUARD = Path(__file__).parent / "support" / "netguard"


def guarded_env(home: Path, library: Path, log: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PYTHONPATH=os.pathsep.join([str(GUARD), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        ECIP_NETGUARD_LOG=str(log),
        ECIP_READER_HOME=str(home),
        ECIP_READER_LIBRARY=str(library),
        QT_QPA_PLATFORM="offscreen",
        HOME=str(home),
    )
    return env


def commands(tmp: Path) -> list[tuple[str, list[str]]]:
    return [
        ("index", ["index", "--json"]),
        ("search", ["search", "--json", "discharge"]),
        ("self-test", ["self-test", "--json"]),
        ("export", ["notes", "export", "--format", "md", "-o", str(tmp / "notes.md")]),
    ]


def run_all(
    prefix: list[str], tmp: Path, library: Path
) -> dict[str, subprocess.CompletedProcess[str]]:
    tmp.mkdir(parents=True, exist_ok=True)
    log = tmp / "network.log"
    env = guarded_env(tmp / "home", library, log)
    results = {}
    for name, args in commands(tmp):
        results[name] = subprocess.run(
            [*prefix, sys.executable, "-m", "ecip_reader", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    return results


def test_the_guard_itself_blocks_a_connection(tmp_path: Path) -> None:
    log = tmp_path / "network.log"
    env = guarded_env(tmp_path, tmp_path, log)
    code = (
        "import socket\n"
        "try:\n"
        "    socket.socket(socket.AF_INET).connect(('127.0.0.1', 9))\n"
        "except OSError as e:\n"
        "    print(type(e).__name__)\n"
    )
    command = [sys.executable, "-c", code]
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "NetworkBlocked"
    assert "socket(family=" in log.read_text()


@pytest.mark.slow
def test_commands_make_no_network_connection(tmp_path: Path, small_library: Catalogue) -> None:
    results = run_all([], tmp_path, small_library.root)
    for name, done in results.items():
        assert done.returncode == 0, f"{name} failed: {done.stderr[-2000:]}"
    log = tmp_path / "network.log"
    assert not log.exists(), log.read_text()
    assert json.loads(results["self-test"].stdout)["ok"] is True
    hits = json.loads(results["search"].stdout)
    assert hits["results"][0]["doc_id"] == "discharge-to-assess"


@pytest.mark.slow
def test_commands_behave_the_same_without_any_network(
    tmp_path: Path, small_library: Catalogue
) -> None:
    unshare = shutil.which("unshare")
    assert unshare is not None, "util-linux's unshare is needed for this test"
    probe = subprocess.run([unshare, "-rn", "true"], capture_output=True, check=False)
    assert probe.returncode == 0, f"cannot create a network namespace: {probe.stderr!r}"
    inside = run_all([unshare, "-rn"], tmp_path / "inside", small_library.root)
    outside = run_all([], tmp_path / "outside", small_library.root)
    for name in inside:
        assert inside[name].returncode == outside[name].returncode == 0, inside[name].stderr[-2000:]
    docs_inside = [r["doc_id"] for r in json.loads(inside["search"].stdout)["results"]]
    docs_outside = [r["doc_id"] for r in json.loads(outside["search"].stdout)["results"]]
    assert docs_inside == docs_outside
