"""The Group Policy templates (ADMX/ADML) cover every registry value the reader reads.

Windows cannot run here, so the templates are checked as XML: well formed,
every string and presentation they refer to defined, and one policy for each
registry value, whose every possible setting the reader accepts.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from ecip_reader.settings.registry import (
    POLICY_KEY,
    REG_DWORD,
    REG_MULTI_SZ,
    REG_SZ,
    policy_from_registry,
)
from ecip_reader.settings.rules import POLICY_KEYS
from ecip_reader.settings.schema import THEMES
from tests.packaging.conftest import PACKAGING

NS = "{http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions}"
ADMX = PACKAGING / "windows" / "policy" / "ECIPReader.admx"
ADML = PACKAGING / "windows" / "policy" / "en-US" / "ECIPReader.adml"
REGISTRY_VALUES = {*POLICY_KEYS, "locked"}


def policies() -> list[ET.Element]:
    return list(ET.parse(ADMX).getroot().iter(f"{NS}policy"))


def value_written(policy: ET.Element) -> tuple[str, str]:
    """(registry value name, kind of element) that the policy writes."""
    if policy.get("valueName"):
        return policy.get("valueName", ""), "boolean"
    elements = policy.find(f"{NS}elements")
    assert elements is not None, policy.get("name")
    (element,) = list(elements)
    return element.get("valueName", ""), element.tag.removeprefix(NS)


def test_both_files_are_well_formed_and_match_each_other() -> None:
    admx = ET.parse(ADMX).getroot()
    adml = ET.parse(ADML).getroot()
    strings = {s.get("id") for s in adml.iter(f"{NS}string")}
    presentations = {p.get("id"): p for p in adml.iter(f"{NS}presentation")}
    text = ADMX.read_text(encoding="utf-8")
    used_strings = set(re.findall(r"\$\(string\.(\w+)\)", text))
    used_presentations = set(re.findall(r"\$\(presentation\.(\w+)\)", text))
    assert used_strings and used_strings <= strings
    assert used_presentations <= set(presentations)
    for policy in admx.iter(f"{NS}policy"):
        assert policy.get("class") == "Machine"
        assert policy.get("key") == POLICY_KEY
        assert f"{policy.get('name')}_Help" in strings
        elements = policy.find(f"{NS}elements")
        if elements is None:
            continue
        shown = presentations[policy.get("presentation", "")[len("$(presentation.") : -1]]
        assert {e.get("id") for e in elements} == {c.get("refId") for c in shown}


def test_every_registry_value_has_exactly_one_policy() -> None:
    written = [value_written(p)[0] for p in policies()]
    assert sorted(written) == sorted(REGISTRY_VALUES)


def settings_of(policy: ET.Element) -> list[dict[str, tuple[Any, int]]]:
    """Every registry content the policy can write when enabled or disabled."""
    name, kind = value_written(policy)
    if kind == "boolean":
        on = policy.find(f"{NS}enabledValue/{NS}decimal")
        off = policy.find(f"{NS}disabledValue/{NS}decimal")
        assert on is not None and off is not None
        return [{name: (int(v.get("value", "")), REG_DWORD)} for v in (on, off)]
    if kind == "enum":
        return [{name: (s.text, REG_SZ)} for s in policy.iter(f"{NS}string") if s.text is not None]
    if kind == "text":
        return [{name: ("Ward 7 training", REG_SZ)}]
    assert kind == "multiText"
    example = ["allow_import", "theme"] if name == "locked" else [r"\\server\share\cases"]
    return [{name: (example, REG_MULTI_SZ)}]


@pytest.mark.parametrize("policy", policies(), ids=lambda p: p.get("name"))
def test_everything_a_policy_can_write_is_accepted_by_the_reader(policy: ET.Element) -> None:
    for values in settings_of(policy):
        (name,) = values
        result = policy_from_registry(values)
        assert result.problems == ()
        if name == "locked":
            assert result.locked == frozenset(values[name][0])
        else:
            assert name in result.values


def test_the_enum_choices_are_exactly_the_values_the_reader_knows() -> None:
    by_value = {value_written(p)[0]: p for p in policies()}
    themes = {s.text for s in by_value["theme"].iter(f"{NS}string")}
    sources = {s.text for s in by_value["author_source"].iter(f"{NS}string")}
    assert themes == set(THEMES)
    assert sources == {"os-user", "fixed"}
    (problem,) = policy_from_registry({"theme": ("sepia", REG_SZ)}).problems
    assert "'theme' must be one of system, light, dark" in problem
