"""The machine-wide policy as IT deploys it: a file in the site configuration
folder (and, on Windows, the policy registry key) that every user's reader obeys.

The policy file is found where ``AppPaths`` says (the tests point
``ECIP_READER_POLICY`` into their own home); the Windows registry is replaced
by the values a registry read would return.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.library.folders import (
    BUNDLED,
    IMPORT_OFF_MESSAGE,
    ORGANISATION,
    ImportNotAllowed,
    ensure_import_allowed,
    library_folders,
)
from ecip_reader.paths import AppPaths
from ecip_reader.search.builder import build_index
from ecip_reader.search.corpus import Corpus
from ecip_reader.search.service import service_for
from ecip_reader.settings import Policy, PolicyError, Settings, load_settings
from ecip_reader.settings.registry import (
    REG_DWORD,
    REG_MULTI_SZ,
    REG_SZ,
    policy_from_registry,
    with_registry,
)


def write_policy(paths: AppPaths, text: str) -> None:
    paths.policy_file.parent.mkdir(parents=True, exist_ok=True)
    paths.policy_file.write_text(text, encoding="utf-8")


def write_user_settings(paths: AppPaths, values: dict[str, object]) -> None:
    paths.settings_file.parent.mkdir(parents=True, exist_ok=True)
    paths.settings_file.write_text(json.dumps({"schema": 1, "values": values}), encoding="utf-8")


# --- locked keys --------------------------------------------------------------------------------


def test_locked_key_wins_over_the_users_own_setting(app_paths: AppPaths) -> None:
    write_policy(app_paths, 'theme = "dark"\nallow_export = false\nlocked = ["theme"]\n')
    write_user_settings(app_paths, {"theme": "light", "allow_export": True})

    settings = load_settings(app_paths)

    assert settings.get("theme") == "dark"  # locked: the user's "light" is ignored
    assert settings.get("allow_export") is True  # only a default: the user's choice stands
    assert settings.is_locked("theme") and not settings.is_locked("allow_export")


def test_user_cannot_change_a_locked_key(app_paths: AppPaths) -> None:
    write_policy(app_paths, 'theme = "light"\nlocked = ["theme"]\n')
    settings = load_settings(app_paths)

    with pytest.raises(PolicyError, match="set by your organisation"):
        settings.set("theme", "dark")
    settings.update({"theme": "dark", "night_mode": "sepia"})  # bulk updates skip locked keys

    reloaded = load_settings(app_paths)
    assert reloaded.get("theme") == "light"
    assert reloaded.get("night_mode") == "sepia"


def test_policy_values_are_defaults_users_may_change_when_not_locked(app_paths: AppPaths) -> None:
    write_policy(app_paths, 'theme = "dark"\n')
    settings = load_settings(app_paths)
    assert settings.get("theme") == "dark"
    settings.set("theme", "light")
    assert load_settings(app_paths).get("theme") == "light"


def test_a_wrong_type_is_reported_with_its_path_and_line_and_ignored(
    app_paths: AppPaths,
) -> None:
    write_policy(app_paths, 'theme = "dark"\nallow_import = 1\n')
    settings = load_settings(app_paths)
    assert settings.policy.problems == (
        f"{app_paths.policy_file}, line 2: 'allow_import' must be true or false, not 1; ignored.",
    )
    assert settings.get("allow_import") is True  # the built-in default
    assert settings.get("theme") == "dark"  # the other key still applies


# --- importing one's own PDFs -----------------------------------------------------------------


def test_disabled_import_is_refused_with_one_sentence(app_paths: AppPaths) -> None:
    write_policy(app_paths, 'allow_import = false\nlocked = ["allow_import"]\n')
    settings = load_settings(app_paths)

    with pytest.raises(ImportNotAllowed) as caught:
        ensure_import_allowed(settings)

    assert str(caught.value) == IMPORT_OFF_MESSAGE
    assert str(caught.value).count(".") == 1 and "organisation" in str(caught.value)
    with pytest.raises(PolicyError):
        settings.set("allow_import", True)


def test_import_allowed_by_default_and_when_unlocked(app_paths: AppPaths) -> None:
    ensure_import_allowed(load_settings(app_paths))
    write_policy(app_paths, "allow_import = false\n")  # a default, not locked
    settings = load_settings(app_paths)
    with pytest.raises(ImportNotAllowed):
        ensure_import_allowed(settings)
    settings.set("allow_import", True)
    ensure_import_allowed(settings)


# --- extra library folders --------------------------------------------------------------------


def test_extra_library_folders_are_listed_after_the_bundled_library(
    app_paths: AppPaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled = tmp_path / "bundled"
    monkeypatch.setenv("ECIP_READER_LIBRARY", str(bundled))
    monkeypatch.setenv("SHARE_ROOT", str(tmp_path / "srv"))
    write_policy(
        app_paths,
        "extra_library_folders = ["
        f'"$SHARE_ROOT/case-studies", "~/team-pdfs", "", "{bundled}", "$SHARE_ROOT/case-studies"'
        "]\n",
    )

    folders = library_folders(load_settings(app_paths))

    assert [(f.path, f.source) for f in folders] == [
        (bundled.absolute(), BUNDLED),
        (tmp_path / "srv" / "case-studies", ORGANISATION),
        (Path.home() / "team-pdfs", ORGANISATION),
    ]
    assert not folders[1].available  # the share is not there yet
    (tmp_path / "srv" / "case-studies").mkdir(parents=True)
    assert folders[1].available


def test_share_with_its_own_prebuilt_index_needs_no_indexing(
    app_paths: AppPaths, small_library: Catalogue, tmp_path: Path
) -> None:
    # The organisation prepares the share once: its PDFs, catalogue and index.
    share = tmp_path / "share"
    shutil.copytree(small_library.root, share)
    build_index(share / "index", Corpus.at(share))
    write_policy(app_paths, f'extra_library_folders = ["{share}"]\n')

    folders = library_folders(load_settings(app_paths))
    service = service_for(app_paths, folders[1].path)
    try:
        assert service.status() == "ready"
        response = service.search("discharge")
    finally:
        service.close()

    assert [hit.doc_id for hit in response.results][:1] == ["discharge-to-assess"]
    assert not app_paths.index_root.exists()  # nothing was indexed on this machine


# --- the Windows policy registry key ----------------------------------------------------------


def test_registry_values_override_the_policy_file_and_add_locks() -> None:
    from_file = Policy({"theme": "dark", "allow_export": True}, frozenset({"theme"}))
    registry = {
        "allow_export": (0, REG_DWORD),
        "allow_import": (0, REG_DWORD),
        "extra_library_folders": ([r"\\server\share\case-studies", ""], REG_MULTI_SZ),
        "author_source": ("fixed", REG_SZ),
        "author_name": ("Ward 7 training", REG_SZ),
        "locked": ("allow_import; allow_export", REG_SZ),
    }

    merged = with_registry(from_file, registry)

    assert merged.values == {
        "theme": "dark",
        "allow_export": False,
        "allow_import": False,
        "extra_library_folders": [r"\\server\share\case-studies"],
        "author_source": "fixed",
        "author_name": "Ward 7 training",
    }
    assert merged.locked == {"theme", "allow_import", "allow_export"}


def test_registry_policy_reaches_the_settings(app_paths: AppPaths) -> None:
    registry = {"allow_import": (0, REG_DWORD), "locked": (["allow_import"], REG_MULTI_SZ)}
    settings = Settings(app_paths.settings_file, with_registry(Policy(), registry))
    with pytest.raises(ImportNotAllowed):
        ensure_import_allowed(settings)
    with pytest.raises(PolicyError, match="set by your organisation"):
        settings.set("allow_import", True)


@pytest.mark.parametrize(
    ("name", "value", "complaint"),
    [
        ("allow_import", ("yes", REG_SZ), "must be REG_DWORD 0 or 1"),
        ("allow_export", (2, REG_DWORD), "must be REG_DWORD 0 or 1"),
        (
            "theme",
            ("purple", REG_SZ),
            "must be one of system, light, dark, high-contrast, not 'purple'",
        ),
        ("author_source", ("ldap", REG_SZ), "must be one of os-user, fixed, not 'ldap'"),
        ("extra_library_folders", (1, REG_DWORD), "must be REG_MULTI_SZ"),
        ("extra_library_folders", (["case-studies"], REG_MULTI_SZ), "is not a full path"),
        ("author_name", ("Ward\x007", REG_SZ), "contains a control character (NUL)"),
        ("locked", (["theme", "font_size"], REG_MULTI_SZ), "names 'font_size', which is not"),
        ("colour", ("red", REG_SZ), "'colour' is not a setting a policy can set"),
    ],
)
def test_bad_registry_values_are_reported_naming_the_value_and_ignored(
    name: str, value: tuple[object, int], complaint: str
) -> None:
    good = {"allow_export": (0, REG_DWORD)} if name != "allow_export" else {}
    policy = policy_from_registry({**good, name: value})
    (message,) = policy.problems
    assert message.startswith(r"HKEY_LOCAL_MACHINE\Software\Policies\ECIP Reader, value ")
    assert repr(name) in message and complaint in message and message.endswith("ignored.")
    assert name not in policy.values and name not in policy.locked
    assert policy.values.get("allow_export", False) is False  # the good value still applies


def test_a_locked_registry_value_of_the_wrong_type_stays_locked_at_its_safe_value() -> None:
    policy = policy_from_registry(
        {
            "allow_export": ("no", REG_SZ),
            "theme": ("dark", REG_SZ),
            "locked": (["allow_export", "theme"], REG_MULTI_SZ),
        }
    )
    assert policy.values == {"allow_export": False, "theme": "dark"}
    assert policy.locked == {"allow_export", "theme"}
    assert policy.problems == (
        r"HKEY_LOCAL_MACHINE\Software\Policies\ECIP Reader, value 'allow_export': "
        "'allow_export' must be REG_DWORD 0 or 1; it is locked at its safe value, false.",
    )


def test_without_registry_values_the_policy_is_unchanged() -> None:
    policy = Policy({"theme": "light"}, frozenset({"theme"}))
    assert with_registry(policy, {}) is policy
    # Off Windows there is no registry to read.
    assert with_registry(policy) is policy
