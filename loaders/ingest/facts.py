"""Checking facts: candidate acquisitions and fines in a text's sentences, compared with the
graph (supports, contradicts, new)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from graph.cypher import ACQUISITIONS_BETWEEN, PENALTIES_ON
from loaders.resolve import EntityIndex, record_id
from ontology import ID

from .extract import DateRef, Money
from .mentions import Ambiguous, Mention


@dataclass
class Check:
    field: str  # record key
    document: str
    graph: str
    verdict: str  # supports, contradicts, not compared
    record: str  # the graph record compared with
    sources: list[str] = field(default_factory=list)  # the graph's sources for its value


@dataclass
class Fact:
    kind: str  # acquisition, fine
    values: dict  # record keys -> values (ids for references)
    sentence: str
    start: int
    end: int
    checks: list[Check] = field(default_factory=list)
    record: str | None = None  # the graph record it is about, if any

    @property
    def verdict(self) -> str:
        verdicts = {c.verdict for c in self.checks}
        if "contradicts" in verdicts:
            return "contradicts"
        if "supports" in verdicts:
            return "supports"
        return "new" if self.record is None else "not compared"

    def describe(self) -> str:
        v = self.values
        if self.kind == "acquisition":
            text = f"{v['acquirer']} acquired {v['target']}"
            if v.get("year"):
                text += f" in {v['year']}"
        else:
            text = f"{v.get('authority') or '?'} fined {v['party']}"
            if v.get("year"):
                text += f" ({v['year']})"
        if v.get("amount") is not None:
            text += f" for {v['currency']} {v['amount']:,}"
        return text


_ACQUIRE = re.compile(
    r"\b(?:acquir(?:ed|es|e|ing)|bought|buys|buy|purchas(?:ed|es|e)|took over|takes over|"
    r"took control of|racheté|rachète|rachetait|acquis|acquiert|a acheté|achète|kocht|koopt|"
    r"gekocht|overgenomen|nam\b.{0,40}\bover|übernahm|übernimmt|übernommen|gekauft|kaufte|"
    r"adquirió|compró|acquisì|acquistato|ha comprato)\b", re.I)
_PASSIVE = re.compile(r"\b(?:by|par|door|von|por|da)\s*$", re.I)
_FINE = re.compile(r"\b(?:fin(?:ed|es|e|ing)|penalt(?:y|ies)|amende|boete|beboet|Geldbu(?:ß|ss)e|"
                   r"Bu(?:ß|ss)geld|multa|sanzione|sanction(?:ne|né)?)\b", re.I)
_SENTENCE = re.compile(r"[^\n.!?]*(?:[.!?](?=\s|$)|\n|$)")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans; a period inside a number, an abbreviation or a legal form does not end one."""
    spans, start = [], 0
    for m in re.finditer(r"[.!?](?=\s+[\"“'‘(]?[A-ZÀ-Þ0-9])|\n\s*\n|\n(?=\s*[-*#])", text):
        before = text[max(0, m.start() - 6): m.start() + 1]
        if re.search(r"(?:\b[A-Za-z]|Inc|Ltd|Corp|Co|No|Art|art|S\.A|r\.l|Mr|Dr|St|v|vs)\.$", before):
            continue
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


@dataclass
class _Named:
    """A mention or an ambiguous name, with the ids it may stand for."""

    ids: tuple[str, ...]
    start: int
    end: int


def extract_facts(doc_text: str, index: EntityIndex, mentions: list[Mention],
                  ambiguous: list[Ambiguous], money: list[Money], dates: list[DateRef]) -> list[Fact]:
    named = sorted([_Named((m.entity,), m.start, m.end) for m in mentions]
                   + [_Named(a.candidates, a.start, a.end) for a in ambiguous], key=lambda n: n.start)
    facts = []
    for s, e in sentences(doc_text):
        inside = [n for n in named if s <= n.start < e]
        amounts = [m for m in money if s <= m.start < e]
        years = sorted({d.value[:4] for d in dates if s <= d.start < e})
        sentence = doc_text[s:e].strip()
        amount = amounts[0] if amounts else None
        year = years[0] if len(years) == 1 else None
        verb = _ACQUIRE.search(doc_text, s, e)
        if verb:
            before = [n for n in inside if n.end <= verb.start()]
            after = [n for n in inside if n.start >= verb.end()]
            passive_by = next((n for n in after if _PASSIVE.search(doc_text[verb.end():n.start])),
                              None)
            if passive_by is not None and before:
                acquirer_n, target_n = passive_by, before[-1]
            elif before and after:
                acquirer_n, target_n = before[-1], after[0]
            else:
                acquirer_n = target_n = None
            acquirer = _pick(index, acquirer_n, "Agent")
            target = _pick(index, target_n, "Organization")
            if acquirer and target and acquirer != target:
                facts.append(Fact("acquisition", {
                    "acquirer": acquirer, "target": target, "year": year,
                    "amount": amount.amount if amount else None,
                    "currency": amount.currency if amount else None}, sentence, s, e))
                continue
        fine = _FINE.search(doc_text, s, e)
        if fine and amount:
            party = next((x for n in inside if (x := _pick(index, n, "Agent"))
                          and "PublicBody" not in index.entities[x].types), None)
            authority = next((x for n in inside if (x := _pick(index, n, "PublicBody"))), None)
            if party:
                facts.append(Fact("fine", {"party": party, "authority": authority, "year": year,
                                           "amount": amount.amount, "currency": amount.currency},
                                  sentence, s, e))
    return facts


def _pick(index: EntityIndex, named: _Named | None, type_name: str) -> str | None:
    """The one candidate of a name that fits the property's range (from the ontology)."""
    if named is None:
        return None
    fitting = [i for i in named.ids if index.entities[i].is_a(type_name)]
    return fitting[0] if len(fitting) == 1 else None


def compare_facts(facts: list[Fact], db) -> None:
    """Fill each fact's checks against the graph: supports, contradicts (with both sources)."""
    for fact in facts:
        v = fact.values
        if fact.kind == "acquisition":
            rows = db.execute_query(ACQUISITIONS_BETWEEN, acquirer=str(ID[v["acquirer"]]),
                                    target=str(ID[v["target"]])).records
            if not rows:
                continue
            if v["year"]:
                same = [r for r in rows if v["year"] in (str(r["announced"])[:4], str(r["completed"])[:4])]
                if same:
                    row = same[0]
                    fact.checks.append(Check("year", v["year"], _when(row), "supports",
                                             record_id(row["uri"]), list(row["sources"])))
                else:
                    row = rows[0]
                    fact.checks.append(Check("year", v["year"], _when(row), "contradicts",
                                             record_id(row["uri"]), list(row["sources"])))
                rows = same or rows
            row = rows[0]
            fact.record = record_id(row["uri"])
            if v["amount"] is not None and row["price"] is not None:
                graph_value = f"{row['currency']} {row['price']:,}"
                verdict = ("not compared" if row["currency"] != v["currency"] else
                           "supports" if Decimal(str(row["price"])) == v["amount"] else "contradicts")
                fact.checks.append(Check("price", f"{v['currency']} {v['amount']:,}", graph_value,
                                         verdict, fact.record, list(row["sources"])))
        else:
            rows = db.execute_query(PENALTIES_ON, party=str(ID[v["party"]]),
                                    authority=str(ID[v["authority"]]) if v["authority"] else None
                                    ).records
            if v["year"]:
                rows = [r for r in rows if str(r["date"] or "")[:4] == v["year"]]
            if not rows:
                continue
            equal = [r for r in rows if r["currency"] == v["currency"]
                     and Decimal(str(r["amount"])) == v["amount"]]
            row = (equal or rows)[0]
            fact.record = record_id(row["uri"])
            fact.checks.append(Check("penaltyAmount", f"{v['currency']} {v['amount']:,}",
                                     f"{row['currency']} {row['amount']:,}",
                                     "supports" if equal else
                                     "contradicts" if len(rows) == 1 else "not compared",
                                     fact.record, list(row["sources"])))


def _when(row) -> str:
    parts = [f"announced {row['announced']}" if row["announced"] else "",
             f"completed {row['completed']}" if row["completed"] else ""]
    return ", ".join(p for p in parts if p)

