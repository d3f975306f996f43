"""Validation of ``catalogue.json``: every fault names the entry and the field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ecip_reader.errors import CatalogueError
from ecip_reader.library.catalogue import Catalogue, load_catalogue


def rewrite(library: Catalogue, change: Any) -> Path:
    """Apply ``change`` to the parsed catalogue.json of ``library`` and write it back."""
    path = library.root / "catalogue.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data["documents"])
    path.write_text(json.dumps(data), encoding="utf-8")
    return library.root


def test_a_valid_catalogue_loads_with_hashes(small_library: Catalogue) -> None:
    loaded = load_catalogue(small_library.root, verify_hashes=True)
    assert [e.id for e in loaded] == ["perfect-week", "discharge-to-assess", "breaking-the-cycle"]
    assert loaded.get("perfect-week").pages == 3
    assert loaded.path_of(loaded.get("perfect-week")).is_file()


def test_a_missing_file_names_entry_and_field(small_library: Catalogue) -> None:
    (small_library.root / "discharge-to-assess.pdf").unlink()
    with pytest.raises(CatalogueError, match=r"'discharge-to-assess': field 'file' .* missing"):
        load_catalogue(small_library.root)


def test_a_changed_file_fails_the_hash_check(small_library: Catalogue) -> None:
    path = small_library.root / "perfect-week.pdf"
    path.write_bytes(path.read_bytes() + b"\n%changed\n")
    load_catalogue(small_library.root)  # without hashes the change goes unnoticed
    with pytest.raises(CatalogueError, match=r"'perfect-week': field 'sha256' does not match"):
        load_catalogue(small_library.root, verify_hashes=True)


def test_an_unknown_related_id_names_it(small_library: Catalogue) -> None:
    def change(docs: list[dict[str, Any]]) -> None:
        docs[2]["related"] = ["perfect-week", "no-such-doc"]

    root = rewrite(small_library, change)
    with pytest.raises(
        CatalogueError,
        match=r"'breaking-the-cycle': field 'related' names unknown id 'no-such-doc'",
    ):
        load_catalogue(root)


@pytest.mark.parametrize("field", ["title", "summary", "kind", "file"])
def test_a_missing_field_names_entry_and_field(small_library: Catalogue, field: str) -> None:
    root = rewrite(small_library, lambda docs: docs[1].pop(field))
    with pytest.raises(CatalogueError, match=rf"'discharge-to-assess': field '{field}' is missing"):
        load_catalogue(root)


@pytest.mark.parametrize(
    ("field", "value", "why"),
    [
        ("pages", 0, "whole number"),
        ("pages", "3", "whole number"),
        ("sha256", "abc", "64 lower-case"),
        ("kind", "poster", "must be one of"),
        ("topics", "flow", "list of strings"),
        ("organisation_aliases", "West Suffolk NHS FT", "list of strings"),
        ("angle", 3, "must be text"),
        ("file", "../elsewhere.pdf", "plain file name"),
    ],
)
def test_a_bad_value_names_entry_and_field(
    small_library: Catalogue, field: str, value: object, why: str
) -> None:
    def change(docs: list[dict[str, Any]]) -> None:
        docs[0][field] = value

    root = rewrite(small_library, change)
    with pytest.raises(CatalogueError, match=rf"'perfect-week': field '{field}' .*{why}"):
        load_catalogue(root)


def test_a_duplicate_id_is_refused(small_library: Catalogue) -> None:
    root = rewrite(small_library, lambda docs: docs.append(dict(docs[0])))
    with pytest.raises(CatalogueError, match=r"'perfect-week' appears twice"):
        load_catalogue(root)


def test_no_catalogue_and_bad_json_are_plain_sentences(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match=r"has no catalogue\.json"):
        load_catalogue(tmp_path)
    (tmp_path / "catalogue.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(CatalogueError, match="is not valid JSON"):
        load_catalogue(tmp_path)
    (tmp_path / "catalogue.json").write_text('{"format": 9, "documents": []}', encoding="utf-8")
    with pytest.raises(CatalogueError, match="expected 1"):
        load_catalogue(tmp_path)


def test_an_unnamed_organisation_an_angle_and_aliases_load(small_library: Catalogue) -> None:
    """A document whose organisation the listing does not name, and one with two spellings."""

    def change(docs: list[dict[str, Any]]) -> None:
        docs[0]["organisation"] = ""
        docs[1]["angle"] = "patients assessed at home"
        docs[1]["organisation_aliases"] = ["D2A Trust", "The D2A Trust"]

    loaded = load_catalogue(rewrite(small_library, change))
    unnamed = loaded.get("perfect-week")
    assert unnamed.organisation == ""
    assert unnamed.shown_organisation == "Organisation not named"
    angled = loaded.get("discharge-to-assess")
    assert angled.organisation_aliases == ("D2A Trust", "The D2A Trust")
    assert angled.full_title == (
        f"{angled.title} — editorial angle of this summary edition: patients assessed at home"
    )
    assert angled.to_json()["angle"] == "patients assessed at home"
