"""The site: how long its build takes from the published file (whole, and again with nothing changed: every part
taken from the last build), how big it is (pages, data, downloads), and, for one
page of each type, how many bytes it loads and how long it takes to load and draw in headless chromium (served on
127.0.0.1): cold (a new browser context, nothing cached) and warm (the same tab again, as when an analyst moves
between periods and pages).

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
from tests.e2e.test_site import CHROMIUM, CHROMIUM_ARGS, PAGE_TYPES  # noqa: E402


def folder_megabytes(folder) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6


def main(runs: int) -> None:
    settings = Settings.from_env()
    site = settings.site_dir
    (site / "site.json").unlink(missing_ok=True)  # a site that tells no parts: the build makes every one
    summary = build_site(settings)
    again = [build_site(settings) for _ in range(3)]
    print(f"site build, whole: {summary.seconds:.2f} s, {summary.pages} pages, {summary.bytes / 1e6:.1f} MB from "
          f"{summary.publication}: assets {folder_megabytes(site / 'assets'):.1f} MB (plotly.js "
          f"{sum(f.stat().st_size for f in (site / 'assets').glob('plotly*.js')) / 1e6:.1f}), data "
          f"{folder_megabytes(site / 'data'):.1f} MB, downloads {folder_megabytes(site / 'downloads'):.1f} MB")
    print(f"site build again, nothing changed: {len(again[-1].taken)} of {again[-1].parts} parts taken, median "
          f"{statistics.median(s.seconds for s in again):.2f} s ({', '.join(f'{s.seconds:.2f}' for s in again)})")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for page_type, path in PAGE_TYPES.items():
            # cold: a new browser context (no cache, a new renderer); warm: the same tab loading the page again
            loaded = []
            cold = [load(browser.new_context().new_page(), f"{base}/{path}", loaded, close_context=True)
                    for _ in range(runs)]
            page = browser.new_page()
            warm = [load(page, f"{base}/{path}") for _ in range(runs + 1)][1:]
            page.close()
            print(f"{page_type:<8} {path:<45} loads {statistics.median(loaded) / 1e6:.2f} MB")
            for label, timings in (("cold", cold), ("warm", warm)):
                print(f"{'':<8} {label:<5} drawn in median {statistics.median(timings) * 1000:5.0f} ms "
                      f"(min {min(timings) * 1000:.0f}, max {max(timings) * 1000:.0f}; {runs} runs)")
        browser.close()
    server.shutdown()


def load(page, url: str, loaded: list[int] | None = None, close_context: bool = False) -> float:
    """Seconds from navigation until the page says it has drawn its figures (and, if asked, the bytes it loaded)."""
    sizes: list[int] = []
    if loaded is not None:
        page.on("response", lambda response: sizes.append(len(response.body())) if response.ok else None)
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_selector("body[data-rendered=true]")
    seconds = time.perf_counter() - started
    if loaded is not None:
        loaded.append(sum(sizes))
    if close_context:
        page.context.close()
    return seconds


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
