"""How results are ranked: field weights and the treatment of partial matches.

Every field is indexed with plain term counts; the weights below are applied
when a query is built, as boosts on each field's BM25 score. They were chosen
on the judged queries of the bundled library (``bench/judgements/``): tuned on
one half of the queries and checked on the other half, so that they are not
fitted to a handful of queries.

A query of several words finds every document that contains any of them. In
``"tiers"`` mode the documents that contain every word come first, each tier
ranked by the score of its best page; in ``"coordination"`` mode one ranking
multiplies a document's score by the share of the words it contains. Both are
measured by the benchmark; tiers are the default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Literal

from ecip_reader.search.schema import DEFAULT_FIELDS

RankingMode = Literal["tiers", "coordination"]

_WEIGHTS = {
    "title": 2.0,
    "organisation": 1.5,
    "topics": 1.5,
    "programme": 0.5,
    "region": 0.5,
    "body": 1.0,
}


@dataclass(frozen=True)
class Ranking:
    weights: Mapping[str, float] = field(default_factory=lambda: MappingProxyType(_WEIGHTS))
    mode: RankingMode = "tiers"
    # A word typed with accents also matches its exact form, weighted this much more.
    exact_bonus: float = 0.5

    def weight(self, fieldname: str) -> float:
        return float(self.weights.get(fieldname, 1.0))

    def with_weights(self, **weights: float) -> Ranking:
        merged = {name: self.weight(name) for name in DEFAULT_FIELDS}
        merged.update(weights)
        return replace(self, weights=MappingProxyType(merged))


DEFAULT_RANKING = Ranking()
