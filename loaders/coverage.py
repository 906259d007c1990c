"""Coverage of the curated data: a pure function from the built dataset to counts.

`coverage(dataset)` returns a Coverage with
- disputes by jurisdiction, by topic (Topics code) and by year: a dispute's year is the year
  it started, else the earliest year of its proceedings' dates (filed, heard, decided), else
  'unknown';
- proceedings by type (the most specific ontology class);
- the share of sources that are primary (rule below);
- unverified facts: the (record, field) pairs listed in records' `unverified`, by field.

A Source counts as primary when its publisher is the authority or company itself, read from
the data, or its host is an official one:
- the publisher, compared without case, is the name or an alias of a court, regulator,
  prosecutor, legislature, government body, supranational union or company record (a court's
  or regulator's own page, a company's own statement); or
- the URL's host is EU-official (europa.eu: EUR-Lex, curia, the Commission, the EDPB), a
  government domain (.gov, .gov.xx, .gouv.fr, .gob.xx, .go.xx, .gc.ca, .admin.ch, .bund.de,
  .overheid.nl, .fgov.be, .gv.at, .govt.nz, .gov.uk and the like) or the site of a court or
  regulator named in PRIMARY_HOSTS.
Everything else (news outlets, law firms, databases, mirrors) is secondary. The rule errs
towards 'secondary': a regulator's page on a commercial domain counts only when its
publisher field names the regulator.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from rdflib import RDF, RDFS, SKOS, Dataset, Graph, Literal, URIRef

from ontology import NS, model

SCHEMA_URL = URIRef("https://schema.org/url")
DCT_PUBLISHER = URIRef("http://purl.org/dc/terms/publisher")

AUTHORITY_CLASSES = ("Court", "Regulator", "Prosecutor", "Legislature", "GovernmentBody",
                     "SupranationalUnion", "Company")
PRIMARY_HOST_SUFFIXES = (
    "europa.eu", ".gov", ".gouv.fr", ".gc.ca", ".admin.ch", ".bund.de", ".overheid.nl",
    ".rechtspraak.nl", ".fgov.be", ".gv.at", ".govt.nz", ".judiciary.uk", ".courts.gov",
)
PRIMARY_HOST_PATTERNS = (
    re.compile(r"(^|\.)(gov|gob|go|gouv|govt|gv)\.[a-z]{2}$"),  # gov.uk, gob.es, go.kr, go.jp...
)
PRIMARY_HOSTS = frozenset({
    "www.catribunal.org.uk", "www.legifrance.gouv.fr", "www.conseil-etat.fr",
    "www.conseil-constitutionnel.fr", "www.cnil.fr", "www.arcep.fr", "en.arcep.fr",
    "www.bipt.be", "www.ibpt.be", "www.dataprotection.ie", "www.garanteprivacy.it",
    "www.aepd.es", "autoriteitpersoonsgegevens.nl", "www.bundeskartellamt.de",
    "www.bundesgerichtshof.de", "cnpd.public.lu", "www.cnpd.lu", "www.edpb.europa.eu",
    "www.stf.jus.br", "portal.stf.jus.br", "www.jftc.go.jp", "ftc.go.kr", "www.ftc.go.kr",
    "www.cci.gov.in", "rkn.gov.ru", "www.ca2.uscourts.gov", "www.supremecourt.gov",
})


@dataclass
class Coverage:
    disputes: int = 0
    proceedings: int = 0
    sources: int = 0
    primary_sources: int = 0
    disputes_by_jurisdiction: Counter = field(default_factory=Counter)
    disputes_by_topic: Counter = field(default_factory=Counter)
    disputes_by_year: Counter = field(default_factory=Counter)
    proceedings_by_type: Counter = field(default_factory=Counter)
    unverified_by_field: Counter = field(default_factory=Counter)

    @property
    def jurisdictions(self) -> int:
        """Jurisdictions with at least one dispute."""
        return len(self.disputes_by_jurisdiction)

    @property
    def primary_share(self) -> float:
        return self.primary_sources / self.sources if self.sources else 0.0

    @property
    def unverified(self) -> int:
        return sum(self.unverified_by_field.values())


def _local(iri) -> str:
    return re.split(r"[/#]", str(iri))[-1]


def _year(value) -> str | None:
    match = re.match(r"^(\d{4})", str(value))
    return match.group(1) if match else None


def is_primary_host(url: str) -> bool:
    host = (urlsplit(str(url)).hostname or "").lower()
    if not host:
        return False
    if host in PRIMARY_HOSTS or any(host.endswith(s) for s in PRIMARY_HOST_SUFFIXES):
        return True
    return any(p.search(host) for p in PRIMARY_HOST_PATTERNS)


def _merged(dataset: Dataset) -> Graph:
    graph = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def coverage(dataset: Dataset) -> Coverage:
    """The counts of a built dataset (see the module docstring for the rules)."""
    m = model()
    g = _merged(dataset)
    result = Coverage()

    def classes_of(subject) -> list[URIRef]:
        return [c for c in g.objects(subject, RDF.type) if m.is_own(c)]

    def is_a(subject, name: str) -> bool:
        target = m.classes[name].iri
        return any(target in m.ancestors(c) for c in classes_of(subject))

    def most_specific(subject) -> str:
        own = classes_of(subject)
        return _local(max(own, key=lambda c: (len(m.ancestors(c)), str(c)))) if own else "?"

    subjects = set(g.subjects(RDF.type, None))
    proceedings = [s for s in subjects if is_a(s, "Proceeding")]
    disputes = [s for s in subjects if is_a(s, "Dispute")]
    result.proceedings = len(proceedings)
    result.disputes = len(disputes)
    result.proceedings_by_type.update(most_specific(p) for p in proceedings)

    dates_of_dispute: dict = {}
    for p in proceedings:
        years = [_year(o) for key in ("filed", "heard", "decided")
                 for o in g.objects(p, NS[key])]
        for d in g.objects(p, NS.inDispute):
            dates_of_dispute.setdefault(d, []).extend(y for y in years if y)
    for d in disputes:
        for j in g.objects(d, NS.jurisdiction):
            result.disputes_by_jurisdiction[_local(j)] += 1
        for t in g.objects(d, NS.topic):
            code = g.value(t, SKOS.notation)
            result.disputes_by_topic[str(code) if code is not None else _local(t)] += 1
        started = [_year(o) for o in g.objects(d, NS.started)]
        years = [y for y in started if y] or sorted(dates_of_dispute.get(d, []))[:1]
        result.disputes_by_year[years[0] if years else "unknown"] += 1

    names: set[str] = set()
    for s in subjects:
        if any(is_a(s, c) for c in AUTHORITY_CLASSES if c in m.classes):
            for o in list(g.objects(s, RDFS.label)) + list(g.objects(s, SKOS.altLabel)):
                names.add(str(o).strip().lower())
    sources = [s for s in subjects if is_a(s, "Source")]
    result.sources = len(sources)
    for s in sources:
        publisher = str(g.value(s, DCT_PUBLISHER) or "").strip().lower()
        url = g.value(s, SCHEMA_URL)
        if publisher in names or (url is not None and is_primary_host(str(url))):
            result.primary_sources += 1

    for _s, o in g.subject_objects(NS.unverified):
        if isinstance(o, Literal):
            result.unverified_by_field[str(o)] += 1
    return result


def tables(cov: Coverage, top: int | None = None) -> list[tuple[str, list[str], list[tuple]]]:
    """The coverage as (title, header, rows) tables, largest counts first."""
    def ranked(counter: Counter, by_key: bool = False):
        items = sorted(counter.items(), key=(lambda kv: kv[0]) if by_key
                       else (lambda kv: (-kv[1], kv[0])))
        return items[:top] if top else items

    summary = [
        ("disputes", cov.disputes), ("proceedings", cov.proceedings),
        ("jurisdictions with a dispute", cov.jurisdictions), ("sources", cov.sources),
        ("primary sources", f"{cov.primary_sources} ({cov.primary_share:.0%})"),
        ("unverified facts", cov.unverified),
    ]
    return [
        ("Summary", ["what", "count"], summary),
        ("Disputes by jurisdiction", ["jurisdiction", "disputes"],
         ranked(cov.disputes_by_jurisdiction)),
        ("Disputes by topic", ["topic", "disputes"], ranked(cov.disputes_by_topic)),
        ("Disputes by year (started, else first proceeding date)", ["year", "disputes"],
         ranked(cov.disputes_by_year, by_key=True)),
        ("Proceedings by type", ["type", "proceedings"], ranked(cov.proceedings_by_type)),
        ("Unverified facts by field", ["field", "records"], ranked(cov.unverified_by_field)),
    ]


def markdown(cov: Coverage) -> str:
    """docs/coverage.md: the tables in Markdown, with the rules they follow."""
    out = ["# Coverage of the curated data", "",
           "Generated by `techreg stats --markdown` from the records in `data/`; do not edit.",
           "", "Rules: a dispute's year is the year it started, else the earliest year of its "
           "proceedings' dates (filed, heard, decided). A source is primary when its publisher "
           "is a court, regulator, prosecutor, legislature, government body, supranational union "
           "or company recorded in the data (under its name or an alias), or when its host is an "
           "official one (europa.eu such as EUR-Lex and curia, government domains, the sites of "
           "courts and regulators listed in `loaders/coverage.py`). Unverified facts are the "
           "fields records list in `unverified`.", ""]
    for title, header, rows in tables(cov):
        out += [f"## {title}", "", "| " + " | ".join(header) + " |",
                "|" + "---|" * len(header)]
        out += ["| " + " | ".join(str(x) for x in row) + " |" for row in rows]
        out.append("")
    return "\n".join(out)
