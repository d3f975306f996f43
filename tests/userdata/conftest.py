"""Fixtures for the user-data tests: an open store and an annotator."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ecip_reader.paths import AppPaths
from ecip_reader.userdata import Annotator
from ecip_reader.userdata.store import UserDataStore


@pytest.fixture
def store(app_paths: AppPaths) -> Iterator[UserDataStore]:
    opened = UserDataStore.open(app_paths)
    assert opened.read_only_reason is None
    yield opened
    opened.close()


@pytest.fixture
def annotator(store: UserDataStore) -> Iterator[Annotator]:
    editor = Annotator(store, "Alice Example")
    yield editor
    editor.history.close()
