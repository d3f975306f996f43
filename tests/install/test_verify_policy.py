"""``verify`` tells the whole truth about the policy: every mistake in one run, and the exit code.

The policy cases come from the corpus in ``tests/support/policies.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ecip_reader.paths import AppPaths
from tests.install.helpers import line_of, lines_of, run_verify
from tests.support.policies import CASES, TYPO_AMONG_LOCKS


def write_policy(paths: AppPaths, text: str) -> None:
    paths.policy_file.write_text(text, encoding="utf-8")


def test_every_mistake_of_the_policy_is_listed_in_one_run(
    library: Path, app_paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    write_policy(
        app_paths,
        TYPO_AMONG_LOCKS + 'author_source = "ldap"\nextra_library_folders2 = ["x"]\n',
    )
    code, out = run_verify(capsys)

    assert code == 1
    policy = app_paths.policy_file
    assert lines_of(out, "policy") == [
        f"OK   policy: {policy} read; sets allow_import, extra_library_folders, theme; "
        "locks allow_import, extra_library_folders, theme",
        f"FAIL policy: {policy}, line 3: 'allow_imprt' is not a setting a policy can set "
        "(did you mean 'allow_import'?); ignored.",
        f"FAIL policy: {policy}, line 7: 'author_source' must be one of os-user, fixed, "
        "not 'ldap'; ignored.",
        f"FAIL policy: {policy}, line 8: 'extra_library_folders2' is not a setting a policy can "
        "set (did you mean 'extra_library_folders'?); ignored.",
    ]
    assert out.rstrip().endswith("installation NOT verified: 3 of 8 checks failed, and 1 warning")

    code, out = run_verify(capsys, "--json")
    report = json.loads(out[: out.rindex("}") + 1])
    assert code == 1 and report["ok"] is False
    assert [p.split(", line ")[1][:1] for p in report["problems"]] == ["3", "7", "8"]
    assert all(p.startswith(f"policy: {policy}, line ") for p in report["problems"])


def test_warnings_alone_pass_and_are_counted(
    library: Path, app_paths: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_policy(app_paths, f'extra_library_folders = ["{tmp_path / "a"}", "{tmp_path / "b"}"]\n')
    code, out = run_verify(capsys)
    assert code == 0
    assert out.rstrip().splitlines()[-1] == "installation verified: passed with 2 warnings"
    assert "every check passed" not in out

    code, out = run_verify(capsys, "--json")
    report = json.loads(out)
    assert code == 0 and report["ok"] is True and report["problems"] == []
    assert report["summary"] == "installation verified: passed with 2 warnings"
    assert [w.split(":")[0] for w in report["warnings"]] == [
        f"extra library {tmp_path / 'a'}",
        f"extra library {tmp_path / 'b'}",
    ]


def test_a_named_policy_file_that_is_missing_fails(
    library: Path, app_paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    app_paths.policy_file.unlink()
    code, out = run_verify(capsys)
    assert code == 1
    assert line_of(out, "policy") == (
        f"FAIL policy: The policy file {app_paths.policy_file} does not exist."
    )


def test_a_site_policy_that_is_absent_is_fine(
    library: Path,
    app_paths: AppPaths,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("ECIP_READER_POLICY")
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "xdg"))
    code, out = run_verify(capsys)
    assert code == 0, out
    assert line_of(out, "policy").startswith("OK   policy: no policy file at ")


def test_a_folder_where_the_policy_file_should_be_fails_and_locks_everything(
    library: Path, app_paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    app_paths.policy_file.unlink()
    app_paths.policy_file.mkdir()
    code, out = run_verify(capsys)
    assert code == 1
    assert lines_of(out, "policy") == [
        f"OK   policy: {app_paths.policy_file}: every setting is locked at its safe value",
        f"FAIL policy: The policy file {app_paths.policy_file} cannot be read (it is a folder, "
        "not a file), so every setting it could set is locked at its safe value.",
    ]


def test_a_relative_extra_folder_is_refused_not_resolved(
    library: Path,
    app_paths: AppPaths,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "case-studies").mkdir()
    monkeypatch.chdir(tmp_path)  # where a relative name would have pointed
    write_policy(app_paths, 'extra_library_folders = ["case-studies"]\n')
    code, out = run_verify(capsys)
    assert code == 1
    assert any("entry 1 'case-studies' is not a full path" in x for x in lines_of(out, "policy"))
    assert "extra library" not in out


@pytest.mark.slow
def test_hostile_policies_never_hang_or_crash_the_command(library: Path, tmp_path: Path) -> None:
    """Every case of the corpus through the real command, in a process of its own."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for number, case in enumerate(CASES):
        if not case.root_ok and os.geteuid() == 0:
            continue  # root reads any file; the ordinary-user test covers this one
        policy = tmp_path / f"case-{number}" / "policy.toml"
        policy.parent.mkdir()
        case.make(policy)
        env["ECIP_READER_POLICY"] = str(policy)
        done = subprocess.run(
            [sys.executable, "-m", "ecip_reader", "verify", "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 1, (case.name, done.stderr)
        assert "Traceback" not in done.stderr, case.name
        report = json.loads(done.stdout)
        assert any(case.says in p for p in report["problems"]), (case.name, report["problems"])
