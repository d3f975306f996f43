"""The organisations a collection's listing names: one name each, with the listing's spellings.

``organisations.toml`` sits beside the sources. Front matter names an
organisation by its one catalogue name (or leaves it out when the listing
names none); the build adds the listing's other spellings to the catalogue so
that search finds either, and the About document can say which organisations
have since merged or been renamed.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from ecip_reader.typeset.sources import SourceError

ORGANISATIONS_FILE = "organisations.toml"


@dataclass(frozen=True)
class Organisation:
    name: str
    listed_as: tuple[str, ...]
    since: str = ""  # what became of it after the listing, when known with confidence

    @property
    def aliases(self) -> tuple[str, ...]:
        """The listing's spellings other than the catalogue name."""
        return tuple(a for a in self.listed_as if a != self.name)


def read_organisations(sources: Path) -> dict[str, Organisation]:
    """The organisations of ``sources/organisations.toml`` by name; none when there is no file."""
    path = sources / ORGANISATIONS_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SourceError(path, None, f"cannot be read ({exc})") from exc
    found: dict[str, Organisation] = {}
    for number, raw in enumerate(data.get("organisation", []), start=1):
        name = raw.get("name") if isinstance(raw, dict) else None
        listed = raw.get("listed_as", []) if isinstance(raw, dict) else None
        since = raw.get("since", "") if isinstance(raw, dict) else None
        if (
            not isinstance(name, str)
            or not name.strip()
            or not isinstance(listed, list)
            or not all(isinstance(a, str) and a.strip() for a in listed)
            or not isinstance(since, str)
        ):
            raise SourceError(path, None, f"organisation {number} needs a name and listed_as")
        if name in found:
            raise SourceError(path, None, f"'{name}' appears twice")
        found[name] = Organisation(name, tuple(listed), since)
    return found
