"""A policy file left broken, hostile or odd never stops the reader and never unlocks anything.

Every case of ``tests/support/policies.py`` goes through the real loader: it
must come back at once with one sentence about the mistake, keep every lock
the administrator meant, and leave the valid keys applied.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ecip_reader.settings import Settings, load_policy
from ecip_reader.settings.schema import default
from tests.support.policies import CASES, PolicyCase
from tests.support.users import is_root, run_as_ordinary_user, shared_folder

AS_ROOT = [case for case in CASES if case.root_ok or not is_root()]


@pytest.mark.parametrize("case", AS_ROOT, ids=[case.name for case in AS_ROOT])
def test_hostile_policy_is_reported_and_keeps_its_locks(case: PolicyCase, tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    case.make(path)

    policy = load_policy(path, named=True)

    assert any(case.says in problem for problem in policy.problems), policy.problems
    assert all(problem.endswith(".") and "\n" not in problem for problem in policy.problems)
    assert case.locked <= policy.locked
    for key, value in case.values.items():
        assert policy.values.get(key) == value, key


@pytest.mark.parametrize("case", AS_ROOT, ids=[case.name for case in AS_ROOT])
def test_users_own_settings_cannot_undo_a_lock(case: PolicyCase, tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    case.make(path)
    mine = tmp_path / "settings.json"
    wishes = {"theme": "light", "allow_import": True, "allow_export": True, "author_name": "Me"}
    mine.write_text(json.dumps({"schema": 1, "values": wishes}), encoding="utf-8")

    settings = Settings(mine, load_policy(path, named=True))

    for key in case.locked:
        # the organisation's value, or the built-in one: never the user's wish
        assert settings.get(key) == settings.policy.values.get(key, default(key)), key
        assert settings.is_locked(key)
    for key, value in case.values.items():
        assert settings.get(key) == value or key not in case.locked


def test_a_policy_only_root_may_read_locks_everything_for_an_ordinary_user() -> None:
    case = next(c for c in CASES if not c.root_ok)
    with shared_folder() as folder:
        path = folder / "policy.toml"
        case.make(path)

        def read() -> dict[str, object]:
            policy = load_policy(path)
            locked = sorted(policy.locked)
            return {"values": policy.values, "locked": locked, "problems": policy.problems}

        result = run_as_ordinary_user(read)
    assert set(result["locked"]) == case.locked
    assert result["values"]["allow_import"] is False and result["values"]["allow_export"] is False
    (problem,) = result["problems"]
    assert case.says in problem and problem.endswith("locked at its safe value.")
