"""Which dispute is a document about? The graph's disputes ranked by the evidence the document
shares with each: parties, authorities, jurisdictions, laws, services, dates and amounts.

Each piece of evidence weighs by its kind and by how rare it is among the disputes (a party
of one dispute says more than a party of forty), and counts once however often the document
repeats it. A dispute is clearly ahead when its score passes `LINK_SCORE` and leads the next
by `LINK_LEAD`; only then does the Source link to it.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from graph.cypher import DISPUTE_PROFILES, ENTITY_CONTEXT
from loaders.resolve import NOT_NAMED, record_id

# What one piece of evidence weighs, by kind, before its rarity is taken into account.
WEIGHTS = {"party": 3.0, "party's group": 2.0, "authority": 2.5, "service": 2.0,
           "provider": 1.5, "law": 2.0, "jurisdiction": 1.0, "date": 3.0, "month": 1.5,
           "year": 0.75, "amount": 3.0, "case": 4.0,
           "published": 0.5}
LINK_SCORE = 5.0
LINK_LEAD = 1.3
MAX_YEARS = 3  # years that count as evidence at most (a retrospective names many)


@dataclass
class Proceeding:
    id: str
    name: str
    kinds: list[str]  # labels, most specific last is not guaranteed: use `kind`
    dates: dict[str, str]  # filed, heard, decided -> YYYY[-MM[-DD]]
    amount: Decimal | None
    currency: str | None
    authorities: list[str]
    parties: list[str]
    laws: list[str]

    @property
    def kind(self) -> str:
        order = ["Appeal", "CourtCase", "Fine", "RegulatoryAction", "Investigation", "Referral",
                 "Order", "Proceeding"]
        return next((k for k in order if k in self.kinds), "Proceeding")


@dataclass
class DisputeProfile:
    id: str
    name: str
    started: str | None
    ended: str | None
    jurisdictions: set[str]
    services: set[str]
    proceedings: list[Proceeding] = field(default_factory=list)

    def items(self, related: dict[str, set[str]]) -> dict[str, set[str]]:
        """The entities of each kind of evidence."""
        parties = {x for p in self.proceedings for x in p.parties}
        authorities = {x for p in self.proceedings for x in p.authorities}
        group = {r for x in parties for r in related.get(x, ())} - parties - authorities
        providers = {r for s in self.services for r in related.get(s, ())} - parties
        return {"party": parties - authorities, "authority": authorities, "party's group": group,
                "service": set(self.services), "provider": providers,
                "law": {x for p in self.proceedings for x in p.laws},
                "jurisdiction": set(self.jurisdictions)}

    def dates(self) -> set[str]:
        return {d for p in self.proceedings for d in p.dates.values() if d} \
            | {d for d in (self.started, self.ended) if d}

    def years(self) -> set[str]:
        years = {d[:4] for d in self.dates()}
        if self.started:
            last = int((self.ended or self.started)[:4])
            years |= {str(y) for y in range(int(self.started[:4]), last + 1)}
        return years


@dataclass
class GraphContext:
    """What ingest weighs a document against, read once from the graph."""

    places: dict[str, set[str]]  # entity -> jurisdictions (its own, or its headquarters)
    levels: dict[str, set[str]]  # court -> court level codes
    related: dict[str, set[str]]  # entity -> parent, subsidiaries, provider, services, union
    disputes: dict[str, DisputeProfile]

    @classmethod
    def from_db(cls, db) -> GraphContext:
        places, levels, related = {}, {}, {}
        [row] = db.execute_query(ENTITY_CONTEXT, unnamed=sorted(NOT_NAMED)).records
        for uri, jurisdictions, court_levels, others in row["rows"]:
            e = record_id(uri)
            places[e] = {record_id(j) for j in jurisdictions}
            levels[e] = set(court_levels)
            related[e] = {record_id(o) for o in others}
        disputes = {}
        for row in db.execute_query(DISPUTE_PROFILES).records:
            d = DisputeProfile(record_id(row["uri"]), row["name"] or record_id(row["uri"]),
                               row["started"], row["ended"],
                               {record_id(j) for j in row["jurisdictions"]},
                               {record_id(s) for s in row["services"]})
            for p in row["proceedings"]:
                d.proceedings.append(Proceeding(
                    record_id(p["uri"]), p["name"] or record_id(p["uri"]), list(p["labels"]),
                    {k: p[k] for k in ("filed", "heard", "decided") if p[k]},
                    _decimal(p["amount"]), p["currency"],
                    [record_id(x) for x in p["authorities"]], [record_id(x) for x in p["parties"]],
                    sorted({record_id(x) for x in p["laws"]})))
            d.proceedings.sort(key=lambda p: (min(p.dates.values(), default="9999"), p.id))
            disputes[d.id] = d
        return cls(places, levels, related, disputes)


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value)) if value is not None else None
    except InvalidOperation:
        return None


@dataclass(frozen=True)
class Evidence:
    kind: str  # party, authority, service, law, jurisdiction, date, month, year, amount, ...
    value: str  # an entity's record id, a date, an amount
    weight: float

    def __str__(self) -> str:
        return f"{self.kind} {self.value} (+{self.weight:.2f})"


@dataclass
class DisputeCandidate:
    dispute: str
    name: str
    score: float
    evidence: list[Evidence]

    def as_dict(self) -> dict:
        return {"dispute": self.dispute, "name": self.name, "score": round(self.score, 2),
                "evidence": [{"kind": e.kind, "value": e.value, "weight": round(e.weight, 2)}
                             for e in self.evidence]}


def rank_disputes(context: GraphContext, entities: dict[str, float], dates: list[str],
                  amounts: list[tuple[Decimal, str]], cases: set[str] = frozenset(),
                  published: str | None = None, limit: int = 5) -> list[DisputeCandidate]:
    """Disputes sharing evidence with a document, best first.

    entities: record id -> how sure the document names it (1 for a link, less for one of an
    ambiguous name's candidates); dates: YYYY, YYYY-MM or YYYY-MM-DD; amounts: (amount,
    currency); cases: proceedings the document cites by ECLI or case number; published: the
    document's date (a report published while a dispute ran is more likely about it)."""
    items = {d.id: d.items(context.related) for d in context.disputes.values()}
    frequency: Counter = Counter()
    for kinds in items.values():
        frequency.update({e for members in kinds.values() for e in members})
    penalties = {d.id: {(p.amount, p.currency) for p in d.proceedings if p.amount is not None}
                 for d in context.disputes.values()}
    amount_frequency: Counter = Counter(a for values in penalties.values() for a in values)
    full = {d for d in dates if len(d) == 10}
    months = {d[:7] for d in dates if len(d) >= 7}
    years = {d[:4] for d in dates}
    ranked = []
    for d in context.disputes.values():
        evidence: list[Evidence] = []
        used: set[str] = set()
        for kind, members in items[d.id].items():
            for e in sorted(members & set(entities) - used):
                used.add(e)
                rarity = 1 / (1 + math.log(frequency[e]))
                evidence.append(Evidence(kind, e, WEIGHTS[kind] * rarity * entities[e]))
        own_dates = d.dates()
        for day in sorted(full & own_dates):
            evidence.append(Evidence("date", day, WEIGHTS["date"]))
        for month in sorted(months & {x[:7] for x in own_dates if len(x) >= 7}
                            - {x[:7] for x in full & own_dates}):
            evidence.append(Evidence("month", month, WEIGHTS["month"]))
        for year in sorted(years & d.years())[:MAX_YEARS]:
            evidence.append(Evidence("year", year, WEIGHTS["year"]))
        if published and published[:4] in d.years() and published[:4] not in years:
            evidence.append(Evidence("published", published[:4], WEIGHTS["published"]))
        for p in d.proceedings:
            if p.id in cases:
                evidence.append(Evidence("case", p.id, WEIGHTS["case"]))
        for amount, currency in sorted(set(amounts) & penalties[d.id]):
            rarity = 1 / (1 + math.log(amount_frequency[(amount, currency)]))
            evidence.append(Evidence("amount", f"{currency} {amount:,}", WEIGHTS["amount"] * rarity))
        if not any(e.kind in ("party", "party's group", "service", "provider", "authority", "law",
                              "case")
                   for e in evidence):
            continue  # dates and places alone say nothing about which dispute
        score = sum(e.weight for e in evidence)
        ranked.append(DisputeCandidate(d.id, d.name, score,
                                       sorted(evidence, key=lambda e: -e.weight)))
    ranked.sort(key=lambda c: (-c.score, c.dispute))
    return ranked[:limit]


def clearly_ahead(ranked: list[DisputeCandidate]) -> DisputeCandidate | None:
    """The top dispute when it is clearly ahead of the next, else None."""
    if not ranked or ranked[0].score < LINK_SCORE:
        return None
    if len(ranked) > 1 and ranked[0].score < LINK_LEAD * ranked[1].score:
        return None
    return ranked[0]
