from __future__ import annotations

from pathlib import Path

import pytest

from ecip_reader import paths
from ecip_reader.paths import AppPaths, site_policy_file


def test_policy_is_found_in_any_listed_site_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "xdg-desktop", tmp_path / "xdg"
    monkeypatch.setenv("XDG_CONFIG_DIRS", f"{first}:{second}")
    monkeypatch.setattr(paths, "_policy_folders", paths.policy_folders)
    monkeypatch.delenv("ECIP_READER_POLICY")
    # Nothing installed yet: the first folder is where a policy would go.
    assert site_policy_file() == first / "ecip-reader" / "policy.toml"
    (second / "ecip-reader").mkdir(parents=True)
    (second / "ecip-reader" / "policy.toml").write_text('theme = "dark"\n')
    assert site_policy_file() == second / "ecip-reader" / "policy.toml"
    assert AppPaths.from_environment().policy_file == second / "ecip-reader" / "policy.toml"
