"""One legal question across jurisdictions: per jurisdiction and year, the disputes that
raise it (as a dispute topic or a proceeding's question), the authorities that heard them
and their outcomes. The explorer's comparison page draws it; tests and scripts read it."""

from __future__ import annotations

from . import cypher
from .browse import _name, short


def questions(db) -> list[dict]:
    """The legal questions disputes raise: code, label and how many disputes."""
    return [{"code": r["code"], "label": _name(r["label"]) or r["code"], "disputes": r["disputes"]}
            for r in db.execute_query(cypher.TOPICS).records]


def compare(db, topic: str) -> list[dict]:
    """One row per jurisdiction and year a dispute on the question started (year None when
    the start is not recorded), with the disputes, authorities and outcomes."""
    cells: dict[tuple[str, str | None], dict] = {}
    for r in db.execute_query(cypher.COMPARE, topic=topic).records:
        key = (_name(r["jurisdiction"]), (r["started"] or "")[:4] or None)
        cell = cells.setdefault(key, {"jurisdiction": key[0], "iso": r["iso"], "year": key[1],
                                      "disputes": [], "authorities": [], "outcomes": []})
        cell["disputes"].append({"id": short(r["uri"]), "name": _name(r["name"])})
        cell["authorities"] = list(dict.fromkeys(
            cell["authorities"] + [a for a in map(_name, r["authorities"]) if a]))
        if r["outcome"]:
            cell["outcomes"].append(_name(r["outcome"]))
    return sorted(cells.values(), key=lambda c: (c["jurisdiction"] or "", c["year"] or "9999"))


def by_country(db, topic: str | None = None) -> list[dict]:
    """Disputes and their fines per country, for the world map: `iso` is the ISO 3166-1
    alpha-2 code (a region counts with its country), or None for a jurisdiction that is
    no country's (the EU), which keeps its own name. Sorted by name."""
    areas: dict[str, dict] = {}
    for r in db.execute_query(cypher.ATLAS, topic=topic).records:
        iso = (r["country"] or "").upper() or None
        name = _name(r["countryName"]) if iso else _name(r["jurisdiction"])
        area = areas.setdefault(iso or name, {"iso": iso, "name": name, "disputes": [], "fines": []})
        if any(d["id"] == short(r["uri"]) for d in area["disputes"]):
            continue  # a dispute in two regions of one country counts once
        dispute = {"id": short(r["uri"]), "name": _name(r["name"]), "started": r["started"],
                   "jurisdiction": _name(r["jurisdiction"]), "outcome": _name(r["outcome"])}
        area["disputes"].append(dispute)
        area["fines"] += [{"amount": f["amount"], "currency": f["currency"], "decided": f["decided"],
                           "dispute": dispute["name"], "id": dispute["id"]} for f in r["fines"]]
    return sorted(areas.values(), key=lambda a: a["name"] or "")
