"""Test set-up shared by every test.

* Qt runs offscreen; Qt warnings fail the test (``qt_log_level_fail`` in pyproject).
* Every test gets its own home: ``ECIP_READER_HOME``, ``HOME`` and the XDG folders
  point into a temporary folder, so no test can touch the real home directory;
  ``ECIP_READER_POLICY`` names an empty policy file there.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Keep Qt from looking for a session bus or accessibility bridge in tests.
os.environ.setdefault("QT_ACCESSIBILITY", "0")
os.environ.setdefault("NO_AT_BRIDGE", "1")

from ecip_reader import paths as paths_module
from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from tests.support.library import make_test_library


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("ECIP_READER_HOME", str(home / "ecip"))
    # An empty policy the tests may fill in (a named policy file must exist).
    policy = home / "policy" / "policy.toml"
    policy.parent.mkdir()
    policy.write_text("", encoding="utf-8")
    monkeypatch.setenv("ECIP_READER_POLICY", str(policy))
    # A machine this runs on may have the reader's own policy installed; the tests
    # in this process look for site policies in the isolated home instead.
    monkeypatch.setattr(paths_module, "_policy_folders", lambda: [home / "site-policy"])
    for var, sub in (
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_RUNTIME_DIR", "run"),
    ):
        folder = home / sub
        folder.mkdir(parents=True, exist_ok=True)
        if var == "XDG_RUNTIME_DIR":
            folder.chmod(0o700)
        monkeypatch.setenv(var, str(folder))
    return home


@pytest.fixture
def app_paths(isolated_home: Path) -> AppPaths:
    paths = AppPaths.from_environment()
    paths.ensure()
    return paths


@pytest.fixture
def small_library(tmp_path: Path) -> Catalogue:
    """Three small PDFs with a valid catalogue."""
    return make_test_library(tmp_path / "library")
