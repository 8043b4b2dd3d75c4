"""What the site shows, read from one publication: the national figures, one record per area, the series notes of
its charts and the names its search box knows.

Every figure is rounded here, by DuckDB, exactly as the page prints it (rates to one decimal place at their measure's
scale, changes to one decimal place and to whole percent for the sentences), so the page never rounds a number itself
and a test can compare what a page shows with `round()` of the published column.

Besides the published file, two lists are read from the dbt project's seeds, where they are kept once: the
measures (measures.csv: which head the profiles and in what order, headline_order; their labels) and the
denominators' vintages (population_vintages.csv), so a vintage's code can be given in words; the search
box also reads the local authority lookup the warehouse's populations are built with (data/lookups/).
"""

from __future__ import annotations

import csv
import re
from datetime import date, datetime
from pathlib import Path

import duckdb

from orchestration.settings import SEEDS_DIR

ASB_CRIME_TYPE = "Anti-social behaviour"
# The local authority -> force area lookup (ONS, December 2016) and the authorities merged since (a seed).
LA_LOOKUP_FILE = Path("lookups") / "LAD16_CSP16_PFA16_lookup_EW.csv"  # under the data folder
# Plain words for the crime tables a count can come from (force_rates.crime_source).
CRIME_SOURCES = {
    "ons_rolling_year": "the ONS rolling-year table",
    "home_office_prc": "the Home Office's quarterly police recorded crime table",
    "police_uk_street": "data.police.uk street data",
}


def slug(name: str, area_type: str) -> str:
    """A page name for an area: 'Devon and Cornwall' -> 'devon-and-cornwall'; regions end in '-region' (the West
    Midlands is a force and a region)."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") + ("-region" if area_type == "region" else "")


def _plain(value):
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _seed(name: str) -> list[dict]:
    with open(SEEDS_DIR / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def encode(description, rows: list[tuple]) -> dict:
    """Rows of a query with this cursor description, as a table of a data file: {"columns", "rows", "coded",
    "texts"}, where the values of the coded columns (every text and date column) are indexes into the table's list
    of texts. Profiles repeat a few dozen texts (measures, periods, notes) thousands of times; coding them makes a
    profile ten times smaller."""
    texts, index = [], {}

    def code(value) -> int:
        if value not in index:
            index[value] = len(texts)
            texts.append(value)
        return index[value]

    names = [d[0] for d in description]
    columns = list(zip(*rows, strict=True)) or [() for _ in names]
    kinds = [str(d[1]) for d in description]
    coded = [i for i, kind in enumerate(kinds) if kind.startswith(("VARCHAR", "DATE", "TIMESTAMP"))]
    for i in coded:  # column by column: a profile holds about 50,000 values, a few dozen of them distinct
        plain = (lambda v: v) if kinds[i] == "VARCHAR" else _plain
        # each distinct value coded once, in the order first met (dict.fromkeys keeps it)
        codes = {v: code(plain(v)) for v in dict.fromkeys(columns[i]) if v is not None}
        columns[i] = list(map(codes.get, columns[i]))  # None stays None
    return {"columns": names, "rows": list(zip(*columns, strict=True)), "coded": coded,  # tuples: JSON arrays
            "texts": texts}


def _records(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, (_plain(v) for v in row), strict=True)) for row in cursor.fetchall()]


def code_words() -> dict[str, str]:
    """Plain words for the codes a published column holds: the denominators' vintages
    (report_figure_checks.denominator_vintage)."""
    return {r["vintage"]: r["description"] for r in _seed("population_vintages.csv")}


def headline_measures() -> list[str]:
    """The headline measures (HMIC's Crime inspection 2014 table), in its order: the measures seed's headline_order.
    The first is the measure of the profiles' figure and, with the second, of their change sentences."""
    rows = [r for r in _seed("measures.csv") if r["headline_order"]]
    return [r["measure"] for r in sorted(rows, key=lambda r: int(r["headline_order"]))]


def measures(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """The measures with rates, headline measures first (in the report's order), then by label; each with the scale
    its rates are shown at."""
    rows = _records(con, "SELECT measure AS id, any_value(measure_label) AS label, any_value(denominator_kind) AS "
                         "denominator_kind, any_value(rate_per) AS rate_per FROM force_rates GROUP BY 1")
    order = {m: i for i, m in enumerate(headline_measures())}
    for row in rows:
        row["headline"] = row["id"] in order
    return sorted(rows, key=lambda r: (order.get(r["id"], len(order)), r["label"]))


def areas(con: duckdb.DuckDBPyConnection) -> list[dict]:
    rows = _records(con, "SELECT area_code AS code, area_name AS name, area_type AS type, force_full_name, "
                         "region_code, region_name, in_force_comparisons, comparison_note FROM areas "
                         "ORDER BY CASE area_type WHEN 'country' THEN 0 WHEN 'region' THEN 1 ELSE 2 END, area_name")
    for row in rows:
        row["slug"] = slug(row["name"], row["type"])
    return rows


def publication(con: duckdb.DuckDBPyConnection) -> dict:
    return _records(con, "SELECT published_at, dagster_run_id, code_version FROM publication")[0]


def national(con: duckdb.DuckDBPyConnection) -> dict:
    """What every page shares: the publication, the measures, the areas; rate_areas orders the values of rates()."""
    all_areas = areas(con)
    return {"publication": publication(con), "measures": measures(con), "areas": all_areas,
            "rate_areas": [a["code"] for a in all_areas if a["type"] in ("force", "country")]}


RATES = """SELECT measure, period_end, area_code, round(rate_at_scale, 1), rank_displayed FROM force_rates
           WHERE rate_at_scale IS NOT NULL AND area_type IN ('force', 'country')"""


def rates(con: duckdb.DuckDBPyConnection, rate_areas: list[str]) -> dict[str, dict[str, list]]:
    """Every force's and England and Wales's rate as shown and rank for every measure and period (RATES):
    rates[measure][period] = [[rate, rank] for each of rate_areas] (null where an area has no rate). One file per
    measure: the national page and a profile's peers load only the measures they show."""
    position = {code: i for i, code in enumerate(rate_areas)}
    out: dict[str, dict[str, list]] = {}
    for measure, period_end, code, rate, rank in con.execute(RATES).fetchall():
        values = out.setdefault(measure, {}).setdefault(period_end.isoformat(), [None] * len(rate_areas))
        values[position[code]] = [rate, rank]
    return out


class ByArea:
    """A query's rows for every page at once, split by page (its first column): the 54 profiles' tables take 0.9 s
    this way, 2.7 s as one query per page and table."""

    def __init__(self, con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
        cursor = con.execute(sql, params or [])
        self.description = cursor.description[1:]
        self.by_area: dict[str, list[tuple]] = {}
        for row in cursor.fetchall():
            self.by_area.setdefault(row[0], []).append(row[1:])

    def of(self, code: str) -> dict:
        return encode(self.description, self.by_area.get(code, []))


# Where each area's series of a measure changes in a way its chart should say, found in the published rows:
# - definition: a change of definition (seed classification_breaks, as force_change applies it): the periods not
#   comparable with a year earlier, from `period_end` to `until`, and why (`after`);
# - source: the crime table the counts come from changes (`before` -> `after`, crime_source codes);
# - denominator: the population series changes vintage (`before` -> `after`, the two periods' denominators in
#   words); households are one estimate through and between the censuses, so their vintages are not breaks;
# - carried_forward: the period divides by an earlier mid-year (`after`) than the year it starts in (`before`),
#   which is not yet published (force_rates' rule, population_mid_year_offset 0).
SERIES_NOTES = """
        WITH series AS (
            SELECT area_code, measure, period_end, year(period_start) AS start_year, crime_source,
                   denominator_kind, denominator_vintage, denominator_mid_year, denominator_description,
                   lag(crime_source) OVER by_period AS source_before,
                   lag(denominator_vintage) OVER by_period AS vintage_before,
                   lag(denominator_description) OVER by_period AS description_before
            FROM force_rates WHERE rate_at_scale IS NOT NULL
            WINDOW by_period AS (PARTITION BY area_code, measure ORDER BY period_end))
        SELECT area_code, measure, min(period_end) AS period_end, max(period_end) AS until, 'definition' AS kind,
               NULL AS before, any_value(year_not_comparable_reason) AS after
        FROM force_change WHERE NOT comparable_year GROUP BY area_code, measure
        UNION ALL
        SELECT area_code, measure, period_end, NULL, 'source', source_before, crime_source
        FROM series WHERE crime_source <> source_before
        UNION ALL
        SELECT area_code, measure, period_end, NULL, 'denominator', description_before, denominator_description
        FROM series WHERE denominator_kind = 'population' AND denominator_vintage <> vintage_before
        UNION ALL
        SELECT area_code, measure, period_end, NULL, 'carried_forward', start_year::VARCHAR,
               denominator_mid_year::VARCHAR
        FROM series WHERE denominator_mid_year < start_year
        ORDER BY area_code, measure, period_end, kind"""


# Every area's police officers at each date held (force_workforce), as its profile shows them: officers (FTE)
# to two decimals as the bulletins give them, officers per 1,000 residents to two, crimes per officer to one,
# beside the region (with its officers) and England and Wales, and the ranks among the forces ranked at that date
# (on the figures as shown, as published).
WORKFORCE = """
        WITH ranked AS (
            SELECT as_at, count(rank_officers_per_1000) AS ranked_per_1000,
                   count(rank_crimes_per_officer) AS ranked_crimes FROM force_workforce GROUP BY as_at)
        SELECT w.area_code, w.as_at, round(w.officers_fte, 2) AS officers,
               round(region.officers_fte, 2) AS region_officers, round(ew.officers_fte, 2) AS ew_officers,
               round(w.officers_per_1000, 2) AS per_1000, round(w.region_officers_per_1000, 2) AS region_per_1000,
               round(w.ew_officers_per_1000, 2) AS ew_per_1000, w.rank_officers_per_1000 AS rank_per_1000,
               ranked.ranked_per_1000, round(w.crimes_per_officer, 1) AS crimes_per_officer,
               round(w.region_crimes_per_officer, 1) AS region_crimes_per_officer,
               round(w.ew_crimes_per_officer, 1) AS ew_crimes_per_officer,
               w.rank_crimes_per_officer AS rank_crimes, ranked.ranked_crimes, w.note
        FROM force_workforce w JOIN areas a USING (area_code) JOIN ranked USING (as_at)
        LEFT JOIN force_workforce ew ON ew.area_type = 'country' AND ew.as_at = w.as_at
        LEFT JOIN force_workforce region
            ON region.area_code = a.region_code AND region.area_type = 'region' AND region.as_at = w.as_at
        ORDER BY w.area_code, w.as_at"""


def profile_tables() -> dict[str, tuple[str, list]]:
    """Every area's profile, table by table (name -> SQL, parameters): its rates beside England and Wales and its
    region, changes, the notes of its series, police officers, ASB, outcomes, inspections. A force's page shows every
    figure of the reports about it (their England and Wales figures included); another area's page only the figures
    quoted for that area. Each table is one query for every page (its first column the page's area, ordered by page,
    then as the page lists it), split by page (ByArea)."""
    return {
        "rates": ("""
            WITH ranked AS (
                SELECT measure, period_end, count(rank_displayed) AS ranked_forces FROM force_rates GROUP BY ALL)
            SELECT area_code, measure, period_end, round(rate_at_scale, 1) AS rate, offences, denominator,
                   denominator_kind, denominator_description, round(ew_rate_at_scale, 1) AS ew_rate,
                   round(region_rate_at_scale, 1) AS region_rate,
                   rank_displayed AS rank, ranked_forces, note
            FROM force_rates JOIN ranked USING (measure, period_end)
            WHERE rate_at_scale IS NOT NULL
            ORDER BY area_code, measure, period_end""", []),
        # the page's own changes of the first two headline measures, and England and Wales's beside them
        "change": ("""
            SELECT page.area_code, c.area_code = page.area_code AS own, c.measure, c.period_end,
                   round(c.pct_change_year, 1) AS pct_year, round(c.pct_change_year, 0) AS pct_year_whole,
                   c.year_not_comparable_reason, c.baseline_period_end,
                   round(c.pct_change_baseline, 1) AS pct_baseline,
                   round(c.pct_change_baseline, 0) AS pct_baseline_whole, c.baseline_not_comparable_reason
            FROM areas AS page
            JOIN force_change c ON c.area_code = page.area_code OR c.area_type = 'country'
            WHERE list_contains(?, c.measure)
            ORDER BY page.area_code, own, c.measure, c.period_end""", [headline_measures()[:2]]),
        "series_notes": (SERIES_NOTES, []),
        "workforce": (WORKFORCE, []),
        "asb_monthly": ("""
            SELECT area_code, month, sum(incident_count) AS incidents FROM street_crime_monthly
            WHERE crime_type = ? GROUP BY area_code, month ORDER BY area_code, month""", [ASB_CRIME_TYPE]),
        "outcomes": ("""
            SELECT area_code, financial_year, offence_group, outcome_group_label, outcomes, offences_recorded,
                   round(pct_of_offences, 1) AS pct
            FROM crime_outcomes ORDER BY area_code, financial_year, offence_group = 'All offences' DESC,
                 offence_group, outcomes DESC, outcome_group_label""", []),
        # one row per judgment: the report's grade and the PEEL grades table's side by side, each source named
        "judgments": ("""
            SELECT area_code, cycle, pillar, question, grade_scale,
                   max(grade) FILTER (source_kind = 'report') AS report_grade,
                   max(source) FILTER (source_kind = 'report') AS report_source,
                   max(grade) FILTER (source_kind = 'grades_table') AS table_grade,
                   max(source) FILTER (source_kind = 'grades_table') AS table_source,
                   max(previous_cycle) AS previous_cycle, max(previous_grade) AS previous_grade,
                   max(grade_change) AS grade_change
            FROM inspection_judgments
            GROUP BY area_code, cycle, pillar, question, grade_scale
            ORDER BY area_code, cycle, pillar, question NULLS FIRST""", []),
        "recommendations": ("""
            SELECT area_code, programme, year, recommendation_number, question, recommendation,
                   deadline_as_written, deadline_date, status
            FROM inspection_recommendations ORDER BY area_code, year, recommendation_number""", []),
        "figure_checks": ("""
            SELECT page.area_code, r.report_file, r.figure_number, r.area_name, r.measure, r.measure_label,
                   r.unit, r.period_end, r.baseline_period_end, r.quoted_value, r.warehouse_value,
                   r.check_status, r.difference_reason, r.not_computable_reason, r.denominator_vintage,
                   r.denominator_basis, r.quoted_text
            FROM areas AS page JOIN report_figure_checks r
                ON r.area_code = page.area_code
                OR (page.area_type = 'force' AND r.report_file IN (
                    SELECT report_file FROM report_figure_checks WHERE area_code = page.area_code))
            ORDER BY page.area_code, r.report_file, r.figure_number""", []),
    }


def search_names(all_areas: list[dict], data_dir: Path) -> list[list[str]]:
    """What the search box finds: [name, kind, page slug, the name of the area the page is about] for every area and
    every local authority (ONS's December 2016 lookup to force areas, and the authorities merged since, from the
    la_code_changes seed), so "Blackpool" finds Lancashire."""
    by_code = {a["code"]: a for a in all_areas}
    names = [[a["name"], {"country": "country", "region": "region"}.get(a["type"], "police force area"), a["slug"],
              a["name"]] for a in all_areas]
    with open(data_dir / LA_LOOKUP_FILE, newline="", encoding="utf-8-sig") as handle:
        authorities = {(row["LAD16NM"], row["PFA16CD"]) for row in csv.DictReader(handle)}
    authorities |= {(row["la_name"], row["area_code"]) for row in _seed("la_code_changes.csv")}
    for name, code in sorted(authorities):
        force = by_code[code]
        names.append([name, "local authority", force["slug"], force["name"]])
    return names
