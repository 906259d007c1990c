"""The curated dataset: valid, within the ontology, covering what the project promises."""

from __future__ import annotations

import pytest
from pyoxigraph import Store
from rdflib import OWL, RDF, Graph

from loaders.records import build_dataset, write_outputs
from ontology import model

PREFIXES = """
PREFIX tr: <https://w3id.org/techreg/ontology#>
PREFIX id: <https://w3id.org/techreg/id/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


@pytest.fixture(scope="module")
def dataset():
    return build_dataset()  # raises with every problem if data/ is invalid


@pytest.fixture(scope="module")
def store(dataset):
    """The built data plus the ontology (for subclass queries), in pyoxigraph."""
    merged = Graph()
    for s, p, o, _ in dataset.quads():
        merged.add((s, p, o))
    merged += model().graph
    result = Store()
    result.load(merged.serialize(format="nt").encode(), "application/n-triples")
    return result


def count(store, where: str) -> int:
    rows = list(store.query(PREFIXES + f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}"))
    return int(rows[0]["n"].value)


def test_every_term_used_in_the_data_is_declared_in_the_ontology(dataset):
    m = model()
    declared_classes = {c.iri for c in m.classes.values()}
    for _s, p, o, _ in dataset.quads():
        assert p == RDF.type or p in m.by_iri or (p, RDF.type, OWL.AnnotationProperty) in \
            m.graph or str(p).startswith(str(RDF)), f"undeclared property {p}"
        if p == RDF.type:
            assert o in declared_classes, f"undeclared class {o}"


@pytest.mark.parametrize("what, where, at_least", [
    ("disputes", "?x a tr:Dispute", 60),
    ("jurisdictions of disputes", "?d a tr:Dispute ; tr:jurisdiction ?x", 20),
    ("companies", "?x a tr:Company", 40),
    ("acquisitions", "?x a tr:Acquisition", 25),
    ("laws", "?x a/rdfs:subClassOf* tr:Law", 40),
])
def test_coverage(store, what, where, at_least):
    assert count(store, where) >= at_least, what


def test_every_record_has_a_source_with_url_and_date(store):
    unsourced = count(store, """?x a/rdfs:subClassOf* tr:Entity .
        FILTER NOT EXISTS { ?x a tr:Source } FILTER NOT EXISTS { ?x prov:wasDerivedFrom ?s }""")
    assert unsourced == 0
    undated = count(store, """?x a tr:Source .
        FILTER NOT EXISTS { ?x <https://schema.org/url> ?u ; tr:accessed ?d }""")
    assert undated == 0


def test_the_belgian_skype_dispute_runs_through_every_court_level(store):
    rows = store.query(PREFIXES + """
        SELECT ?level ?decided WHERE {
          ?p tr:inDispute id:skype-belgium-interception ; tr:authority ?court ; tr:decided ?decided .
          ?court tr:courtLevel/skos:notation ?level .
        } ORDER BY ?decided""")
    assert [(r["level"].value, r["decided"].value[:4]) for r in rows] == [
        ("first-instance", "2016"), ("appeal", "2017"), ("supreme", "2019")]


def test_microsoft_bought_skype_in_2011_for_8_5_billion_dollars(store):
    rows = list(store.query(PREFIXES + """
        SELECT ?price ?currency ?completed WHERE {
          ?a a tr:Acquisition ; tr:acquirer id:microsoft ; tr:target id:skype ;
             tr:price ?price ; tr:currency ?currency ; tr:completed ?completed }"""))
    assert [(float(r["price"].value), r["currency"].value, r["completed"].value[:4])
            for r in rows] == [(8.5e9, "USD", "2011")]


def test_disagreeing_sources_are_kept_as_claims(store):
    assert count(store, "?x a tr:Claim ; tr:about ?r ; prov:wasDerivedFrom ?s") >= 10


def test_build_is_deterministic(dataset, tmp_path):
    first = write_outputs(dataset, tmp_path / "a")
    second = write_outputs(build_dataset(), tmp_path / "b")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


# --- the rules of issue 18 ---------------------------------------------------------------

def test_cjeu_preliminary_rulings_are_court_cases_that_follow_a_national_referral(store):
    # every CJEU judgment other than an appeal is a CourtCase following the national court's
    # Referral; no Referral has the CJEU as its authority
    rulings = list(store.query(PREFIXES + """
        SELECT ?p ?type ?ref ?refType ?refCourt WHERE {
          ?p tr:authority id:cjeu ; a ?type . FILTER (?type IN (tr:CourtCase, tr:Referral))
          OPTIONAL { ?p tr:follows ?ref . ?ref a ?refType ; tr:authority ?refCourt } }"""))
    assert len(rulings) >= 12
    for r in rulings:
        assert r["type"].value.endswith("#CourtCase"), r["p"].value
        assert r["refType"] is not None and r["refType"].value.endswith("#Referral"), r["p"].value
        assert r["refCourt"].value != "https://w3id.org/techreg/id/cjeu", r["p"].value
    followed = {(r["p"].value.rsplit("/", 1)[1], r["ref"].value.rsplit("/", 1)[1])
                for r in rulings}
    assert {("uber-spain-elite-taxi-cjeu", "uber-spain-barcelona-referral-2015"),
            ("uberpop-cjeu-2018", "uberpop-lille-referral"),
            ("airbnb-france-cjeu", "airbnb-paris-referral-2018"),
            ("skypeout-cjeu-2019", "skypeout-referral-2018"),
            ("gmail-cjeu-2019", "gmail-ovg-referral-2018"),
            ("be-dpa-facebook-cjeu-2021", "be-dpa-facebook-referral-2019")} <= followed


def test_a_preliminary_ruling_shows_in_the_appeal_chain(store):
    from graph import queries
    result = queries.run_sparql(store, queries.get("appeal-chain"),
                                {"proceeding": "skypeout-referral-2018"})
    rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
    steps = {r["step"]: r["decision"].rsplit("/", 1)[1] for r in rows}
    assert steps[0] == "skypeout-referral-2018" and steps[1] == "skypeout-cjeu-2019"
    assert [r["follows"] for r in rows if r["step"] == 1] == [
        "https://w3id.org/techreg/id/skypeout-referral-2018"]


# --- coverage (loaders/coverage.py, `techreg stats`) --------------------------------------

@pytest.fixture(scope="module")
def cov(dataset):
    from loaders.coverage import coverage
    return coverage(dataset)


def test_coverage_counts_agree_with_the_graph(store, cov):
    assert cov.disputes == count(store, "?x a tr:Dispute")
    assert cov.proceedings == count(store, "?x a/rdfs:subClassOf* tr:Proceeding")
    assert sum(cov.proceedings_by_type.values()) == cov.proceedings
    assert sum(cov.disputes_by_year.values()) == cov.disputes
    assert cov.jurisdictions == count(store, "?d a tr:Dispute ; tr:jurisdiction ?x")
    assert cov.sources == count(store, "?x a tr:Source")
    assert cov.unverified == count(store, "?r tr:unverified ?f BIND (CONCAT(STR(?r), ?f) AS ?x)")
    assert 0 < cov.primary_sources < cov.sources


def test_coverage_spot_counts(cov):
    assert cov.disputes_by_jurisdiction["be"] >= 4
    assert cov.disputes_by_topic["telecom-operator-status"] >= 4
    assert cov.proceedings_by_type["Referral"] >= 10
    assert cov.disputes_by_year["2016"] >= 5
    assert cov.unverified_by_field["wikidata"] <= 10  # the QIDs checked in issue 18


def test_the_primary_source_rule():
    from loaders.coverage import is_primary_host
    for url in ("https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:62012CN0131",
                "http://curia.europa.eu/juris/document/document.jsf?docid=123131",
                "https://www.ftc.gov/news", "https://www.legislation.gov.uk/eudr/2006/24",
                "https://ftc.go.kr/eng/sub.do?key=492", "https://www.jftc.go.jp/houdou/",
                "https://en.arcep.fr/arcep/our-duties.html"):
        assert is_primary_host(url), url
    for url in ("https://www.reuters.com/x", "https://elfri1.rssing.com/chan-1/a.html",
                "https://en.wikipedia.org/wiki/Roskomnadzor", "https://www.govtech.com/x"):
        assert not is_primary_host(url), url


def test_coverage_markdown_has_every_table(cov):
    from loaders.coverage import markdown
    text = markdown(cov)
    for title in ("Summary", "Disputes by jurisdiction", "Disputes by topic", "Disputes by year",
                  "Proceedings by type", "Unverified facts by field"):
        assert f"## {title}" in text


def test_the_data_meets_the_round_two_targets(cov):
    assert cov.disputes >= 200 and cov.proceedings >= 500 and cov.jurisdictions >= 40


# --- spot facts of the issue 18 fixes -----------------------------------------------------

def _value(store, subject: str, prop: str) -> list[str]:
    return sorted(r["v"].value for r in store.query(
        PREFIXES + f"SELECT ?v WHERE {{ id:{subject} tr:{prop} ?v }}"))


def test_spot_facts_of_the_defect_fixes(store):
    assert "21 December 2020" in " ".join(
        r["d"].value for r in store.query(PREFIXES + "SELECT ?d WHERE { id:directive-2018-1972 "
                                          "rdfs:comment ?d }"))
    assert _value(store, "silver-lake-group-acquires-skype-2009", "completed") == ["2009-11"]
    assert _value(store, "silver-lake-group-acquires-skype-2009", "stake") == ["56"]
    assert _value(store, "skype-mechelen-2016", "heard") == ["2016-09-15"]
    assert _value(store, "skype-mechelen-2016", "filed") == []
    assert "https://w3id.org/techreg/id/be-code-criminal-procedure-art-46bis" not in \
        _value(store, "skype-mechelen-2016", "invokes")
    assert _value(store, "google-spain-cjeu-2014", "filed") == ["2012-03-09"]
    assert _value(store, "ms-warrant-supreme-court-2018", "heard") == ["2018-02-27"]
    assert _value(store, "ap-uber-fine-2024", "decided") == ["2024-08-26"]
    assert count(store, "?x tr:date ?d") == 0  # the old property is gone
    urls = count(store, "?x a tr:Source ; <https://schema.org/url> ?u")
    assert count(store, "?x a tr:Source") == urls


def test_the_whole_data_passes_the_record_rules():
    from pathlib import Path

    from loaders import rules
    from loaders.records import DATA_DIR, data_files, read_records
    by_file = {str(p): read_records(p) for p in data_files([Path(DATA_DIR)])}
    index = {r.id: r for records in by_file.values() for r in records}
    assert rules.check(by_file, index) == []
