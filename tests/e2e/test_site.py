"""The site the refresh built, in a real headless browser (Debian's chromium, driven by Playwright): every page
renders its charts and map with no console error and no request leaving 127.0.0.1, and the figures it shows and
offers for download are the published file's. Also: peers, scales, phones, accessibility (axe-core, installed from
npm into orchestration/site/a11y/), the search box and the page's messages. Axe's counts are kept in
test-artifacts/site/, and the pages' screenshots when FORCESTAT_SCREENSHOTS=1 (17 full pages: 8 CPU-seconds of
Chromium, a sixth of its work in the suite, for images only a person reads)."""

from __future__ import annotations

import csv
import functools
import http.server
import io
import json
import os
import re
import threading
import urllib.request
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest

from orchestration.cli.site import QuietHandler
from orchestration.settings import PROJECT_ROOT
from orchestration.site.content import headline_measures, slug
from tests.helpers import ENGLAND_AND_WALES, LANCASHIRE, NATIONAL, plain_copy, published

CHROMIUM = Path(os.environ.get("FORCESTAT_CHROMIUM", "/usr/bin/chromium"))
# flags that keep Chromium from reaching for Google's hosts on a closed network (docs/STACK.md)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic",
                 "--process-per-site"]  # one renderer for the site's pages (see `tabs`)
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "site"
AXE = PROJECT_ROOT / "orchestration" / "site" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
JUNE_2014 = "2014-06-30"
# one page of each type: the pages of a type share their code
PAGE_TYPES = {"national": f"index.html?period={JUNE_2014}", "force": f"areas/lancashire.html?period={JUNE_2014}",
              "region": "areas/north-west-region.html", "country": "areas/england-and-wales.html"}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = os.environ.get("FORCESTAT_SCREENSHOTS") == "1"


@pytest.fixture(scope="module")
def site(pristine):
    """The pristine warehouse's site, served on a free port of 127.0.0.1."""
    folder = pristine[1] / "published" / "site"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def tabs(site):
    """One browser context for the module's visits. Its tabs share one renderer process (--process-per-site, kept
    alive by an anchor tab) and the caches of fetched and compiled scripts, so a visit costs ~0.8 CPU-s where a fresh
    context cost ~2 (a new renderer compiling Plotly's 2.4 MB again). The site keeps no state in the browser (no
    storage, no cookies), so a visit's page starts as a first visit's would, only with its scripts cached."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: the browser test needs Debian's chromium (apt-get install chromium; "
                    ".ci/run installs it) or FORCESTAT_CHROMIUM pointing at a Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.new_page().goto(f"{site[1]}/site.json")  # the anchor
        yield context
        browser.close()


class Visit:
    """A page loaded in its own tab, with every console error, page error and failed or outside request kept."""

    def __init__(self, tabs, base: str, path: str, viewport: dict | None = None):
        self.problems: list[str] = []
        self.page = tabs.new_page()
        if viewport:
            self.page.set_viewport_size(viewport)
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
        return {cell.get_attribute("data-column"): cell.text_content()
                for cell in row.locator("td, th[data-column]").all()}

    def screenshot(self, name: str) -> None:
        """The whole page, kept for a person to look at: JPEG, which Chromium encodes in half the CPU time of PNG
        (0.45 against 0.9 s for a profile page 10,000 pixels long). Only when asked (SCREENSHOTS)."""
        if not SCREENSHOTS:
            return
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.jpg"), full_page=True, type="jpeg", quality=80)

    def close(self) -> list[str]:
        self.page.close()
        return self.problems


def one_decimal(value) -> str:
    return "" if value is None else f"{value:.1f}"


def test_lancashire_page_shows_the_seed_table_sentences_and_figure_for_june_2014(site, tabs, snapshot_settings):
    folder, base = site
    visit = Visit(tabs, base, f"areas/lancashire.html?period={JUNE_2014}")
    page = visit.page
    assert page.locator("h1").inner_text() == "Lancashire"
    headline = headline_measures()
    assert headline == ["crime_excluding_fraud", "victim_based_crime", "sexual_offences", "violence_with_injury",
                        "domestic_burglary"]  # the report's table, in its order (the measures seed)
    assert page.locator("#rates tbody tr").evaluate_all("rows => rows.map(r => r.dataset.key)") == headline
    for measure in headline:
        rate, ew, region, rank, ranked, offences = published(snapshot_settings, """
            SELECT round(rate_at_scale, 1), round(ew_rate_at_scale, 1), round(region_rate_at_scale, 1),
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

    # the seed's figure: Lancashire against England and Wales (and, by default, the other forces of its region),
    # June 2010 to June 2014, as a chart and as a table
    assert page.locator("#figure-title").inner_text() == (
        "Figure: Recorded crime rate (per 1,000 population) between June 2010 and June 2014.")
    region_forces = published(snapshot_settings, "SELECT count(*) FROM areas WHERE area_type = 'force' AND "
                                                 "region_code = 'E12000002'")[0][0]
    assert page.locator("#figure .scatterlayer .trace").count() == region_forces + 1  # and England and Wales
    series = published(snapshot_settings, """
        SELECT period_end, round(rate_at_scale, 1), round(ew_rate_at_scale, 1) FROM force_rates
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
    assert page.locator("#asb-chart .trace.bars").count() == 1  # street data are held for Lancashire
    visit.screenshot("lancashire-june-2014")
    assert visit.close() == []


def two_decimals(value) -> str:
    return "" if value is None else f"{value:,.2f}"


def test_the_profiles_show_officers_and_both_ratios_beside_the_region_and_england_and_wales(site, tabs,
                                                                                              snapshot_settings):
    _, base = site
    columns = """round(w.officers_fte, 2), round(w.officers_per_1000, 2), round(w.region_officers_per_1000, 2),
                 round(w.ew_officers_per_1000, 2), w.rank_officers_per_1000, round(w.crimes_per_officer, 1),
                 round(w.region_crimes_per_officer, 1), round(w.ew_crimes_per_officer, 1), w.rank_crimes_per_officer,
                 count(w.rank_officers_per_1000) OVER (PARTITION BY w.as_at),
                 count(w.rank_crimes_per_officer) OVER (PARTITION BY w.as_at)"""
    rows = published(snapshot_settings, f"SELECT w.as_at, {columns} FROM force_workforce w QUALIFY w.area_code = ? "
                                        "ORDER BY w.as_at", [LANCASHIRE])
    assert len(rows) == 12  # half-yearly 30 September 2014 to 30 September 2019, then 31 March 2025
    # the bulletin's figure (Police workforce, England and Wales, 30 September 2015, Table 1) as published
    assert dict((r[0].isoformat(), r[1]) for r in rows)["2015-03-31"] == 2918.82
    visit = Visit(tabs, base, f"areas/lancashire.html?period={JUNE_2014}")
    page = visit.page
    for (as_at, officers, per_1000, region_per_1000, ew_per_1000, rank_per_1000, crimes, region_crimes, ew_crimes,
         rank_crimes, ranked_per_1000, ranked_crimes) in rows:
        shown = visit.cells("workforce-data", as_at.isoformat())
        assert shown == {
            "as_at": f"{as_at.day} {as_at:%B %Y}", "officers": two_decimals(officers),
            "per_1000": f"{per_1000:.2f}", "region_per_1000": f"{region_per_1000:.2f}",
            "ew_per_1000": f"{ew_per_1000:.2f}", "rank_per_1000": f"{rank_per_1000} of {ranked_per_1000}",
            "crimes_per_officer": one_decimal(crimes), "region_crimes_per_officer": one_decimal(region_crimes),
            "ew_crimes_per_officer": one_decimal(ew_crimes), "rank_crimes": f"{rank_crimes} of {ranked_crimes}",
            "notes": "note 1" if as_at == date(2025, 3, 31) else ""}, as_at
    assert visit.cells("workforce-data", "2015-03-31")["officers"] == "2,918.82"
    # the latest date beside the region and England and Wales, with the ranks
    latest = rows[-1]
    region_officers, ew_officers = (published(snapshot_settings, "SELECT round(officers_fte, 2) FROM force_workforce "
                                              "WHERE area_code = ? AND as_at = ?", [code, latest[0]])[0][0]
                                    for code in ("E12000002", ENGLAND_AND_WALES))
    assert visit.cells("workforce-latest", "officers") == {
        "label": "Police officers (full-time equivalent)", "own": two_decimals(latest[1]),
        "region": two_decimals(region_officers), "ew": two_decimals(ew_officers), "rank": "", "notes": ""}
    assert visit.cells("workforce-latest", "officers_per_1000") == {
        "label": "Officers per 1,000 residents", "own": f"{latest[2]:.2f}", "region": f"{latest[3]:.2f}",
        "ew": f"{latest[4]:.2f}", "rank": f"{latest[5]} of {latest[10]}", "notes": "note 1"}
    assert visit.cells("workforce-latest", "crimes_per_officer")["rank"] == f"{latest[9]} of {latest[11]}"
    # the gap in the dates, said in words, marked in the table, and no line drawn across it
    assert page.locator("#workforce-dates").inner_text() == (
        "Figures are held every six months from 30 September 2014 to 30 September 2019, then 31 March 2025. None are "
        "held between September 2019 and March 2025: the charts leave that stretch blank, with no line across it.")
    assert page.locator("#workforce-data tr.gap").text_content().strip() == (
        "None held between September 2019 and March 2025")
    for chart in ("workforce-per-1000", "workforce-crimes"):
        traces = page.evaluate(f"document.getElementById('{chart}').data.map(t => [t.x, t.y])")
        assert len(traces) == 3  # Lancashire, the North West, England and Wales
        for x, y in traces:
            gap = [i for i, value in enumerate(y) if value is None]
            assert len(gap) == 1 and x[gap[0] - 1] == "2019-09-30" and x[gap[0] + 1] == "2025-03-31", chart
        assert len(page.locator(f"#{chart}").get_attribute("aria-label")) > 60
    # the population carried forward, said in the mart's words
    note = published(snapshot_settings, "SELECT note FROM force_workforce WHERE area_code = ? AND as_at = ?",
                     [LANCASHIRE, latest[0]])[0][0]
    assert page.locator("#workforce-notes li").all_inner_texts() == [f"{note}."]
    assert note.startswith("Divides by the mid-2024 population estimate")
    visit.screenshot("lancashire-workforce")
    assert visit.close() == []

    # a region and England and Wales: their own officers, beside England and Wales (the country alone)
    for path, code, columns_shown in (("areas/north-west-region.html", "E12000002", {"as_at", "officers", "per_1000",
                                       "ew_per_1000", "crimes_per_officer", "ew_crimes_per_officer", "notes"}),
                                      ("areas/england-and-wales.html", ENGLAND_AND_WALES,
                                       {"as_at", "officers", "per_1000", "crimes_per_officer", "notes"})):
        officers, per_1000, crimes = published(snapshot_settings, """
            SELECT round(officers_fte, 2), round(officers_per_1000, 2), round(crimes_per_officer, 1)
            FROM force_workforce WHERE area_code = ? AND as_at = '2015-03-31'""", [code])[0]
        visit = Visit(tabs, base, path)
        shown = visit.cells("workforce-data", "2015-03-31")
        assert set(shown) == columns_shown, path
        assert (shown["officers"], shown["per_1000"], shown["crimes_per_officer"]) == (
            two_decimals(officers), f"{per_1000:.2f}", one_decimal(crimes)), path
        assert visit.close() == []


def test_a_period_chosen_in_the_page_redraws_it_and_goes_into_the_url(site, tabs, snapshot_settings):
    _, base = site
    visit = Visit(tabs, base, "areas/lancashire.html")
    page = visit.page
    latest = published(snapshot_settings, "SELECT max(period_end) FROM force_rates WHERE area_code = ?",
                       [LANCASHIRE])[0][0]
    assert page.locator("body").get_attribute("data-period") == latest.isoformat()
    page.select_option("#period", "2019-03-31")
    page.wait_for_selector("body[data-period='2019-03-31']")
    assert re.search(r"period=2019-03-31", page.url)
    rate = published(snapshot_settings, "SELECT round(rate_at_scale, 1) FROM force_rates WHERE area_code = ? AND "
                                        "measure = 'sexual_offences' AND period_end = '2019-03-31'", [LANCASHIRE])
    assert visit.cells("rates", "sexual_offences")["rate"] == one_decimal(rate[0][0])
    assert "between March 2015 and March 2019" in page.locator("#figure-title").inner_text()
    assert visit.close() == []


def test_peers_chosen_in_the_page_redraw_the_chart_and_table_and_go_into_the_url(site, tabs, snapshot_settings):
    _, base = site
    visit = Visit(tabs, base, f"areas/lancashire.html?period={JUNE_2014}")
    page = visit.page
    # by default: the other forces of the North West, labelled as such
    assert page.locator("body").get_attribute("data-peers") == "cheshire,cumbria,greater-manchester,merseyside"
    assert "the other forces of the North West region (the default)" in page.locator("#peers-summary").inner_text()
    assert page.locator("#peers-rates tbody tr").count() == 6  # Lancashire, four forces, England and Wales

    page.locator("#peers summary").click()
    while page.locator("#peers input:checked").count():
        page.locator("#peers input:checked").first.uncheck()
    page.locator("#peers input[value=kent]").check()
    page.locator("#peers input[value=durham]").check()
    page.locator("#peers button", has_text="Compare").click()
    page.wait_for_selector("body[data-peers='durham,kent']")
    assert "peers=durham,kent" in page.url and f"period={JUNE_2014}" in page.url
    assert page.locator("#figure .scatterlayer .trace").count() == 4  # Lancashire, Durham, Kent, England and Wales
    assert [r.get_attribute("data-key") for r in page.locator("#peers-rates tbody tr").all()] == [
        "lancashire", "durham", "kent", "england-and-wales"]
    kent = visit.cells("peers-rates", "kent")
    for measure, rate, rank in published(snapshot_settings, """
            SELECT measure, round(rate_at_scale, 1), rank_displayed FROM force_rates
            WHERE area_name = 'Kent' AND period_end = ? AND list_contains(?, measure)""",
                                         [JUNE_2014, headline_measures()]):
        assert (kent[measure], kent[f"{measure}_rank"]) == (one_decimal(rate), str(rank))
    for period_end, rate in published(snapshot_settings, """
            SELECT period_end, round(rate_at_scale, 1) FROM force_rates WHERE area_name = 'Kent'
            AND measure = 'crime_excluding_fraud' AND period_end BETWEEN '2010-06-30' AND ?""", [JUNE_2014]):
        assert visit.cells("figure-data", period_end.isoformat())["peer_kent"] == one_decimal(rate)
    # the choice is the page's address: opened again, it shows the same
    shared = page.url
    page.goto(shared)
    visit.wait_until_drawn()
    assert page.locator("body").get_attribute("data-peers") == "durham,kent"
    assert page.locator("#peers-title").inner_text() == "Compared with the forces chosen"
    visit.screenshot("lancashire-peers")
    assert visit.close() == []


def test_the_most_similar_forces_are_a_choice_with_forcestats_method_on_the_page(site, tabs, snapshot_settings):
    from orchestration.publication.reader import connect
    from orchestration.site.build import BOUNDARIES_FILE
    from orchestration.site.similar import SIMILAR, similar_forces

    with connect(snapshot_settings) as con:
        similar = similar_forces(con, json.loads((snapshot_settings.data_dir / BOUNDARIES_FILE).read_text()))
    names = dict(published(snapshot_settings, "SELECT area_code, area_name FROM areas"))
    assert len(similar[LANCASHIRE]) == SIMILAR and LANCASHIRE not in similar[LANCASHIRE]
    # a rural Welsh force is not like London, nor London like it
    assert "Metropolitan Police" not in {names[c] for c in similar["W15000004"]}
    _, base = site
    visit = Visit(tabs, base, f"areas/lancashire.html?period={JUNE_2014}")
    page = visit.page
    page.locator("#peers summary").click()
    assert "forcestat's own method, not HMIC's most similar groups" in page.locator("#similar-method").inner_text()
    page.locator("#similar-peers").click()
    wanted = ",".join(slug(names[c], "force") for c in similar[LANCASHIRE])
    page.wait_for_selector(f"body[data-peers='{wanted}']")
    assert page.locator("#peers-title").inner_text() == (
        "Compared with the most similar forces, by forcestat's own method")
    assert page.locator("#figure .scatterlayer .trace").count() == SIMILAR + 2
    assert visit.close() == []


def test_national_page_draws_the_map_and_a_sortable_league_table(site, tabs, snapshot_settings):
    _, base = site
    visit = Visit(tabs, base, f"index.html?measure=domestic_burglary&period={JUNE_2014}")
    page = visit.page
    forces = published(snapshot_settings, """
        SELECT area_name, round(rate_at_scale, 1), rank_displayed FROM force_rates
        WHERE measure = 'domestic_burglary' AND period_end = ? AND area_type = 'force'""", [JUNE_2014])
    assert len(forces) == 43
    assert page.locator("#map .choroplethlayer path").count() == 43
    rows = page.locator("#league-table tbody tr")
    assert rows.count() == 43
    shown = {row.locator("[data-column=name]").inner_text(): (row.locator("td[data-column=rate]").inner_text(),
                                                              row.locator("td[data-column=rank]").inner_text())
             for row in rows.all()}
    assert shown == {name: (one_decimal(rate), "not ranked" if rank is None else str(rank))
                     for name, rate, rank in forces}
    # sortable headers are buttons that say how the table is sorted
    rate_header = page.locator("#league-table th:has(button[data-sort=rate])")
    assert page.locator("#league-table th:has(button[data-sort=rank])").get_attribute("aria-sort") == "ascending"
    assert rate_header.get_attribute("aria-sort") == "none"
    rate_header.locator("button").focus()
    page.keyboard.press("Enter")  # by keyboard: highest rate first
    assert rate_header.get_attribute("aria-sort") == "descending"
    first = page.locator("#league-table tbody tr").first.locator("[data-column=name]").inner_text()
    assert first == max(forces, key=lambda f: f[1])[0]
    visit.screenshot("national-burglary-june-2014")
    assert visit.close() == []


def test_the_national_page_opens_the_forces_ticked_together(site, tabs):
    _, base = site
    visit = Visit(tabs, base, f"index.html?measure=robbery&period={JUNE_2014}")
    page = visit.page
    for force in ("E23000032", "E23000008", "E23000028"):  # Kent, then Durham and Essex
        page.locator(f"#league-table tr[data-key={force}] input[type=checkbox]").check()
    page.locator("#open-together").click()
    page.wait_for_url("**/areas/kent.html?**")
    visit.wait_until_drawn()
    assert page.locator("body").get_attribute("data-peers") == "durham,essex"
    assert page.locator("body").get_attribute("data-measure") == "robbery"
    assert page.locator("body").get_attribute("data-period") == JUNE_2014
    assert visit.close() == []


def test_a_page_for_every_area_and_the_odd_ones_render_without_errors(site, tabs, snapshot_settings):
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
        visit = Visit(tabs, base, f"areas/{name}.html")
        assert visit.page.locator("#figure .scatterlayer .trace").count() >= 1, name
        assert visit.page.locator("#rates tbody tr").count() == len(headline_measures()), name
        visit.screenshot(name)
        if found := visit.close():
            problems[name] = found
    assert problems == {}


def test_homicide_is_shown_per_million_with_ranks_on_that_scale(site, tabs, snapshot_settings):
    _, base = site
    offences, denominator, rank, ranked = published(snapshot_settings, """
        SELECT offences, denominator, rank_displayed, count(rank_displayed) OVER () FROM force_rates
        WHERE measure = 'homicide' AND period_end = ? QUALIFY area_code = ?""", [JUNE_2014, LANCASHIRE])[0]
    ranks = published(snapshot_settings, "SELECT count(DISTINCT rank_displayed) FROM force_rates WHERE measure = "
                                         "'homicide' AND period_end = ?", [JUNE_2014])[0][0]
    assert ranks > 20  # per 1,000 at one decimal, all 42 forces printed 0.0 and ranked 1
    visit = Visit(tabs, base, f"areas/lancashire.html?period={JUNE_2014}&measure=homicide")
    shown = visit.cells("all-rates", "homicide")
    assert shown["label"] == "Homicide (per million population)"
    assert shown["rate"] == f"{round(offences / denominator * 1e6, 1):.1f}"
    assert shown["rank"] == f"{rank} of {ranked}"
    assert visit.page.locator("#figure-title").inner_text().startswith("Figure: Homicide rate (per million population)")
    assert visit.close() == []
    national = Visit(tabs, base, f"index.html?measure=homicide&period={JUNE_2014}")
    league = national.page.locator("#league-table td[data-column=rank]").all_inner_texts()
    assert len(set(league)) == ranks + 1  # and the City of London, not ranked
    assert "per million" in national.page.locator("#map-title").inner_text()
    assert national.close() == []


def _expected_rows(snapshot_settings, href: str, columns: list[str]) -> list[tuple]:
    """What a download link's file should hold, queried from the published file as `forcestat sql` would."""
    selected = ", ".join(f'"{c}"' for c in columns)
    if found := re.fullmatch(r".*/downloads/measures/(\w+)\.csv", href):
        return published(snapshot_settings, f"SELECT {selected} FROM force_rates WHERE measure = ? AND area_type IN "
                                            "('force', 'country') ORDER BY period_end, area_type, area_name",
                         [found[1]])
    page, name = re.fullmatch(r".*/downloads/areas/([\w-]+?)-([a-z_]+)\.csv", href).groups()
    code, kind = next((c, k) for c, n, k in published(snapshot_settings, "SELECT area_code, area_name, area_type "
                                                                          "FROM areas") if slug(n, k) == page)
    which = {  # table, condition, its parameters, order
        "rates": ("force_rates", "area_code = ?", [code], "measure, period_end"),
        "change": ("force_change", "area_code = ? AND list_contains(?, measure)", [code, headline_measures()[:2]],
                   "measure, period_end"),
        "workforce": ("force_workforce", "area_code = ?", [code], "as_at"),
        "asb_monthly": ("street_crime_monthly", "area_code = ? AND crime_type = 'Anti-social behaviour'", [code],
                        "month"),
        "outcomes": ("crime_outcomes", "area_code = ?", [code], "financial_year, offence_group, outcome_group"),
        "judgments": ("inspection_judgments", "area_code = ?", [code], "cycle, pillar, question, source_kind"),
        "recommendations": ("inspection_recommendations", "area_code = ?", [code], "year, recommendation_number"),
        # a force's page also holds the other figures of the reports about it
        "figure_checks": ("report_figure_checks", "area_code = ? OR (? AND report_file IN (SELECT report_file FROM "
                          "report_figure_checks WHERE area_code = ?))", [code, kind == "force", code],
                          "report_file, figure_number"),
    }
    table, condition, parameters, order = which[name]
    return published(snapshot_settings, f"SELECT {selected} FROM {table} WHERE {condition} ORDER BY {order}",
                     parameters)


def _same(text: str, value) -> bool:
    """A CSV cell (DuckDB's text of a value) and the value published."""
    if value is None:
        return text == ""
    if isinstance(value, bool):
        return text == str(value).lower()
    if isinstance(value, float):
        return float(text) == value
    if isinstance(value, int):
        return int(text) == value
    if isinstance(value, datetime):
        return datetime.fromisoformat(text) == value
    if isinstance(value, date):
        return text == value.isoformat()
    return text == str(value)


def test_every_download_link_returns_the_published_figures(site, tabs, snapshot_settings):
    _, base = site
    links: dict[str, str] = {}
    for page_type, path in PAGE_TYPES.items():
        visit = Visit(tabs, base, path)
        for link in visit.page.locator("a[download]").all():
            links[link.evaluate("a => a.href")] = page_type
        assert visit.close() == []
    kinds = {re.sub(r".*/(lancashire-)?", "", href) for href in links if "/lancashire" in href or "national" in href}
    assert kinds == {"rates.csv", "change.csv", "workforce.csv", "asb_monthly.csv", "outcomes.csv", "judgments.csv",
                     "recommendations.csv", "figure_checks.csv", "lancashire.zip", "national.zip"}
    files = {}
    for href in links:
        with urllib.request.urlopen(href) as response:  # the test's own server, on 127.0.0.1
            files[href] = response.read()
    for href, data in files.items():
        if href.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                assert "README.txt" in archive.namelist(), href
                members = {n: archive.read(n) for n in archive.namelist() if n.endswith(".csv")}
            assert members, href
            if href.endswith("national.zip"):
                areas_rows = list(csv.reader(io.StringIO(members.pop("areas.csv").decode())))
                assert len(areas_rows) - 1 == published(snapshot_settings, "SELECT count(*) FROM areas")[0][0]
                for name, member in members.items():  # measures/<measure>.csv: the league table's files
                    assert member == urllib.request.urlopen(f"{base}/downloads/{name}").read(), name
            else:  # the page's whole data: each table's file
                for name, member in members.items():
                    assert member == urllib.request.urlopen(f"{href[:-4]}-{name}").read(), (href, name)
            continue
        rows = list(csv.reader(io.StringIO(data.decode())))
        header, body = rows[0], rows[1:]
        expected = _expected_rows(snapshot_settings, href, header)
        assert len(body) == len(expected) > 0, href
        for got, want in zip(body, expected, strict=True):
            assert all(_same(text, value) for text, value in zip(got, want, strict=True)), (href, got, want)


def test_every_page_type_fits_a_phone(site, tabs):
    _, base = site
    widths = {}
    for page_type, path in PAGE_TYPES.items():
        visit = Visit(tabs, base, path, viewport=PHONE)
        page = visit.page
        page.wait_for_timeout(300)  # plotly's resize
        widths[page_type] = page.evaluate("document.documentElement.scrollWidth")
        # the charts' axis labels are whole and readable: inside the page, at 11 px or more
        for label in page.locator(".xtick text, .ytick text").all():
            box = label.bounding_box()
            assert box is None or (box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]), page_type
            assert float(label.evaluate("t => getComputedStyle(t).fontSize").removesuffix("px")) >= 11
        visit.screenshot(f"phone-{page_type}")
        assert visit.close() == []
    assert widths == {page_type: PHONE["width"] for page_type in PAGE_TYPES}


def test_axe_finds_no_serious_or_critical_violation_on_any_page_type(site, tabs):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` in orchestration/site/a11y (make install does)")
    _, base = site
    found, counts = {}, {}
    for page_type, path in PAGE_TYPES.items():
        visit = Visit(tabs, base, path)
        visit.page.add_script_tag(path=str(AXE))
        result = visit.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        counts[page_type] = {impact: sum(len(v["nodes"]) for v in result["violations"] if v["impact"] == impact)
                             for impact in ("minor", "moderate", "serious", "critical")}
        found[page_type] = [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in result["violations"]
                            if v["impact"] in ("serious", "critical")]
        # what axe cannot judge: every chart says what it shows, every table says what it holds
        for chart in visit.page.locator("[role=img]").all():
            assert len(chart.get_attribute("aria-label") or "") > 60, page_type
        assert visit.page.locator("table:not(:has(> caption))").count() == 0, page_type
        assert visit.close() == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "axe-counts.json").write_text(json.dumps(counts, indent=1))
    assert found == {page_type: [] for page_type in PAGE_TYPES}


def test_the_search_box_finds_a_local_authoritys_force(site, tabs):
    _, base = site
    for path, prefix in (("index.html", ""), ("areas/dyfed-powys.html", "../")):
        visit = Visit(tabs, base, path)
        page = visit.page
        page.fill("#search", "Blackpool")
        result = page.locator("#search-results a").first
        assert result.inner_text() == "Blackpool (local authority): Lancashire"
        assert result.get_attribute("href") == f"{prefix}areas/lancashire.html"
        page.fill("#search", "north west")
        assert page.locator("#search-results a").first.get_attribute("href") == f"{prefix}areas/north-west-region.html"
        page.fill("#search", "Blackpool")
        page.press("#search", "Enter")
        page.wait_for_url("**/areas/lancashire.html")
        visit.wait_until_drawn()
        assert visit.close() == []


def test_an_unknown_period_says_so_and_shows_the_nearest(site, tabs):
    _, base = site
    visit = Visit(tabs, base, "areas/england-and-wales.html?period=1999-01-01")
    assert visit.page.locator("body").get_attribute("data-period") == "2003-03-31"
    assert visit.page.locator("#messages").inner_text() == (
        "There are no figures for the 12 months to January 1999: the figures run from the 12 months to March 2003 to "
        "the 12 months to December 2025. Showing the nearest, the 12 months to March 2003.")
    assert visit.close() == []
    national = Visit(tabs, base, "index.html?period=2014-05-31")
    assert national.page.locator("body").get_attribute("data-period") == JUNE_2014
    assert "Showing the nearest, the 12 months to June 2014" in national.page.locator("#messages").inner_text()
    assert national.close() == []


@pytest.mark.parametrize("path", ["areas/lancashire.html?period=2003-03-31", "areas/england-and-wales.html?period="
                                  "2003-03-31", "areas/city-of-london.html", "index.html?measure=homicide"])
def test_no_sentence_says_null(site, tabs, path):
    _, base = site
    visit = Visit(tabs, base, path)
    text = visit.page.locator("main").inner_text()
    assert not re.search(r"\b(null|undefined|NaN)\b", text), re.findall(r".{60}\b(?:null|undefined|NaN)\b.{20}", text)
    if "2003-03-31" in path:  # the change to March 1999 cannot be computed: the page says why
        assert "no figures are held for it (they start with the 12 months to March 2003)" in text
    assert visit.close() == []


def test_notes_judgments_and_report_figures_read_in_plain_words(site, tabs, snapshot_settings):
    _, base = site
    visit = Visit(tabs, base, f"areas/lancashire.html?period={JUNE_2014}")
    page = visit.page
    # one row per judgment, both sources named
    judgments = published(snapshot_settings, "SELECT count(DISTINCT (cycle, pillar, question)) FROM "
                                             "inspection_judgments WHERE area_code = ?", [LANCASHIRE])[0][0]
    assert page.locator("#judgments-table tbody tr").count() == judgments
    both = page.locator("#judgments-table tr", has_text="investigating offending").first
    assert "inspection report" in both.inner_text() and "PEEL grades table" in both.inner_text()
    # the England and Wales rate the report quotes: crime revisions and the population the check divides by
    reasons = page.locator("#figure-checks-table tr", has_text="England and Wales").first.locator(
        "td[data-column=difference_reason]").inner_text()
    assert "revisions" in reasons and "Population: divided by the ONS mid-year estimate as first published" in reasons
    assert "the rates above divide by the ONS mid-2013 population estimate" in reasons
    assert not re.search(r"\b[a-z0-9]+_[a-z0-9_]+\b", page.locator("#figure-checks-table").inner_text())
    # a measure the warehouse has no figure of is named by its label (seed measures), as published
    asb = published(snapshot_settings, "SELECT DISTINCT not_computable_reason FROM report_figure_checks WHERE "
                                       "measure = 'asb_incidents' AND unit LIKE 'per_1000_%'")
    assert asb == [("the warehouse holds no figure of anti-social behaviour incidents (data.police.uk) for this area "
                    "and period",)]
    assert page.locator("#figure-checks-table", has_text="The warehouse holds no figure of anti-social behaviour "
                        "incidents (data.police.uk) for this area and period.").count() == 1
    # the series notes under the figure: the change of crime table and of population series, in words
    notes = page.locator("#series-notes li").all_inner_texts()
    assert any(n.startswith("From the 12 months to March 2013, the counts come from the Home Office") for n in notes)
    assert any("rates divide by another population series" in n for n in notes)
    words = " ".join(notes) + page.locator("#crime-notes").inner_text()
    assert not re.search(r"\b[a-z0-9]+_[a-z0-9_]+\b", words), words  # no codes (mye_2021_census_rebased)
    assert visit.close() == []

    # a period that divides by a mid-year carried forward says so on its rows and on the page
    latest = Visit(tabs, base, "areas/lancashire.html?period=2025-12-31&measure=domestic_burglary&from=2015-12-31")
    carried = latest.page.locator("#crime-notes [data-note=carried-forward]").all_inner_texts()
    assert carried == [f"The 12 months to December 2025 divide by the mid-2024 {kind}: the estimate for mid-2025, the "
                       "year the period starts in, is not yet published." for kind in ("population", "households")]
    assert "Divides by the mid-2024 population estimate" in latest.page.locator("#crime-notes ol").inner_text()
    # and the change of definition of burglary is a band on its chart, with its note
    assert latest.page.locator("#series-notes li[data-kind=definition]").count() == 1
    assert latest.page.locator("#figure .layer-above path, #figure .layer-below path").count() >= 2
    latest.screenshot("lancashire-december-2025-burglary")
    assert latest.close() == []

    # a row's caveats, joined by " | " in the published note, are listed one by one, each whole (the City of
    # London's holds a "; " of its own)
    [(note,)] = published(snapshot_settings, "SELECT note FROM force_rates WHERE area_name = 'City of London' AND "
                                             "measure = 'crime_excluding_fraud' AND period_end = '2025-12-31'")
    caveats = note.split(" | ")
    assert len(caveats) == 2 and "; " in caveats[0]
    city = Visit(tabs, base, "areas/city-of-london.html?period=2025-12-31")
    listed = city.page.locator("#crime-notes ol li").all_inner_texts()
    assert {f"{c}." for c in caveats} <= set(listed) and not any(" | " in n for n in listed), listed
    assert city.close() == []


def test_dbt_docs_and_gx_data_docs_open_offline(tabs, tmp_path):
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
        dbt = DocsVisit(tabs, base, "docs/dbt/index.html#!/model/model.forcestat.force_rates")
        dbt.page.wait_for_selector("text=One row per area, 12-month period end and measure")
        dbt.screenshot("dbt-docs-force-rates")
        problems["dbt"] = dbt.close()
        gx = DocsVisit(tabs, base, "docs/gx/index.html")
        suites = len(list(EXPECTATIONS_DIR.glob("*.json")))
        gx.page.wait_for_selector(f"text=of {suites} rows")  # bootstrap-table's list of suites, filled in
        assert gx.page.locator("link[rel=stylesheet][href*=bootstrap]").count() >= 1
        gx.screenshot("gx-data-docs-index")
        problems["gx"] = gx.close()
        suite = DocsVisit(tabs, base, "docs/gx/expectations/force_rates.html")
        assert suite.page.locator("text=rank_displayed").count() >= 1
        problems["gx suite"] = suite.close()
        assert problems == {"dbt": [], "gx": [], "gx suite": []}
    finally:
        server.shutdown()


class DocsVisit(Visit):
    """Third-party pages (dbt's, GX's): drawn by their own scripts, and they declare no favicon."""

    def __init__(self, tabs, base: str, path: str):
        self.base = base
        super().__init__(tabs, base, path)

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


def _files(site: Path) -> dict[str, bytes | list]:
    """A site's files (a ZIP as its members: its entries carry the time it was written), site.json aside."""
    files = {}
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.name != "site.json":
            with (zipfile.ZipFile(path) if path.suffix == ".zip" else open(path, "rb")) as handle:
                files[str(path.relative_to(site))] = [(i.filename, handle.read(i)) for i in handle.infolist()] \
                    if path.suffix == ".zip" else handle.read()
    return files


def test_a_rebuild_after_a_street_month_remakes_only_what_reads_it_and_equals_a_whole_build(warehouse, tmp_path):
    from dagster import AssetKey

    from orchestration.site.assets import SITE_KEY
    from orchestration.site.build import build_site

    settings = warehouse.settings
    kent = plain_copy(NATIONAL / "2014-01" / "2014-01-kent-street.csv.gz", tmp_path)
    [run] = warehouse.deliver(kent)
    assert run.success
    assert {e.asset_key for e in run.get_asset_materialization_events()} >= {AssetKey(["marts", "force_rates"]),
                                                                              SITE_KEY}
    # force_rates was built again with the rows it had (Kent's one month of ASB gives no rate yet): of the site's
    # parts only the two that read street_crime_monthly (the profiles' ASB by month and its download) were made
    site = settings.site_dir
    parts = json.loads((site / "site.json").read_text())["parts"]
    taken = warehouse.instance.get_latest_materialization_event(SITE_KEY).asset_materialization.metadata[
        "parts_taken"].value.split(", ")
    assert sorted(set(parts) - set(taken)) == ["download-asb_monthly", "profile-asb_monthly"]
    assert "2014-01-01" in (site / "data" / "areas" / "E23000032.js").read_text()  # Kent's new month
    rebuilt = _files(site)

    (site / "site.json").unlink()  # a site that tells no parts: every part made again
    whole = build_site(settings)
    assert whole.taken == [] and whole.parts == len(parts)
    assert _files(site).keys() == rebuilt.keys()
    assert [name for name, data in _files(site).items() if rebuilt[name] != data] == []
