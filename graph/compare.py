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
