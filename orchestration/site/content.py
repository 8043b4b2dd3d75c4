"""What the site shows, read from one publication: the national figures and one record per area.

Every figure is rounded here, by DuckDB, exactly as the page prints it (rates to one decimal place, changes to one
decimal place and to whole percent for the sentences), so the page never rounds a number itself and a test can compare
what a page shows with `round()` of the published column.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import duckdb

# The seed report's table (HMIC Crime inspection 2014), in its order; each profile opens with these.
HEADLINE_MEASURES = ("crime_excluding_fraud", "victim_based_crime", "sexual_offences", "violence_with_injury",
                     "domestic_burglary")
# The measure of the seed's figure, and the measures of its change sentences.
FIGURE_MEASURE = "crime_excluding_fraud"
SENTENCE_MEASURES = (FIGURE_MEASURE, "victim_based_crime")
ASB_CRIME_TYPE = "Anti-social behaviour"


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


class Tables:
    """Query results for one data file: each table as {"columns", "rows", "coded"}, where the values of the coded
    columns (every text and date column) are indexes into one list of texts shared by the file. Profiles repeat a few
    dozen texts (measures, periods, notes) thousands of times; coding them makes a profile ten times smaller."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con, self.texts, self._index = con, [], {}

    def _code(self, value) -> int:
        if value not in self._index:
            self._index[value] = len(self.texts)
            self.texts.append(value)
        return self._index[value]

    def table(self, sql: str, params: list | None = None) -> dict:
        cursor = self.con.execute(sql, params or [])
        names = [d[0] for d in cursor.description]
        columns = list(zip(*cursor.fetchall(), strict=True)) or [() for _ in names]
        coded = [i for i, d in enumerate(cursor.description) if str(d[1]).startswith(("VARCHAR", "DATE", "TIMESTAMP"))]
        for i in coded:  # column by column: a profile holds about 50,000 values
            columns[i] = [None if v is None else self._code(_plain(v)) for v in columns[i]]
        return {"columns": names, "rows": [list(row) for row in zip(*columns, strict=True)], "coded": coded}


def _records(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, (_plain(v) for v in row), strict=True)) for row in cursor.fetchall()]


def measures(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """The measures with rates, headline measures first (in the report's order), then by label."""
    rows = _records(con, "SELECT measure AS id, any_value(measure_label) AS label, "
                         "any_value(denominator_kind) AS denominator_kind FROM force_rates GROUP BY measure")
    order = {m: i for i, m in enumerate(HEADLINE_MEASURES)}
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
    """Every force's displayed rate and rank for every measure and period, England and Wales beside them:
    rates[measure][period] = [[rate, rank] for each of rate_areas] (null where an area has no rate)."""
    all_areas = areas(con)
    compared = [a["code"] for a in all_areas if a["type"] in ("force", "country")]
    position = {code: i for i, code in enumerate(compared)}
    rates: dict[str, dict[str, list]] = {}
    for measure, period_end, code, rate, rank in con.execute("""
            SELECT measure, period_end, area_code, round(rate_per_1000, 1), rank_displayed FROM force_rates
            WHERE rate_per_1000 IS NOT NULL AND area_type IN ('force', 'country')""").fetchall():
        by_period = rates.setdefault(measure, {})
        values = by_period.setdefault(period_end.isoformat(), [None] * len(compared))
        values[position[code]] = [rate, rank]
    return {"publication": publication(con), "measures": measures(con), "areas": all_areas,
            "rate_areas": compared, "rates": rates}


def area(con: duckdb.DuckDBPyConnection, code: str, is_force: bool) -> dict:
    """One area's profile: its rates beside England and Wales and its region, changes, ASB, outcomes, inspections.
    A force's page shows every figure of the reports about it (their England and Wales figures included); another
    area's page only the figures quoted for that area."""
    ew_code = con.execute("SELECT area_code FROM areas WHERE area_type = 'country'").fetchone()[0]
    tables = Tables(con)
    return {
        "rates": tables.table("""
            WITH ranked AS (
                SELECT measure, period_end, count(rank_displayed) AS ranked_forces FROM force_rates GROUP BY ALL)
            SELECT measure, period_end, round(rate_per_1000, 1) AS rate, offences, denominator, denominator_kind,
                   denominator_vintage, round(ew_rate_per_1000, 1) AS ew_rate,
                   round(region_rate_per_1000, 1) AS region_rate, rank_displayed AS rank, ranked_forces, note
            FROM force_rates JOIN ranked USING (measure, period_end)
            WHERE area_code = ? AND rate_per_1000 IS NOT NULL
            ORDER BY measure, period_end""", [code]),
        "change": tables.table("""
            SELECT c.area_code = ? AS own, c.measure, c.period_end,
                   round(c.pct_change_year, 1) AS pct_year, round(c.pct_change_year, 0) AS pct_year_whole,
                   c.year_not_comparable_reason, c.baseline_period_end,
                   round(c.pct_change_baseline, 1) AS pct_baseline,
                   round(c.pct_change_baseline, 0) AS pct_baseline_whole, c.baseline_not_comparable_reason
            FROM force_change c WHERE c.area_code IN (?, ?) AND list_contains(?, c.measure)
            ORDER BY own, c.measure, c.period_end""", [code, code, ew_code, list(SENTENCE_MEASURES)]),
        "asb_monthly": tables.table("""
            SELECT month, sum(incident_count) AS incidents FROM street_crime_monthly
            WHERE area_code = ? AND crime_type = ? GROUP BY month ORDER BY month""", [code, ASB_CRIME_TYPE]),
        "outcomes": tables.table("""
            SELECT financial_year, offence_group, outcome_group_label, outcomes, offences_recorded,
                   round(pct_of_offences, 1) AS pct
            FROM crime_outcomes WHERE area_code = ? ORDER BY financial_year, offence_group = 'All offences' DESC,
                 offence_group, outcomes DESC""", [code]),
        "judgments": tables.table("""
            SELECT cycle, pillar, question, grade, grade_scale, previous_cycle, previous_grade, grade_change, source
            FROM inspection_judgments WHERE area_code = ? ORDER BY cycle, pillar, question NULLS FIRST""", [code]),
        "recommendations": tables.table("""
            SELECT programme, year, recommendation_number, question, recommendation, deadline_as_written,
                   deadline_date, status
            FROM inspection_recommendations WHERE area_code = ? ORDER BY year, recommendation_number""", [code]),
        "figure_checks": tables.table("""
            SELECT report_file, figure_number, area_name, measure_label, unit, period_end, baseline_period_end,
                   quoted_value, warehouse_value, check_status, difference_reason, not_computable_reason, quoted_text
            FROM report_figure_checks
            WHERE area_code = ? OR (? AND report_file IN (SELECT report_file FROM report_figure_checks
                                                           WHERE area_code = ?))
            ORDER BY report_file, figure_number""", [code, is_force, code]),
        "texts": tables.texts,
    }
