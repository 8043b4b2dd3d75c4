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
    gate = Gate(data_docs_dir=str(tmp_path / "docs"),
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


UNIQUENESS = [
    {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "code"}, "severity": "warning"},
    {"type": "expect_compound_columns_to_be_unique", "kwargs": {"column_list": ["kind", "low"]},
     "severity": "warning"},
    {"type": "expect_column_values_to_be_null", "kwargs": {"column": "low", "row_condition": "not ranked",
                                                           "condition_parser": "pandas"}, "severity": "warning"},
    {"type": "expect_table_row_count_to_equal", "kwargs": {"value": 12}, "severity": "warning"},
    {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "ranked", "value_set": [True]},
     "severity": "warning"},
]


def counts_table(rows) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE SCHEMA marts")
    con.execute("""CREATE TABLE marts.counts (_line INTEGER, count INTEGER, share DOUBLE, code VARCHAR, kind VARCHAR,
                                              low INTEGER, ranked BOOLEAN)""")
    con.executemany("INSERT INTO marts.counts VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    return con


def as_gx_finds_them(failures: list[dict]) -> dict:
    """What each failure says, in a form both DuckDB's findings and GX's results give alike."""
    def shown(value):  # a missing value: None from DuckDB, NaN from pandas; a pair's values as text
        if isinstance(value, list | tuple):
            return "[" + ", ".join(map(str, value)) + "]"
        return "null" if value is None or value != value or value == "None" else str(value)

    # GX 1.24 counts 4 unexpected rows for the compound uniqueness below and lists 3: the rows are compared there
    return {(str(f["column"]), f["expectation"], f["severity"]): (
        len(f["by"]["_line"]) if f["expectation"] == "expect_compound_columns_to_be_unique" else f["failing_rows"],
        f["by"].get("_line") or None, sorted(map(shown, f["sample"]))) for f in failures}


def test_duckdb_finds_every_failing_row_gx_finds_on_every_row(tmp_path):
    """Each of the nine expectation types the suites use, on edge cases (boundaries, nulls, NaN, a code Python's `$`
    matches and RE2 does not, a condition a null leaves unknown, repeats): DuckDB's findings are GX's."""
    from orchestration.gate import findings
    from orchestration.gate.validation import validate

    edges = [*EDGES, (12, 4, 0.95, "E01000007", "Burglary", 1, True)]  # a repeated code and kind-low pair
    con = counts_table(edges)
    suite = suite_file(tmp_path, "edges", EXPECTATIONS + UNIQUENESS, index_columns=["_line"])
    rows, found = findings.find(con, suite.batch_sql(), suite.expectations, suite_parameters(), suite.index_columns)
    frame = con.execute("SELECT * FROM marts.counts").df()
    # GX on every row, one expectation at a time
    gx = [failure for number, expectation in enumerate(suite.expectations) for failure in validate(
        f"edges_{number}", [expectation], frame, suite_parameters(), ["_line"], None)["failed"]]
    assert rows == len(edges) and as_gx_finds_them(found) == as_gx_finds_them(gx)
    assert as_gx_finds_them(found) == {
        ("count", "expect_column_values_to_be_between", "critical"): (3, ["3", "5", "9"], ["-2", "0", "20001"]),
        ("share", "expect_column_values_to_be_between", "warning"): (2, ["7", "8"], ["0.0", "1.5"]),
        ("code", "expect_column_values_to_match_regex", "warning"): (2, ["6", "9"], ["", "X01"]),
        ("kind", "expect_column_values_to_be_in_set", "critical"): (1, ["6"], ["Theft"]),
        ("kind", "expect_column_values_to_not_be_null", "warning"): (1, ["7"], ["null"]),
        ("share", "expect_column_values_to_be_between", "critical"): (2, ["10", "12"], ["0.95", "0.95"]),
        ("['count', 'low']", "expect_column_pair_values_a_to_be_greater_than_b", "critical"): (
            2, ["4", "9"], ["[-2, -1]", "[20000, 30000]"]),
        ("low", "expect_column_values_to_be_in_set", "warning"): (1, ["4"], ["30000"]),
        ("code", "expect_column_values_to_be_unique", "warning"): (2, ["11", "12"], ["E01000007", "E01000007"]),
        ("['kind', 'low']", "expect_compound_columns_to_be_unique", "warning"): (
            3, ["10", "11", "12"], ["{'kind': 'Burglary', 'low': 1}"] * 3),
        ("low", "expect_column_values_to_be_null", "warning"): (3, ["11", "4", "9"], ["-1", "1", "30000"]),
        ("ranked", "expect_column_values_to_be_in_set", "warning"): (3, ["11", "4", "9"], ["False"] * 3),
        ("None", "expect_table_row_count_to_equal", "warning"): (None, None, ["11"]),
    }
    con.execute("DELETE FROM marts.counts WHERE _line BETWEEN 3 AND 12")
    assert findings.find(con, suite.batch_sql(), suite.expectations[:8], suite_parameters(), ())[1] == []


def test_a_refusal_is_gx_s_verdict_on_the_rows_duckdb_found_and_a_clean_suite_needs_no_gx(tmp_path):
    con = counts_table(EDGES)
    gate = Gate(data_docs_dir=str(tmp_path / "docs"), data_docs_url="http://x")
    suite = suite_file(tmp_path, "refused", EXPECTATIONS, index_columns=["_line"])
    outcome = gate.evaluate(con, suite)
    assert outcome.rows == len(EDGES) and outcome.data_docs  # GX validated the rows found and wrote its page
    assert {(str(f["column"]), f["failing_rows"]) for f in outcome.failed_of("critical")} == {
        ("count", 3), ("kind", 1), ("share", 1), ("['count', 'low']", 2)}
    [count] = [f for f in outcome.failed if f["column"] == "count"]
    assert [example["_line"] for example in count["examples"]] == [3, 5, 9]
    con.execute("DELETE FROM marts.counts WHERE _line BETWEEN 3 AND 10")
    clean = gate.evaluate(con, suite)
    assert clean.failed == [] and clean.rows == 2 and clean.data_docs is None


def test_expectations_the_gate_cannot_check_are_refused_when_the_suite_is_read(tmp_path):
    for kwargs, problem in (({"mostly": 0.9}, "'mostly' is not used here"),
                            ({"row_condition": "count.between(1, 3)", "condition_parser": "pandas"},
                             "cannot read it from"),
                            ({"row_condition": "kind == 'x'", "condition_parser": "great_expectations"},
                             "condition_parser is not pandas")):
        with pytest.raises(ValueError, match=problem):
            suite_file(tmp_path, "refused", [{**EXPECTATIONS[0], "kwargs": {**EXPECTATIONS[0]["kwargs"], **kwargs}}])
    with pytest.raises(ValueError, match="is not one of"):
        suite_file(tmp_path, "refused", [{"type": "expect_column_kl_divergence_to_be_less_than", "kwargs": {},
                                          "severity": "warning"}])
    con = duckdb.connect()
    con.execute("CREATE SCHEMA marts")
    con.execute("CREATE TABLE marts.counts AS SELECT 1 AS code")
    gate = Gate(data_docs_dir=str(tmp_path / "docs"), data_docs_url="http://x")
    with pytest.raises(ValueError, match="'code' \\(INTEGER\\).*needs a VARCHAR column"):
        gate.evaluate(con, suite_file(tmp_path, "typed", [EXPECTATIONS[2]]))


def test_the_force_rates_suite_finds_in_duckdb_what_gx_finds_on_every_row(tmp_path):
    """The real suite, its parameters from the seeds: a ranked force's implausible rate, a region's (not checked), a
    rank past the forces compared and a displayed rank above the precise one."""
    from orchestration.gate import findings
    from orchestration.gate.validation import validate

    [suite] = [s for s in load_suites() if s.name == "force_rates"]
    low, high = suite_parameters()["rate_low__homicide"], suite_parameters()["rate_high__homicide"]
    con = duckdb.connect()
    con.execute("CREATE SCHEMA marts")
    con.execute("""CREATE TABLE marts.force_rates (area_code VARCHAR, area_name VARCHAR, period_end DATE,
        measure VARCHAR, area_type VARCHAR, in_force_comparisons BOOLEAN, rate_per_1000 DOUBLE,
        rank_among_forces BIGINT, rank_displayed BIGINT)""")
    con.executemany("INSERT INTO marts.force_rates VALUES (?, 'x', DATE '2014-06-30', 'homicide', ?, ?, ?, ?, ?)", [
        ("E23000001", "force", True, low, 1, 1), ("E23000002", "force", True, high * 10, 2, 2),
        ("E23000034", "force", False, high * 10, None, None),
        ("E12000001", "region", None, high * 10, None, None),
        ("E23000003", "force", True, high, 43, 3), ("E23000004", "force", True, low, 4, 5)])
    columns = [c for c in suite.columns if c in findings.column_types(con, "SELECT * FROM marts.force_rates")]
    rows, found = findings.find(con, suite.batch_sql(), suite.expectations, suite_parameters(), suite.index_columns)
    frame = con.execute(f"SELECT {', '.join(columns)} FROM marts.force_rates").df()
    gx = validate(suite.name, list(suite.expectations), frame, suite_parameters(), list(suite.index_columns), None)
    assert rows == 6 and as_gx_finds_them(found) == as_gx_finds_them(gx["failed"])
    assert sorted((str(f["column"]), f["failing_rows"]) for f in found) == [
        ("['rank_among_forces', 'rank_displayed']", 1), ("rank_among_forces", 1), ("rate_per_1000", 1)]
