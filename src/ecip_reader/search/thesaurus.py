"""NHS acronyms and synonyms, so a search for one form finds the others.

The file ``resources/thesaurus.txt`` holds one group of equivalent forms per
line, separated by ``|``; ``#`` starts a comment::

    a&e | ed | emergency department | accident and emergency

Matching ignores case and runs of spaces. A form may have several words.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from ecip_reader.paths import resources_dir
from ecip_reader.text import clean_text

log = logging.getLogger(__name__)

THESAURUS_FILE = "thesaurus.txt"


def form_key(form: str) -> str:
    """Lower case, single spaces: the key a form is looked up by."""
    return re.sub(r"\s+", " ", clean_text(form).lower()).strip()


@dataclass(frozen=True)
class Thesaurus:
    groups: tuple[tuple[str, ...], ...]
    _index: dict[str, int]
    max_words: int

    @classmethod
    def from_lines(cls, lines: list[str]) -> Thesaurus:
        groups: list[tuple[str, ...]] = []
        index: dict[str, int] = {}
        max_words = 1
        for line in lines:
            line = line.split("#", 1)[0]
            forms = tuple(dict.fromkeys(f for f in (form_key(p) for p in line.split("|")) if f))
            if len(forms) < 2:
                continue
            number = len(groups)
            groups.append(forms)
            for form in forms:
                index.setdefault(form, number)
                max_words = max(max_words, len(form.split(" ")))
        return cls(tuple(groups), index, max_words)

    @classmethod
    def load(cls, path: Path | None = None) -> Thesaurus:
        """Read the thesaurus; a missing or unreadable file gives an empty one (logged)."""
        path = path or resources_dir() / THESAURUS_FILE
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            log.warning("thesaurus not loaded from %s: %s", path, exc)
            return cls((), {}, 1)
        return cls.from_lines(text.splitlines())

    def alternatives(self, form: str) -> tuple[str, ...]:
        """The other forms equivalent to ``form`` (empty when it is not in the thesaurus)."""
        key = form_key(form)
        number = self._index.get(key)
        if number is None:
            return ()
        return tuple(f for f in self.groups[number] if f != key)
