"""A refresh of the embedded real data: the published file reproduces HMIC's Crime inspection 2014 (Lancashire) and
covers every period; a refresh that finds nothing new republishes nothing."""

import pytest

from orchestration.cli.refresh import refresh
from orchestration.publication.changes import changes_since_publication
from tests.helpers import ENGLAND_AND_WALES, LANCASHIRE, publication_target, published

REPORT_RATES = {  # measure: (Lancashire, E&W, tolerance); the data here are later revisions than the report's
    "crime_excluding_fraud": (65.1, 60.7, 0.2),
    "victim_based_crime": (59.9, 53.9, 0.2),
    "sexual_offences": (1.3, 1.2, 0.2),
    "violence_with_injury": (7.4, 5.9, 0.2),
    # force_rates divides by households in mid-2013 (linear between the 2011 and 2021 Censuses), no longer by the 2011
    # Census count the report used: Lancashire 7.658 -> 7.583, E&W 8.899 -> 8.793 (report_figure_checks still divides
    # by the 2011 Census, the vintage of the report's time, and reproduces 7.7 and 8.9)
    "domestic_burglary": (7.7, 8.9, 0.2),
}


def rate(settings, area, measure, period="2014-06-30"):
    return published(settings, "SELECT rate_per_1000, ew_rate_per_1000, offences FROM force_rates "
                               "WHERE area_code = ? AND measure = ? AND period_end = ?", [area, measure, period])[0]


def test_lancashire_crime_excluding_fraud_count_matches_the_report(snapshot_settings):
    assert rate(snapshot_settings, LANCASHIRE, "crime_excluding_fraud")[2] == 95_481


@pytest.mark.parametrize("measure", REPORT_RATES)
def test_lancashire_rates_match_the_report(snapshot_settings, measure):
    report_force, report_ew, tolerance = REPORT_RATES[measure]
    force_rate, ew_rate, _ = rate(snapshot_settings, LANCASHIRE, measure)
    assert force_rate == pytest.approx(report_force, abs=tolerance)
    assert ew_rate == pytest.approx(report_ew, abs=tolerance)
    assert rate(snapshot_settings, ENGLAND_AND_WALES, measure)[0] == ew_rate


@pytest.mark.parametrize("area, measure, report_year, report_baseline", [
    (LANCASHIRE, "crime_excluding_fraud", 4, -8), (ENGLAND_AND_WALES, "crime_excluding_fraud", -1, -16),
    (LANCASHIRE, "victim_based_crime", None, -6), (ENGLAND_AND_WALES, "victim_based_crime", None, -16)])
def test_changes_match_the_report(snapshot_settings, area, measure, report_year, report_baseline):
    year, baseline, baseline_end = published(
        snapshot_settings, "SELECT pct_change_year, pct_change_baseline, baseline_period_end FROM force_change "
        "WHERE area_code = ? AND measure = ? AND period_end = DATE '2014-06-30'", [area, measure])[0]
    assert str(baseline_end) == "2010-06-30" and round(baseline) == report_baseline
    if report_year is not None:
        assert year == pytest.approx(report_year, abs=1)


def test_periods_areas_and_descriptions(snapshot_settings):
    first, latest, periods = published(snapshot_settings, "SELECT min(period_end), max(period_end), "
                                                          "count(DISTINCT period_end) FROM force_rates")[0]
    assert (str(first), str(latest), periods) == ("2003-03-31", "2025-12-31", 5 + (2025 - 2007) * 4 + 3)
    assert published(snapshot_settings, "SELECT DISTINCT rank_among_forces, in_force_comparisons FROM force_rates "
                                        "WHERE area_code = 'E23000034'") == [(None, False)]  # City of London
    assert published(snapshot_settings, "SELECT count(*) FROM duckdb_columns() WHERE table_name IN ('force_rates', "
                                        "'force_change', 'areas') AND comment IS NULL") == [(0,)]


def test_the_street_feed_holds_the_embedded_lancashire_months(snapshot_settings):
    asb, records, months = published(snapshot_settings, """
        SELECT sum(incident_count) FILTER (WHERE crime_type = 'Anti-social behaviour' AND month <= '2014-06-01'),
               sum(incident_count), count(DISTINCT month) FROM street_crime_monthly""")[0]
    assert (asb, records, months) == (36_972, 144_666, 10)  # every row of the ten files (144,676 lines - headers)
    assert published(snapshot_settings, "SELECT sum(incident_count) FROM street_crime_lsoa_monthly") == [(records,)]
    assert published(snapshot_settings, "SELECT count(*) FROM force_rates WHERE measure = 'asb_incidents'") == [(0,)]


def test_a_refresh_that_finds_nothing_new_republishes_nothing(warehouse, capsys):
    settings = warehouse.settings
    before = publication_target(settings)
    assert not changes_since_publication(settings).anything
    assert refresh(settings) == 0
    assert "nothing new since the last publication" in capsys.readouterr().out
    assert publication_target(settings) == before
