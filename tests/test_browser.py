"""End to end in a real headless Chromium (Debian's package, driven by Playwright without
any browser download) against the explorer served by Streamlit on the real Neo4j.
Screenshots go to test-artifacts/ (git-ignored)."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from helpers import content_hash

from bench import canvas
from bench.pages import CHROMIUM, FLAGS
from explorer import viz
from explorer.serve import serving
from ontology import ID

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed "
                                "(make test installs it)")


def _env(neo4j_target) -> dict[str, str]:
    return {**os.environ, "NEO4J_URI": neo4j_target.uri, "NEO4J_USERNAME": "neo4j",
            "NEO4J_PASSWORD": neo4j_target.password}


@pytest.fixture(scope="module")
def server(curated_db, neo4j_target):
    """The curated data in Neo4j and the explorer serving it on a free loopback port."""
    with serving(_env(neo4j_target)) as url:
        yield url, curated_db


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def test_search_skype_open_its_page_and_see_the_graph_drawn(page, server):
    url, _ = server
    page.goto(url)
    box = page.locator("input.stkeyup__input").first
    box.wait_for(timeout=60000)
    box.press_sequentially("Skype", delay=80)  # results follow the typing, no Enter needed
    page.get_by_role("link", name="Skype Communications S.à r.l.").click()
    page.get_by_role("heading", name="Skype Communications S.à r.l.").wait_for(timeout=60000)
    assert "id=skype-communications" in page.url
    shot(page, "1-entity")
    page.get_by_role("tab", name="Graph").click()
    canvas = graph_canvas(page)
    page.wait_for_timeout(3000)  # the layout settles
    shot(page, "2-graph")
    assert _coloured_pixels(page) > 200  # nodes were drawn on the canvas
    legend = page.locator(GRAPH).get_by_text("Legend")
    assert legend.is_visible() and page.locator(GRAPH).get_by_text("Company").first.is_visible()
    assert canvas.bounding_box()["height"] > 300


def test_double_click_expands_a_node(page, server):
    url, _ = server
    page.goto(f"{url}/?page=entity&id=bipt")
    page.get_by_role("tab", name="Graph").click()
    caption = page.get_by_text("nodes,").first
    caption.wait_for(timeout=60000)
    page.wait_for_timeout(3000)
    before = int(caption.inner_text().split()[0])
    canvas = graph_canvas(page)
    page.wait_for_timeout(3000)
    legend = page.locator(GRAPH).get_by_text("Legend").locator("xpath=../..").bounding_box()
    x, y = _find_colour(canvas, viz.colour("CourtCase"), avoid=legend)  # a court case
    box = canvas.bounding_box()
    page.mouse.dblclick(box["x"] + x, box["y"] + y)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        page.wait_for_timeout(500)
        now = page.get_by_text("nodes,").first.inner_text()
        if int(now.split()[0]) > before:
            break
    shot(page, "3-expanded")
    assert int(page.get_by_text("nodes,").first.inner_text().split()[0]) > before


def test_run_a_research_question(page, server):
    url, _ = server
    page.goto(f"{url}/?page=questions&q=owner-as-of&p_date=2012-09-01")
    cell(page, "Microsoft Corporation")
    page.wait_for_timeout(1000)
    shot(page, "4-question")
    # What a reader sees: one row, Microsoft owning Skype since the 2011 completion.
    assert page.get_by_text("1 rows").first.is_visible()
    grid = page.locator("table[role=grid]").first  # the grid's cells, kept for screen readers
    assert grid.locator("[role=columnheader]").all_text_contents() == ["owner", "name", "since",
                                                                       "stake"]
    rows = [row.locator("[role=gridcell]").all_text_contents()
            for row in grid.locator("tbody [role=row]").all()]
    assert rows == [[str(ID["microsoft"]), "Microsoft Corporation", "2011-10-13", "100"]]


def test_cypher_console_runs_a_query_and_refuses_a_write(page, server):
    url, db = server
    before = content_hash(db)
    page.goto(f"{url}/?page=cypher")
    editor = page.get_by_role("textbox", name="Cypher")
    editor.wait_for(timeout=60000)
    editor.fill("MATCH (d:Dispute) RETURN count(d) AS disputes")
    editor.press("Control+Enter")
    count = int(cell(page, r"^\d+$").inner_text())
    assert count >= 60
    editor.fill("MATCH (n) DETACH DELETE n")
    editor.press("Control+Enter")
    page.get_by_text("refused").first.wait_for(timeout=30000)
    shot(page, "5-cypher-refused")
    assert content_hash(db) == before


def test_a_shared_url_reproduces_the_view(page, server):
    url, _ = server
    page.goto(f"{url}/?page=disputes&j=Belgium&dispute=skype-belgium-interception")
    page.get_by_role("heading", name="Belgian prosecution v Skype").first.wait_for(timeout=60000)
    assert page.get_by_text("disputes").first.is_visible()
    caption = page.get_by_text(" of ").filter(has_text="disputes").first.inner_text()
    assert int(caption.split()[0]) < int(caption.split()[2])
    shot(page, "6-shared-url")


def cell(page, text):
    """A data-grid cell (drawn on a canvas, present in the DOM for accessibility)."""
    import re

    locator = page.locator("[role=gridcell]").filter(has_text=re.compile(text)).first
    locator.wait_for(state="attached", timeout=60000)
    return locator


_pixels = canvas.screenshot
GRAPH = canvas.GRAPH
graph_canvas = canvas.graph_canvas  # the same lookup the graph benchmark uses


def _coloured_pixels(page) -> int:
    return len(canvas.coloured(_pixels(graph_canvas(page))))


def _find_colour(locator, hex_colour: str, avoid: dict | None = None) -> tuple[int, int]:
    """The centre of the pixels of one node colour in a screenshot of the graph (outside the
    `avoid` box, in page coordinates: the legend's swatches have the same colours)."""
    target = tuple(int(hex_colour[i: i + 2], 16) for i in (1, 3, 5))
    image = _pixels(locator)
    origin = locator.bounding_box()

    def avoided(x, y):
        return avoid and (avoid["x"] <= origin["x"] + x <= avoid["x"] + avoid["width"]
                          and avoid["y"] <= origin["y"] + y <= avoid["y"] + avoid["height"])

    hits = [(x, y) for y in range(image.height) for x in range(image.width)
            if sum(abs(a - b) for a, b in zip(image.getpixel((x, y)), target, strict=True)) < 30
            and not avoided(x, y)]
    assert hits, f"no node of colour {hex_colour} drawn"
    first = hits[0]
    cluster = [(x, y) for x, y in hits if abs(x - first[0]) < 12 and abs(y - first[1]) < 12]
    return (sum(x for x, _ in cluster) // len(cluster), sum(y for _, y in cluster) // len(cluster))


def test_readers_see_page_titles_and_no_developer_toolbar(page, server):
    url, _ = server
    page.goto(f"{url}/?page=entity&id=skype")
    page.get_by_role("heading", name="Skype Technologies").first.wait_for(timeout=60000)
    page.wait_for_function("document.title === 'Skype Technologies · techreg'", timeout=30000)
    assert page.get_by_text("Deploy", exact=True).count() == 0
    assert page.locator("[data-testid=stAppDeployButton]").count() == 0
    page.goto(f"{url}/?page=disputes")
    page.get_by_role("heading", name="Disputes").first.wait_for(timeout=60000)
    page.wait_for_function("document.title === 'Disputes · techreg'", timeout=30000)
    page.goto(url)
    page.get_by_role("heading", name="What the graph holds").wait_for(timeout=60000)
    page.wait_for_timeout(2000)
    shot(page, "7-home-chart")
    # every bar of the home chart has its label drawn (Vega renders axis labels as SVG text)
    labels = page.locator("[data-testid=stVegaLiteChart] svg text, .vega-embed svg text")
    labels.first.wait_for(timeout=30000)
    texts = set(labels.all_text_contents())
    assert {"Company", "Court", "Court case", "Dispute", "Law article", "Regulator"} <= texts


def test_entity_facts_sit_beside_their_sources_and_other_claims(page, server):
    url, _ = server
    page.goto(f"{url}/?page=entity&id=microsoft-acquires-skype-2011")
    table = page.locator("[data-testid=stTable] table").first
    table.wait_for(timeout=60000)
    price = table.locator("tr").filter(has_text="USD 8,500,000,000")
    assert price.count() == 1
    cells = price.locator("td").all_inner_texts()
    assert cells[-2] == "1–9"  # its sources, numbered as in the list below
    assert "Yahoo News UK says 5200000000 GBP" in cells[-1].splitlines()
    assert page.get_by_text("Acquisition · Event").first.is_visible()
    shot(page, "8-entity-facts")
    page.goto(f"{url}/?page=entity&id=skype")
    aliases = page.locator("[data-testid=stTable] tr").filter(has_text="Skype Technologies S.A.")
    aliases.first.wait_for(timeout=60000)
    value = aliases.first.locator("td").nth(1).inner_text()
    assert value.splitlines() == ["Skype", "Skype Technologies S.A."]  # one item a line
    assert aliases.first.locator("td").nth(1).locator("li").count() == 2  # drawn as a list


def test_a_click_on_a_node_opens_its_page(page, server):
    url, _ = server
    page.goto(f"{url}/?page=entity&id=bipt")
    page.get_by_role("tab", name="Graph").click()
    canvas = graph_canvas(page)
    page.wait_for_timeout(3000)
    legend = page.locator(GRAPH).get_by_text("Legend").locator("xpath=../..").bounding_box()
    x, y = _find_colour(canvas, viz.colour("Country"), avoid=legend)  # Belgium
    box = canvas.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.get_by_role("heading", name="Belgium").first.wait_for(timeout=60000)
    assert "id=be" in page.url


def test_case_file_draws_lanes_and_the_appeal_chain(page, server):
    url, _ = server
    page.goto(f"{url}/?page=case&id=skype-belgium-interception")
    page.get_by_role("heading", name="Proceedings").wait_for(timeout=60000)
    chart = page.locator("[data-testid=stVegaLiteChart]").first
    chart.locator("svg").first.wait_for(timeout=60000)
    page.wait_for_timeout(1500)
    texts = set(chart.locator("svg text").all_text_contents())
    assert {"first instance", "appeal", "supreme / cassation",
            "regulators and other authorities"} <= texts  # one lane per level
    assert chart.locator("g.mark-rule line, g.mark-rule path").count() >= 2  # the chain
    assert chart.locator("g.mark-symbol path").count() >= 4  # the proceedings
    assert page.get_by_text("Appeal chain:").is_visible()
    chart.scroll_into_view_if_needed()
    shot(page, "9-case-file")


def test_the_path_finder_finds_entities_by_name_as_you_type(page, server):
    url, _ = server
    page.goto(f"{url}/?page=analytics")
    page.get_by_text("How are two entities connected?").wait_for(timeout=60000)
    picker = page.locator("[data-testid=stSelectbox]").filter(
        has=page.get_by_text("To", exact=True))
    picker.click()
    page.keyboard.type("Cassation", delay=60)
    option = page.get_by_role("option").filter(has_text="Cassation").first
    try:
        option.wait_for(timeout=30000)
    finally:
        shot(page, "10-path-typing")
    chosen = option.inner_text().split(" · ")[0]
    option.click()
    page.wait_for_function("location.search.includes('to_id=') && "
                           "!location.search.includes('antwerp-mechelen')", timeout=60000)
    page.get_by_role("link", name=chosen).last.wait_for(timeout=60000)  # the path's end
    shot(page, "11-path-by-name")


def test_a_record_can_be_cited_and_copied(page, server):
    url, _ = server
    page.goto(f"{url}/?page=entity&id=skype")
    page.get_by_role("tab", name="Cite").click()
    block = page.locator("[data-testid=stCode]").filter(has_text="@misc{techreg-skype").first
    block.wait_for(timeout=60000)
    block.hover()
    assert block.locator("button").count() >= 1  # Streamlit's copy button
    page.get_by_role("tab", name="RIS").click()
    page.get_by_text("TY  - DATA").first.wait_for(timeout=30000)
    shot(page, "12-cite")


def test_compare_jurisdictions_shows_a_table_and_a_chart(page, server):
    url, _ = server
    page.goto(f"{url}/?page=compare&topic=telecom-operator-status")
    page.get_by_role("heading", name="Compare jurisdictions").wait_for(timeout=60000)
    cell(page, "Belgian prosecution v Skype")
    chart = page.locator("[data-testid=stVegaLiteChart]").first
    chart.locator("svg").first.wait_for(timeout=60000)
    labels = chart.locator("svg text").all_text_contents()
    assert {"Belgium", "France", "Germany", "Morocco", "Saudi Arabia"} <= set(labels)  # each row
    shot(page, "13-compare")


def test_world_map_draws_countries_and_a_click_drills_down(page, server):
    url, _ = server
    page.goto(f"{url}/?page=map")
    page.get_by_role("heading", name="World map").wait_for(timeout=60000)
    belgium = page.locator("svg a:has(path#be)")
    belgium.wait_for(timeout=60000)
    fill = page.locator("svg g.be").evaluate("g => getComputedStyle(g).fill")
    empty = page.locator("svg g.aq").evaluate("g => getComputedStyle(g).fill")  # Antarctica
    assert fill == "rgb(232, 89, 12)" and fill != empty  # shaded, unlike a country without
    assert page.locator("svg a:has(g.us) > title").text_content().startswith("United States of America: ")
    shot(page, "14-map")
    page.locator("svg g.br").click()  # a large country (Belgium is a few pixels)
    page.wait_for_url(re.compile(r"country=BR"), timeout=60000)
    page.get_by_role("heading", name="Brazil").wait_for(timeout=60000)
    cell(page, "WhatsApp block ordered by a São Bernardo do Campo criminal court")


def test_compare_shows_its_question_on_the_map(page, server):
    url, _ = server
    page.goto(f"{url}/?page=compare&topic=telecom-operator-status")
    belgium = page.locator("svg a:has(path#be)")
    belgium.wait_for(timeout=60000)
    assert "topic=telecom-operator-status" in belgium.get_attribute("xlink:href")


def test_every_click_in_the_sidebar_moves_to_its_page(page, server):
    """Each click counts: the page radio once became a new widget after each move, so every
    other click was lost."""
    url, _ = server
    page.goto(f"{url}/?page=export")
    page.get_by_role("heading", name="Export").wait_for(timeout=60000)
    sidebar = page.locator("[data-testid=stSidebar]")
    for label, name in [("World map", "map"), ("Compare jurisdictions", "compare"),
                        ("Export", "export")]:
        sidebar.get_by_text(label, exact=True).click()
        page.get_by_role("heading", name=label).wait_for(timeout=60000)
        page.wait_for_url(re.compile(f"page={name}"), timeout=60000)


def test_export_downloads_the_graph_as_turtle_when_clicked(page, server):
    """The RDF is made when the reader clicks (the page itself no longer exports on each view)."""
    from rdflib import Graph

    url, _ = server
    page.goto(f"{url}/?page=export")
    button = page.get_by_role("button", name="Download Turtle")
    button.wait_for(timeout=60000)
    with page.expect_download(timeout=120000) as download:
        button.click()
    graph = Graph().parse(download.value.path(), format="turtle")
    assert (ID["skype"], None, None) in graph and len(graph) > 10000


def test_page_benchmark_smoke_run(server):
    """bench/pages.py on two pages with two readers: every visit is timed and reported (the
    figures themselves are for docs/benchmarks.md, not asserted)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from bench import pages

    url, _ = server
    chosen = {name: pages.PAGES[name] for name in ("case", "map")}
    # its own thread: this module's sync Playwright keeps an event loop in the main one
    with ThreadPoolExecutor(1) as thread:
        results = thread.submit(asyncio.run, pages.measure(url, readers=2, repeat=1,
                                                           pages=chosen)).result()
    assert set(results["first"]) == set(results["alone"]) == set(results["in_app"]) == set(chosen)
    for crowd in ("together", "sessions"):  # two readers in browsers, then over the protocol
        assert sorted(v[0] for v in results[crowd]) == ["case", "case", "map", "map"]
        assert all(0 < first <= complete for _, first, complete in results[crowd])
    assert all(0 < first <= complete for views in ("first", "alone")
               for visits in results[views].values() for first, complete in visits)
    report = pages.report(results)
    assert report.count("\n| ") == len(chosen) + 1  # a row per page and the summary


def test_graph_benchmark_smoke_run(browser, server, neo4j_target):
    """bench/canvas.py draws 300 nodes of the curated graph, pans and zooms it, and a click on
    a node opens it: every figure is measured (the figures are for docs/benchmarks.md)."""
    with serving(_env(neo4j_target), app=canvas.HARNESS) as url:
        result = canvas.one(browser, url, 300)
    assert result["drawing"].startswith("300 nodes, ")
    assert result["gestures_moved_the_drawing"]
    assert 0 < result["drawn_s"] <= result["settled_s"]
    for gesture in ("pan", "zoom"):
        assert result[gesture]["redraws_per_s"] > 0 and result[gesture]["longest_frame_ms"] > 0
    assert result["click_to_open_s"] > 0
    assert canvas.report([result]).splitlines()[-1].startswith("| 300 | 300 nodes, ")
