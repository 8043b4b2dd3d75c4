"""Faithful series over time, on the real data: one consistent population series with its vintage on every row,
households from the census of the period, classification breaks as data, ranks as displayed, sources that explain
their differences, crime outcomes recomputed independently from the raw file."""

import duckdb
import pytest

from orchestration.gate.suites import load_suites
from tests.helpers import DATA_DIR, ENGLAND_AND_WALES, LANCASHIRE, build_rows, published

CONSISTENT = {"mye_2011_census_based", "mye_2021_census_rebased", "mye_2021_census_based", "pfa_mid2024"}


def ew(settings, measure, period_end, columns="rate_per_1000, offences, denominator, denominator_vintage"):
    return published(settings, f"SELECT {columns} FROM force_rates WHERE area_code = ? AND measure = ? "
                               "AND period_end = ?", [ENGLAND_AND_WALES, measure, period_end])[0]


def test_every_force_has_a_population_for_every_mid_year_from_one_series(snapshot_settings):
    rows = build_rows(snapshot_settings, """
        SELECT mid_year, count(DISTINCT area_code), list(DISTINCT denominator_vintage)
        FROM intermediate.int_area_denominators
        WHERE consistent_series AND denominator_kind = 'population' AND regexp_matches(area_code, '^(E23|W15)')
        GROUP BY mid_year ORDER BY mid_year""")
    assert [year for year, _, _ in rows] == list(range(2001, 2025))
    assert all(forces == 43 and len(vintages) == 1 and vintages[0] in CONSISTENT for _, forces, vintages in rows)
    assert published(snapshot_settings, "SELECT DISTINCT denominator_vintage FROM force_rates "
                                        "WHERE denominator_kind = 'population' ORDER BY 1") == \
        [(v,) for v in sorted(CONSISTENT)]


def test_the_ew_crime_rate_steps_at_the_mid2024_release_only_by_population_growth(snapshot_settings):
    """Before, periods to September 2024 divided by mid-2020 and then switched to mid-2024: the rate fell 3.6% while
    offences fell 0.3%. Now the step is mid-2023 to mid-2024, both Census 2021 based: what is left is the
    population's own growth over that year (1.56% between the two releases held)."""
    rate_sep, offences_sep, population_sep, vintage_sep = ew(snapshot_settings, "crime_excluding_fraud", "2024-09-30")
    rate_dec, offences_dec, population_dec, vintage_dec = ew(snapshot_settings, "crime_excluding_fraud", "2024-12-31")
    assert (vintage_sep, vintage_dec) == ("mye_2021_census_based", "pfa_mid2024")
    rate_change = 100 * (rate_dec / rate_sep - 1)
    offences_change = 100 * (offences_dec / offences_sep - 1)
    assert abs(offences_change) < 0.5 and abs(rate_change - offences_change) < 1.6
    assert 100 * (population_dec / population_sep - 1) == pytest.approx(1.56, abs=0.01)
    [(note,)] = published(snapshot_settings, "SELECT note FROM force_rates WHERE area_code = ? AND period_end = "
                          "'2024-12-31' AND measure = 'crime_excluding_fraud'", [ENGLAND_AND_WALES])
    assert "Denominator series changed over the last 12 months" in note


def test_burglary_divides_by_the_census_of_its_period(snapshot_settings):
    rows = published(snapshot_settings, """
        SELECT denominator_vintage, min(period_start), max(period_start), count(DISTINCT denominator)
        FROM force_rates WHERE measure = 'domestic_burglary' AND area_code = ? GROUP BY 1 ORDER BY 1""", [LANCASHIRE])
    assert [(v, str(first)[:4], str(last)[:4]) for v, first, last, _ in rows] == \
        [("census_2011", "2002", "2020"), ("census_2021", "2021", "2025")]
    assert [n for *_, n in rows] == [1, 1]


def test_stalking_for_the_year_to_march_2013_is_counted_not_zero_and_ranked_on_real_rates(snapshot_settings):
    """The Home Office table's 2012/13 quarters hold no stalking and harassment (old classification): the year to
    March 2013 came out 0 for every force, all tied at rank 1, and the changes read -100% and +1531%."""
    offences, source = ew(snapshot_settings, "stalking_and_harassment", "2013-03-31", "offences, crime_source")
    assert offences == 55_976 and source == "ons_rolling_year"
    ranks = published(snapshot_settings, "SELECT count(DISTINCT rank_among_forces), min(rate_per_1000) "
                                         "FROM force_rates WHERE measure = 'stalking_and_harassment' AND "
                                         "period_end = '2013-03-31' AND in_force_comparisons")[0]
    assert ranks[0] > 35 and ranks[1] > 0
    changes = published(snapshot_settings, """SELECT period_end, pct_change_year FROM force_change WHERE area_code = ?
        AND measure = 'stalking_and_harassment' AND period_end BETWEEN '2013-03-31' AND '2014-03-31'
        ORDER BY period_end""", [ENGLAND_AND_WALES])
    assert all(-20 < change < 25 for _, change in changes), changes
    violence = published(snapshot_settings, "SELECT pct_change_year FROM force_change WHERE area_code = ? AND "
                                            "measure = 'violence_without_injury' AND period_end = '2013-03-31'",
                         [ENGLAND_AND_WALES])[0][0]
    assert abs(violence) < 5  # was +21.3%, inflated by the stalking offences the old classification held there


@pytest.mark.parametrize("period_end", ["2017-06-30", "2017-09-30", "2017-12-31", "2018-03-31"])
def test_burglary_changes_across_april_2017_are_flagged_and_not_published(snapshot_settings, period_end):
    rows = published(snapshot_settings, """SELECT area_name, pct_change_year, comparable_year,
        year_not_comparable_reason FROM force_change WHERE measure = 'domestic_burglary' AND period_end = ?""",
                     [period_end])
    assert len(rows) == 54
    assert all(change is None and comparable is False and "residential burglary" in reason
               for _, change, comparable, reason in rows)


def test_burglary_baselines_of_2021_are_flagged_until_they_are_wholly_residential(snapshot_settings):
    flags = dict(published(snapshot_settings, """SELECT period_end::VARCHAR, comparable_baseline FROM force_change
        WHERE measure = 'domestic_burglary' AND area_code = ? AND period_end IN ('2021-06-30', '2021-12-31',
        '2022-03-31', '2016-12-31')""", [ENGLAND_AND_WALES]))
    assert flags == {"2016-12-31": True, "2021-06-30": False, "2021-12-31": False, "2022-03-31": True}
    assert published(snapshot_settings, "SELECT pct_change_baseline FROM force_change WHERE measure = "
                                        "'domestic_burglary' AND period_end = '2021-12-31' AND area_code = ?",
                     [ENGLAND_AND_WALES]) == [(None,)]


def test_equal_displayed_rates_share_a_displayed_rank(snapshot_settings):
    groups = published(snapshot_settings, """
        SELECT period_end, measure, list(round(rate_per_1000, 1) ORDER BY rank_displayed),
               list(rank_displayed ORDER BY rank_displayed)
        FROM force_rates WHERE in_force_comparisons GROUP BY ALL""")
    assert len(groups) == 1_440  # 18 measures x 80 periods
    for _, _, rates, ranks in groups:
        for rate, rank in zip(rates, ranks, strict=True):
            assert rank == 1 + sum(other > rate for other in rates)


def test_report_figure_checks_divide_by_the_vintage_the_report_used(snapshot_settings):
    rows = published(snapshot_settings, """SELECT measure, area_code, quoted_value, warehouse_value,
        denominator_vintage, denominator_basis FROM report_figure_checks
        WHERE report_file = 'hmic-crime-inspection-2014-lancashire.txt' AND unit LIKE 'per_1000_%'
        AND measure <> 'asb_incidents'""")  # ASB to March 2014: the street feed held starts in January 2014
    assert len(rows) == 10
    for measure, _, quoted, value, vintage, basis in rows:
        assert value == pytest.approx(quoted, abs=0.2)
        assert vintage == ("census_2011" if measure == "domestic_burglary" else "mye3_first_published_2013")
        assert basis.startswith("the newest vintage held that was published before the report")


def test_crime_source_comparison_explains_its_differences(snapshot_settings):
    kinds = dict(published(snapshot_settings, """SELECT difference_kind, count(*) FROM crime_source_comparison
        WHERE measure = 'stalking_and_harassment' AND period_end BETWEEN '2013-03-31' AND '2013-12-31'
        GROUP BY 1"""))
    assert kinds == {"classification": 4 * 44}  # 43 forces and E&W, four periods
    assert published(snapshot_settings, """SELECT count(*) FROM crime_source_comparison WHERE difference_kind =
        'unexplained' AND (abs(pct_difference) <= 5 OR abs(difference) <= 10)""") == [(0,)]
    assert published(snapshot_settings, """SELECT count(*) FILTER (WHERE difference_reason LIKE
        '%dates this period 30-12-2017%'), count(*) FROM crime_source_comparison
        WHERE period_end = '2017-12-31' AND difference_kind <> 'unexplained'""")[0][0] > 0


def test_outcomes_match_an_independent_recomputation_from_the_raw_file(snapshot_settings):
    raw = duckdb.connect()
    raw.execute(f"CREATE TABLE o AS SELECT * FROM read_csv('{DATA_DIR / 'home-office/outcomes_2024_25.csv.gz'}')")
    charged, total = raw.execute("""SELECT sum(n) FILTER (WHERE "Outcome Type" = 1), sum(n) FROM o
        WHERE territorial AND "Offence Group" NOT LIKE 'Fraud%'""").fetchone()
    lancashire = raw.execute("""SELECT sum(n) FILTER (WHERE "Outcome Type" IN (2, 3, 6)), sum(n) FROM o
        WHERE "Force" = 'Lancashire' AND "Offence Group" = 'Violence against the person'""").fetchone()
    rows = dict(published(snapshot_settings, """SELECT area_code || '|' || offence_group || '|' || outcome_group,
        (outcomes, offences_recorded, pct_of_offences) FROM crime_outcomes WHERE financial_year = '2024/25'"""))
    assert rows[f"{ENGLAND_AND_WALES}|All offences|charged_summonsed"] == (charged, total, pytest.approx(
        100 * charged / total))
    assert rows[f"{LANCASHIRE}|Violence against the person|out_of_court_formal"][:2] == lancashire
    # every area's groups add up to its offences, and England and Wales is the sum of its forces
    assert published(snapshot_settings, """SELECT count(*) FROM (SELECT area_code, offence_group,
        sum(pct_of_offences) AS total FROM crime_outcomes GROUP BY ALL) WHERE abs(total - 100) > 1e-9""") == [(0,)]
    assert published(snapshot_settings, """SELECT sum(outcomes) FILTER (WHERE area_type = 'force'),
        sum(outcomes) FILTER (WHERE area_type = 'country'), count(DISTINCT area_code) FILTER (WHERE area_type =
        'region') FROM crime_outcomes""")[0] == (2 * total, 2 * total, 10)


@pytest.mark.parametrize("suite, damage", [
    ("series_breaks", "UPDATE marts.force_change SET comparable_year = true, pct_change_year = 44.3 "
                      "WHERE measure = 'domestic_burglary' AND period_end = '2018-03-31'"),
    ("series_ranks", "UPDATE marts.force_rates SET rate_per_1000 = 0, rank_among_forces = 1 "
                     "WHERE measure = 'stalking_and_harassment' AND period_end = '2013-03-31'"),
])
def test_the_gate_refuses_a_change_or_rank_across_an_unflagged_break(warehouse, tmp_path, suite, damage):
    """The series suites compute the breaks from the dates themselves: a mart that lost its flags is refused."""
    from orchestration.gate.resource import Gate

    settings = warehouse.settings
    gate = Gate(work_dir=str(tmp_path / "gate"), data_docs_dir=str(tmp_path / "docs"), data_docs_url="http://x")
    [chosen] = [s for s in load_suites() if s.name == suite]
    with duckdb.connect(str(settings.build_db)) as con:
        assert not gate.evaluate(con, chosen).failed_of("critical")
        con.execute(damage)
        failed = gate.evaluate(con, chosen).failed_of("critical")
    assert failed and failed[0]["failing_rows"] >= 1
