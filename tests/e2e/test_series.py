"""Faithful series over time, on the real data: one consistent population series with its vintage on every row,
households estimated for every mid-year without a step at a census, classification breaks as data, rare crimes at
their own scale and ranked on it, carried-forward denominators said, ranks as displayed, sources that explain their
differences, crime outcomes recomputed independently from the raw file."""

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


def test_burglary_divides_by_households_of_its_mid_year_estimated_between_and_around_the_censuses(snapshot_settings):
    """Households were the 2011 Census count for periods starting to 2020 and Census 2021's from 2021. Now every
    mid-year has its estimate: the census counts in 2011 and 2021, linear between them, moving with the population
    before and after, each with its vintage and plain description."""
    rows = published(snapshot_settings, """
        SELECT DISTINCT denominator_mid_year, denominator_vintage, denominator, denominator_description
        FROM force_rates WHERE measure = 'domestic_burglary' AND area_code = ? ORDER BY 1""", [ENGLAND_AND_WALES])
    assert [year for year, *_ in rows] == list(range(2002, 2025))  # periods start April 2002 to January 2025
    by_year = {year: (vintage, households) for year, vintage, households, _ in rows}
    assert {year: vintage for year, (vintage, _) in by_year.items() if year in (2010, 2011, 2012, 2020, 2021, 2022)} \
        == {2010: "households_2011_census_per_resident", 2011: "census_2011", 2012: "households_between_censuses",
            2020: "households_between_censuses", 2021: "census_2021", 2022: "households_2021_census_per_resident"}
    census_2011, census_2021 = by_year[2011][1], by_year[2021][1]
    assert (census_2011, census_2021) == (23_366_044, 24_783_500)  # the local authorities' counts, summed
    for year in range(2012, 2021):  # linear, local authority by local authority (forces rounded to a household)
        assert by_year[year][1] == pytest.approx(census_2011 + (census_2021 - census_2011) * (year - 2011) / 10, abs=50)
    assert rows[11][3] == "households in mid-2013: linear estimate between the 2011 and 2021 Censuses"
    assert not any("census_" in description or "mye" in description for *_, description in rows)


def test_the_ew_burglary_rate_changes_with_its_offences_across_census_2021(snapshot_settings):
    """From y/e September to December 2021 the denominator switched from the 2011 to the 2021 Census: the E&W rate
    fell 6.4% while offences fell 0.7%. The estimate's step is one year of growth between the censuses."""
    rate_sep, offences_sep, *_ = ew(snapshot_settings, "domestic_burglary", "2021-09-30")
    rate_dec, offences_dec, *_ = ew(snapshot_settings, "domestic_burglary", "2021-12-31")
    rate_change, offences_change = 100 * (rate_dec / rate_sep - 1), 100 * (offences_dec / offences_sep - 1)
    assert offences_change == pytest.approx(-0.71, abs=0.01)
    assert abs(rate_change - offences_change) < 1  # -1.28% against -0.71%


def test_no_force_households_step_beyond_3_percent_a_year_unless_its_population_does(snapshot_settings):
    steps = published(snapshot_settings, """
        WITH used AS (SELECT DISTINCT area_code, denominator_kind AS kind, denominator_mid_year AS mid_year, denominator
                      FROM force_rates WHERE area_type = 'force'),
        stepped AS (SELECT *, denominator / lag(denominator) OVER (PARTITION BY area_code, kind ORDER BY mid_year) - 1
                    AS change FROM used)
        SELECT h.area_code, h.mid_year, h.change, p.change FROM stepped AS h
        JOIN stepped AS p ON p.area_code = h.area_code AND p.mid_year = h.mid_year AND p.kind = 'population'
        WHERE h.kind = 'households' AND h.change IS NOT NULL""")
    assert len(steps) == 43 * 22
    assert [step for step in steps if abs(step[2]) > 0.03 and abs(step[3]) <= 0.03] == []
    assert max(abs(change) for area, _, change, _ in steps if area != "E23000034") < 0.03  # Bedfordshire: 13.2%


def test_violence_with_injury_has_one_definition_across_2013(snapshot_settings):
    """The Home Office table's 2012/13 quarters count the death-by-driving offences (4.4, 4.6, 4.8, 4.9, 37.1) in
    violence with injury, no other period does: y/e March to December 2013 come from the ONS table, which leaves them
    out, and equal the Home Office offences without those codes (recomputed here from the raw file)."""
    raw = duckdb.connect()
    without, death_by_driving = raw.execute(f"""
        SELECT sum("Number of Offences") FILTER (WHERE "Offence Code" NOT IN ('4.4', '4.6', '4.8', '4.9', '37.1')),
               sum("Number of Offences") FILTER (WHERE "Offence Code" IN ('4.4', '4.6', '4.8', '4.9', '37.1'))
        FROM read_csv('{DATA_DIR / "home-office/prc-pfa-mar2013-onwards-tables.csv.gz"}')
        WHERE "Financial Year" = '2012/13' AND "Offence Subgroup" = 'Violence with injury'
          AND "Force Name" <> 'British Transport Police'""").fetchone()
    assert death_by_driving == 344
    offences, source = ew(snapshot_settings, "violence_with_injury", "2013-03-31", "offences, crime_source")
    assert (offences, source) == (without, "ons_rolling_year")
    kinds = dict(published(snapshot_settings, """SELECT difference_kind, count(*) FROM crime_source_comparison
        WHERE measure = 'violence_with_injury' AND period_end BETWEEN '2013-03-31' AND '2013-12-31' GROUP BY 1"""))
    assert kinds == {"classification": 4 * 44}
    [(reason,)] = published(snapshot_settings, "SELECT DISTINCT difference_reason FROM crime_source_comparison WHERE "
                                               "measure = 'violence_with_injury' AND period_end = '2013-03-31'")
    assert reason.startswith("classification: ") and "4.4, 4.6, 4.8, 4.9 and 37.1" in reason


def test_homicide_per_million_and_ranked_on_that_scale(snapshot_settings):
    """Per 1,000 every force's homicide rate printed 0.0 and all 42 ranked forces tied at 1."""
    offences, population, rate_per, at_scale, per_1000, ew_at_scale, region_at_scale = published(
        snapshot_settings, """SELECT offences, denominator, rate_per, rate_at_scale, rate_per_1000, ew_rate_at_scale,
        region_rate_at_scale FROM force_rates WHERE area_code = ? AND measure = 'homicide'
        AND period_end = '2014-06-30'""", [LANCASHIRE])[0]
    assert rate_per == 1_000_000 and at_scale == pytest.approx(offences / population * 1e6, rel=1e-12)
    assert round(at_scale, 1) == 8.2 and round(per_1000, 1) == 0.0
    assert ew_at_scale == pytest.approx(1000 * ew(snapshot_settings, "homicide", "2014-06-30")[0], rel=1e-12)
    assert region_at_scale > 0
    ranks = published(snapshot_settings, """SELECT count(DISTINCT rank_displayed), count(rank_displayed),
        count(DISTINCT round(rate_per_1000, 1)) FROM force_rates WHERE measure = 'homicide'
        AND period_end = '2014-06-30'""")[0]
    assert ranks[0] > 20 and ranks[1] == 42 and ranks[2] == 1
    # the other rare measure, and every other measure at rate_per 1000 is its rate per 1,000 itself
    assert published(snapshot_settings, "SELECT measure, any_value(rate_per) FROM force_rates WHERE rate_per <> 1000 "
                                        "GROUP BY 1 ORDER BY 1") == [("homicide", 1_000_000),
                                                                     ("possession_of_weapons_offences", 100_000)]
    assert published(snapshot_settings, "SELECT count(*) FROM force_rates WHERE rate_per = 1000 AND "
                                        "rate_at_scale IS DISTINCT FROM rate_per_1000") == [(0,)]


def test_every_december_2025_row_says_it_divides_by_mid_2024(snapshot_settings):
    """A period starting January 2025 wants mid-2025, which is not held: it divides by mid-2024 and says so."""
    rows = published(snapshot_settings, "SELECT denominator_kind, denominator_mid_year, note FROM force_rates "
                                        "WHERE period_end = '2025-12-31'")
    assert len(rows) == 18 * 54
    for kind, mid_year, note in rows:
        assert mid_year == 2024
        assert (f"Divides by the mid-2024 {kind} estimate, the latest held: mid-2025 (the year the period starts in) "
                "is not yet published") in note
    assert published(snapshot_settings, "SELECT count(*) FROM force_rates WHERE note LIKE '%Divides by the mid-%' "
                                        "AND period_end <> '2025-12-31'") == [(0,)]


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
        SELECT period_end, measure, list(round(rate_at_scale, 1) ORDER BY rank_displayed),
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


def test_the_largest_differences_between_the_crime_tables_have_their_reasons(snapshot_settings):
    """The 20 largest differences beyond revisions (323 force-periods were unexplained): Hampshire's, South Wales's
    and Kent's malicious communications missing from the Home Office table's 2015/16-2016/17 quarters (in stalking
    and harassment, and the measures that count it), and West Mercia's resubmitted April-September 2015 quarters."""
    largest = published(snapshot_settings, """SELECT area_name, measure, difference_kind, difference_reason
        FROM crime_source_comparison WHERE difference_kind <> 'classification' AND abs(pct_difference) > 5
        AND abs(difference) > 10 ORDER BY abs(difference) DESC LIMIT 20""")
    assert {kind for _, _, kind, _ in largest} == {"recoding", "revision"}
    assert {area for area, *_ in largest} == {"England and Wales", "Hampshire", "South Wales", "West Mercia"}
    for _, _, kind, reason in largest:
        assert reason.startswith(f"{kind}: ")
        assert ("malicious communications" in reason) == (kind == "recoding")
    assert published(snapshot_settings, "SELECT count(*) FROM crime_source_comparison WHERE difference_kind = "
                                        "'unexplained'") == [(245,)]
    # every reason recorded applies somewhere, and England and Wales's gap is (mostly) its three forces'
    assert published(snapshot_settings, """SELECT count(DISTINCT left(difference_reason, 80))
        FROM crime_source_comparison WHERE difference_kind IN ('recoding', 'revision')
        AND difference_reason NOT LIKE 'revision: within%'""") == [(5,)]
    ew_gap, forces_gap = published(snapshot_settings, """SELECT sum(difference) FILTER (WHERE area_code = ?),
        sum(difference) FILTER (WHERE area_code IN ('E23000030', 'W15000003', 'E23000032'))
        FROM crime_source_comparison WHERE measure = 'stalking_and_harassment' AND period_end = '2017-03-31'""",
                                   [ENGLAND_AND_WALES])[0]
    assert (ew_gap, forces_gap) == (-13_339, -13_079)


def test_outcomes_match_an_independent_recomputation_from_the_raw_file(snapshot_settings):
    raw = duckdb.connect()
    raw.execute(f"CREATE TABLE o AS SELECT * FROM read_csv('{DATA_DIR / 'home-office/outcomes_2024_25.csv.gz'}')")
    # the file's 44 bodies are the 43 forces and British Transport Police (no force area)
    charged, total = raw.execute("""SELECT sum(n) FILTER (WHERE "Outcome Type" = 1), sum(n) FROM o
        WHERE "Force" <> 'British Transport Police' AND "Offence Group" NOT LIKE 'Fraud%'""").fetchone()
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
    # homicide ranked per 1,000 as printed: every ranked force tied at 1
    ("series_ranks", "UPDATE marts.force_rates SET rank_displayed = 1 "
                     "WHERE measure = 'homicide' AND period_end = '2014-06-30' AND rank_displayed IS NOT NULL"),
    # Bedfordshire's households stepping 13% from mid-2020 to mid-2021, as when Census 2021 replaced 2011's at once
    ("series_denominators", "UPDATE marts.force_rates SET denominator = denominator * 1.13 "
                            "WHERE area_code = 'E23000026' AND denominator_kind = 'households' "
                            "AND denominator_mid_year >= 2021"),
])
def test_the_gate_refuses_a_damaged_series(warehouse, tmp_path, suite, damage):
    """The series suites compute what they check from the mart itself (breaks from the dates, ties among ranks,
    steps in the denominators): a mart that lost a flag, ranks all forces equal or steps its households is refused."""
    from orchestration.gate.resource import Gate

    settings = warehouse.settings
    gate = Gate(data_docs_dir=str(tmp_path / "docs"), data_docs_url="http://x")
    [chosen] = [s for s in load_suites() if s.name == suite]
    with duckdb.connect(str(settings.build_db)) as con:
        assert not gate.evaluate(con, chosen).failed_of("critical")
        con.execute(damage)
        failed = gate.evaluate(con, chosen).failed_of("critical")
    assert failed and failed[0]["failing_rows"] >= 1
