"""Which policy file applies: an administrator's policy cannot be replaced by a user's own."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ecip_reader import paths
from ecip_reader.install.verify import check_policy
from ecip_reader.paths import AppPaths


def site_policy(home: Path, text: str) -> Path:
    folder = home / "site-policy"
    folder.mkdir(exist_ok=True)
    path = folder / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_policy_named_by_the_user_applies_where_no_administrator_set_one(
    isolated_home: Path,
) -> None:
    named = AppPaths.from_environment()
    assert named.policy_file == Path(os.environ["ECIP_READER_POLICY"])
    assert named.policy_named and named.policy_override_ignored is None


def test_the_administrators_policy_wins_over_the_users_own(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = site_policy(isolated_home, 'allow_import = false\nlocked = ["allow_import"]\n')
    monkeypatch.setattr(paths, "_admin_owned", lambda path: path == admin)
    own = isolated_home / "policy" / "policy.toml"
    own.write_text("allow_import = true\n", encoding="utf-8")
    chosen = AppPaths.from_environment()
    assert chosen.policy_file == admin
    assert not chosen.policy_named
    assert chosen.policy_override_ignored == own
    checks, policy = check_policy(chosen)
    assert policy.locked == frozenset({"allow_import"})
    warning = next(c for c in checks if c.warning)
    assert "ECIP_READER_POLICY" in warning.detail and "is not read" in warning.detail


def test_a_site_policy_a_user_could_change_does_not_replace_a_named_one(
    isolated_home: Path,
) -> None:
    """A file in a policy folder the user controls is no administrator's policy."""
    site_policy(isolated_home, 'theme = "dark"\n').chmod(0o666)
    assert AppPaths.from_environment().policy_named


def test_only_a_file_and_folder_nobody_but_root_can_change_are_an_administrators(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "etc"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    policy = folder / "policy.toml"
    policy.write_text("", encoding="utf-8")
    policy.chmod(0o644)
    assert paths._admin_owned(policy) == (os.getuid() == 0)
    policy.chmod(0o664)  # a group may write it
    assert not paths._admin_owned(policy)
    policy.chmod(0o644)
    folder.chmod(0o777)  # anyone may replace it
    assert not paths._admin_owned(policy)
