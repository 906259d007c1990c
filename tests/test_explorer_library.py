"""The library parts the explorer's pages call, tested without Neo4j or Streamlit: dispute
facets, subgraph downloads (CSV, GraphML), colours and icons derived from the ontology, and
the layering (graph/ never imports explorer/)."""

from __future__ import annotations

import ast
import csv
import io
import re
from pathlib import Path

import networkx as nx

from explorer import viz
from graph.browse import Subgraph
from graph.facets import DisputeFacets, filter_disputes, options, per_jurisdiction
from graph.networks import EDGE_COLUMNS, edges_csv, graphml, table_csv
from ontology import ID, NS, model

ROOT = Path(__file__).resolve().parent.parent


def dispute(id_, jurisdictions=(), topics=(), companies=(), outcome="", started=None):
    return {"id": id_, "name": id_, "jurisdictions": list(jurisdictions), "topics": list(topics),
            "companies": list(companies), "outcome": outcome, "started": started}


ROWS = [
    dispute("skype-be", ["Belgium"], ["telecom-status"], ["Skype Communications S.à r.l."],
            "Fined EUR 30,000", "2012-09"),
    dispute("yahoo-be", ["Belgium"], ["data-access"], ["Yahoo! Inc."], "Fine upheld", "2007"),
    dispute("ms-ireland", ["United States", "Ireland"], ["data-access"], ["Microsoft Corporation"],
            "Moot", "2013-12-04"),
    dispute("undated", [], [], [], ""),
]


def ids(rows):
    return [r["id"] for r in rows]


def test_no_facet_keeps_every_dispute():
    assert filter_disputes(ROWS, DisputeFacets()) == ROWS


def test_each_facet_narrows_and_lists_match_any_value():
    assert ids(filter_disputes(ROWS, DisputeFacets(jurisdictions=frozenset({"Belgium"})))) == [
        "skype-be", "yahoo-be"]
    assert ids(filter_disputes(ROWS, DisputeFacets(
        jurisdictions=frozenset({"Ireland", "Belgium"}), topics=frozenset({"data-access"})))) == [
        "yahoo-be", "ms-ireland"]
    group = frozenset({"Microsoft Corporation", "Skype Communications S.à r.l."})
    assert ids(filter_disputes(ROWS, DisputeFacets(companies=group))) == ["skype-be", "ms-ireland"]
    assert ids(filter_disputes(ROWS, DisputeFacets(companies=frozenset()))) == []
    assert ids(filter_disputes(ROWS, DisputeFacets(outcome="FINE"))) == ["skype-be", "yahoo-be"]


def test_year_span_is_inclusive_and_keeps_undated_disputes():
    assert ids(filter_disputes(ROWS, DisputeFacets(years=(2012, 2013)))) == [
        "skype-be", "ms-ireland", "undated"]
    assert ids(filter_disputes(ROWS, DisputeFacets(years=(2008, 2011)))) == ["undated"]


def test_options_and_counts():
    assert options(ROWS) == {"jurisdictions": ["Belgium", "Ireland", "United States"],
                             "topics": ["data-access", "telecom-status"],
                             "years": [2007, 2012, 2013]}
    assert per_jurisdiction(ROWS) == {"Belgium": 2, "United States": 1, "Ireland": 1,
                                      "unknown": 1}


SUB = Subgraph({str(ID["microsoft"]): {"name": "Microsoft Corporation", "kind": "Company"},
                str(ID["skype"]): {"name": "Skype, \"Technologies\"", "kind": "Company"},
                str(ID["microsoft-acquires-skype-2011"]): {"name": "Microsoft acquisition of Skype",
                                                           "kind": "Acquisition"}},
               [(str(ID["microsoft-acquires-skype-2011"]), "ACQUIRER", str(ID["microsoft"])),
                (str(ID["microsoft-acquires-skype-2011"]), "TARGET", str(ID["skype"]))])


def test_edges_csv_reads_back_with_ids_names_and_types():
    rows = list(csv.reader(io.StringIO(edges_csv(SUB))))
    assert rows[0] == EDGE_COLUMNS
    assert rows[1:] == [
        ["microsoft-acquires-skype-2011", "Microsoft acquisition of Skype", "ACQUIRER", "microsoft",
         "Microsoft Corporation"],
        ["microsoft-acquires-skype-2011", "Microsoft acquisition of Skype", "TARGET", "skype",
         'Skype, "Technologies"']]


def test_graphml_reads_back_as_the_same_graph():
    graph = nx.read_graphml(io.BytesIO(graphml(SUB)))
    assert {n: d for n, d in graph.nodes(data=True)} == SUB.nodes
    assert sorted((a, d["type"], b) for a, b, d in graph.edges(data=True)) == SUB.edges


def test_table_csv_quotes_values():
    assert table_csv(["a", "b"], [[1, "x,y"]]) == 'a,b\r\n1,"x,y"\r\n'


def entity_classes() -> set[str]:
    m = model()
    return {name for name, c in m.classes.items()
            if NS.Entity in m.ancestors(c.iri) and c.iri != NS.Entity}


def test_palette_covers_the_ontology_classes_under_entity_with_distinct_colours():
    palette = viz.palette()
    assert set(palette) == entity_classes()
    assert len(set(palette.values())) == len(palette)
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in palette.values())
    assert viz.colour("Concept") == viz.colour("Resource") == viz.GREY


def test_palette_is_deterministic_and_keeps_families_together():
    viz.palette.cache_clear()
    assert viz.palette() == viz.palette.__wrapped__()
    order = list(viz.palette())
    # a family's classes are contiguous in the walk the hues follow
    for family in ("Agent", "Event", "Law", "Jurisdiction"):
        m = model()
        members = [i for i, name in enumerate(order)
                   if NS[family] in m.ancestors(m.classes[name].iri)]
        assert members == list(range(members[0], members[0] + len(members))), family


def test_palette_is_readable_on_light_and_dark_backgrounds():
    def luminance(hex_colour):
        channels = [int(hex_colour[i: i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for name, colour in viz.palette().items():
        lum = luminance(colour)
        on_white, on_dark = 1.05 / (lum + 0.05), (lum + 0.05) / (luminance("#0e1117") + 0.05)
        assert on_white >= 1.5 and on_dark >= 1.5, (name, colour, on_white, on_dark)


def test_the_graph_payload_captions_every_node_and_relationship():
    nodes, rels = viz.payload(SUB)
    by_id = {n["id"]: n for n in nodes}
    assert by_id[str(ID["microsoft"])]["caption"] == "Microsoft Corporation"
    assert by_id[str(ID["microsoft-acquires-skype-2011"])]["caption"] == "Microsoft acquisition of…"
    assert by_id[str(ID["microsoft-acquires-skype-2011"])]["properties"]["name"] == (
        "Microsoft acquisition of Skype")  # the full name, on hover
    assert all(n["caption"] and n["color"] == viz.colour(SUB.nodes[n["id"]]["kind"]) for n in nodes)
    # size by importance: the acquisition touches both companies
    assert by_id[str(ID["microsoft-acquires-skype-2011"])]["size"] > by_id[str(ID["skype"])]["size"]
    assert sorted(r["caption"] for r in rels) == ["acquirer", "target"]  # ontology labels
    assert len({r["id"] for r in rels}) == len(rels)
    assert viz.legend(SUB) == {"Acquisition": viz.colour("Acquisition"),
                               "Company": viz.colour("Company")}


def imports(path: Path) -> set[str]:
    """Every module a file imports, including imports inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_the_library_never_imports_the_explorer():
    below = [p for folder in ("graph", "ontology", "loaders") for p in (ROOT / folder).rglob("*.py")]
    assert below
    offenders = {str(p.relative_to(ROOT)): sorted(m for m in imports(p)
                                                  if m == "explorer" or m.startswith("explorer."))
                 for p in below}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_explorer_names_no_id_namespace_of_its_own():
    for path in (ROOT / "explorer").glob("*.py"):
        assert str(ID) not in path.read_text(encoding="utf-8"), path.name


def test_case_file_lanes_are_the_court_levels_of_the_ontology_in_order():
    from graph import casefile

    m = model()
    scheme = set(m.concepts[NS.CourtLevels])
    codes = [code for code, _ in casefile.lanes()]
    assert set(casefile.LEVEL_ORDER) == scheme  # the order names every level, and only those
    assert codes == [casefile.AUTHORITIES, *casefile.LEVEL_ORDER, casefile.UNKNOWN_LEVEL]
    assert dict(casefile.lanes())["supreme"] == "supreme / cassation"  # the concept's label


def test_case_file_chains_and_timeline_links():
    from explorer.case import chains, timeline_data
    from graph.casefile import CaseFile

    case = CaseFile("d", "D", None, None, None, [], [], proceedings=[
        {"id": "a", "name": "A", "kind": "CourtCase", "date": "2016-10-27", "lane": "first-instance",
         "authority": "Court A", "outcome": None},
        {"id": "b", "name": "B", "kind": "Appeal", "date": "2017-11", "lane": "appeal",
         "authority": "Court B", "outcome": None},
        {"id": "c", "name": "C", "kind": "Appeal", "date": "2019", "lane": "supreme",
         "authority": "Court C", "outcome": None},
        {"id": "x", "name": "X", "kind": "Fine", "date": None, "lane": "authority",
         "authority": None, "outcome": None}],
        chain=[("b", "appeal of", "a"), ("c", "appeal of", "b")])
    assert chains(case) == [["a", "b", "c"]]
    points, links = timeline_data(case)
    assert [p["lane"] for p in points] == ["first instance", "appeal", "supreme / cassation"]
    assert [(link["day"], link["day2"]) for link in links] == [("2016-10-27", "2017-11-01"),
                                                              ("2017-11-01", "2019-01-01")]


def test_the_world_map_shades_counted_countries_and_links_each_to_its_drill_down():
    from xml.etree import ElementTree

    from explorer.atlas import areas, href
    from explorer.worldmap import EMPTY, svg

    fine = {"amount": 30000, "currency": "EUR"}
    rows = [{"iso": "BE", "name": "Belgium", "disputes": [{}] * 3, "fines": [fine]},
            {"iso": "US", "name": "United States", "disputes": [{}] * 40, "fines": []},
            {"iso": None, "name": "European Union", "disputes": [{}] * 9, "fines": [fine] * 4}]
    root = ElementTree.fromstring(svg(areas(rows, "disputes", "telecom-operator-status")))
    ns = {"s": "http://www.w3.org/2000/svg"}
    links = {a.get("{http://www.w3.org/1999/xlink}href"): a for a in root.iterfind(".//s:a", ns)}
    assert set(links) == {href("BE", "telecom-operator-status"), href("US", "telecom-operator-status")}
    belgium = links["?page=map&measure=disputes&topic=telecom-operator-status&country=BE"]
    assert belgium.find("s:title", ns).text == "Belgium: 3 disputes, 1 fine (EUR 30,000)"  # on hover
    assert belgium.find("s:g/s:path", ns).get("id") == "be"  # the country's own shape

    def opacity(a):
        return float(re.search(r"fill-opacity: ([\d.]+)", a.find("s:g", ns).get("style")).group(1))
    assert opacity(links[href("US", "telecom-operator-status")]) > opacity(belgium) > 0
    uncounted = root.find(".//s:g[@class='fr country map-element']", ns)
    assert uncounted is not None  # drawn, in the empty shade the style gives every country
    assert EMPTY in ElementTree.tostring(root, encoding="unicode")
    # by fines, a country without fines is not shaded, and the EU is never on the map
    by_fines = svg(areas(rows, "fines", None))
    assert 'xlink:href="?page=map&amp;measure=fines&amp;country=BE"' in by_fines
    assert "country=US" not in by_fines and "European" not in by_fines


def test_the_world_map_sends_its_shapes_to_a_tenth_of_a_unit():
    """The map's 2,200 shapes are most of a map page's text: their coordinates are cut to a
    tenth of a unit (a twentieth of a pixel as drawn) and written short."""
    from explorer.atlas import areas
    from explorer.worldmap import _tenth, svg

    assert [_tenth(re.match(r"-?\d+\.\d+", v)) for v in
            ("1287.49", "0.55", "-0.716", "10.5", "-100.05", "-0.04", "0.96", "12.0")] == \
        ["1287.5", ".6", "-.7", "10.5", "-100", "0", "1", "12"]
    drawn = svg(areas([{"iso": "BE", "name": "Belgium", "disputes": [{}], "fines": []}],
                      "disputes", None))
    shapes = re.findall(r'<path id="([^"]+)" d="([^"]*)"', drawn)
    assert len(shapes) > 2000 and "be" in dict(shapes)  # every shape kept, with its id
    assert not any(re.search(r"\d\.\d\d", d) for _, d in shapes)
    assert len(drawn) < 800_000  # pygal's own text is 1.1 MB


def test_the_explorer_server_sends_without_waiting_for_acknowledgements(monkeypatch):
    """Streamlit binds its listening socket without naming TCP, so asyncio leaves Nagle's
    algorithm on and every response on a kept-alive connection waits 40 ms for the browser's
    delayed ACK; `python -m explorer.serve` binds it so that accepted connections are
    TCP_NODELAY."""
    import asyncio
    import socket

    from streamlit.web.server.starlette import starlette_server

    from explorer.serve import no_nagle

    monkeypatch.setattr(starlette_server, "_bind_socket", starlette_server._bind_socket)

    async def accepted_nodelay() -> int:
        listening = starlette_server._bind_socket("127.0.0.1", 0, 8)
        loop = asyncio.get_running_loop()
        flag = loop.create_future()

        class Accept(asyncio.Protocol):
            def connection_made(self, transport):
                flag.set_result(transport.get_extra_info("socket").getsockopt(
                    socket.IPPROTO_TCP, socket.TCP_NODELAY))

        server = await loop.create_server(Accept, sock=listening)
        _, writer = await asyncio.open_connection(*listening.getsockname())
        try:
            return await asyncio.wait_for(flag, 10)
        finally:
            writer.close()
            server.close()
            await server.wait_closed()

    no_nagle()
    no_nagle()  # once is enough: a second call does not wrap the socket again
    assert starlette_server._bind_socket.no_nagle
    assert asyncio.run(accepted_nodelay()) != 0
