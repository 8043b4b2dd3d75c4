"""The published marts reproduce HMIC's Crime inspection 2014 (Lancashire) and cover every period for every area.

Published figures (12 months to June 2014, per 1,000; E&W in brackets) from the report; the data here are later
revisions, so rates must land within 0.2 (0.1 for burglary) and changes within 1 percentage point.
"""

import pytest

LANCASHIRE, ENGLAND_AND_WALES = "E23000003", "K04000001"

REPORT_RATES = {  # measure: (Lancashire, E&W, tolerance)
    "crime_excluding_fraud": (65.1, 60.7, 0.2),
    "victim_based_crime": (59.9, 53.9, 0.2),
    "sexual_offences": (1.3, 1.2, 0.2),
    "violence_with_injury": (7.4, 5.9, 0.2),
    "domestic_burglary": (7.7, 8.9, 0.1),
}


def rate(published, area, measure, period="2014-06-30"):
    return published.execute(
        "SELECT rate_per_1000, ew_rate_per_1000, denominator_source, offences FROM force_rates "
        "WHERE area_code = ? AND measure = ? AND period_end = ?", [area, measure, period]
    ).fetchone()


def test_lancashire_crime_excluding_fraud_count_matches_report(published):
    assert rate(published, LANCASHIRE, "crime_excluding_fraud")[3] == 95_481


@pytest.mark.parametrize("measure", REPORT_RATES)
def test_lancashire_rates_match_report(published, measure):
    report_force, report_ew, tolerance = REPORT_RATES[measure]
    force_rate, ew_rate, source, _ = rate(published, LANCASHIRE, measure)
    assert force_rate == pytest.approx(report_force, abs=tolerance)
    assert ew_rate == pytest.approx(report_ew, abs=tolerance)
    assert rate(published, ENGLAND_AND_WALES, measure)[0] == ew_rate
    if measure == "domestic_burglary":
        assert source == "2011 Census households (QS405EW)"
    else:
        assert source == "ONS mid-2013 population estimate as first published (MYE3, 2015)"


@pytest.mark.parametrize(
    "area, measure, report_year, report_baseline",
    [
        (LANCASHIRE, "crime_excluding_fraud", 4, -8),
        (ENGLAND_AND_WALES, "crime_excluding_fraud", -1, -16),
        (LANCASHIRE, "victim_based_crime", None, -6),
        (ENGLAND_AND_WALES, "victim_based_crime", None, -16),
    ],
)
def test_change_matches_report(published, area, measure, report_year, report_baseline):
    year, baseline, baseline_end = published.execute(
        "SELECT pct_change_year, pct_change_baseline, baseline_period_end FROM force_change "
        "WHERE area_code = ? AND measure = ? AND period_end = DATE '2014-06-30'", [area, measure]
    ).fetchone()
    assert str(baseline_end) == "2010-06-30"
    assert round(baseline) == report_baseline
    if report_year is not None:
        assert year == pytest.approx(report_year, abs=1)


def test_every_period_end_has_all_forces_and_england_and_wales(published):
    first, latest = published.execute("SELECT min(period_end), max(period_end) FROM force_rates").fetchone()
    assert str(first) == "2003-03-31"
    assert str(latest) == "2025-12-31"  # 2025/26 Q3, the latest quarter in the PRC table
    incomplete = published.execute(
        """SELECT period_end, measure, count(*) FILTER (WHERE area_type = 'force') AS forces,
                  count(*) FILTER (WHERE area_code = 'K04000001') AS ew
           FROM force_rates WHERE crime_source <> 'police_uk_street'  -- the street feed holds what was delivered
           GROUP BY ALL HAVING forces <> 43 OR ew <> 1"""
    ).fetchall()
    assert incomplete == []
    # yearly to March 2007, then every quarter end
    periods = [row[0] for row in published.execute("SELECT DISTINCT period_end FROM force_rates ORDER BY 1").fetchall()]
    assert len(periods) == 5 + (2025 - 2007) * 4 + 3


def test_street_marts_hold_the_embedded_lancashire_months(published):
    asb_first_half = published.execute(
        """SELECT sum(incident_count) FROM street_crime_monthly WHERE area_code = 'E23000003'
           AND crime_type = 'Anti-social behaviour' AND month BETWEEN '2014-01-01' AND '2014-06-01'""").fetchone()[0]
    assert asb_first_half == 36972
    records, months = published.execute(
        "SELECT sum(incident_count), count(DISTINCT month) FROM street_crime_monthly").fetchone()
    assert (records, months) == (144_666, 10)  # every row of the ten files (144,676 lines less ten headers)
    assert published.execute("SELECT sum(incident_count) FROM street_crime_lsoa_monthly").fetchone()[0] == records
    hot_spot = published.execute(
        """SELECT lsoa_name, sum(incident_count) FROM street_crime_lsoa_monthly
           WHERE crime_type = 'Anti-social behaviour' GROUP BY ALL ORDER BY 2 DESC LIMIT 1""").fetchone()
    assert hot_spot[0] and hot_spot[1] > 100
    # ten months are not twelve: no ASB rate yet
    assert published.execute("SELECT count(*) FROM force_rates WHERE measure = 'asb_incidents'").fetchone()[0] == 0


def test_england_and_wales_is_the_sum_of_the_forces_and_rates_are_ratios(published):
    mismatches = published.execute(
        """SELECT period_end, measure FROM force_rates GROUP BY ALL
           HAVING sum(offences) FILTER (WHERE area_type = 'force')
               <> sum(offences) FILTER (WHERE area_type = 'country')"""
    ).fetchall()
    assert mismatches == []
    assert published.execute(
        "SELECT count(*) FROM force_rates WHERE abs(rate_per_1000 - 1000.0 * offences / denominator) > 1e-9"
    ).fetchone()[0] == 0


def test_city_of_london_is_published_but_not_ranked(published):
    ranks = published.execute(
        "SELECT DISTINCT rank_among_forces, in_force_comparisons, note IS NOT NULL FROM force_rates "
        "WHERE area_code = 'E23000034'"
    ).fetchall()
    assert ranks == [(None, False, True)]
    assert published.execute(
        "SELECT max(rank_among_forces) FROM force_rates WHERE period_end = DATE '2014-06-30' "
        "AND measure = 'crime_excluding_fraud'"
    ).fetchone()[0] == 42


def test_source_comparison_covers_the_overlap(published):
    first, last, forces = published.execute(
        "SELECT min(period_end), max(period_end), count(DISTINCT area_code) FILTER (WHERE area_type = 'force') "
        "FROM crime_source_comparison"
    ).fetchone()
    assert (str(first), str(last), forces) == ("2013-03-31", "2018-12-31", 43)
    # the ONS table and the PRC quarters agree closely for the seed period
    pct = published.execute(
        "SELECT pct_difference FROM crime_source_comparison WHERE area_code = 'E23000003' "
        "AND period_end = DATE '2014-06-30' AND measure = 'crime_excluding_fraud'"
    ).fetchone()[0]
    assert abs(pct) < 2


def test_published_columns_carry_their_descriptions(published):
    undocumented = published.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE table_name IN "
        "('force_rates', 'force_change', 'crime_source_comparison', 'areas') AND comment IS NULL"
    ).fetchall()
    assert undocumented == []
