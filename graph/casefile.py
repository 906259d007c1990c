"""A dispute's case file, read from Neo4j as plain values: its parties with their roles, its
proceedings placed in lanes by the authority's level (regulators and other authorities, then
the court levels of the ontology's CourtLevels scheme), the appeal chain between them, the
laws invoked down to the article, fines with their currency, the legal questions, the
outcome, its sources and related disputes. The explorer draws it; tests and scripts read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import SKOS

from ontology import NS, kind_of, model

from . import cypher
from .browse import _name, short, uri
from .queries import plain

AUTHORITIES = "authority"  # the lane of proceedings before a regulator, prosecutor or government
UNKNOWN_LEVEL = "court"  # a court whose level is not recorded
LEVEL_ORDER = ("first-instance", "appeal", "supreme", "supranational")  # up the hierarchy


def lanes() -> list[tuple[str, str]]:
    """(code, label) of each lane, bottom up: authorities, then the court levels in order of
    LEVEL_ORDER (a test checks it names exactly the CourtLevels scheme's concepts)."""
    m = model()
    labels = {}
    for code, concept in m.concepts.get(NS.CourtLevels, {}).items():
        label = m.graph.value(concept, SKOS.prefLabel)
        labels[code] = str(label) if label is not None else code
    ordered = [c for c in LEVEL_ORDER if c in labels] + sorted(set(labels) - set(LEVEL_ORDER))
    return ([(AUTHORITIES, "regulators and other authorities")] + [(c, labels[c]) for c in ordered]
            + [(UNKNOWN_LEVEL, "court (level not recorded)")])


@dataclass
class CaseFile:
    id: str
    name: str
    outcome: str | None
    started: str | None
    ended: str | None
    jurisdictions: list[str]
    topics: list[str]
    proceedings: list[dict] = field(default_factory=list)  # by date
    parties: list[dict] = field(default_factory=list)  # name, role, proceeding
    chain: list[tuple[str, str, str]] = field(default_factory=list)  # (later, kind, earlier)
    laws: list[dict] = field(default_factory=list)
    fines: list[dict] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    related: list[dict] = field(default_factory=list)


def lane_of(authority: dict | None) -> str:
    if not authority or "Court" not in authority["labels"]:
        return AUTHORITIES
    return authority.get("level") or UNKNOWN_LEVEL


def case_file(db, dispute_id: str, related: int = 12) -> CaseFile | None:
    rows = db.execute_query(cypher.CASE_FILE, uri=uri(dispute_id)).records
    if not rows:
        return None
    r = rows[0]
    case = CaseFile(short(r["uri"]), _name(r["name"]) or short(r["uri"]), _name(r["outcome"]),
                    r["started"], r["ended"], sorted(_name(j) for j in r["jurisdictions"]),
                    sorted({_name(t) for t in r["topics"]}))
    laws: dict[str, dict] = {}
    questions: set[str] = set(case.topics)
    for p in sorted(r["proceedings"], key=lambda p: (p["date"] or "9999", p["uri"])):
        authority = p["authority"]
        item = {"id": short(p["uri"]), "name": _name(p["name"]) or short(p["uri"]),
                "kind": kind_of(p["labels"]), "date": p["date"], "filed": p["filed"],
                "decided": p["decided"], "outcome": _name(p["outcome"]),
                "authority": _name(authority["name"]) if authority else None,
                "authority_id": short(authority["uri"]) if authority else None,
                "lane": lane_of(authority), "ecli": p["ecli"]}
        case.proceedings.append(item)
        for x in sorted(p["parties"], key=lambda x: (x["role"] or "", x["uri"])):
            case.parties.append({"id": short(x["uri"]), "name": _name(x["name"]) or short(x["uri"]),
                                 "role": x["role"] or "party", "proceeding": item["name"]})
        case.chain += [(item["id"], "appeal of", short(q)) for q in p["appeal_of"]]
        case.chain += [(item["id"], "follows", short(q)) for q in p["follows"]]
        for law in p["laws"]:
            laws.setdefault(law["uri"], {"id": short(law["uri"]),
                                         "name": _name(law["name"]) or short(law["uri"]),
                                         "of": _name(law["of"]), "proceedings": []})
            laws[law["uri"]]["proceedings"].append(item["name"])
        if p["amount"] is not None:
            case.fines.append({"proceeding": item["name"], "amount": plain(p["amount"]),
                               "currency": p["currency"], "authority": item["authority"],
                               "date": item["date"]})
        questions.update(_name(q) for q in p["questions"])
    case.laws = sorted(laws.values(), key=lambda law: (law["of"] or law["name"], law["name"]))
    case.questions = sorted(q for q in questions if q)
    case.sources = sorted(({k: plain(v) for k, v in s.items()} for s in r["sources"]),
                          key=lambda s: (not s.get("published"), str(s.get("published"))))
    case.related = [{"id": short(o["uri"]), "name": _name(o["name"]) or short(o["uri"]),
                     "why": sorted(o["why"]), "jurisdictions": sorted(_name(j) for j in o["jurisdictions"])}
                    for o in db.execute_query(cypher.RELATED_DISPUTES, uri=uri(dispute_id),
                                              limit=related).records]
    return case
