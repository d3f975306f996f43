"""How results are ranked: field weights and the treatment of partial matches.

Every field is indexed with plain term counts; the weights below are applied
when a query is built, as boosts on each field's BM25 score. They were chosen
on the judged queries of the bundled library (``bench/judgements/``): tuned on
one half of the queries and checked on the other half, so that they are not
fitted to a handful of queries.

A query of several words finds every document that contains any of them. In
``"coordination"`` mode (the default) a document scores as its best page times
the share of the query's words the document contains; in ``"tiers"`` mode the
documents that contain every word come first, each tier ranked by its best
page. The benchmark measures both on the judged queries; coordination ranked
slightly better on both halves (nDCG@10 0.914 against 0.907, MAP 0.829 against
0.818 over all the queries with these weights), and the weights below did best on the tune half and
held on the check half.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Literal

from ecip_reader.search.schema import DEFAULT_FIELDS

RankingMode = Literal["tiers", "coordination"]

_WEIGHTS = {
    "title": 1.0,
    "organisation": 1.5,
    "topics": 2.0,
    "programme": 0.5,
    "region": 0.5,
    "body": 1.0,
}


@dataclass(frozen=True)
class Ranking:
    weights: Mapping[str, float] = field(default_factory=lambda: MappingProxyType(_WEIGHTS))
    mode: RankingMode = "coordination"
    # A word typed with accents also matches its exact form, weighted this much more.
    exact_bonus: float = 0.5

    def weight(self, fieldname: str) -> float:
        return float(self.weights.get(fieldname, 1.0))

    def with_weights(self, **weights: float) -> Ranking:
        merged = {name: self.weight(name) for name in DEFAULT_FIELDS}
        merged.update(weights)
        return replace(self, weights=MappingProxyType(merged))


DEFAULT_RANKING = Ranking()
