"""How the explorer's graph holds up as it grows: `python -m bench.canvas [--sizes 50,150,300]`.

It serves `bench/canvas_app.py` (the explorer's graph component alone, drawing n nodes of the
curated graph, which the Neo4j the settings name must hold) and drives it in headless
Chromium (Debian's package, through Playwright). For each size, from the start of the
navigation:

- drawn: the canvas shows coloured nodes;
- settled: the force layout has stopped moving (two screenshots half a second apart agree);

then, on the settled drawing, with a frame counter (requestAnimationFrame) running in the page:

- pan: the mouse drags the drawing to and fro for about two seconds, its moves sent as fast
  as the browser takes them: how many frames
  a second redrew the graph (a frame redraws when the canvas's drawing calls ran in it), the
  longest frame of the page, and the longest wait between two redraws;
- zoom: wheel steps in and out for about two seconds; the same figures;
- click: from a click on a node to the page naming the node it opens (this includes the
  0.4 s the component waits to tell a click from a double-click).

A frame longer than 100 ms is a stutter a reader notices; 30 redraws a second or more read
as smooth. Prints a Markdown table; `--json` also writes the raw figures.
"""

from __future__ import annotations

import argparse
import io
import json
import time
from pathlib import Path

from bench.pages import FLAGS, chromium

HARNESS = Path(__file__).with_name("canvas_app.py")
GRAPH = "[data-testid=stBidiComponentIsolated]"  # the graph component (neo4j-viz)
# Counts the drawing calls of every canvas in the page (WebGL and 2D), so a frame can be told
# to have redrawn the graph or not; installed before the page's own scripts run.
COUNT_DRAWS = """(() => { window.__draws = 0;
  for (const proto of [window.WebGLRenderingContext?.prototype, window.WebGL2RenderingContext?.prototype])
    for (const name of ['drawArrays', 'drawElements', 'drawArraysInstanced', 'drawElementsInstanced'])
      if (proto && proto[name]) { const f = proto[name];
        proto[name] = function (...a) { window.__draws++; return f.apply(this, a); }; }
  const c2d = CanvasRenderingContext2D.prototype;
  for (const name of ['fill', 'stroke', 'fillText', 'drawImage'])
    { const f = c2d[name]; c2d[name] = function (...a) { window.__draws++; return f.apply(this, a); }; }
})()"""
RECORD = """() => { window.__frames = []; window.__recording = true;
  const tick = t => { window.__frames.push([t, window.__draws]);
    if (window.__recording) requestAnimationFrame(tick); };
  requestAnimationFrame(tick); }"""
STOP = "() => { window.__recording = false; return window.__frames; }"


def screenshot(locator):
    from PIL import Image

    return Image.open(io.BytesIO(locator.screenshot())).convert("RGB")


def coloured(image) -> list[tuple[int, int]]:
    """Pixels of node colours (saturated), as (x, y)."""
    width, data = image.width, image.tobytes()
    return [(i // 3 % width, i // 3 // width) for i in range(0, len(data), 3)
            if max(data[i:i + 3]) - min(data[i:i + 3]) > 80]


def graph_canvas(page, timeout: float = 90):
    """The canvas the graph component draws on (the largest one it holds)."""
    canvases = page.locator(f"{GRAPH} canvas")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        boxes = [(i, canvases.nth(i).bounding_box()) for i in range(canvases.count())]
        boxes = [(i, b) for i, b in boxes if b and b["width"] > 100 and b["height"] > 100]
        if boxes:
            return canvases.nth(max(boxes, key=lambda ib: ib[1]["width"] * ib[1]["height"])[0])
        page.wait_for_timeout(50)
    raise RuntimeError("the graph component drew no canvas")


def frames(ticks: list[list[float]], seconds: float) -> dict:
    """From the page's frames during a gesture, as (time in ms, drawing calls so far): the
    frames per second that redrew the graph, the longest frame and the longest wait between
    two redraws (ms)."""
    times = [t for t, _ in ticks]
    redrawn = [t for (t, d), (_, before) in zip(ticks[1:], ticks, strict=False) if d > before]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    waits = [b - a for a, b in zip(redrawn, redrawn[1:], strict=False)]
    return {"redraws_per_s": round(len(redrawn) / seconds, 1) if seconds else 0.0,
            "frames_per_s": round(len(gaps) / seconds, 1) if seconds else 0.0,
            "longest_frame_ms": round(max(gaps), 1) if gaps else None,
            "longest_wait_between_redraws_ms": round(max(waits), 1) if waits else None}


def one(browser, url: str, n: int) -> dict:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.add_init_script(COUNT_DRAWS)
    try:
        started = time.perf_counter()
        page.goto(f"{url}/?n={n}", wait_until="commit")
        canvas = graph_canvas(page)
        while len(coloured(screenshot(canvas))) < 500:
            page.wait_for_timeout(50)
        drawn = time.perf_counter() - started
        heading = page.get_by_text(" relationships").first.inner_text()
        before = screenshot(canvas).tobytes()
        while time.perf_counter() - started < 60:
            page.wait_for_timeout(500)
            now = screenshot(canvas).tobytes()
            if now == before:
                break
            before = now
        settled = time.perf_counter() - started
        box = canvas.bounding_box()
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        result = {"size": n, "drawing": heading.strip("*"), "drawn_s": round(drawn, 2),
                  "settled_s": round(settled, 2)}

        page.evaluate(RECORD)
        began = time.perf_counter()
        page.mouse.move(cx - 200, cy)
        page.mouse.down()
        while time.perf_counter() - began < 2:  # input as fast as the browser takes it
            page.mouse.move(cx + 200, cy + 60, steps=40)
            page.mouse.move(cx - 200, cy, steps=40)
        page.mouse.move(cx + 100, cy + 30, steps=10)  # ends away from where it began
        page.mouse.up()
        result["pan"] = frames(page.evaluate(STOP), time.perf_counter() - began)
        moved = screenshot(canvas).tobytes() != before

        page.evaluate(RECORD)
        began = time.perf_counter()
        page.mouse.move(cx, cy)
        while time.perf_counter() - began < 2:
            for delta in [-40] * 10 + [40] * 10:
                page.mouse.wheel(0, delta)
        result["zoom"] = frames(page.evaluate(STOP), time.perf_counter() - began)
        result["gestures_moved_the_drawing"] = moved

        page.wait_for_timeout(1000)
        image = screenshot(canvas)
        # A node's centre: a pixel of a node colour whose neighbours share it (not an edge).
        spots = set(coloured(image))
        x, y = next((x, y) for x, y in sorted(spots, key=lambda p: (abs(p[0] - image.width / 2)
                                                                      + abs(p[1] - image.height / 2)))
                    if all((x + dx, y + dy) in spots for dx in (-2, 2) for dy in (-2, 2)))
        began = time.perf_counter()
        box = canvas.bounding_box()  # the component's own layer above the canvas takes clicks
        page.mouse.click(box["x"] + x, box["y"] + y)
        page.get_by_text("picked: open").wait_for(timeout=30_000)
        result["click_to_open_s"] = round(time.perf_counter() - began, 2)
        return result
    finally:
        page.close()


def measure(url: str, sizes: list[int]) -> list[dict]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=FLAGS)
        one(browser, url, sizes[0])  # warms the server's caches and the browser's
        results = [one(browser, url, n) for n in sizes]
        browser.close()
    return results


def report(results: list[dict]) -> str:
    lines = ["| nodes asked | drawn (nodes, relationships) | drawn | layout settled | "
             "pan: redraws/s, longest frame | zoom: redraws/s, longest frame | click to open |",
             "|---|---|---|---|---|---|---|"]
    for r in results:
        pan, zoom = r["pan"], r["zoom"]
        lines.append(f"| {r['size']} | {r['drawing']} | {r['drawn_s']:.2f} s | "
                     f"{r['settled_s']:.2f} s | {pan['redraws_per_s']}/s, "
                     f"{pan['longest_frame_ms']} ms | {zoom['redraws_per_s']}/s, "
                     f"{zoom['longest_frame_ms']} ms | {r['click_to_open_s']:.2f} s |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> list[dict]:
    import streamlit.logger

    # No Streamlit runtime here: the pages' caches would warn as the explorer is imported.
    streamlit.logger.set_log_level("error")
    from explorer.serve import serving
    from graph import db as dbmod

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="50,150,300")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    with dbmod.connect(dbmod.Target.from_settings()) as db:
        if dbmod.counts(db)["nodes"] == 0:
            raise SystemExit("the graph is empty: load the curated data first (techreg load)")
    with serving(app=HARNESS) as url:
        results = measure(url, [int(s) for s in args.sizes.split(",")])
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1))
    print(report(results))
    return results


if __name__ == "__main__":
    main()
