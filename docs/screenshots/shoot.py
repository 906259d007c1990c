"""Screenshots of the explorer's main views for the README, taken from the running app in
headless Chromium (Debian's package, driven by Playwright; nothing is downloaded).

    .venv/bin/python docs/screenshots/shoot.py [NAME...]   # against the Neo4j `techreg` uses

It starts the explorer on a free loopback port against the graph that `techreg load` filled
(the settings in the environment choose the server), opens each view as a reader would,
waits for it to settle and writes docs/screenshots/NAME.png.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from bench.pages import FLAGS, chromium  # noqa: E402
from explorer.serve import serving  # noqa: E402

OUT = Path(__file__).resolve().parent
VIEWS = [  # (file, URL query, text to wait for, tab to open, seconds to settle, height)
    ("search", "?q=Skype", "Skype Communications S.à r.l.", None, 2, 900),
    ("entity", "?page=entity&id=microsoft-acquires-skype-2011", "other sources say", None, 2, 900),
    ("graph", "?page=entity&id=bipt", "Facts and sources", "Graph", 12, 900),
    ("case-file", "?page=case&id=skype-belgium-interception", "Appeal chain:", None, 4, 900),
    ("compare", "?page=compare&topic=telecom-operator-status", "jurisdictions", None, 4, 1800),
    ("path", "?page=analytics", "How are two entities connected?", None, 12, 900),
    ("map", "?page=map", "Supranational jurisdictions", None, 3, 900),
    ("cite", "?page=entity&id=skype", "Facts and sources", "Cite", 2, 900),
]


def main() -> None:
    from playwright.sync_api import sync_playwright

    with serving() as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        wanted = set(sys.argv[1:])  # names of views to retake; none: all of them
        for name, query, text, tab, settle, height in VIEWS:
            if wanted and name not in wanted:
                continue
            page.set_viewport_size({"width": 1400, "height": height})
            page.goto(url + "/" + query)
            page.get_by_text(text).first.wait_for(timeout=120000)
            if tab:
                page.get_by_role("tab", name=tab).click()
            page.wait_for_timeout(settle * 1000)
            page.screenshot(path=str(OUT / f"{name}.png"))
            print(f"docs/screenshots/{name}.png")
        browser.close()


if __name__ == "__main__":
    main()
