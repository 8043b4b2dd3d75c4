"""The quality gate as a Dagster resource: starts the GX worker when a run begins, validates suites, and says where a
failing suite's Data Docs are."""


from pathlib import Path

import duckdb
from dagster import AssetCheckResult, ConfigurableResource, InitResourceContext

from orchestration.gate import worker
from orchestration.gate.suites import SOCKET, Outcome, Suite, check_results, evaluate


class Gate(ConfigurableResource):
    work_dir: str  # batches on their way to GX (Parquet) and the gate service's socket
    data_docs_dir: str  # GX Data Docs of failing suites, one site per suite, inside the published site
    data_docs_url: str  # the same folder as served over http by `forcestat ui` (the site server)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        worker.start(Path(self.work_dir) / SOCKET)  # without a service, GX's import now runs beside the first steps

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        worker.stop_if_child()

    def evaluate(self, con: duckdb.DuckDBPyConnection, suite: Suite) -> Outcome:
        return evaluate(con, suite, Path(self.work_dir), Path(self.data_docs_dir))

    def results(self, outcome: Outcome) -> list[AssetCheckResult]:
        url = f"{self.data_docs_url.rstrip('/')}/{outcome.suite.name}/index.html" if outcome.data_docs else None
        return check_results(outcome, url)
