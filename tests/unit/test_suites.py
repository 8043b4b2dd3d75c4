"""The expectation suites: valid GX suites, parameters that exist, a generated README in step, and failures that
name the values and the lines."""

import json

import duckdb
import pandas as pd
import pytest

from orchestration.gate.parameters import suite_parameters
from orchestration.gate.resource import Gate
from orchestration.gate.suites import Suite, load_suites, suites_markdown
from orchestration.settings import EXPECTATIONS_DIR
from orchestration.sources.specs import SOURCES
from orchestration.warehouse import staging
from tests.helpers import DATA_DIR


def parameters_of(value):
    if isinstance(value, dict):
        if "$PARAMETER" in value:
            yield value["$PARAMETER"]
        for inner in value.values():
            yield from parameters_of(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from parameters_of(inner)


def test_suites_are_valid_and_their_parameters_exist():
    suites = load_suites()
    names = {s.name for s in suites}
    assert {f"raw_{spec.name}" for spec in SOURCES} | {"raw_police_uk_street", "force_rates", "areas"} <= names
    known = suite_parameters()
    for suite in suites:
        for expectation in suite.expectations:
            assert set(parameters_of(expectation["kwargs"])) <= set(known), (suite.name, expectation["type"])
        assert all(spec.blocking is not spec.name.endswith("_warnings") for spec in suite.check_specs())


def test_expectations_readme_lists_every_suite_as_it_is():
    assert (EXPECTATIONS_DIR / "README.md").read_text() == suites_markdown() + "\n"


def test_a_misspelled_force_is_named_with_its_line(tmp_path):
    spec = next(s for s in SOURCES if s.name == "home_office_prc_pfa")
    text = pd.read_csv(DATA_DIR / spec.relative_path, nrows=2000, dtype=str, keep_default_na=False)
    text.loc[1233, "Force Name"] = "Lancashrie"
    bad = tmp_path / "prc.csv"
    text.to_csv(bad, index=False)
    con = duckdb.connect()
    staging.stage_file(con, spec.columns, bad, spec.label)
    gate = Gate(work_dir=str(tmp_path / "gate"), data_docs_dir=str(tmp_path / "docs"),
                data_docs_url="http://127.0.0.1:3001/data-docs")
    [outcome] = [gate.evaluate(con, s) for s in load_suites() if s.name == "raw_home_office_prc_pfa"]
    [failure] = [f for f in outcome.failed_of("critical") if f["column"] == "Force Name"]
    assert failure["sample"] == ["Lancashrie"] and failure["failing_rows"] == 1
    assert failure["by"]["_line"] == ["1235"]  # the header is line 1, the first row line 2
    assert outcome.data_docs and (tmp_path / "docs" / "raw_home_office_prc_pfa" / "index.html").exists()
    pages = [p.read_text() for p in (tmp_path / "docs" / "raw_home_office_prc_pfa").rglob("*.html")]
    assert pages and not [p for p in pages if "cdn." in p or "unpkg.com" in p]  # its scripts are local: offline
    [blocking] = [r for r in gate.results(outcome) if r.check_name == "gx_raw_home_office_prc_pfa"]
    assert not blocking.passed and "Lancashrie" in blocking.description
    assert blocking.metadata["data_docs"].value.startswith("http://127.0.0.1:3001/data-docs/")


def suite_file(folder, name: str, expectations: list[dict], **meta) -> Suite:
    path = folder / f"{name}.json"
    path.write_text(json.dumps({"name": name, "meta": {"gates": "marts.counts", "rows": "table", **meta},
                                "expectations": expectations}))
    return Suite.read(path)


EDGES = [  # (line, count, share, code, kind, low, ranked): boundaries, nulls, NaN, a code Python's `$` matches and
    # RE2 not, a condition a null leaves unknown
    (2, 1, 0.5, "E01000001", "Burglary", 0, True), (3, 0, 0.5, "E01000002", "Robbery", 0, True),
    (4, 20000, 1.0, None, "Drugs", 30000, False), (5, 20001, None, "E01000003\n", "Burglary", 5, True),
    (6, None, float("nan"), "X01", "Theft", 1, True), (7, 7, 1.5, "W01000004", None, 7, True),
    (8, 3, 0.0, "E01000005", "Burglary", 2, True), (9, -2, 0.7, "", "Other crime", -1, False),
    (10, 4, 0.95, "E01000006", "Burglary", 1, True), (11, 4, 0.95, "E01000007", "Burglary", 1, False),
]
EXPECTATIONS = [
    {"type": "expect_column_values_to_be_between", "kwargs": {"column": "count", "min_value": 1, "max_value": 20000},
     "severity": "critical"},
    {"type": "expect_column_values_to_be_between",
     "kwargs": {"column": "share", "min_value": 0.0, "max_value": 1.0, "strict_min": True}, "severity": "warning"},
    {"type": "expect_column_values_to_match_regex", "kwargs": {"column": "code", "regex": "^[EW]01\\d{6}$"},
     "severity": "warning"},
    {"type": "expect_column_values_to_be_in_set",
     "kwargs": {"column": "kind", "value_set": {"$PARAMETER": "street_crime_types"}}, "severity": "critical"},
    {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "kind"}, "severity": "warning"},
    {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "low", "value_set": [-1, 0, 1, 2, 5, 7]},
     "severity": "warning"},
    {"type": "expect_column_values_to_be_between",
     "kwargs": {"column": "share", "min_value": 0.0, "max_value": 0.9, "condition_parser": "pandas",
                "row_condition": 'kind == "Burglary" and ranked and code not in ["E01000009"]'},
     "severity": "critical"},
    {"type": "expect_column_pair_values_a_to_be_greater_than_b",
     "kwargs": {"column_A": "count", "column_B": "low", "or_equal": True, "ignore_row_if": "either_value_is_missing"},
     "severity": "critical"},
]


def test_failing_rows_selected_in_duckdb_give_what_gx_gives_on_every_row(tmp_path):
    con = duckdb.connect()
    con.execute("CREATE SCHEMA marts")
    con.execute("""CREATE TABLE marts.counts (_line INTEGER, count INTEGER, share DOUBLE, code VARCHAR, kind VARCHAR,
                                              low INTEGER, ranked BOOLEAN)""")
    con.executemany("INSERT INTO marts.counts VALUES (?, ?, ?, ?, ?, ?, ?)", EDGES)
    gate = Gate(work_dir=str(tmp_path / "gate"), data_docs_dir=str(tmp_path / "docs"), data_docs_url="http://x")
    whole = gate.evaluate(con, suite_file(tmp_path, "whole", EXPECTATIONS, index_columns=["_line"]))
    selected = gate.evaluate(con, suite_file(tmp_path, "selected", EXPECTATIONS, index_columns=["_line"],
                                             select_failing_rows=True))
    assert whole.rows == selected.rows == len(EDGES)
    assert json.dumps(selected.failed) == json.dumps(whole.failed)  # as JSON: the null samples are NaN
    by_column = {(str(f["column"]), f["severity"]): (f["failing_rows"], f["by"]["_line"]) for f in selected.failed}
    assert by_column == {("count", "critical"): (3, ["3", "5", "9"]), ("share", "warning"): (2, ["7", "8"]),
                         ("code", "warning"): (2, ["6", "9"]), ("kind", "critical"): (1, ["6"]),
                         ("kind", "warning"): (1, ["7"]), ("share", "critical"): (1, ["10"]),
                         ("['count', 'low']", "critical"): (2, ["4", "9"]), ("low", "warning"): (1, ["4"])}
    con.execute("DELETE FROM marts.counts WHERE _line BETWEEN 3 AND 10")
    clean = gate.evaluate(con, suite_file(tmp_path, "selected", EXPECTATIONS, select_failing_rows=True))
    assert clean.failed == [] and clean.rows == 2


def test_only_row_wise_suites_select_their_failing_rows(tmp_path):
    conditional = [{**EXPECTATIONS[0], "kwargs": {**EXPECTATIONS[0]["kwargs"], "row_condition": "count > 3",
                                                  "condition_parser": "pandas"}}]
    table_level = [{"type": "expect_table_row_count_to_equal", "kwargs": {"value": 3}, "severity": "critical"}]
    for expectations in (conditional, table_level, [{**EXPECTATIONS[0], "kwargs": {**EXPECTATIONS[0]["kwargs"],
                                                                                   "mostly": 0.9}}]):
        with pytest.raises(ValueError, match="select_failing_rows: expectation 1"):
            suite_file(tmp_path, "refused", expectations, select_failing_rows=True)
    con = duckdb.connect()
    con.execute("CREATE SCHEMA marts")
    con.execute("CREATE TABLE marts.counts AS SELECT 1 AS code")
    gate = Gate(work_dir=str(tmp_path / "gate"), data_docs_dir=str(tmp_path / "docs"), data_docs_url="http://x")
    with pytest.raises(ValueError, match="'code' \\(INTEGER\\).*needs a VARCHAR column"):
        gate.evaluate(con, suite_file(tmp_path, "typed", [EXPECTATIONS[2]], select_failing_rows=True))


def test_the_force_rates_suite_finds_in_duckdb_what_gx_finds_on_every_row(tmp_path):
    """The real suite, its parameters from the seeds: a ranked force's implausible rate, a region's (not checked), a
    rank past the forces compared and a displayed rank above the precise one (a missing vintage is the contract's to
    refuse: denominator_vintage is NOT NULL in dbt)."""
    [suite] = [s for s in load_suites() if s.name == "force_rates"]
    assert suite.select_failing_rows
    low, high = suite_parameters()["rate_low__homicide"], suite_parameters()["rate_high__homicide"]
    con = duckdb.connect()
    con.execute("CREATE SCHEMA marts")
    con.execute("""CREATE TABLE marts.force_rates (area_code VARCHAR, measure VARCHAR, area_type VARCHAR,
        in_force_comparisons BOOLEAN, rate_per_1000 DOUBLE, rank_among_forces BIGINT, rank_displayed BIGINT)""")
    con.executemany("INSERT INTO marts.force_rates VALUES (?, 'homicide', ?, ?, ?, ?, ?)", [
        ("E23000001", "force", True, low, 1, 1), ("E23000002", "force", True, high * 10, 2, 2),
        ("E23000034", "force", False, high * 10, None, None),
        ("E12000001", "region", None, high * 10, None, None),
        ("E23000003", "force", True, high, 43, 3), ("E23000004", "force", True, low, 4, 5)])
    gate = Gate(work_dir=str(tmp_path / "gate"), data_docs_dir=str(tmp_path / "docs"), data_docs_url="http://x")
    definition = json.loads(suite.path.read_text())
    definition["meta"]["select_failing_rows"] = False
    (tmp_path / "whole.json").write_text(json.dumps(definition))
    whole = gate.evaluate(con, Suite.read(tmp_path / "whole.json"))
    selected = gate.evaluate(con, suite)
    assert json.dumps(selected.failed) == json.dumps(whole.failed) and selected.rows == whole.rows == 6
    assert sorted((str(f["column"]), f["failing_rows"], str(f["sample"][0])) for f in selected.failed) == [
        ("['rank_among_forces', 'rank_displayed']", 1, "['4', '5']"), ("rank_among_forces", 1, "43"),
        ("rate_per_1000", 1, str(high * 10))]
