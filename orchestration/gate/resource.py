"""The quality gate as a Dagster resource: evaluates a suite on its rows and gives its Dagster check results.

DuckDB checks every expectation where the rows are (orchestration/gate/findings.py): a suite that breaks nothing
passes there, and a warning is reported from DuckDB's findings (the count, a sample, the failing rows' lines and
keys). Where a critical expectation fails - a refusal - Great Expectations validates the rows DuckDB found (the whole
batch when a whole-table expectation failed) and its verdict, samples and Data Docs page are the refusal's. So a run
whose data pass never imports GX (5-7 s), and nothing but the refused rows travels to it.
"""

from pathlib import Path

import duckdb
from dagster import AssetCheckResult, ConfigurableResource

from orchestration.gate import findings
from orchestration.gate.parameters import suite_parameters
from orchestration.gate.suites import Outcome, Suite, check_results


class Gate(ConfigurableResource):
    data_docs_dir: str  # GX Data Docs of refused suites, one site per suite, inside the published site
    data_docs_url: str  # the same folder as served over http by `forcestat ui` (the site server)

    def evaluate(self, con: duckdb.DuckDBPyConnection, suite: Suite) -> Outcome:
        return evaluate(con, suite, Path(self.data_docs_dir))

    def results(self, outcome: Outcome) -> list[AssetCheckResult]:
        url = f"{self.data_docs_url.rstrip('/')}/{outcome.suite.name}/index.html" if outcome.data_docs else None
        return check_results(outcome, url)


def evaluate(con: duckdb.DuckDBPyConnection, suite: Suite, data_docs_dir: Path | None) -> Outcome:
    parameters = suite_parameters()
    rows, found = findings.find(con, suite.batch_sql(), suite.expectations, parameters, suite.index_columns)
    if not any(finding["severity"] == "critical" for finding in found):
        return Outcome(suite, found, rows, None)
    from orchestration.gate.validation import validate

    # the batch numbered, so that every failing row goes to GX once (a row breaking two expectations, two equal rows
    # breaking a uniqueness)
    con.execute(f"CREATE OR REPLACE TEMP TABLE gate_batch AS SELECT *, row_number() OVER () AS gate_row "
                f"FROM ({suite.batch_sql()})")
    try:
        columns = ", ".join(f'"{name}"' for name in suite.columns) or "* EXCLUDE (gate_row)"
        whole = any(finding["failing_rows"] is None for finding in found)  # a whole-table expectation failed
        where = ""
        if not whole:
            types = findings.column_types(con, "SELECT * FROM gate_batch")
            failing = [findings.failing_sql("SELECT * FROM gate_batch", e["type"],
                                            findings.resolved(e["kwargs"], parameters), types)
                       for e in suite.expectations if e["type"] not in findings.TABLE]
            where = " WHERE gate_row IN (" + " UNION ".join(f"SELECT gate_row FROM ({f})" for f in failing) + ")"
        frame = con.execute(f"SELECT {columns} FROM gate_batch{where} ORDER BY gate_row").df()
    finally:
        con.execute("DROP TABLE IF EXISTS gate_batch")
    result = validate(suite.name, list(suite.expectations), frame, parameters, list(suite.index_columns),
                      data_docs_dir)
    return Outcome(suite, result["failed"], rows, result["data_docs"])
