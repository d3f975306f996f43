"""List every sentence of the bundled texts that names an organisation of the listing.

    python bundled_library/list_organisation_sentences.py            # print the list
    python bundled_library/list_organisation_sentences.py --write    # refresh the review file

The list is what a reviewer reads to check, in one place, that no sentence
says more about a real organisation than the 2017 ECIP listing does. The
review file (``organisation-sentences.md``) is kept in the repository with the
outcome of the last review at its head; a test fails when the texts change and
the file was not refreshed, so every change to such a sentence is seen again.
The programme itself (ECIP) is left out: nearly every sentence cites it as the
source.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

from ecip_reader.typeset.model import block_inlines, plain_text
from ecip_reader.typeset.sources import read_source

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
REVIEW_FILE = HERE / "organisation-sentences.md"
SKIPPED = {"Emergency Care Improvement Programme"}
HEAD_END = "<!-- the list below is generated -->"
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"(])")
# In a text about one organisation, "the trust" is that organisation.
THE_TRUST = re.compile(r"\b(?:the|this|that) trust(?:'s)?\b", re.IGNORECASE)


def organisation_patterns() -> dict[str, re.Pattern[str]]:
    data = tomllib.loads((SOURCES / "organisations.toml").read_text(encoding="utf-8"))
    patterns: dict[str, re.Pattern[str]] = {}
    for raw in data["organisation"]:
        if raw["name"] in SKIPPED:
            continue
        names = {raw["name"], *raw.get("listed_as", []), *raw.get("mentions", [])}
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        patterns[raw["name"]] = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
    return patterns


def sentences_of(path: Path) -> tuple[str, list[str]]:
    """The organisation a source is about, and every sentence of it."""
    doc = read_source(path)
    found = [doc.meta.title, doc.meta.angle, *SENTENCE_END.split(doc.meta.summary)]
    for block in doc.blocks:
        for run in block_inlines(block):
            found.extend(SENTENCE_END.split(" ".join(plain_text(run).split())))
    return doc.meta.organisation, [s for s in found if s]


def generated_list() -> str:
    patterns = organisation_patterns()
    lines: list[str] = []
    total = 0
    for path in sorted(SOURCES.glob("*.md")):
        hits = []
        own, sentences = sentences_of(path)
        for sentence in sentences:
            named = [name for name, pattern in patterns.items() if pattern.search(sentence)]
            if own and own not in named and THE_TRUST.search(sentence):
                named.append(own)
            if named:
                hits.append(f"- {sentence}  \n  *names: {'; '.join(named)}*")
        if hits:
            total += len(hits)
            lines += [f"## {path.name} ({len(hits)})", "", *hits, ""]
    return "\n".join([f"{total} sentences in all.", "", *lines])


def main(argv: list[str]) -> int:
    listing = generated_list()
    if "--write" not in argv:
        print(listing)
        return 0
    head = REVIEW_FILE.read_text(encoding="utf-8").split(HEAD_END)[0]
    REVIEW_FILE.write_text(f"{head}{HEAD_END}\n\n{listing}", encoding="utf-8")
    print(f"wrote {REVIEW_FILE.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
