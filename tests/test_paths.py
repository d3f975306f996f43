from __future__ import annotations

from pathlib import Path

import pytest

from ecip_reader.paths import AppPaths, bundled_library_dir, install_root


def test_home_override_puts_every_user_folder_below_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ECIP_READER_HOME", str(tmp_path / "h"))
    paths = AppPaths.from_environment()
    for folder in (paths.data, paths.cache, paths.config):
        assert folder.is_relative_to(tmp_path / "h")
    assert paths.database.parent == paths.data
    assert paths.index_root.is_relative_to(paths.cache)


def test_data_dir_option_wins_over_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ECIP_READER_HOME", str(tmp_path / "env"))
    paths = AppPaths.from_environment(tmp_path / "option")
    assert paths.data == (tmp_path / "option" / "data").resolve()


def test_without_override_platform_folders_are_used(
    monkeypatch: pytest.MonkeyPatch, isolated_home: Path
) -> None:
    monkeypatch.delenv("ECIP_READER_HOME")
    paths = AppPaths.from_environment()
    # The test home redirects XDG folders, so even the defaults stay inside it.
    assert paths.data.is_relative_to(isolated_home)
    assert paths.cache.is_relative_to(isolated_home)
    assert paths.data.name == "ecip-reader"


def test_tests_never_see_the_real_home(isolated_home: Path) -> None:
    paths = AppPaths.from_environment()
    assert paths.data.is_relative_to(isolated_home)
    assert Path.home() == isolated_home


def test_policy_location_can_be_overridden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECIP_READER_POLICY", str(tmp_path / "p.toml"))
    assert AppPaths.from_environment().policy_file == tmp_path / "p.toml"
    monkeypatch.delenv("ECIP_READER_POLICY")
    assert AppPaths.from_environment().policy_file.name == "policy.toml"


def test_bundled_library_is_in_the_install_folder_unless_overridden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ECIP_READER_LIBRARY", raising=False)
    assert bundled_library_dir() == install_root() / "bundled_library"
    assert (install_root() / "resources").is_dir()
    monkeypatch.setenv("ECIP_READER_LIBRARY", str(tmp_path))
    assert bundled_library_dir() == tmp_path
