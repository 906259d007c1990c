"""Facets over the dispute rows of `browse.disputes`: the values a reader can pick, the
filter itself and the counts charted beside it. Plain functions over plain rows, so the
explorer, tests and scripts filter the same way.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class DisputeFacets:
    """What a reader picked. Empty or None means 'any'; a picked list matches a dispute that
    has at least one of its values."""

    jurisdictions: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    companies: frozenset[str] | None = None  # names of one company group
    outcome: str = ""  # text the outcome contains, any case
    years: tuple[int, int] | None = None  # started between, inclusive; undated disputes stay

    def matches(self, row: dict) -> bool:
        started = row.get("started")
        return ((not self.jurisdictions or bool(self.jurisdictions & set(row["jurisdictions"])))
                and (not self.topics or bool(self.topics & set(row["topics"])))
                and (self.companies is None or bool(self.companies & set(row["companies"])))
                and (not self.outcome or self.outcome.lower() in (row["outcome"] or "").lower())
                and (self.years is None or not started
                     or self.years[0] <= int(started[:4]) <= self.years[1]))


def filter_disputes(rows: list[dict], facets: DisputeFacets) -> list[dict]:
    return [r for r in rows if facets.matches(r)]


def options(rows: list[dict]) -> dict[str, list]:
    """The values each facet offers: jurisdictions, topics and the years disputes started."""
    return {"jurisdictions": sorted({j for r in rows for j in r["jurisdictions"]}),
            "topics": sorted({t for r in rows for t in r["topics"]}),
            "years": sorted({int(r["started"][:4]) for r in rows if r.get("started")})}


def per_jurisdiction(rows: list[dict]) -> dict[str, int]:
    """Disputes per jurisdiction (a cross-border dispute counts in each; none is 'unknown')."""
    return dict(Counter(j for r in rows for j in r["jurisdictions"] or ["unknown"]))
