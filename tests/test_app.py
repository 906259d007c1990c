"""The explorer's pages, run with Streamlit's AppTest against the real Neo4j.

The graph component cannot run without a browser, so its events are canned through the
adapter (explorer/viz.py): a test puts an event in session_state[viz.CANNED].
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES
from helpers import content_hash, markdown
from streamlit.testing.v1 import AppTest

from explorer import viz
from loaders.neo4j import load
from loaders.rdf import read_rdf
from ontology import ID

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture(autouse=True)
def keep_main_module():
    """AppTest leaves app.py as sys.modules['__main__']; put the real one back, or processes
    spawned later in the session (the SPARQL endpoint's workers) would run the app."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


@pytest.fixture(scope="module")
def curated(curated_db):
    return curated_db


@pytest.fixture
def app(curated, neo4j_target, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", neo4j_target.uri)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_target.password)

    def open_page(page: str, **params) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["page"] = page
        for key, value in params.items():
            at.query_params[key] = value
        return at.run()
    return open_page


def test_search_finds_skype_and_links_to_its_page(app):
    at = app("home", q="Skype")
    assert not at.exception
    text = markdown(at)
    assert '<a href="?page=entity&amp;id=skype" target="_self">Skype Technologies</a>' in text
    assert ('<a href="?page=entity&amp;id=skype-communications" target="_self">'
            "Skype Communications S.à r.l.</a>") in text
    assert "?page=questions&amp;q=owner-as-of" in text  # featured questions


def test_search_with_a_type_filter_and_hostile_text(app, curated):
    before = content_hash(curated)
    at = app("home", q="Court\" OR 1=1 }) DETACH DELETE n //", type="Court")
    assert not at.exception
    assert content_hash(curated) == before
    hits = [line for line in markdown(at).splitlines() if "?page=entity" in line]
    assert all(line.endswith("· Court") for line in hits)
    assert hits == []  # the text was searched for, not run: no name has all those words
    # Lucene and Cypher syntax around words that do match: escaped, and only courts come back.
    at = app("home", q='Court" of (Cassation) && || ! {} [] ^ ~ * ? : \\ / }) //', type="Court")
    assert not at.exception
    hits = [line for line in markdown(at).splitlines() if "?page=entity" in line]
    assert hits and all(line.endswith("· Court") for line in hits)
    assert any("Cassation" in line for line in hits)
    courts = app("home", q="cassation", type="Court")
    hits = [line for line in markdown(courts).splitlines() if "?page=entity" in line]
    assert hits and all(line.endswith("· Court") for line in hits)


def test_entity_page_shows_facts_sources_identifiers_and_roles(app):
    at = app("entity", id="skypeout-cjeu-2019")
    assert not at.exception, at.exception
    assert at.title[0].value.startswith("Skype Communications")
    text = markdown(at)
    assert "ecli: [ECLI:EU:C:2019:460](https://e-justice.europa.eu/ecli/ECLI:EU:C:2019:460)" in text
    assert "https://curia.europa.eu" in text or "eur-lex.europa.eu" in text  # a clickable source
    assert "published" in text and "checked 2026-11-26" in text
    facts = {row["fact"]: row["value"] for row in at.table[0].value.to_dict("records")}
    assert facts["decided"] == "2019-06-05"


def test_entity_graph_opens_and_expands_nodes(app, monkeypatch):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"page": "entity", "id": "skype-communications"})
    at.run()
    caption = next(c.value for c in at.caption if "nodes," in c.value)
    before = int(caption.split()[0])
    # Double-click (expand) on the Mechelen court case adds its neighbours.
    at.session_state[viz.CANNED] = {"action": "expand", "id": ID + "skype-mechelen-2016",
                                    "at": 1}
    at.run()
    caption = next(c.value for c in at.caption if "nodes," in c.value)
    assert int(caption.split()[0]) > before
    # A click opens the node's own page, and the URL says so.
    at.session_state[viz.CANNED] = {"action": "open", "id": ID + "bipt", "at": 2}
    at.run()
    assert at.query_params["id"] == ["bipt"] or at.query_params["id"] == "bipt"


def test_unknown_or_hostile_entity_ids_are_reported(app, curated):
    before = content_hash(curated)
    at = app("entity", id="x'}) MATCH (n) DETACH DELETE n //")
    assert not at.exception
    assert "No entity" in at.error[0].value
    assert content_hash(curated) == before


def test_disputes_page_filters_from_the_url(app):
    at = app("disputes", j="Belgium")
    assert not at.exception
    shown = next(c.value for c in at.caption if " of " in c.value and "disputes" in c.value)
    count, total = int(shown.split()[0]), int(shown.split()[2])
    assert 3 <= count < total
    at = app("disputes", dispute="skype-belgium-interception")
    names = [r["name"] for r in at.dataframe[-1].value.to_dict("records")]
    assert any("Cassation" in n for n in names)


def test_research_question_runs_with_parameters_and_shows_code(app):
    at = app("questions", q="owner-as-of", p_date="2012-09-01")
    assert not at.exception
    rows = at.dataframe[0].value.to_dict("records")
    assert rows[0]["name"] == "Microsoft Corporation"
    assert any("MATCH (a:Acquisition)" in c.value for c in at.code)
    assert any("SELECT ?owner" in c.value for c in at.code)


def test_cypher_console_runs_reads_and_refuses_writes(app, curated):
    at = app("cypher", cypher="MATCH (c:Company {uri: $x}) RETURN c.label AS name")
    assert "Neo4j" in at.error[0].value  # a missing parameter: Neo4j's message, no traceback
    at = app("cypher", cypher="MATCH (c:Company) RETURN count(c) AS companies")
    assert at.dataframe[0].value.to_dict("records")[0]["companies"] >= 40
    before = content_hash(curated)
    at = app("cypher", cypher="MATCH (n) DETACH DELETE n")
    assert "refused" in at.error[0].value
    assert content_hash(curated) == before
    assert any("timeout" in c.value and "rows" in c.value for c in at.caption)


def test_sparql_console(app):
    at = app("sparql", sparql="PREFIX tr: <https://w3id.org/techreg/ontology#> "
             "SELECT (COUNT(?d) AS ?n) WHERE { ?d a tr:Dispute }")
    assert not at.exception
    assert at.dataframe[0].value.to_dict("records")[0]["n"] >= 60
    at = app("sparql", sparql="SELECT WHERE {")
    assert "SPARQL syntax error" in at.error[0].value


def test_analytics_page_explains_a_path(app):
    at = app("analytics")
    assert not at.exception
    assert "Microsoft acquisition of Skype (2011)" in markdown(at)


def test_export_page_offers_downloads(app, curated):
    at = app("export")
    assert not at.exception
    nodes = curated.execute_query(
        "MATCH (n) WHERE NOT n:_TechregLock AND NOT n:_TechregMapping RETURN count(n)").records[0][0]
    assert any(c.value.startswith(f"{nodes:,} nodes and ") for c in at.caption)
    assert at.get("download_button")[0].proto.label == "Download Turtle"


def test_export_page_builds_csv_and_graphml_through_the_library(app):
    at = app("export")
    for fmt in ("CSV", "GraphML"):
        at.selectbox[0].select(fmt).run()
        assert not at.exception
        caption = next(c.value for c in at.caption if "relationships" in c.value)
        assert int(caption.split()[0]) > 100
        assert at.get("download_button")[0].proto.label == f"Download {fmt}"


def vega_charts(at: AppTest) -> list[tuple[dict, list[dict]]]:
    """Each Vega-Lite chart's spec and its data rows (sent beside the spec as Arrow)."""
    import json

    import pyarrow as pa

    def rows(arrow: bytes) -> list[dict]:
        return pa.ipc.open_stream(arrow).read_all().to_pylist() if arrow else []

    return [(json.loads(c.proto.spec), rows(c.proto.data.data)
             + [r for d in c.proto.datasets for r in rows(d.data.data)])
            for c in at.get("vega_lite_chart")]


def test_home_chart_labels_every_kind_by_its_ontology_label(app):
    at = app("home")
    assert not at.exception
    [(spec, rows)] = [(s, r) for s, r in vega_charts(at) if s["mark"]["type"] == "bar"]
    labels = [r["label"] for r in rows]
    assert {"Company", "Court", "Court case", "Dispute", "Law article"} <= set(labels)
    axis = spec["encoding"]["y"]["axis"]
    assert axis["labelOverlap"] is False and axis["labelLimit"] >= 300
    assert spec["height"] >= 22 * len(labels)  # a row per label: none is skipped


def test_empty_states_say_what_to_do(app):
    at = app("disputes", o="no outcome reads like this")
    assert not at.exception
    assert any("clear a facet" in i.value for i in at.info)
    at = app("questions", q="owner-as-of", p_date="1990-01-01")
    assert any("No answer for these values" in i.value for i in at.info)
    at = app("home", q="zzqx", type="Court")
    assert any("Nothing matches 'zzqx' among Court records" in i.value for i in at.info)
    at = app("cypher", cypher="MATCH (n:Nothing) RETURN n")
    assert any("no rows" in i.value for i in at.info)


def test_entity_page_reads_cleanly(app):
    at = app("entity", id="skype")
    assert not at.exception
    type_line = at.caption[0].value
    assert type_line == "Company · Organization · Agent · `skype`"  # kind, then parents once
    facts = {row["fact"]: row for row in at.table[0].value.to_dict("records")}
    assert facts["alias"]["value"] == "- Skype\n- Skype Technologies S.A."  # a list, not JSON
    assert facts["founded"]["value"] == "2003"
    assert "Onet Wiadomości says 2004" in facts["founded"]["other sources say"]
    assert facts["founded"]["sources"] == "1–3"  # the numbered sources below
    sources = next(m.value for m in at.markdown if m.value.startswith("1. ["))
    assert [line.split(".")[0] for line in sources.splitlines()] == ["1", "2", "3"]


def test_claims_read_as_source_says_value_beside_the_kept_value(app):
    at = app("entity", id="microsoft-acquires-skype-2011")
    facts = {row["fact"]: row for row in at.table[0].value.to_dict("records")}
    assert facts["price"]["value"] == "USD 8,500,000,000"
    assert "currency" not in facts  # shown with the amount
    assert "Computing and Daily Mail say 5000000000 GBP" in facts["price"]["other sources say"]
    assert "Yahoo News UK says 5200000000 GBP" in facts["price"]["other sources say"]
    text = markdown(at)
    assert ("- Yahoo News UK says price is <b>5200000000 GBP</b>; the record keeps "
            "<b>USD 8,500,000,000</b>") in text
    claim = app("entity", id="claim-microsoft-skype-price-gbp-5-2bn")
    text = markdown(claim)
    assert "- property: price" in text and "ontology#price" not in text  # no raw IRI
    assert "about: " in text and ">Microsoft acquisition of Skype (2011)</a>" in text


def test_the_graph_component_gets_captions_sizes_and_a_legend(app):
    import json

    at = app("entity", id="bipt")
    assert not at.exception
    [component] = at.get("bidi_component")
    assert component.proto.component_name == viz.COMPONENT
    # neo4j-viz's 5 MB script goes by URL, not inline in every page view
    assert component.proto.js_source_path.endswith("streamlit_v2/graph.js")
    assert not component.proto.js_content and not component.proto.css_content
    data = json.loads(component.proto.json)
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes[ID + "bipt"]["caption"] == "Belgian Institute for…"
    assert nodes[ID + "bipt"]["properties"]["name"] == (
        "Belgian Institute for Postal Services and Telecommunications")  # full name on hover
    assert all(n["caption"] for n in nodes.values())
    assert nodes[ID + "bipt"]["size"] == max(n["size"] for n in nodes.values())  # the hub
    captions = {r["caption"] for r in data["relationships"]}
    assert {"authority", "jurisdiction"} <= captions and all(captions)
    legend = {e["label"] for e in data["legend"]["nodes"]["entries"]}
    assert {"Regulator", "Country"} <= legend


def test_case_file_shows_parties_lanes_chain_laws_fines_and_related(app):
    import json

    at = app("case", id="skype-belgium-interception")
    assert not at.exception
    assert at.title[0].value == "Belgian prosecution v Skype (refusal to cooperate with interception)"
    assert [s.value for s in at.subheader] == ["Parties", "Proceedings", "Laws invoked",
                                               "Legal questions", "Fines", "Related disputes",
                                               "Sources", "Cite"]
    text = markdown(at)
    assert ">Skype Communications S.à r.l.</a>: respondent, defendant, appellant" in text
    assert ">Belgian public prosecution service</a>: prosecutor" in text
    assert ("**Appeal chain:** " in text and "Court of First Instance (Mechelen) (2016)</a> → "
            in text and "Court of Appeal of Antwerp (2017)</a> → " in text
            and "Court of Cassation (2019)</a>" in text)
    assert "Article 88bis, Code of Criminal Procedure</a> — of Belgian Code of Criminal Procedure" in text
    assert "- Lawful interception" in text
    assert "same company group: Skype Technologies" in text
    [chart] = at.get("vega_lite_chart")
    layers = json.loads(chart.proto.spec)["layer"]
    rule, dots = layers[0], layers[1]
    assert rule["mark"]["type"] == "rule" and [(v["lane"], v["lane2"]) for v in rule["data"]["values"]] == [
        ("first instance", "appeal"), ("appeal", "supreme / cassation")]  # the chain, drawn
    lanes = {v["lane"] for v in dots["data"]["values"]}
    assert {"first instance", "appeal", "supreme / cassation"} <= lanes
    assert dots["encoding"]["y"]["scale"]["domain"][-1] == "regulators and other authorities"
    amounts = [r["amount"] for df in at.dataframe for r in df.value.to_dict("records") if "amount" in r]
    assert amounts == ["EUR 30,000", "EUR 30,000"]


def test_entities_are_picked_by_name_not_typed_as_ids(app):
    at = app("analytics")
    assert not at.exception
    start = at.selectbox(key="w_from")
    assert start.value == "microsoft"
    assert start.format_func(start.value) == "Microsoft Corporation · Company"
    assert not [o for o in start.options if o.endswith(" · Participation")]
    start.select("skype-communications").run()
    assert at.query_params["from_id"] in (["skype-communications"], "skype-communications")
    assert markdown(at).startswith('<a href="?page=entity&amp;id=skype-communications"')
    at = app("questions", q="owner-as-of")
    company = at.selectbox(key="w_owner-as-of_company")
    assert company.value == "skype" and company.format_func("skype") == "Skype Technologies · Company"
    at = app("entity")
    picker = at.selectbox[0]
    assert picker.label == "Entity" and picker.value is None
    picker.select("bipt").run()
    assert at.title[0].value == "Belgian Institute for Postal Services and Telecommunications"


def test_case_file_without_an_id_offers_disputes_by_name(app):
    at = app("case")
    assert not at.exception
    picker = at.selectbox[0]
    assert picker.label == "Dispute" and picker.value is None
    assert picker.options and all(o.endswith(" · Dispute") for o in picker.options)  # labels
    picker.select("skype-belgium-interception").run()
    assert at.query_params["id"] in (["skype-belgium-interception"], "skype-belgium-interception")
    assert at.title[0].value.startswith("Belgian prosecution v Skype")


def test_entity_and_case_pages_offer_citations_that_parse_back(app):
    import json

    import bibtexparser
    import rispy

    at = app("entity", id="skype")
    assert not at.exception
    blocks = {c.language: c.value for c in at.code}
    library = bibtexparser.parse_string(blocks["latex"])
    assert not library.failed_blocks
    assert library.entries[0]["url"] == ID + "skype"
    assert len(library.entries) == 4  # the record and its three sources
    [ris_block] = [c.value for c in at.code if c.value.startswith("TY  - DATA")]
    assert [r["type_of_reference"] for r in rispy.loads(ris_block)] == ["DATA", "ELEC", "ELEC", "ELEC"]
    assert json.loads(blocks["json"])[0]["type"] == "dataset"
    case = app("case", id="skype-belgium-interception")
    assert any(c.value.startswith("@misc{techreg-skype-belgium-interception") for c in case.code)


def test_compare_a_legal_question_across_jurisdictions(app):
    at = app("compare")
    assert not at.exception
    assert at.selectbox(key="w_topic").value == "telecom-operator-status"
    rows = at.dataframe[0].value.to_dict("records")
    cells = {(r["jurisdiction"], r["year"]): r for r in rows}
    skype = cells[("Belgium", "2012")]
    assert "Belgian prosecution v Skype" in skype["disputes"]
    assert "Court of Cassation" in skype["authorities"] and "Cassation" in skype["outcomes"]
    assert len({r["jurisdiction"] for r in rows}) >= 2  # a comparison, not one country
    [(spec, data)] = vega_charts(at)
    assert spec["encoding"]["y"]["field"] == "jurisdiction"
    values = data or spec.get("data", {}).get("values", [])
    assert any(v["jurisdiction"] == "Belgium" for v in values)


def test_world_map_links_each_country_to_its_disputes_and_fines(app):
    at = app("map")
    assert not at.exception
    [drawn] = [m.value for m in at.markdown if "techreg-map" in m.value]
    assert 'xlink:href="?page=map&amp;measure=disputes&amp;country=BE"' in drawn
    assert re.search(r"<title>Belgium: \d+ disputes, \d+ fines? \(EUR [\d.,]+( m| bn)?\)</title>", drawn)
    assert "<title>United States of America: " in drawn  # the states' disputes count for the country
    assert "European Union" in markdown(at)  # supranational, listed beside the map

    at = app("map", country="BE", measure="fines")
    assert not at.exception and at.radio(key="w_measure").value == "fines"
    disputes, fines = (d.value.to_dict("records") for d in at.dataframe)
    assert any(d["dispute"].startswith("Belgian prosecution v Skype") for d in disputes)
    assert {"Belgium"} <= {d["jurisdiction"] for d in disputes}
    assert any(f["currency"] == "EUR" and f["dispute"].startswith("Belgian prosecution v Skype")
               for f in fines)
    assert "?page=case&amp;id=skype-belgium-interception" in markdown(at)


def test_compare_draws_the_question_on_the_map(app):
    at = app("compare", topic="telecom-operator-status")
    [drawn] = [m.value for m in at.markdown if "techreg-map" in m.value]
    assert "topic=telecom-operator-status&amp;country=BE" in drawn
    shaded = set(re.findall(r"<title>([^:<]+):", drawn))
    assert {"Belgium", "France", "Germany", "Morocco", "Saudi Arabia"} <= shaded
    table = {r["jurisdiction"] for r in at.dataframe[0].value.to_dict("records")}
    assert shaded <= table  # only countries where the question was raised


def test_pages_show_a_change_to_the_graph_at_the_next_view(app, curated):
    """Page reads are kept per version of the graph: a write shows at once, and the kept
    answers serve every later view until the next write."""
    skype = {"uri": str(ID["skype"])}
    assert app("entity", id="skype").title[0].value.startswith("Skype Technologies")
    curated.execute_query("MATCH (n:Resource {uri: $uri}) SET n.label = 'Skype (renamed)'",
                          skype)
    try:
        assert app("entity", id="skype").title[0].value.startswith("Skype (renamed)")
        assert app("entity", id="skype").title[0].value.startswith("Skype (renamed)")
    finally:
        curated.execute_query("MATCH (n:Resource {uri: $uri}) SET n.label = 'Skype Technologies'",
                              skype)
    assert app("entity", id="skype").title[0].value.startswith("Skype Technologies")


def test_page_reads_are_asked_once_per_version_and_cannot_write(curated):
    from neo4j.exceptions import ClientError

    from explorer import reads

    totals, first = reads.snapshot(curated)
    again = reads.snapshot(curated)[1]
    assert totals["nodes"] > 5000 and first.version == again.version
    asked = first.execute_query("MATCH (n:Resource) RETURN count(n) AS n")
    assert again.execute_query("MATCH (n:Resource) RETURN count(n) AS n") is asked
    assert first.execute_query("MATCH (n:Resource) RETURN count(n) AS n", limit=1) is not asked
    with pytest.raises(ClientError, match="(?i)read"):
        first.execute_query("CREATE (:Scratch)")
    # a write the explorer did not make (one that really commits: a node made and removed in
    # the same transaction may leave nothing to commit)
    curated.execute_query("CREATE (:Scratch)")
    try:
        later = reads.snapshot(curated)[1]
    finally:
        curated.execute_query("MATCH (x:Scratch) DELETE x")
    assert later.version != first.version
    assert later.execute_query("MATCH (n:Resource) RETURN count(n) AS n") is not asked


def test_the_app_says_how_to_fix_an_empty_graph(db, monkeypatch, neo4j_target):
    monkeypatch.setenv("NEO4J_URI", neo4j_target.uri)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_target.password)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert "techreg load" in at.warning[0].value


def test_the_app_says_how_to_start_neo4j_when_it_is_down(monkeypatch, tmp_path):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("TECHREG_NEO4J_HOME", str(tmp_path / "none"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "techreg neo4j start" in at.error[0].value


def test_loaded_fixture_counts_show_in_the_sidebar(db, monkeypatch, neo4j_target):
    load(read_rdf([FIXTURES / "skeleton.ttl"]), db)
    monkeypatch.setenv("NEO4J_URI", neo4j_target.uri)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_target.password)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert {m.label: m.value for m in at.sidebar.metric} == {"Nodes": "3", "Relationships": "2"}
