"""The Great Expectations suite on force_rates passes on the real marts and names what fails on bad ones."""

import pandas

from orchestration.quality_gate import SuiteFile, suite_checks, validate
from orchestration.settings import EXPECTATIONS_DIR

SUITE = EXPECTATIONS_DIR / "force_rates.json"


def test_every_suite_file_becomes_a_blocking_check():
    checks = suite_checks()
    specs = [spec for check in checks for spec in check.check_specs]
    assert {spec.name for spec in specs} == {f"gx_{path.stem}" for path in EXPECTATIONS_DIR.glob("*.json")}
    assert all(spec.blocking for spec in specs)


def test_suite_passes_on_the_published_force_rates(published):
    assert validate(SuiteFile.read(SUITE), published.execute("SELECT * FROM force_rates").df()) == []


def test_suite_names_the_failing_expectation_and_values(published):
    frame = published.execute("SELECT * FROM force_rates").df()
    frame.loc[frame.index[:3], "rate_per_1000"] = -5.0  # three impossible rates
    frame = pandas.concat([frame, frame.iloc[[10]]])  # one row delivered twice
    failed = {(f.expectation, str(f.column)): f for f in validate(SuiteFile.read(SUITE), frame)}
    between = failed[("expect_column_values_to_be_between", "rate_per_1000")]
    assert (between.severity, between.unexpected_count, between.sample[:1]) == ("critical", 3, ["-5.0"])
    assert "expect_compound_columns_to_be_unique" in {name for name, _ in failed}
