"""The report: everything found in a document (without the database), the document's
statements for Neo4j, and suggested records in the curated format."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from loaders.resolve import EntityIndex

from .described import demonym_forms, find_demonyms, find_described
from .disambiguate import disambiguate
from .disputes import DisputeCandidate, GraphContext, clearly_ahead, rank_disputes
from .events import Event, find_events
from .extract import (
    DateRef,
    Money,
    Reference,
    find_dates,
    find_money,
    find_references,
    identifiers_of,
)
from .facts import Fact, extract_facts, sentences
from .mentions import Ambiguous, Matcher, Mention, Unknown, Zones, drop_in_zones, unknown_names
from .reading import Document


@dataclass
class Report:
    path: str
    source: str  # record id of the Source
    graph: str  # named graph IRI
    content_hash: str
    meta: dict
    mentions: list[Mention]
    ambiguous: list[Ambiguous]
    unknown: list[Unknown]
    money: list[Money]
    dates: list[DateRef]
    references: list[Reference]
    facts: list[Fact]
    disputes: list[DisputeCandidate] = field(default_factory=list)  # ranked
    dispute: str | None = None  # the dispute clearly ahead, which the Source is linked to
    events: list[Event] = field(default_factory=list)  # candidate proceedings
    filtered: dict[str, int] = field(default_factory=dict)  # candidates removed, by filter
    suggestions: Path | None = None
    changed: bool = False

    def entities(self) -> dict[str, int]:
        """Known entities mentioned, with how often."""
        counts: dict[str, int] = {}
        for m in self.mentions:
            counts[m.entity] = counts.get(m.entity, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def as_json(self) -> dict:
        """The report as plain values, for pipelines (`techreg ingest --json`)."""
        meta = self.meta
        return {
            "source": {"id": self.source, "title": meta.get("title"),
                       "publisher": meta.get("publisher"), "published": meta.get("published"),
                       "url": meta.get("url"), "language": meta.get("language"),
                       "path": self.path, "graph": self.graph, "contentHash": self.content_hash},
            "mentions": [{"entity": m.entity, "text": m.text, "start": m.start, "end": m.end,
                          "score": m.score, "how": m.how} for m in self.mentions],
            "ambiguous": [{"text": a.text, "start": a.start, "end": a.end,
                           "candidates": [{"entity": c, "score": s} for c, s in
                                          zip(a.candidates, a.scores or [None] * len(a.candidates),
                                              strict=True)]} for a in self.ambiguous],
            "disputes": [c.as_dict() for c in self.disputes],
            "dispute": self.dispute,
            "unknown": [{"text": u.text, "start": u.start, "end": u.end,
                         "proposals": [{"entity": c.entity.id, "score": c.score}
                                       for c in u.proposals]} for u in self.unknown],
            "amounts": [{"amount": str(m.amount), "currency": m.currency, "text": m.text,
                         "start": m.start, "end": m.end} for m in self.money],
            "dates": [{"value": d.value, "text": d.text, "start": d.start, "end": d.end}
                      for d in self.dates],
            "references": [{"kind": r.kind, "text": r.text, "start": r.start, "end": r.end,
                            "entity": r.entity} for r in self.references],
            "facts": [{"kind": f.kind, "verdict": f.verdict, "record": f.record,
                       "values": {k: (str(v) if v is not None and not isinstance(v, str) else v)
                                  for k, v in f.values.items()},
                       "sentence": f.sentence,
                       "checks": [{"field": c.field, "document": c.document, "graph": c.graph,
                                   "verdict": c.verdict, "record": c.record, "sources": c.sources}
                                  for c in f.checks]} for f in self.facts],
            "events": [{"step": e.step, "kind": e.kind, "dateField": e.date_field, "date": e.date,
                        "authority": e.authority, "parties": e.parties,
                        "amount": None if e.amount is None else str(e.amount),
                        "currency": e.currency, "verdict": e.verdict, "record": e.record,
                        "dispute": e.dispute, "sentence": e.sentence} for e in self.events],
            "filtered": self.filtered,
            "suggestions": str(self.suggestions) if self.suggestions else None,
            "changed": self.changed,
        }

    def supporting(self) -> list[Fact]:
        return [f for f in self.facts if f.verdict == "supports"]

    def contradicting(self) -> list[Fact]:
        return [f for f in self.facts if f.verdict == "contradicts"]


def analyse(doc: Document, index: EntityIndex, matcher: Matcher | None = None,
            context: GraphContext | None = None) -> Report:
    """Everything found in a document, without writing anything. With the graph's context,
    also described authorities, names disambiguated by context and the ranked disputes."""
    text = doc.text
    matcher = matcher or Matcher(index)
    zones = Zones(text, doc.meta.get("title"))
    filtered: Counter = Counter()
    mentions, ambiguous = matcher.find(text, filtered)
    mentions = drop_in_zones(mentions, zones, filtered)
    ambiguous = drop_in_zones(ambiguous, zones, filtered)
    money = find_money(text)
    references = find_references(text)
    references = [r for r in references if r.kind != "court" or not _in_headline(r, zones, filtered)]
    # "CE" in "directive 95/46/CE" is part of the citation, not the Conseil d'État
    cited = [(r.start, r.end) for r in references if r.kind in ("law", "case") and "/" in r.text]
    inside = [m for m in [*mentions, *ambiguous]
              if any(s <= m.start and m.end <= e and (s, e) != (m.start, m.end) for s, e in cited)]
    if inside:
        filtered["inside a citation"] += len(inside)
        mentions = [m for m in mentions if m not in inside]
        ambiguous = [a for a in ambiguous if a not in inside]
    dates = find_dates(text, [(m.start, m.end) for m in money]
                       + [(r.start, r.end) for r in references if r.kind in ("case", "law")
                          and "/" in r.text])
    spans = sentences(text)
    taken = [(m.start, m.end) for m in mentions] + [(a.start, a.end) for a in ambiguous]
    demonyms = drop_in_zones(find_demonyms(text, demonym_forms(index), taken), zones, filtered)
    mentions += [Mention(d.entity, index.entities[d.entity].name, d.text, d.start, d.end,
                         d.score, d.how) for d in demonyms]
    references = [_identified(r, index) for r in references]
    taken = [(m.start, m.end) for m in mentions] + [(a.start, a.end) for a in ambiguous]
    mentions += [Mention(r.entity, index.entities[r.entity].name, r.text, r.start, r.end, 0.95,
                         "reference") for r in references
                 if r.kind == "law" and r.entity and not any(s < r.end and r.start < e
                                                              for s, e in taken)]
    cases = {r.entity for r in references if r.kind == "case" and r.entity}
    mentions += _surnames(text, mentions, ambiguous, index)
    ranked: list[DisputeCandidate] = []
    if context is not None:
        places = [(m.start, m.end, m.entity) for m in mentions
                  if "Jurisdiction" in index.entities[m.entity].types]
        taken = [(m.start, m.end) for m in mentions] + [(a.start, a.end) for a in ambiguous]
        described = drop_in_zones(find_described(text, spans, index, context, places, taken),
                                  zones, filtered)
        mentions += [Mention(d.entity, index.entities[d.entity].name, d.text, d.start, d.end,
                             d.score, d.how) for d in described]
        evidence = ([d.value for d in dates], penalty_amounts(text, money, spans), cases,
                    doc.meta.get("published"))
        ranked = rank_disputes(context, _weights(mentions, ambiguous), *evidence)
        resolved, ambiguous = disambiguate(text, spans, ambiguous, index, context, mentions, ranked)
        mentions += resolved
        ranked = rank_disputes(context, _weights(mentions, ambiguous), *evidence)
    mentions.sort(key=lambda m: m.start)
    taken = [(m.start, m.end) for m in mentions] + [(a.start, a.end) for a in ambiguous] \
        + [(m.start, m.end) for m in money] + [(r.start, r.end) for r in references]
    unknown = unknown_names(text, taken, index, zones, filtered)
    by_span = {(m.start, m.end): m.entity for m in mentions}
    references = [_link(r, mentions, index, by_span) for r in references]
    facts = extract_facts(text, index, mentions, ambiguous, money, dates)
    best = clearly_ahead(ranked)
    events = find_events(text, spans, mentions, index, money, dates, context,
                         best.dispute if best else None, doc.meta.get("published")) \
        if context is not None else []
    return Report(str(doc.path), doc.id, doc.graph_iri, doc.content_hash, dict(doc.meta), mentions,
                  ambiguous, unknown, money, dates, references, facts, ranked,
                  best.dispute if best else None, events, dict(sorted(filtered.items())))


_PER_DAY = re.compile(r"(?i)^\s*(?:per|a|each|par|pro|je)\s+(?:day|jour|tag|dag)|^\s*daily")


def penalty_amounts(text: str, money: list[Money], spans: list[tuple[int, int]]
                    ) -> list[tuple]:
    """The amounts a document gives that may be a penalty: each amount but a daily one, and
    the sum of the amounts one sentence gives in one currency ("60 million ... and 40 million")."""
    amounts = [m for m in money if not _PER_DAY.match(text[m.end:m.end + 20])]
    result = [(m.amount, m.currency) for m in amounts]
    for s, e in spans:
        inside = [m for m in amounts if s <= m.start < e]
        for currency in {m.currency for m in inside}:
            same = [m.amount for m in inside if m.currency == currency]
            if len(same) > 1:
                result.append((sum(same), currency))
    return result


def _surnames(text: str, mentions: list[Mention], ambiguous: list[Ambiguous],
              index: EntityIndex) -> list[Mention]:
    """A person the document names in full, named again by surname ("Costeja", "Schrems")."""
    taken = [(m.start, m.end) for m in mentions] + [(a.start, a.end) for a in ambiguous]
    found = []
    for entity in sorted({m.entity for m in mentions if "Person" in index.entities[m.entity].types}):
        e = index.entities[entity]
        surnames = {t for name in [*e.names, *e.aliases]
                    for t in name.split()[1:] if t[0].isupper() and len(t) >= 4}
        for surname in sorted(surnames):
            for m in re.finditer(rf"(?<!\w){re.escape(surname)}(?:['’]s)?(?!\w)", text):
                if not any(s < m.end() and m.start() < t for s, t in taken):
                    found.append(Mention(entity, e.name, m.group(0), m.start(), m.end(), 0.9,
                                         "surname"))
                    taken.append((m.start(), m.end()))
    return found


def _identified(ref: Reference, index: EntityIndex) -> Reference:
    """A reference with the entity its ECLI, case number or CELEX number identifies."""
    if ref.entity:
        return ref
    for identifier in identifiers_of(ref):
        if (entity := index.by_identifier(identifier)) is not None:
            return Reference(ref.kind, ref.text, ref.start, ref.end, entity.id)
    return ref


def _in_headline(ref: Reference, zones: Zones, filtered: Counter) -> bool:
    zone = zones.zone(ref.start, ref.end, ("headline", "byline", "credit", "navigation"))
    if zone:
        filtered[zone] += 1
    return zone is not None


def _weights(mentions: list[Mention], ambiguous: list[Ambiguous]) -> dict[str, float]:
    """How sure the document names each entity: a link's score, half for a candidate of an
    ambiguous name."""
    weights: dict[str, float] = {}
    for a in ambiguous:
        for c in a.candidates:
            weights[c] = max(weights.get(c, 0), 0.5)
    for m in mentions:
        weights[m.entity] = max(weights.get(m.entity, 0), m.score)
    return weights


def _link(ref: Reference, mentions: list[Mention], index: EntityIndex, by_span) -> Reference:
    wanted = {"court": "Court", "law": "Law", "case": "Proceeding"}[ref.kind]
    for m in mentions:
        if m.start < ref.end and ref.start < m.end and index.entities[m.entity].is_a(wanted):
            return Reference(ref.kind, ref.text, ref.start, ref.end, m.entity)
    return ref
