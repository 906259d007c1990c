"""Citations of a record and of its sources, as BibTeX, RIS and CSL-JSON: the dataset's
name and version, the record's URL (its IRI) and the access date for the record; title,
publisher, URL, publication and access dates for each source. Pure functions over plain
values; `for_entity` reads them from Neo4j. The explorer and `techreg cite` call these.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from importlib import metadata

from ontology import ID, model

from . import browse

DATASET = "techreg: a sourced knowledge graph of tech-regulation disputes"
AUTHOR = "techreg contributors"
FORMATS = ("bibtex", "ris", "csl-json")


@dataclass
class Citable:
    id: str  # record id
    title: str
    kind: str  # class label
    version: str
    accessed: str  # ISO date the reader looked
    sources: list[dict] = field(default_factory=list)  # id, title, publisher, url, published, accessed

    @property
    def url(self) -> str:
        return str(ID[self.id])


def version() -> str:
    try:
        return metadata.version("techreg")
    except metadata.PackageNotFoundError:
        return "unknown"


def for_entity(db, entity_id: str, accessed: str | None = None) -> Citable | None:
    found = browse.entity(db, entity_id)
    if found is None:
        return None
    cls = model().classes.get(found.kind)
    sources = [{"id": browse.short(s["id"]), "title": s.get("title") or s.get("url"),
                "publisher": s.get("publisher"), "url": s.get("url"),
                "published": s.get("published"), "accessed": s.get("accessed")}
               for s in sorted(found.sources, key=lambda s: s["id"])]
    return Citable(browse.short(found.uri), found.name, cls.label if cls else found.kind,
                   version(), accessed or dt.date.today().isoformat(), sources)


def _parts(date: str | None) -> list[int] | None:
    return [int(x) for x in date.split("-")[:3]] if date else None


def csl_json(c: Citable) -> str:
    items = [{"id": f"techreg:{c.id}", "type": "dataset", "title": c.title,
              "genre": f"techreg record ({c.kind})", "container-title": DATASET,
              "author": [{"literal": AUTHOR}], "publisher": "techreg", "version": c.version,
              "URL": c.url, "accessed": {"date-parts": [_parts(c.accessed)]}}]
    for s in c.sources:
        item = {"id": f"techreg:{s['id']}", "type": "webpage", "title": s["title"], "URL": s["url"]}
        if s.get("publisher"):
            item["container-title"] = item["publisher"] = s["publisher"]
        if s.get("published"):
            item["issued"] = {"date-parts": [_parts(s["published"])]}
        if s.get("accessed"):
            item["accessed"] = {"date-parts": [_parts(s["accessed"])]}
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=2)


_TEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "#": r"\#",
        "_": r"\_", "$": r"\$", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _tex(text: str) -> str:
    return "".join(_TEX.get(ch, ch) for ch in str(text))


def _key(record_id: str) -> str:
    return "techreg-" + re.sub(r"[^A-Za-z0-9-]", "-", record_id)


def _bib(kind: str, key: str, fields: dict) -> str:
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items() if value)
    return f"@{kind}{{{key},\n{body}\n}}"


def bibtex(c: Citable) -> str:
    entries = [_bib("misc", _key(c.id), {
        "title": _tex(c.title), "author": "{" + _tex(AUTHOR) + "}", "howpublished": _tex(DATASET),
        "year": c.accessed[:4], "version": _tex(c.version), "url": c.url, "urldate": c.accessed,
        "note": _tex(f"Record {c.id} ({c.kind})")})]
    for s in c.sources:
        entries.append(_bib("online", _key(s["id"]), {
            "title": _tex(s["title"] or ""), "organization": _tex(s.get("publisher") or ""),
            "date": s.get("published") or "", "year": (s.get("published") or "")[:4],
            "url": s.get("url") or "", "urldate": s.get("accessed") or ""}))
    return "\n\n".join(entries) + "\n"


def _ris(tags: list[tuple[str, str | None]]) -> str:
    return "\n".join(f"{tag}  - {value}" for tag, value in tags if value) + "\nER  - \n"


def _ris_date(date: str | None) -> str | None:
    """RIS dates are YYYY/MM/DD with empty parts for what is not known."""
    if not date:
        return None
    parts = date.split("-") + ["", ""]
    return "/".join(parts[:3])


def ris(c: Citable) -> str:
    records = [_ris([("TY", "DATA"), ("TI", c.title), ("AU", AUTHOR), ("T2", DATASET),
                     ("PB", "techreg"), ("ET", c.version), ("UR", c.url),
                     ("Y2", _ris_date(c.accessed)), ("N1", f"Record {c.id} ({c.kind})")])]
    for s in c.sources:
        records.append(_ris([("TY", "ELEC"), ("TI", s["title"]), ("PB", s.get("publisher")),
                             ("UR", s.get("url")), ("PY", (s.get("published") or "")[:4] or None),
                             ("DA", _ris_date(s.get("published"))),
                             ("Y2", _ris_date(s.get("accessed"))), ("ID", s["id"])]))
    return "\n".join(records)


def render(c: Citable, fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown citation format {fmt!r}; use {', '.join(FORMATS)}")
    return {"bibtex": bibtex, "ris": ris, "csl-json": csl_json}[fmt](c)
