"""How fast the explorer's pages come up for readers: `python -m bench.pages [--readers 10]`.

It serves the explorer (explorer/serve.py) against the Neo4j the settings name, which must
hold the curated data (`techreg load`), and opens each page in headless Chromium (Debian's
package, driven by Playwright). Each reader's browser has a profile of its own on disk, as
an everyday browser does, so its cache keeps the explorer's scripts between visits (they
are served as immutable for a year) and Chromium keeps their compiled code.

- A first visit: each page in a new browser with an empty profile (a reader who has never
  opened the explorer).
- A returning reader: each page in a new tab of a browser that has been through the
  explorer once; then the same reader moving between pages in the sidebar.
- N readers at once, each through every page in its own order, with no pause between pages
  or (`--pause S`) reading each page for S seconds on average. They run twice:
  - as sessions speaking Streamlit's protocol over its websocket, as the browser does, but
    drawing nothing: what the server answers N readers, each on a machine of their own;
  - as N returning readers' browsers on this machine: readers whose browsers share the
    server's cores (a visit costs Chromium 1-4 s of CPU, so on two cores this crowd
    measures the browsers more than the server).

Two times per visit, from the moment the benchmark asks for the page:

- first content: the page's title is on screen (the app has connected, read the graph's
  counts and started drawing the page);
- complete: the page's run has finished (every table, chart and map of the page is sent;
  the graph component then draws in its own frame).

A browser notes both by its own clock, at the first frame drawn after each (`MARKS`); the
sessions over the protocol note when the title's message and the end of the run arrive.

Prints a Markdown report; `--json` also writes the raw times.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import statistics
import tempfile
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
VIEWPORT = {"width": 1400, "height": 900}
# The browser every Chromium driven here uses (this benchmark, bench.canvas, the browser
# tests, the README's screenshots): Debian's package, never a download.
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TITLE = "[data-testid=stMain] h1"
DONE = "[data-testid=stApp][data-test-script-state=notRunning]"
# Run in every page before the explorer's own scripts: the browser notes, by its own clock,
# when the page's title first is in the document and then when the page's run has finished,
# each at the next frame drawn after it. (Waiting for them from here would add the driver's
# polling, which backs off to half a second, to what the reader sees.)
MARKS = f"""
new MutationObserver((_, observer) => {{
  const note = name => requestAnimationFrame(() => {{
    window[name] = window[name] || performance.timeOrigin + performance.now(); }});
  if (window.__title === undefined && document.querySelector('{TITLE}')) {{
    window.__title = 0; note('__title'); }}
  if (window.__title !== undefined && window.__done === undefined
      && document.querySelector('{DONE}')) {{
    window.__done = 0; note('__done'); observer.disconnect(); }}
}}).observe(document, {{subtree: true, childList: true, attributes: true}});
"""


async def visit(browser, url: str) -> tuple[float, float]:
    """Open one view in a fresh tab: seconds from the start of the navigation (this side's
    clock) to its first content and to its completion (the browser's clock: the same system
    clock, read where the page is drawn)."""
    page = await browser.new_page()
    try:
        started = time.time()
        await page.goto(url, wait_until="commit")
        await page.wait_for_function("() => window.__done", timeout=120_000)
        title, done = await page.evaluate("() => [window.__title, window.__done]")
        return title / 1000 - started, done / 1000 - started
    finally:
        await page.close()


async def reader_browser(p, profile: Path):
    """A reader's browser: Chromium with a profile of its own in `profile`."""
    browser = await p.chromium.launch_persistent_context(
        profile, executable_path=chromium(), args=FLAGS, viewport=VIEWPORT)
    await browser.add_init_script(MARKS)
    return browser


async def first_visits(p, base: str, repeat: int, pages: dict[str, str], root: Path
                       ) -> dict[str, list[tuple[float, float]]]:
    """Each page opened by a reader who never opened the explorer: an empty profile."""
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in pages}
    for name, query in pages.items():
        for n in range(repeat):
            browser = await reader_browser(p, root / f"first-{name}-{n}")
            times[name].append(await visit(browser, f"{base}/{query}"))
            await browser.close()
    return times


async def returning(p, base: str, repeat: int, pages: dict[str, str], profile: Path
                    ) -> dict[str, list[tuple[float, float]]]:
    """Each page in a new tab of a browser that has been through the pages before (twice:
    Chromium keeps a script's compiled code from its second run)."""
    browser = await reader_browser(p, profile)
    for _ in range(2):
        for query in pages.values():
            await visit(browser, f"{base}/{query}")
    times = {name: [await visit(browser, f"{base}/{query}") for _ in range(repeat)]
             for name, query in pages.items()}
    await browser.close()
    return times


async def in_app(p, base: str, repeat: int, pages: dict[str, str], profile: Path
                 ) -> dict[str, list[float]]:
    """Seconds from a click on a page's name in the sidebar to that page's finished run."""
    from explorer import PAGES as TITLES

    browser = await reader_browser(p, profile)
    page = await browser.new_page()
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
    await browser.close()
    return times


async def together(p, base: str, readers: int, pages: dict[str, str], profile: Path,
                   pause: float = 0) -> list[tuple[str, float, float]]:
    """N returning readers, each in a browser of their own (a copy of a returning reader's
    profile), on this machine."""
    browsers = []
    for n in range(readers):
        shutil.copytree(profile, profile.with_name(f"reader-{n}"))
        browsers.append(await reader_browser(p, profile.with_name(f"reader-{n}")))
    try:
        return await crowd(lambda n, query: visit(browsers[n], f"{base}/{query}"),
                           readers, pages, pause)
    finally:
        for browser in browsers:
            await browser.close()


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


def chromium() -> str:
    """Debian's Chromium (no browser is downloaded)."""
    if CHROMIUM is None:
        raise SystemExit("Debian's chromium is needed: apt-get install chromium")
    return CHROMIUM


async def measure(base: str, readers: int, repeat: int, pages: dict[str, str] = PAGES,
                  pause: float = 0) -> dict:
    from playwright.async_api import async_playwright

    with tempfile.TemporaryDirectory(prefix="techreg-readers-") as root:
        profile = Path(root) / "returning"
        async with async_playwright() as p:
            first = await first_visits(p, base, repeat, pages, Path(root))
            again = await returning(p, base, repeat, pages, profile)
            moving = await in_app(p, base, repeat, pages, profile)
            browsers = await together(p, base, readers, pages, profile, pause)
    sessions = await crowd(lambda n, query: session(base, query), readers, pages, pause)
    return {"first": first, "alone": again, "in_app": moving, "together": browsers,
            "sessions": sessions, "readers": readers, "repeat": repeat, "pause": pause}


def report(results: dict) -> str:
    n = results["readers"]
    if results.get("pause"):
        n = f"{n} (reading {results['pause']:g} s a page)"
    lines = ["| page | first visit: first content (median) | returning reader, new tab: "
             "first content (median) | complete (median) | from the sidebar: complete "
             f"(median) | {n} readers, the server: first content (p95) | complete (p95) | "
             f"{n} readers in browsers here: first content (p95) | complete (p95) |",
             "|---|---|---|---|---|---|---|---|---|"]
    first, again, moving = results["first"], results["alone"], results["in_app"]
    crowds = (results["sessions"], results["together"])

    def median(visits, i=None) -> float:
        return statistics.median(v if i is None else v[i] for v in visits)
    for name in again:
        cells = [f"{p95([v[i] for v in c if v[0] == name]):.2f} s" for c in crowds for i in (1, 2)]
        lines.append(f"| {name} | {median(first[name], 0):.2f} s | {median(again[name], 0):.2f} s"
                     f" | {median(again[name], 1):.2f} s | {median(moving[name]):.2f} s | "
                     + " | ".join(cells) + " |")
    slowest = [max(median(vs, i) for vs in runs.values())
               for runs, i in ((first, 0), (again, 0), (again, 1))]
    cells = [f"{p95([v[i] for v in c]):.2f} s" for c in crowds for i in (1, 2)]
    lines.append("| **slowest page / all visits** | " + " | ".join(f"{v:.2f} s" for v in slowest)
                 + f" | {max(median(v) for v in moving.values()):.2f} s | "
                 + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    import streamlit.logger

    # No Streamlit runtime here: the pages' caches would warn as the explorer is imported.
    streamlit.logger.set_log_level("error")
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
