"""How fast the explorer's pages come up for readers: `python -m bench.pages [--readers 10]`.

It serves the explorer (explorer/serve.py) against the Neo4j the settings name, which must
hold the curated data (`techreg load`), and opens each page in headless Chromium (Debian's
package, driven by Playwright), first alone; then N readers at once, each going through
every page in its own order, with no pause between pages or (`--pause S`) reading each
page for S seconds on average, as a reader would. The N readers run twice:

- as sessions speaking Streamlit's protocol over its websocket, as the browser does, but
  drawing nothing: what the server answers N readers, each on a machine of their own;
- in N browser contexts of the same Chromium on this machine: readers whose browsers share
  the server's cores (a visit costs Chromium 2-3 s of CPU, so on two cores this crowd
  measures the browsers more than the server).

Two times per visit, from the start of the navigation:

- first content: the page's title is on screen (the app has connected, read the graph's
  counts and started drawing the page);
- complete: the page's run has finished (every table, chart and map of the page is sent;
  the graph component then draws in its own frame).

A visit in a fresh tab pays for Streamlit's frontend (its scripts parsed and started, a
session opened) before the app runs; a reader moving between pages in the sidebar does
not, so that is measured too: the time from the click to the new page's finished run.

Prints a Markdown report; `--json` also writes the raw times.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import statistics
import time
from pathlib import Path

PAGES = {  # page -> URL query of a typical view
    "home": "?page=home",
    "entity": "?page=entity&id=skype",
    "disputes": "?page=disputes",
    "case": "?page=case&id=skype-belgium-interception",
    "compare": "?page=compare&topic=telecom-operator-status",
    "map": "?page=map",
    "questions": "?page=questions&q=owner-as-of",
    "cypher": "?page=cypher",
    "sparql": "?page=sparql",
    "analytics": "?page=analytics",
    "export": "?page=export",
    "documents": "?page=documents",
}
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TITLE = "[data-testid=stMain] h1"
DONE = "[data-testid=stApp][data-test-script-state=notRunning]"


async def visit(context, url: str) -> tuple[float, float]:
    """Open one view in a fresh tab: seconds to its first content and to its completion."""
    page = await context.new_page()
    try:
        started = time.perf_counter()
        await page.goto(url, wait_until="commit")
        await page.locator(TITLE).first.wait_for(timeout=120_000)
        first = time.perf_counter() - started
        await page.locator(DONE).wait_for(state="attached", timeout=120_000)
        return first, time.perf_counter() - started
    finally:
        await page.close()


async def alone(browser, base: str, repeat: int, pages: dict[str, str]
                ) -> dict[str, list[tuple[float, float]]]:
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    await visit(context, base + "/" + PAGES["home"])  # the app's first run warms its caches
    times = {name: [await visit(context, f"{base}/{query}") for _ in range(repeat)]
             for name, query in pages.items()}
    await context.close()
    return times


async def in_app(browser, base: str, repeat: int, pages: dict[str, str]) -> dict[str, list[float]]:
    """Seconds from a click on a page's name in the sidebar to that page's finished run."""
    from explorer import PAGES as TITLES

    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    page = await context.new_page()
    await page.goto(base + "/?page=export")
    await page.locator(DONE).wait_for(state="attached", timeout=120_000)
    times: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(repeat):
        for name in pages:
            started = time.perf_counter()
            await page.locator("[data-testid=stSidebar]").get_by_text(
                TITLES[name], exact=True).click()
            await page.wait_for_function(
                "name => new URL(location).searchParams.get('page') === name && "
                "document.querySelector('[data-testid=stApp]').dataset.testScriptState === "
                "'notRunning' && !document.querySelector('[data-stale=true]')",
                arg=name, timeout=120_000, polling=20)
            times[name].append(time.perf_counter() - started)
    await context.close()
    return times


async def together(browser, base: str, readers: int, pages: dict[str, str], pause: float = 0
                   ) -> list[tuple[str, float, float]]:
    """N readers, each in a browser context of its own."""
    contexts = [await browser.new_context(viewport={"width": 1400, "height": 900})
                for _ in range(readers)]
    try:
        return await crowd(lambda n, query: visit(contexts[n], f"{base}/{query}"),
                           readers, pages, pause)
    finally:
        for context in contexts:
            await context.close()


async def session(base: str, query: str) -> tuple[float, float]:
    """One visit over Streamlit's own protocol, as the browser speaks it but drawing nothing:
    seconds until the page's title is sent and until its run has finished."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    started = time.perf_counter()
    first = None
    async with websockets.connect(base.replace("http", "ws", 1) + "/_stcore/stream",
                                  subprotocols=["streamlit"], origin=base, max_size=None) as ws:
        ask = BackMsg()
        ask.rerun_script.query_string = query.lstrip("?")
        await ws.send(ask.SerializeToString())
        async for raw in ws:
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if (first is None and kind == "delta" and msg.metadata.delta_path[0] == 0
                    and msg.delta.new_element.WhichOneof("type") == "heading"):
                first = time.perf_counter() - started  # the main area's first heading
            if kind == "script_finished":
                complete = time.perf_counter() - started
                return first or complete, complete
    raise RuntimeError(f"the explorer closed the session of {query} before its run finished")


async def crowd(visit_one, readers: int, pages: dict[str, str], pause: float
                ) -> list[tuple[str, float, float]]:
    """N readers at once, each through every page in its own order; `visit_one(reader,
    query)` makes one visit. With a pause, readers arrive spread over it and read each page
    for about that long (half to one and a half times) before the next."""
    async def reader(number: int) -> list[tuple[str, float, float]]:
        order = list(pages)
        rng = random.Random(number)
        rng.shuffle(order)
        await asyncio.sleep(rng.uniform(0, pause))
        out = []
        for name in order:
            out.append((name, *await visit_one(number, pages[name])))
            await asyncio.sleep(rng.uniform(0.5 * pause, 1.5 * pause))
        return out
    return [v for visits in await asyncio.gather(*(reader(n) for n in range(readers)))
            for v in visits]


def p95(values: list[float]) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


async def measure(base: str, readers: int, repeat: int, pages: dict[str, str] = PAGES,
                  pause: float = 0) -> dict:
    from playwright.async_api import async_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("Debian's chromium is needed: apt-get install chromium")
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium, args=FLAGS)
        single = await alone(browser, base, repeat, pages)
        moving = await in_app(browser, base, repeat, pages)
        browsers = await together(browser, base, readers, pages, pause)
        await browser.close()
    sessions = await crowd(lambda n, query: session(base, query), readers, pages, pause)
    return {"alone": single, "in_app": moving, "together": browsers, "sessions": sessions,
            "readers": readers, "repeat": repeat, "pause": pause}


def report(results: dict) -> str:
    n = results["readers"]
    if results.get("pause"):
        n = f"{n} (reading {results['pause']:g} s a page)"
    lines = ["| page | new tab: first content (median) | new tab: complete (median) | "
             "from the sidebar: complete (median) | "
             f"{n} readers, the server: first content (p95) | complete (p95) | "
             f"{n} readers in browsers here: first content (p95) | complete (p95) |",
             "|---|---|---|---|---|---|---|---|"]
    moving, crowds = results["in_app"], (results["sessions"], results["together"])
    for name, visits in results["alone"].items():
        cells = [f"{p95([v[i] for v in c if v[0] == name]):.2f} s" for c in crowds for i in (1, 2)]
        lines.append(f"| {name} | {statistics.median(v[0] for v in visits):.2f} s | "
                     f"{statistics.median(v[1] for v in visits):.2f} s | "
                     f"{statistics.median(moving[name]):.2f} s | " + " | ".join(cells) + " |")
    slowest = [max(statistics.median(v[i] for v in vs) for vs in results["alone"].values())
               for i in (0, 1)]
    cells = [f"{p95([v[i] for v in c]):.2f} s" for c in crowds for i in (1, 2)]
    lines.append(f"| **slowest page / all visits** | {slowest[0]:.2f} s | {slowest[1]:.2f} s | "
                 f"{max(statistics.median(v) for v in moving.values()):.2f} s | "
                 + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    from explorer.serve import serving
    from graph import db as dbmod

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3, help="visits of each page alone")
    parser.add_argument("--pause", type=float, default=0, help="seconds a reader spends on a "
                        "page before the next (on average; 0: no pause, the server saturated)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    with dbmod.connect(dbmod.Target.from_settings()) as db:
        if dbmod.counts(db)["nodes"] == 0:
            raise SystemExit("the graph is empty: load the curated data first (techreg load)")
    with serving() as url:
        results = asyncio.run(measure(url, args.readers, args.repeat, pause=args.pause))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1))
    print(report(results))


if __name__ == "__main__":
    main()
