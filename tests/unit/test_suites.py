"""The expectation suites: valid GX suites, parameters that exist, a generated README in step, and failures that
name the values and the lines."""

import duckdb
import pandas as pd

from orchestration.gate.parameters import suite_parameters
from orchestration.gate.resource import Gate
from orchestration.gate.suites import load_suites, suites_markdown
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
    [blocking] = [r for r in gate.results(outcome) if r.check_name == "gx_raw_home_office_prc_pfa"]
    assert not blocking.passed and "Lancashrie" in blocking.description
    assert blocking.metadata["data_docs"].value.startswith("http://127.0.0.1:3001/data-docs/")
