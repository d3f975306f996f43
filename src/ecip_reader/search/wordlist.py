"""Known English words, so spelling correction leaves real words alone.

A search word that no page holds is either a typing mistake or a real word
this collection happens not to use ("trust" in a collection about aircraft).
Only the first is corrected. ``resources/wordlist.txt`` lists British and
American English words, one a line, lower case, accents folded; ``#`` starts a
comment line.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ecip_reader.paths import resources_dir
from ecip_reader.search.analysis import fold

log = logging.getLogger(__name__)

WORDLIST_FILE = "wordlist.txt"


@dataclass(frozen=True)
class Wordlist:
    words: frozenset[str]

    @classmethod
    def load(cls, path: Path | None = None) -> Wordlist:
        """The word list; a missing or unreadable file gives an empty one (logged),
        with which every word unknown to the index may be corrected."""
        return _load(path or resources_dir() / WORDLIST_FILE)

    def knows(self, word: str) -> bool:
        lowered = word.lower()
        return lowered in self.words or fold(lowered) in self.words

    def __len__(self) -> int:
        return len(self.words)


@lru_cache(maxsize=4)
def _load(path: Path) -> Wordlist:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("word list not loaded from %s: %s", path, exc)
        return Wordlist(frozenset())
    return Wordlist(frozenset(line for line in text.split("\n") if line and line[0] != "#"))
