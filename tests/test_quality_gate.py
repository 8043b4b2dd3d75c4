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
    forces = frame.index[frame["in_force_comparisons"]]
    frame.loc[forces[:3], "rate_per_1000"] = 900.0  # three rates of the wrong scale
    frame.loc[frame.index[frame["area_type"] == "region"][:2], "rate_per_1000"] = -5.0  # two impossible ones
    frame = pandas.concat([frame, frame.iloc[[10]]])  # one row delivered twice
    failed = [(f.expectation, f.column, f.severity, f.unexpected_count, f.sample[:1])
              for f in validate(SuiteFile.read(SUITE), frame)]
    assert ("expect_column_values_to_be_between", "rate_per_1000", "critical", 3, ["900.0"]) in failed
    assert ("expect_column_values_to_be_between", "rate_per_1000", "critical", 2, ["-5.0"]) in failed
    assert any(f[0] == "expect_compound_columns_to_be_unique" and f[3] == 2 for f in failed)
