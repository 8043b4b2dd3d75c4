"""Write the static site beside the published file (published/site/): a national page with a map and a league table,
and one profile page per force, region and England and Wales.

Pages are small HTML shells; what they show comes from data files written here from one publication, loaded with
<script> so the site also opens from disk: data/national.js (the areas and measures), data/areas/<code>.js (a
profile), data/rates/<measure>.js (every force's rates of a measure: the map, the league table and a profile's peers
load the measures they show), data/search.js (the names the search box knows). assets/profile.js and
assets/national.js draw them with plotly.js's partial bundles (basic for the profiles, geo for the map), installed
from npm as locked (charts/) and copied here: nothing is fetched from any other host.
downloads/ holds each table's data as CSV, as published (downloads.py). The site's own folders are replaced whole, so
a reader never mixes two publications' files; the docs and Data Docs folders beside them are left as they are. A part
whose published tables have not changed since the site's last build is linked from it, not made again (parts.py).
"""

from __future__ import annotations

import html
import json
import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from string import Template

import duckdb

from orchestration.publication.reader import connect
from orchestration.settings import Settings
from orchestration.site import content
from orchestration.site.downloads import write_downloads
from orchestration.site.parts import FOLDER as PARTS_FOLDER
from orchestration.site.parts import Parts
from orchestration.site.similar import METHOD as SIMILAR_METHOD
from orchestration.site.similar import similar_forces

STATIC_DIR = Path(__file__).parent / "static"
BOUNDARIES_FILE = Path("boundaries") / "pfa_boundaries_dec2023_buc.geojson"  # under the data folder
OWN_ENTRIES = ("index.html", "areas", "data", "assets", "downloads", PARTS_FOLDER, "site.json")
ASSETS = ("site.css", "common.js", "profile.js", "national.js")
# plotly.js's partial bundles (`make install`: npm ci in charts/), each page type with only the traces it draws: the
# full bundle is 4.8 MB that a page spent 1.4 s evaluating before drawing anything (0.2-0.3 s for these)
CHARTS_DIR = Path(__file__).parent / "charts" / "node_modules"
CHART_BUNDLES = ("plotly.js-basic-dist-min/plotly-basic.min.js",  # scatter and bar: the profiles (area.html)
                 "plotly.js-geo-dist-min/plotly-geo.min.js")  # choropleth: the national map (index.html)
# plotly.js draws its map's base layers from a world topology it would fetch (from cdn.plot.ly, or topojsonURL: an
# XMLHttpRequest a page opened from disk may not make); the map hides them, so an empty topology, given to plotly
# as a script (window.PlotlyGeoAssets, which it reads before fetching), is all it needs.
EMPTY_TOPOLOGY = {"type": "Topology", "arcs": [], "objects": {
    name: {"type": "GeometryCollection", "geometries": []}
    for name in ("coastlines", "land", "ocean", "lakes", "rivers", "countries", "subunits")}}


@dataclass(frozen=True)
class SiteSummary:
    folder: Path
    pages: int
    bytes: int
    seconds: float
    publication: str
    taken: list[str]  # the parts taken from the site this one replaced (parts.py)
    parts: int


def chart_bundles() -> list[Path]:
    bundles = [CHARTS_DIR / bundle for bundle in CHART_BUNDLES]
    missing = [str(bundle) for bundle in bundles if not bundle.is_file()]
    if missing:
        raise RuntimeError(f"plotly.js is not installed ({', '.join(missing)} missing): the site's charts need it; "
                           "`make install` installs it (npm ci in orchestration/site/charts)")
    return bundles


def _json(value) -> str:
    return json.dumps(value, separators=(",", ":"), allow_nan=False)


def _script(variable: str, value) -> str:
    return f"window.{variable} = {_json(value)};\n"


def _write_rates(con: duckdb.DuckDBPyConnection, parts: Parts, rate_areas: list[str]) -> None:
    """data/rates/<measure>.js, taken from the current site when their part is unchanged."""
    folder = Path("data") / "rates"
    if parts.unchanged("rates", content.RATES, rate_areas) and parts.take("rates", parts.held_in(folder, "*.js")):
        return
    for measure, by_period in content.rates(con, rate_areas).items():
        (parts.staging / folder / f"{measure}.js").write_text(_script(f"FORCESTAT_RATES[{json.dumps(measure)}]",
                                                                      by_period))


def _profile_tables(con: duckdb.DuckDBPyConnection, parts: Parts) -> dict[str, dict[str, str]]:
    """Each profile table's JSON for every area (table -> area code -> JSON; "": the table without rows), each table
    taken from the current site's parts when unchanged."""
    tables = {}
    for name, (sql, params) in content.profile_tables().items():
        part = f"profile-{name}"
        kept = parts.staging / parts.data(part)
        if parts.unchanged(part, sql, params) and parts.take(part, [parts.data(part)]):
            tables[name] = json.loads(kept.read_text())
            continue
        rows = content.ByArea(con, sql, params)
        tables[name] = {"": _json(rows.of("")), **{code: _json(rows.of(code)) for code in rows.by_area}}
        kept.parent.mkdir(exist_ok=True)
        kept.write_text(json.dumps(tables[name]))
    return tables


def _page(template: str, docs_links: str = "", **values: str) -> str:
    return Template((STATIC_DIR / template).read_text()).substitute(
        {name: html.escape(value) for name, value in values.items()}, docs_links=docs_links,
        search=(STATIC_DIR / "search.html").read_text().strip())


def _docs_links(site: Path, prefix: str) -> str:
    """Links to the dbt docs and GX Data Docs that `forcestat docs` built into the site, if it has."""
    docs = (("docs/dbt/index.html", "Data dictionary (dbt)"), ("docs/gx/index.html", "Quality gate (GX)"))
    return "".join(f' <a href="{prefix}{page}">{label}</a>' for page, label in docs if (site / page).exists())


def build_site(settings: Settings) -> SiteSummary:
    """Build the site from the current publication into settings.site_dir."""
    started = time.perf_counter()
    boundaries_file = settings.data_dir / BOUNDARIES_FILE
    if not boundaries_file.exists():
        raise FileNotFoundError(f"{boundaries_file}: the police force area boundaries the national map draws are "
                                "missing (they ship in warehouse/data/boundaries/)")
    boundaries = json.loads(boundaries_file.read_text())
    bundles = chart_bundles()
    site = settings.site_dir
    site.mkdir(parents=True, exist_ok=True)
    staging = site / f".build-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "areas").mkdir(parents=True)
    (staging / "data" / "areas").mkdir(parents=True)
    (staging / "data" / "rates").mkdir()
    (staging / "assets").mkdir()

    with connect(settings) as con:
        # the file this connection opened (a newer publication may replace the link meanwhile)
        publication_file = Path(con.execute("SELECT path FROM duckdb_databases() WHERE database_name = "
                                            "current_database()").fetchone()[0])
        national = content.national(con)
        stamp = f"published {national['publication']['published_at'][:16].replace('T', ' ')} UTC"
        # the downloads are mostly DuckDB's, zlib's and the disk's work, which let go of Python's lock: written in a
        # thread (on a cursor of their own) while this one codes the profiles, a second of each build's two or three
        with con.cursor() as keying, con.cursor() as cursor, ThreadPoolExecutor(max_workers=1) as pool:
            parts = Parts(keying, site, staging)
            writing = pool.submit(write_downloads, cursor, staging / "downloads", national["areas"], stamp, parts)
            _write_rates(con, parts, national["rate_areas"])
            tables = _profile_tables(con, parts)
            similar = similar_forces(con, boundaries)
            downloads = writing.result()
    # what every page needs besides its own figures: the area itself, the measures, the other areas for links and
    # peers, the order of the national rates' areas, its downloads, the plain words for the codes it shows, a force's
    # most similar forces
    directory = [{k: a[k] for k in ("code", "name", "slug", "type", "region_code")} for a in national["areas"]]
    words = content.code_words()
    for area in national["areas"]:
        own = ",".join(f"{json.dumps(name)}:{by_area.get(area['code'], by_area[''])}"
                       for name, by_area in tables.items())
        page = _json(dict(area=area, measures=national["measures"], areas=directory,
                          rate_areas=national["rate_areas"], publication=national["publication"],
                          downloads=downloads[area["slug"]], crime_sources=content.CRIME_SOURCES, words=words,
                          similar=similar.get(area["code"]), similar_method=SIMILAR_METHOD))
        (staging / "data" / "areas" / f"{area['code']}.js").write_text(
            f"window.FORCESTAT_AREA = {{{own},{page[1:]};\n")

    (staging / "data" / "national.js").write_text(_script("FORCESTAT_NATIONAL", national))
    (staging / "data" / "search.js").write_text(_script("FORCESTAT_SEARCH", content.search_names(
        national["areas"], settings.data_dir)))
    (staging / "data" / "boundaries.js").write_text(_script("FORCESTAT_BOUNDARIES", boundaries))
    for area in national["areas"]:
        (staging / "areas" / f"{area['slug']}.html").write_text(_page(
            "area.html", _docs_links(site, "../"), title=area["name"], code=area["code"], slug=area["slug"],
            stamp=stamp))
    (staging / "index.html").write_text(_page("index.html", _docs_links(site, ""), stamp=stamp))
    for asset in ASSETS:
        shutil.copy2(STATIC_DIR / asset, staging / "assets" / asset)
    for bundle in bundles:
        shutil.copy2(bundle, staging / "assets" / bundle.name)
    (staging / "assets" / "geo-assets.js").write_text(_script("PlotlyGeoAssets", {"topojson": {
        "world_110m": EMPTY_TOPOLOGY}}))

    pages = len(national["areas"]) + 1
    size = sum(f.stat().st_size for f in staging.rglob("*") if f.is_file() and PARTS_FOLDER not in f.parts)
    (staging / "site.json").write_text(json.dumps({
        "publication": publication_file.parent.name, "published_at": national["publication"]["published_at"],
        "pages": pages, "bytes": size, "parts": parts.keys}, indent=1))
    _swap_in(staging, site)
    return SiteSummary(site, pages, size, round(time.perf_counter() - started, 2), publication_file.parent.name,
                       sorted(parts.taken), len(parts.keys))


def _swap_in(staging: Path, site: Path) -> None:
    """Replace the site's own entries with the new ones, each by a rename (the docs folders stay)."""
    for name in OWN_ENTRIES:
        new, current = staging / name, site / name
        old = site / f".old-{name}-{os.getpid()}"
        if current.exists():
            os.replace(current, old)
        os.replace(new, current)
        if old.is_dir():
            shutil.rmtree(old)
        elif old.exists():
            old.unlink()
    shutil.rmtree(staging)
