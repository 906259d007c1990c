"""Screenshots of the explorer's main views for the README, taken from the running app in
headless Chromium (Debian's package, driven by Playwright; nothing is downloaded).

    .venv/bin/python docs/screenshots/shoot.py   # against the Neo4j `techreg` uses

It starts the explorer on a free loopback port against the graph that `techreg load` filled
(the settings in the environment choose the server), opens each view as a reader would,
waits for it to settle and writes docs/screenshots/NAME.png.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWS = [  # (file, URL query, text to wait for, tab to open, seconds to settle)
    ("search", "?q=Skype", "Skype Communications S.à r.l.", None, 2),
    ("entity", "?page=entity&id=microsoft-acquires-skype-2011", "other sources say", None, 2),
    ("graph", "?page=entity&id=bipt", "Facts and sources", "Graph", 12),
    ("case-file", "?page=case&id=skype-belgium-interception", "Appeal chain:", None, 4),
    ("compare", "?page=compare&topic=telecom-operator-status", "jurisdictions", None, 4),
    ("path", "?page=analytics", "How are two entities connected?", None, 12),
]


def serve() -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless",
         "true", "--server.address", "127.0.0.1", "--server.port", str(port),
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            return process, url
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise SystemExit("the explorer did not start")


def main() -> None:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("Debian's chromium is needed: apt-get install chromium")
    process, url = serve()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=FLAGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            for name, query, text, tab, settle in VIEWS:
                page.goto(url + "/" + query)
                page.get_by_text(text).first.wait_for(timeout=120000)
                if tab:
                    page.get_by_role("tab", name=tab).click()
                page.wait_for_timeout(settle * 1000)
                page.screenshot(path=str(OUT / f"{name}.png"))
                print(f"docs/screenshots/{name}.png")
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=30)


if __name__ == "__main__":
    main()
