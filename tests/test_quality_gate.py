"""The Great Expectations suites: one per gated table, passing on the real warehouse, naming what fails."""

import duckdb

from orchestration.inspections.loading import REPORT_TABLES
from orchestration.quality_gate import SuiteFile, suite_checks, validate
from orchestration.settings import EXPECTATIONS_DIR
from orchestration.sources import SOURCES

SUITES = {path.stem: SuiteFile.read(path) for path in EXPECTATIONS_DIR.glob("*.json")}
PUBLISHED_MARTS = {"areas", "force_rates", "force_change", "crime_source_comparison", "inspection_judgments",
                   "inspection_recommendations", "report_figure_checks"}


def test_every_raw_source_and_published_mart_has_a_blocking_suite():
    gated = {suite.table for suite in SUITES.values()}
    assert {f"raw.{spec.name}" for spec in SOURCES} | {f"raw.{table}" for table in REPORT_TABLES} <= gated
    assert {f"marts.{table}" for table in PUBLISHED_MARTS} <= gated
    specs = [spec for check in suite_checks() for spec in check.check_specs]
    assert len(specs) == len(SUITES) and all(spec.blocking for spec in specs)
    assert all(e["severity"] in ("critical", "warning") for s in SUITES.values() for e in s.definition["expectations"])


def test_real_warehouse_passes_every_suite_with_known_warnings(refreshed, tmp_path):
    settings = refreshed[0]
    warnings = set()
    with duckdb.connect(str(settings.build_db), read_only=True) as con:
        for name, suite in SUITES.items():
            result = validate(suite, con, tmp_path / name)
            assert result.critical == [], (name, result.critical)
            warnings |= {(name, f.batch) for f in result.failed}
            if result.failed:
                assert result.data_docs.exists()
    # what the real data shows for review: population estimates behind the latest periods, the City of London's
    # swings since 2020, forces where the two crime tables differ by more than 5%
    assert warnings == {("force_rates", "population_behind_period"), ("force_change", "large_year_changes"),
                        ("crime_source_comparison", "force_headline")}


def test_failures_name_the_expectation_the_failing_rows_and_values(published, tmp_path):
    con = duckdb.connect()
    con.execute("CREATE SCHEMA marts")
    frame = published.execute("SELECT * FROM force_rates").df()  # noqa: F841 - read by DuckDB below
    con.execute("CREATE TABLE marts.force_rates AS SELECT * FROM frame")
    street = published.execute("SELECT * FROM street_crime_monthly").df()  # noqa: F841 - the ASB batch reads it
    con.execute("CREATE TABLE marts.street_crime_monthly AS SELECT * FROM street")
    # a doubled row, England and Wales no longer the sum of its forces, one rate that is not offences/population
    con.execute("INSERT INTO marts.force_rates SELECT * FROM marts.force_rates WHERE area_code = 'E23000003' "
                "AND period_end = '2014-06-30' AND measure = 'robbery'")
    con.execute("UPDATE marts.force_rates SET offences = offences + 1 WHERE area_code = 'K04000001' "
                "AND period_end = '2010-06-30' AND measure = 'homicide'")
    con.execute("UPDATE marts.force_rates SET rate_per_1000 = 900 WHERE area_code = 'E23000003' "
                "AND period_end = '2014-06-30' AND measure = 'sexual_offences'")
    result = validate(SUITES["force_rates"], con, tmp_path / "docs")
    critical = {(f.batch, f.expectation): f for f in result.critical}
    assert critical[("duplicates", "expect_table_row_count_to_equal")].failing_rows == 1
    assert "E23000003" in critical[("duplicates", "expect_table_row_count_to_equal")].sample[0]
    ew = critical[("ew_is_sum_of_forces", "expect_table_row_count_to_equal")]
    assert ew.failing_rows == 2 and "homicide" in " ".join(ew.sample)  # 2010-06-30 homicide, and robbery doubled
    arithmetic = critical[("rate_arithmetic", "expect_table_row_count_to_equal")]
    assert arithmetic.failing_rows == 2  # the rate of 900, and the homicide count changed under its rate
    assert critical[("rate_bounds", "expect_table_row_count_to_equal")].sample[0].startswith('{"measure": "sexual')
    assert (tmp_path / "docs" / "index.html").exists()


def test_expectations_readme_lists_every_suite_as_it_is():
    from orchestration.quality_gate import suites_markdown

    assert (EXPECTATIONS_DIR / "README.md").read_text() == suites_markdown() + "\n"
