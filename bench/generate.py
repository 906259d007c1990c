"""Synthetic datasets in the ontology's own shape, deterministic by seed.

Companies, acquisitions, laws, courts, disputes, proceedings (with appeals), participations
and sources, with full and partial dates, amounts and language-tagged names; the mix is
roughly that of the curated data. `python -m bench.generate 100000 -o out/bench-100k.nt`.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

TR = "https://w3id.org/techreg/ontology#"
ID = "https://w3id.org/techreg/id/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SOURCE = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
TOPICS = ["telecom-operator-status", "data-protection", "competition", "merger-control",
          "data-localisation", "lawful-interception", "law-enforcement-access"]
ROLES = ["defendant", "prosecutor", "appellant", "respondent", "claimant"]
LEVELS = ["first-instance", "appeal", "supreme"]
COUNTRIES = ["be", "fr", "de", "nl", "ie", "lu", "it", "es", "us", "gb", "ru", "in", "br", "tr"]


def _n(local: str) -> ox.NamedNode:
    return ox.NamedNode(ID + local)


def _p(local: str) -> ox.NamedNode:
    return ox.NamedNode(TR + local)


def _typed(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


def _date(rng: random.Random, year_from: int = 1995, year_to: int = 2024) -> tuple[str, str]:
    year = rng.randint(year_from, year_to)
    kind = rng.random()
    if kind < 0.15:
        return str(year), "gYear"
    if kind < 0.3:
        return f"{year}-{rng.randint(1, 12):02d}", "gYearMonth"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "date"


def triples(size: int, seed: int = 7) -> Iterator[ox.Triple]:
    """About `size` triples (a little more: the last unit is completed)."""
    rng = random.Random(seed)
    count = 0

    def emit(s, p, o):
        nonlocal count
        count += 1
        return ox.Triple(s, p, o)

    for code in COUNTRIES:
        yield emit(_n(code), RDF_TYPE, _p("Country"))
        yield emit(_n(code), LABEL, ox.Literal(f"Country {code.upper()}", language="en"))
        yield emit(_n(code), _p("isoCode"), ox.Literal(code.upper()))
    unit = 0
    while count < size:
        unit += 1
        src = _n(f"src-{unit}")
        yield emit(src, RDF_TYPE, _p("Source"))
        yield emit(src, ox.NamedNode("https://schema.org/url"),
                   _typed(f"https://example.org/news/{unit}", "anyURI"))
        yield emit(src, ox.NamedNode("http://purl.org/dc/terms/publisher"),
                   ox.Literal(f"Publisher {unit % 40}"))
        yield emit(src, ox.NamedNode("http://purl.org/dc/terms/title"),
                   ox.Literal(f"Report number {unit} on a dispute"))
        yield emit(src, _p("accessed"), _typed("2026-11-26", "date"))
        country = _n(rng.choice(COUNTRIES))
        company, target = _n(f"company-{unit}"), _n(f"company-{unit}-target")
        for c, name in ((company, f"Company {unit}"), (target, f"Target {unit} S.à r.l.")):
            yield emit(c, RDF_TYPE, _p("Company"))
            yield emit(c, LABEL, ox.Literal(name))
            if rng.random() < 0.3:
                yield emit(c, LABEL, ox.Literal(f"Société {unit}", language="fr"))
            yield emit(c, _p("headquarters"), country)
            value, datatype = _date(rng, 1970, 2010)
            yield emit(c, _p("founded"), _typed(value, datatype))
            yield emit(c, SOURCE, src)
        deal = _n(f"acquisition-{unit}")
        yield emit(deal, RDF_TYPE, _p("Acquisition"))
        yield emit(deal, LABEL, ox.Literal(f"Company {unit} buys Target {unit}"))
        yield emit(deal, _p("acquirer"), company)
        yield emit(deal, _p("target"), target)
        value, datatype = _date(rng, 2000, 2015)
        yield emit(deal, _p("completed"), _typed(value, datatype))
        yield emit(deal, _p("price"), _typed(str(rng.randint(1, 900) * 10_000_000), "decimal"))
        yield emit(deal, _p("currency"), ox.Literal(rng.choice(["USD", "EUR", "GBP"])))
        yield emit(deal, _p("stake"), _typed(str(rng.choice([51, 65, 100])), "decimal"))
        yield emit(deal, SOURCE, src)
        law = _n(f"law-{unit}")
        yield emit(law, RDF_TYPE, _p("Statute"))
        yield emit(law, LABEL, ox.Literal(f"Act {unit} on electronic communications"))
        yield emit(law, _p("jurisdiction"), country)
        value, datatype = _date(rng, 1990, 2015)
        yield emit(law, _p("adopted"), _typed(value, datatype))
        yield emit(law, SOURCE, src)
        dispute = _n(f"dispute-{unit}")
        yield emit(dispute, RDF_TYPE, _p("Dispute"))
        yield emit(dispute, LABEL, ox.Literal(f"State v Company {unit}"))
        yield emit(dispute, _p("topic"), ox.NamedNode(
            "https://w3id.org/techreg/id/topic/" + rng.choice(TOPICS)))
        yield emit(dispute, _p("jurisdiction"), country)
        value, datatype = _date(rng, 2005, 2020)
        yield emit(dispute, _p("started"), _typed(value, datatype))
        yield emit(dispute, SOURCE, src)
        previous = None
        for level in range(rng.randint(1, 3)):
            court = _n(f"court-{unit % 200}-{level}")
            yield emit(court, RDF_TYPE, _p("Court"))
            yield emit(court, LABEL, ox.Literal(f"Court {unit % 200} level {level}"))
            yield emit(court, _p("jurisdiction"), country)
            yield emit(court, _p("courtLevel"), ox.NamedNode(
                "https://w3id.org/techreg/id/court-level/" + LEVELS[level]))
            yield emit(court, SOURCE, src)
            step = _n(f"proceeding-{unit}-{level}")
            yield emit(step, RDF_TYPE, _p("Appeal" if previous else "CourtCase"))
            yield emit(step, LABEL, ox.Literal(f"State v Company {unit}, level {level}"))
            yield emit(step, _p("inDispute"), dispute)
            yield emit(step, _p("authority"), court)
            yield emit(step, _p("decided"), _typed(f"{2010 + level}-0{level + 1}-15", "date"))
            yield emit(step, _p("invokes"), law)
            yield emit(step, _p("outcome"), ox.Literal("Fine upheld." if level else "Fined."))
            if rng.random() < 0.5:
                yield emit(step, _p("penaltyAmount"),
                           _typed(str(rng.randint(1, 5000) * 1000), "decimal"))
                yield emit(step, _p("penaltyCurrency"), ox.Literal("EUR"))
            if previous is not None:
                yield emit(step, _p("appealOf"), previous)
            for index, role in enumerate(rng.sample(ROLES, 2), start=1):
                party = _n(f"proceeding-{unit}-{level}/parties/{index}")
                yield emit(step, _p("hasParticipation"), party)
                yield emit(party, RDF_TYPE, _p("Participation"))
                yield emit(party, _p("participant"), company if index == 1 else country)
                yield emit(party, _p("role"), ox.NamedNode(
                    "https://w3id.org/techreg/id/role/" + role))
                yield emit(party, SOURCE, src)
            yield emit(step, SOURCE, src)
            previous = step


def write(size: int, path: Path, seed: int = 7) -> int:
    """Write a dataset of about `size` triples; the format follows the suffix (.nt or .ttl)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fmt = ox.RdfFormat.TURTLE if path.suffix == ".ttl" else ox.RdfFormat.N_TRIPLES
    count = 0

    def counted():  # streamed, so a 10M-triple file never sits in memory
        nonlocal count
        for count, triple in enumerate(triples(size, seed), 1):  # noqa: B007
            yield triple

    with open(path, "wb") as out:
        ox.serialize(counted(), out, fmt, prefixes={"tr": TR, "id": ID, "xsd": XSD}
                     if fmt == ox.RdfFormat.TURTLE else None)
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("size", type=int)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(write(args.size, args.output, args.seed))


if __name__ == "__main__":
    main()
