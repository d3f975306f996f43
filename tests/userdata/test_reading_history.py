"""Reading history: positions, recent documents and open tabs survive a restart."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from ecip_reader.errors import StorageError
from ecip_reader.paths import AppPaths
from ecip_reader.userdata.reading_history import ReadingHistory


def clock_from(start: float = 1000.0) -> Callable[[], float]:
    ticks = itertools.count()
    return lambda: start + next(ticks)


def test_position_is_restored_after_restart(app_paths: AppPaths) -> None:
    history = ReadingHistory.for_paths(app_paths)
    history.record("perfect-week", {"page": 3, "zoom": 1.5, "offset": 0.25})
    history.save()

    again = ReadingHistory.for_paths(app_paths)
    position = again.position("perfect-week")
    assert position is not None
    assert position.state() == {"page": 3, "zoom": 1.5, "offset": 0.25}
    assert again.position("never-opened") is None


def test_recent_lists_most_recently_read_first(tmp_path: Path) -> None:
    history = ReadingHistory(tmp_path / "history.json", clock=clock_from())
    for doc_id in ("a", "b", "c", "a"):
        history.record(doc_id, {"page": 1, "zoom": "fit-width", "offset": 0})
    assert history.recent() == ["a", "c", "b"]
    assert history.recent(limit=1) == ["a"]
    last_a, last_b = history.last_read("a"), history.last_read("b")
    assert last_a is not None and last_b is not None and last_a > last_b


def test_open_tabs_and_current_tab_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    history = ReadingHistory(path)
    history.set_open_tabs(["b", "a", "b"], current="a")
    history.save()
    again = ReadingHistory(path)
    assert again.open_tabs == ["b", "a"]
    assert again.current_tab == "a"


def test_current_tab_must_be_open(tmp_path: Path) -> None:
    history = ReadingHistory(tmp_path / "history.json")
    history.set_open_tabs(["a"], current="z")
    assert history.current_tab is None


def test_damaged_file_is_moved_aside_and_history_starts_empty(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    path.write_text("{ not json", encoding="utf-8")
    history = ReadingHistory(path)
    assert history.recent() == []
    assert history.load_error is not None
    assert not path.exists()
    assert (tmp_path / "history.damaged.json").read_text(encoding="utf-8") == "{ not json"
    history.record("a", {"page": 2, "zoom": "fit-page", "offset": 0})
    history.save()
    assert ReadingHistory(path).position("a") is not None


def test_malformed_entries_are_dropped_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    documents = {
        "good": {"page": 4, "zoom": "fit-page", "offset": 0.5, "last_read": 5},
        "bad-page": {"page": 0},
        "bad-zoom": {"page": 2, "zoom": "huge", "offset": "x"},
        "not-a-dict": 7,
    }
    path.write_text(
        json.dumps({"format": 1, "documents": documents, "open_tabs": ["good", 3]}),
        encoding="utf-8",
    )
    history = ReadingHistory(path)
    assert history.load_error is None
    good = history.position("good")
    assert good is not None and good.state() == {"page": 4, "zoom": "fit-page", "offset": 0.5}
    fixed = history.position("bad-zoom")
    assert fixed is not None and fixed.state() == {"page": 2, "zoom": "fit-width", "offset": 0.0}
    assert history.position("bad-page") is None
    assert history.position("not-a-dict") is None
    assert history.open_tabs == ["good"]


def test_nothing_is_written_when_nothing_changed(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    ReadingHistory(path).save()
    assert not path.exists()


def test_keep_only_forgets_documents_that_left_the_library(tmp_path: Path) -> None:
    history = ReadingHistory(tmp_path / "history.json")
    history.record("kept", {"page": 1})
    history.record("gone", {"page": 2})
    history.set_open_tabs(["gone", "kept"], current="gone")
    history.keep_only(["kept"])
    assert history.recent() == ["kept"]
    assert history.open_tabs == ["kept"]
    assert history.current_tab is None


def test_unwritable_location_gives_a_plain_sentence(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    history = ReadingHistory(blocker / "history.json")
    history.record("a", {"page": 1})
    with pytest.raises(StorageError, match="reading history"):
        history.save()
    assert history.dirty


def test_a_document_read_as_reflowed_text_comes_back_reflowed(tmp_path: Path) -> None:
    history = ReadingHistory(tmp_path / "history.json")
    history.record("flow", {"page": 3, "zoom": "fit-width", "offset": 0.0, "reflow": True})
    history.record("other", {"page": 1, "zoom": 1.5, "offset": 0.2})
    history.save()
    again = ReadingHistory(tmp_path / "history.json")
    flow, other = again.position("flow"), again.position("other")
    assert flow is not None and other is not None
    assert flow.state() == {"page": 3, "zoom": "fit-width", "offset": 0.0, "reflow": True}
    assert "reflow" not in other.state()
