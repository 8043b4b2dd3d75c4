"""The site: how long its build takes from the published file, how big it is, and how long its pages take to load
and draw in headless chromium (served on 127.0.0.1): cold (a new browser context, nothing cached) and warm (the same
tab again, as when an analyst moves between periods and pages).

    .venv/bin/python tests/benchmarks/site_pages.py [runs]       (after `make run`; default 5 runs a page)
"""

from __future__ import annotations

import functools
import http.server
import statistics
import sys
import threading
import time

from orchestration.cli.site import QuietHandler
from orchestration.settings import PROJECT_ROOT, Settings
from orchestration.site.build import build_site

sys.path.insert(0, str(PROJECT_ROOT))
from tests.e2e.test_site import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

PAGES = ("areas/lancashire.html?period=2014-06-30", "areas/england-and-wales.html", "index.html")


def main(runs: int) -> None:
    settings = Settings.from_env()
    summary = build_site(settings)
    print(f"site build: {summary.seconds:.2f} s, {summary.pages} pages, {summary.bytes / 1e6:.1f} MB "
          f"(plotly.js 4.8 MB of it), from {summary.publication}")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(
        settings.site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for path in PAGES:
            # cold: a new browser context (no cache, a new renderer); warm: the same tab loading the page again
            cold = [load(browser.new_context().new_page(), f"{base}/{path}", close_context=True) for _ in range(runs)]
            page = browser.new_page()
            warm = [load(page, f"{base}/{path}") for _ in range(runs + 1)][1:]
            page.close()
            for label, timings in (("cold", cold), ("warm", warm)):
                print(f"{path:<45} {label:<5} drawn in median {statistics.median(timings) * 1000:5.0f} ms "
                      f"(min {min(timings) * 1000:.0f}, max {max(timings) * 1000:.0f}; {runs} runs)")
        browser.close()
    server.shutdown()


def load(page, url: str, close_context: bool = False) -> float:
    """Seconds from navigation until the page says it has drawn its figures."""
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_selector("body[data-rendered=true]")
    seconds = time.perf_counter() - started
    if close_context:
        page.context.close()
    return seconds


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
