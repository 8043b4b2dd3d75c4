"""The site the refresh built, in a real headless browser (Debian's chromium, driven by Playwright): every page
renders its charts and map with no console error and no request leaving 127.0.0.1, and the figures it shows are the
published file's. Screenshots are kept in test-artifacts/site/."""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from pathlib import Path

import pytest

from orchestration.cli.site import QuietHandler
from orchestration.settings import PROJECT_ROOT
from orchestration.site.content import HEADLINE_MEASURES, slug
from tests.helpers import ENGLAND_AND_WALES, LANCASHIRE, published

CHROMIUM = Path(os.environ.get("FORCESTAT_CHROMIUM", "/usr/bin/chromium"))
# flags that keep Chromium from reaching for Google's hosts on a closed network (docs/STACK.md)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "site"
JUNE_2014 = "2014-06-30"


@pytest.fixture(scope="module")
def site(pristine):
    """The pristine warehouse's site, served on a free port of 127.0.0.1."""
    folder = pristine[1] / "published" / "site"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: the browser test needs Debian's chromium (apt-get install chromium; "
                    ".ci/run installs it) or FORCESTAT_CHROMIUM pointing at a Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visit:
    """A page loaded in its own tab, with every console error, page error and failed or outside request kept."""

    def __init__(self, browser, base: str, path: str):
        self.problems: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: self.problems.append(f"failed request: {r.url}"))
        self.page.on("response", lambda r: r.status >= 400 and self.problems.append(f"{r.status}: {r.url}"))

        def local_only(route):
            if route.request.url.startswith(base) or route.request.url.startswith("data:"):
                route.continue_()
            else:
                self.problems.append(f"request off the machine: {route.request.url}")
                route.abort()

        self.page.route("**/*", local_only)
        self.page.goto(f"{base}/{path}")
        self.wait_until_drawn()

    def wait_until_drawn(self) -> None:
        self.page.wait_for_selector("body[data-rendered=true]", timeout=20_000)

    def cells(self, table_id: str, key: str) -> dict[str, str]:
        """The cells of one row (data-key) of a table, by column."""
        row = self.page.locator(f"#{table_id} tr[data-key='{key}']")
        return {cell.get_attribute("data-column"): cell.text_content() for cell in row.locator("td").all()}

    def screenshot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def close(self) -> list[str]:
        self.page.close()
        return self.problems


def one_decimal(value) -> str:
    return "" if value is None else f"{value:.1f}"


def test_lancashire_page_shows_the_seed_table_sentences_and_figure_for_june_2014(site, browser, snapshot_settings):
    folder, base = site
    visit = Visit(browser, base, f"areas/lancashire.html?period={JUNE_2014}")
    page = visit.page
    assert page.locator("h1").inner_text() == "Lancashire"
    for measure in HEADLINE_MEASURES:
        rate, ew, region, rank, ranked, offences = published(snapshot_settings, """
            SELECT round(rate_per_1000, 1), round(ew_rate_per_1000, 1), round(region_rate_per_1000, 1),
                   rank_displayed, count(rank_displayed) OVER (), offences
            FROM force_rates WHERE measure = ? AND period_end = ? QUALIFY area_code = ?""",
                                                             [measure, JUNE_2014, LANCASHIRE])[0]
        shown = visit.cells("rates", measure)
        assert (shown["rate"], shown["ew_rate"], shown["region_rate"]) == tuple(map(one_decimal, (rate, ew, region)))
        assert shown["rank"] == f"{rank} of {ranked}"
        assert shown["offences"] == f"{offences:,}"
    # the report's table, as the page prints it (the warehouse's later revisions: within 0.1 of the report)
    assert visit.cells("rates", "crime_excluding_fraud")["rate"] == "64.9"
    assert visit.cells("rates", "crime_excluding_fraud")["ew_rate"] == "60.7"

    # the three sentences: the report says 8 and 16 (four years), 6 and 16 (victim-based), 4 and 1 (the last year)
    sentences = {s.get_attribute("data-sentence"): s.inner_text() for s in page.locator("#sentences p").all()}
    changes = dict(((area, measure), (year, baseline)) for area, measure, year, baseline in published(
        snapshot_settings, """SELECT area_code, measure, round(pct_change_year), round(pct_change_baseline)
                               FROM force_change WHERE period_end = ? AND area_code IN (?, ?)""",
        [JUNE_2014, LANCASHIRE, ENGLAND_AND_WALES]))
    own_year, own_baseline = changes[(LANCASHIRE, "crime_excluding_fraud")]
    ew_year, ew_baseline = changes[(ENGLAND_AND_WALES, "crime_excluding_fraud")]
    assert (own_year, own_baseline, ew_year, ew_baseline) == (4, -8, -1, -16)
    assert sentences["baseline"] == (
        "When compared with the 12 months to June 2010, recorded crime (excluding fraud) in the 12 months to June "
        "2014 reduced by 8 percent in Lancashire, compared with a reduction of 16 percent across England and Wales.")
    victim_baseline = changes[(LANCASHIRE, "victim_based_crime")][1]
    assert f"victim-based crime decreased by {-victim_baseline:.0f} percent in Lancashire" in sentences[
        "baseline-victim"]
    assert sentences["year"] == ("During the 12 months to June 2014, recorded crime (excluding fraud) in Lancashire "
                                 "increased by 4 percent, compared with a reduction of 1 percent across England and "
                                 "Wales.")

    # the seed's figure: Lancashire against England and Wales, June 2010 to June 2014, as a chart and as a table
    assert page.locator("#figure-title").inner_text() == (
        "Figure: Recorded crime rate (per 1,000 population) between June 2010 and June 2014.")
    assert page.locator("#figure .scatterlayer .trace").count() == 2
    series = published(snapshot_settings, """
        SELECT period_end, round(rate_per_1000, 1), round(ew_rate_per_1000, 1) FROM force_rates
        WHERE area_code = ? AND measure = 'crime_excluding_fraud' AND period_end BETWEEN '2010-06-30' AND ?
        ORDER BY period_end""", [LANCASHIRE, JUNE_2014])
    assert len(series) == 17  # quarterly, June 2010 to June 2014
    assert page.locator("#figure .scatterlayer .trace").first.locator(".point").count() == len(series)
    for period_end, rate, ew in series:
        shown = visit.cells("figure-data", period_end.isoformat())
        assert (shown["rate"], shown["ew_rate"]) == (one_decimal(rate), one_decimal(ew))

    # the report's figures beside the warehouse's, with the reason for each difference
    checks = published(snapshot_settings, """
        SELECT count(*) FROM report_figure_checks WHERE report_file = 'hmic-crime-inspection-2014-lancashire.txt'""")
    assert page.locator("#figure-checks-table tbody tr").count() == checks[0][0]
    assert page.locator("#judgments-table tbody tr").count() == published(
        snapshot_settings, "SELECT count(*) FROM inspection_judgments WHERE area_code = ?", [LANCASHIRE])[0][0]
    assert page.locator("#asb-chart .trace.bars").count() == 1  # street data are held for Lancashire
    visit.screenshot("lancashire-june-2014")
    assert visit.close() == []


def test_a_period_chosen_in_the_page_redraws_it_and_goes_into_the_url(site, browser, snapshot_settings):
    _, base = site
    visit = Visit(browser, base, "areas/lancashire.html")
    page = visit.page
    latest = published(snapshot_settings, "SELECT max(period_end) FROM force_rates WHERE area_code = ?",
                       [LANCASHIRE])[0][0]
    assert page.locator("body").get_attribute("data-period") == latest.isoformat()
    page.select_option("#period", "2019-03-31")
    page.wait_for_selector("body[data-period='2019-03-31']")
    assert re.search(r"period=2019-03-31", page.url)
    rate = published(snapshot_settings, "SELECT round(rate_per_1000, 1) FROM force_rates WHERE area_code = ? AND "
                                        "measure = 'sexual_offences' AND period_end = '2019-03-31'", [LANCASHIRE])
    assert visit.cells("rates", "sexual_offences")["rate"] == one_decimal(rate[0][0])
    assert "between March 2015 and March 2019" in page.locator("#figure-title").inner_text()
    assert visit.close() == []


def test_national_page_draws_the_map_and_a_sortable_league_table(site, browser, snapshot_settings):
    _, base = site
    visit = Visit(browser, base, f"index.html?measure=domestic_burglary&period={JUNE_2014}")
    page = visit.page
    forces = published(snapshot_settings, """
        SELECT area_name, round(rate_per_1000, 1), rank_displayed FROM force_rates
        WHERE measure = 'domestic_burglary' AND period_end = ? AND area_type = 'force'""", [JUNE_2014])
    assert len(forces) == 43
    assert page.locator("#map .choroplethlayer path").count() == 43
    rows = page.locator("#league-table tbody tr")
    assert rows.count() == 43
    shown = {row.locator("td[data-column=name]").inner_text(): (row.locator("td[data-column=rate]").inner_text(),
                                                                  row.locator("td[data-column=rank]").inner_text())
             for row in rows.all()}
    assert shown == {name: (one_decimal(rate), "not ranked" if rank is None else str(rank))
                     for name, rate, rank in forces}
    page.locator("#league-table th[data-sort=rate]").click()  # highest rate first
    first = page.locator("#league-table tbody tr").first.locator("td[data-column=name]").inner_text()
    assert first == max(forces, key=lambda f: f[1])[0]
    visit.screenshot("national-burglary-june-2014")
    assert visit.close() == []


def test_a_page_for_every_area_and_the_odd_ones_render_without_errors(site, browser, snapshot_settings):
    folder, base = site
    areas = published(snapshot_settings, "SELECT area_name, area_type FROM areas")
    pages = sorted(p.name for p in (folder / "areas").glob("*.html"))
    assert pages == sorted(f"{slug(name, kind)}.html" for name, kind in areas)
    assert len(pages) == 54  # 43 forces, 10 regions (the West Midlands is both), England and Wales
    # the pages share their code; these are the areas whose data differ in kind: the country, a region whose name is
    # a force's too, that force, the unranked City of London, a force with no street data, a Welsh force
    odd = ("england-and-wales", "west-midlands-region", "west-midlands", "city-of-london", "metropolitan-police",
           "dyfed-powys")
    problems = {}
    for name in odd:
        visit = Visit(browser, base, f"areas/{name}.html")
        assert visit.page.locator("#figure .scatterlayer .trace").count() >= 1, name
        assert visit.page.locator("#rates tbody tr").count() == len(HEADLINE_MEASURES), name
        visit.screenshot(name)
        if found := visit.close():
            problems[name] = found
    assert problems == {}


def test_dbt_docs_and_gx_data_docs_open_offline(browser, tmp_path):
    from orchestration.settings import EXPECTATIONS_DIR, Settings
    from orchestration.site.docs import build_docs

    settings = Settings.for_warehouse(tmp_path)
    built = build_docs(settings)
    assert built["dbt"].exists() and built["gx"].exists()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(
        settings.site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        problems = {}
        dbt = DocsVisit(browser, base, "docs/dbt/index.html#!/model/model.forcestat.force_rates")
        dbt.page.wait_for_selector("text=One row per area, 12-month period end and measure")
        dbt.screenshot("dbt-docs-force-rates")
        problems["dbt"] = dbt.close()
        gx = DocsVisit(browser, base, "docs/gx/index.html")
        suites = len(list(EXPECTATIONS_DIR.glob("*.json")))
        gx.page.wait_for_selector(f"text=of {suites} rows")  # bootstrap-table's list of suites, filled in
        assert gx.page.locator("link[rel=stylesheet][href*=bootstrap]").count() >= 1
        gx.screenshot("gx-data-docs-index")
        problems["gx"] = gx.close()
        suite = DocsVisit(browser, base, "docs/gx/expectations/force_rates.html")
        assert suite.page.locator("text=rank_displayed").count() >= 1
        problems["gx suite"] = suite.close()
        assert problems == {"dbt": [], "gx": [], "gx suite": []}
    finally:
        server.shutdown()


class DocsVisit(Visit):
    """Third-party pages (dbt's, GX's): drawn by their own scripts, and they declare no favicon."""

    def __init__(self, browser, base: str, path: str):
        self.base = base
        super().__init__(browser, base, path)

    def wait_until_drawn(self) -> None:
        self.page.wait_for_load_state("load")

    def close(self) -> list[str]:
        return [p for p in super().close() if not p.endswith(f"{self.base}/favicon.ico")]


def test_the_dagster_ui_shows_each_mart_with_its_rows_a_preview_and_links_to_the_site(warehouse):
    from dagster import AssetKey

    from orchestration.site.assets import SITE_KEY

    for mart in ("force_rates", "inspection_judgments"):
        event = warehouse.instance.get_latest_materialization_event(AssetKey(["marts", mart]))
        metadata = event.asset_materialization.metadata
        rows = published(warehouse.settings, f"SELECT count(*) FROM {mart}")[0][0]
        assert metadata["dagster/row_count"].value == rows
        assert "area_code" in metadata["preview"].value
        assert metadata["profiles"].value == f"{warehouse.settings.site_url}/index.html"
        assert metadata["docs"].value.endswith(f"#!/model/model.forcestat.{mart}")
    site = warehouse.instance.get_latest_materialization_event(SITE_KEY).asset_materialization.metadata
    assert site["pages"].value == 55 and site["national_page"].value.startswith("http://127.0.0.1:")
