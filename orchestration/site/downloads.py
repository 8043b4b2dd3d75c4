"""The site's downloads, written at build time from the same publication as its pages: each table's and chart's data
as CSV, with the published column names and the figures as published (unrounded: the pages show them rounded once),
and each page's whole data as one ZIP of those files.

    downloads/areas/<slug>-<name>.csv   an area's rows of a published table, every period (a table or chart on the
                                        page shows one period or window of them)
    downloads/areas/<slug>.zip          all of an area's files, with a README saying which table each is from
    downloads/measures/<measure>.csv    one measure's rates for every force and England and Wales, every period (the
                                        national league table and map, and a profile's peers)
    downloads/national.zip              every measure's file and the areas

DuckDB writes the text of every area's (or measure's) file in one query per kind of file: each row as a CSV line
(values as DuckDB's CSV writer gives them: dates as 2014-06-30, doubles in full, true/false, empty for NULL; a text
quoted when it holds a comma, a quote or a line break), joined in order and grouped by area. Python's csv module took
five times as long to format the numbers; DuckDB's own COPY, split by area, does not keep the rows' order.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.site.content import ASB_CRIME_TYPE, headline_measures
from orchestration.site.parts import Parts

# force_rates' columns an area's rates file carries: the figures as the pages show them (at the measure's scale,
# rate_per) and what they divide by, not the texts every row repeats (the published table has those, the
# denominator's description, and the rates per 1,000)
RATES_COLUMNS = ("area_code", "area_name", "period_end", "measure", "offences", "denominator", "denominator_kind",
                 "denominator_mid_year", "rate_per", "rate_at_scale", "ew_rate_at_scale", "region_rate_at_scale",
                 "rank_displayed", "note")
# a measure's national file: England and Wales is a row of its own, so no E&W or region column
MEASURE_COLUMNS = ("area_code", "area_name", "area_type", "period_end", "measure", "offences", "denominator",
                   "rate_per", "rate_at_scale", "rank_displayed", "in_force_comparisons", "note")


@dataclass(frozen=True)
class Download:
    """One kind of file: the published table it comes from (aliased t), its columns (None: every column), which rows
    are an area's (a condition on {area}, the area's code), their order, and what they are."""

    table: str
    columns: tuple[str, ...] | None
    rows: str
    order: str
    about: str


def area_downloads() -> dict[str, Download]:
    sentences = ", ".join(f"'{m}'" for m in headline_measures()[:2])
    return {
        "rates": Download("force_rates", RATES_COLUMNS, "t.area_code = {area}", "t.measure, t.period_end",
                          "rates of every measure, every period (the crime tables and the figure)"),
        "change": Download(
            "force_change", ("area_code", "area_name", "period_end", "measure", "offences", "offences_year_before",
                             "pct_change_year", "year_not_comparable_reason", "baseline_period_end",
                             "offences_baseline", "pct_change_baseline", "baseline_not_comparable_reason"),
            f"t.area_code = {{area}} AND t.measure IN ({sentences})", "t.measure, t.period_end",
            "the changes the page's sentences describe"),
        "workforce": Download("force_workforce", None, "t.area_code = {area}", "t.as_at",
                              "police officers (FTE), officers per 1,000 residents and crimes per officer, every "
                              "date held"),
        "asb_monthly": Download(
            "street_crime_monthly", ("area_code", "month", "crime_type", "incident_count"),
            f"t.area_code = {{area}} AND t.crime_type = '{ASB_CRIME_TYPE}'", "t.month",
            "anti-social behaviour incidents by month (data.police.uk)"),
        "outcomes": Download("crime_outcomes", None, "t.area_code = {area}",
                             "t.financial_year, t.offence_group, t.outcome_group", "crime outcomes"),
        "judgments": Download("inspection_judgments", None, "t.area_code = {area}",
                              "t.cycle, t.pillar, t.question, t.source_kind", "inspection judgments, one row a source"),
        "recommendations": Download("inspection_recommendations", None, "t.area_code = {area}",
                                    "t.year, t.recommendation_number", "inspection recommendations"),
        # a force's page shows every figure of the reports about it (England and Wales's included)
        "figure_checks": Download(
            "report_figure_checks", None,
            "(t.area_code = {area} OR t.report_file IN (SELECT f.report_file FROM report_figure_checks f "
            "JOIN areas force USING (area_code) WHERE force.area_type = 'force' AND f.area_code = {area}))",
            "t.report_file, t.figure_number", "report figures checked against the warehouse"),
    }


def _csv_line(con: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...] | None) -> tuple[str, str]:
    """The header of a CSV of these columns of a table (None: all), and the SQL of one row's line (table alias t)."""
    types = dict(con.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? "
                             "ORDER BY column_index", [table]).fetchall())
    names = columns or tuple(types)

    def value(name: str) -> str:
        column = f't."{name}"'
        if types[name] != "VARCHAR":
            return f"coalesce(CAST({column} AS VARCHAR), '')"
        return (f"CASE WHEN {column} IS NULL THEN '' WHEN regexp_matches({column}, '[\",\\r\\n]') "
                f"""THEN '"' || replace({column}, '"', '""') || '"' ELSE {column} END""")

    return ",".join(names), " || ',' || ".join(value(name) for name in names)


def _query(con: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...] | None, key: str, source: str,
           order: str) -> tuple[str, str]:
    """The header of the CSVs giving one file per value of key (SQL over source, which names the table t), and the
    SQL of their texts: (value, its rows' lines in order)."""
    header, line = _csv_line(con, table, columns)
    return header, f"SELECT {key}, string_agg({line}, chr(10) ORDER BY {order}) FROM {source} GROUP BY 1"


def _files(con: duckdb.DuckDBPyConnection, header: str, sql: str) -> dict[str, bytes]:
    return {value: f"{header}\n{text}\n".encode() for value, text in con.execute(sql).fetchall()}


def _zip(target: Path, readme: str, files: dict[str, bytes]) -> None:
    # level 1: the CSVs repeat their texts, so the fastest level already makes them about ten times smaller
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("README.txt", readme)
        for name, data in files.items():
            archive.writestr(name, data)


def write_downloads(con: duckdb.DuckDBPyConnection, folder: Path, areas: list[dict], stamp: str,
                    parts: Parts) -> dict[str, list[str]]:
    """Write every download into folder (the new site's downloads/), each kind of file taken from the current site
    when its part is unchanged (parts.py); returns the names of each area's files (rates.csv, ...)."""
    (folder / "areas").mkdir(parents=True)
    (folder / "measures").mkdir()
    downloads = area_downloads()
    in_site = folder.relative_to(parts.staging)
    files: dict[str, dict[str, bytes]] = {a["code"]: {} for a in areas}
    for name, download in downloads.items():
        every_area = f"areas owner JOIN {download.table} t ON {download.rows.format(area='owner.area_code')}"
        header, sql = _query(con, download.table, download.columns, "owner.area_code", every_area, download.order)
        paths = {a["code"]: Path("areas") / f"{a['slug']}-{name}.csv" for a in areas}
        if parts.unchanged(f"download-{name}", sql) and parts.take(
                f"download-{name}", parts.held(in_site / path for path in paths.values())):
            made = {code: (folder / path).read_bytes() for code, path in paths.items() if (folder / path).exists()}
        else:
            made = _files(con, header, sql)
            for code, data in made.items():
                (folder / paths[code]).write_bytes(data)
        for code, data in made.items():
            files[code][f"{name}.csv"] = data
    for area in areas:
        own = files[area["code"]]
        readme = (f"{area['name']}: the data of its forcestat profile, {stamp}. Figures as published, unrounded.\n\n"
                  + "".join(f"{name}  {downloads[name[:-4]].about} (published table {downloads[name[:-4]].table})\n"
                            for name in own))
        _zip(folder / "areas" / f"{area['slug']}.zip", readme, own)
    header, sql = _query(con, "force_rates", MEASURE_COLUMNS, "t.measure", "force_rates t WHERE t.area_type IN "
                         "('force', 'country')", "t.period_end, t.area_type, t.area_name")
    if parts.unchanged("download-measures", sql) and parts.take("download-measures",
                                                                parts.held_in(in_site / "measures", "*.csv")):
        measures = {path.stem: path.read_bytes() for path in sorted((folder / "measures").glob("*.csv"))}
    else:
        measures = dict(sorted(_files(con, header, sql).items()))
        for measure, data in measures.items():
            (folder / "measures" / f"{measure}.csv").write_bytes(data)
    area_table = _files(con, *_query(con, "areas", None, "'areas'", "areas t", "t.area_code"))["areas"]
    _zip(folder / "national.zip", f"forcestat's national data, {stamp}. Figures as published, unrounded.\n\n"
         "areas.csv  the areas (published table areas)\nmeasures/<measure>.csv  one measure's rates for every force "
         "and England and Wales, every period (published table force_rates)\n",
         {"areas.csv": area_table, **{f"measures/{m}.csv": data for m, data in measures.items()}})
    return {area["slug"]: sorted(files[area["code"]]) for area in areas}

