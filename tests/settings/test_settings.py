from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest

from ecip_reader.errors import describe_os_error
from ecip_reader.fileio import atomic_write_text
from ecip_reader.settings import Policy, PolicyError, Settings, load_policy


def write_policy(path: Path, text: str) -> Policy:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return load_policy(path)


def test_defaults_apply_without_any_file(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    assert settings.get("theme") == "system"
    assert settings.get("allow_import") is True
    assert settings.get("extra_library_folders") == []


def test_user_choice_is_saved_and_read_back(tmp_path: Path) -> None:
    Settings(tmp_path / "s.json").set("theme", "dark")
    assert Settings(tmp_path / "s.json").get("theme") == "dark"
    saved = json.loads((tmp_path / "s.json").read_text())
    assert saved["schema"] == 1


def test_policy_presets_a_default_the_user_may_change(tmp_path: Path) -> None:
    policy = write_policy(tmp_path / "policy.toml", 'theme = "light"\n')
    settings = Settings(tmp_path / "s.json", policy)
    assert settings.get("theme") == "light"
    settings.set("theme", "dark")
    assert settings.get("theme") == "dark"


def test_locked_policy_key_cannot_be_changed(tmp_path: Path) -> None:
    policy = write_policy(
        tmp_path / "policy.toml", 'allow_import = false\nlocked = ["allow_import"]\n'
    )
    settings = Settings(tmp_path / "s.json", policy)
    assert settings.is_locked("allow_import")
    with pytest.raises(PolicyError, match="set by your organisation"):
        settings.set("allow_import", True)
    # A value saved before the lock existed does not override it either.
    (tmp_path / "s.json").write_text(json.dumps({"schema": 1, "values": {"allow_import": True}}))
    assert Settings(tmp_path / "s.json", policy).get("allow_import") is False


def test_policy_with_unknown_key_wrong_type_or_broken_line_is_reported(tmp_path: Path) -> None:
    unknown = write_policy(tmp_path / "a.toml", 'colour = "red"\n')
    assert unknown.problems == (
        f"{tmp_path / 'a.toml'}, line 1: 'colour' is not a setting a policy can set; ignored.",
    )
    wrong = write_policy(tmp_path / "b.toml", 'allow_export = "no"\n')
    assert wrong.values == {} and "must be true or false, not 'no'" in wrong.problems[0]
    broken = write_policy(tmp_path / "c.toml", "theme = \n")
    assert broken.values == {} and "line 1: 'theme' is not valid TOML" in broken.problems[0]


def test_a_huge_or_deeply_nested_settings_file_is_set_aside(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text('{"values": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert Settings(deep).load_error is not None
    huge = tmp_path / "huge.json"
    huge.write_text('{"values": {"author_name": "' + "x" * (2 << 20) + '"}}')
    settings = Settings(huge)
    assert settings.load_error is not None and settings.get("author_name") == ""


def test_damaged_settings_file_is_set_aside_and_defaults_apply(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text("{not json")
    settings = Settings(path)
    assert settings.get("theme") == "system"
    assert settings.load_error is not None
    assert (tmp_path / "s.damaged.json").exists()


def test_author_name_comes_from_policy_when_fixed(tmp_path: Path) -> None:
    policy = write_policy(
        tmp_path / "p.toml",
        'author_source = "fixed"\nauthor_name = "Ward 7 team"\n'
        'locked = ["author_source", "author_name"]\n',
    )
    assert Settings(tmp_path / "s.json", policy).author_name() == "Ward 7 team"
    assert Settings(tmp_path / "t.json").author_name()  # the operating-system user


def test_atomic_write_leaves_old_file_when_write_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "file.txt"
    atomic_write_text(target, "old")

    def boom(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("os.fsync", boom)
    with pytest.raises(OSError):
        atomic_write_text(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["file.txt"]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (errno.ENOSPC, "Cannot save your notes: the disk is full"),
        (errno.EACCES, "Cannot save your notes: permission denied"),
        (errno.EROFS, "Cannot save your notes: the folder is read-only"),
    ],
)
def test_os_errors_become_one_plain_sentence(code: int, expected: str) -> None:
    message = describe_os_error(OSError(code, "x"), "your notes")
    assert message.startswith(expected)
    assert message.endswith(".")
