"""Great Expectations suites (files in expectations/) run as blocking Dagster asset checks.

A suite file is a GX 1.x expectation suite plus, in its meta, the table it gates and named batches: SQL that
DuckDB runs over the table ({table}) to hand GX only what an expectation needs (grouped counts, distinct values,
offending rows) instead of the whole table. An expectation names its batch in meta.batch; without one it sees
`SELECT * FROM {table}`, which suits small tables only.

GX 1.x has no maintained Dagster integration and its SQL datasource fails on DuckDB, hence DuckDB -> pandas ->
an ephemeral GX context. An expectation of severity "critical" that fails makes the check fail with ERROR
severity, which blocks everything downstream (publication); a "warning" shows in the UI and lets it through.
A suite with a failure is rendered as GX Data Docs (HTML) under the warehouse's gx/data_docs/<suite>/ and linked
from the check (rendering costs ~0.5 s a suite, so passing suites are not rendered).
"""

import json
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetChecksDefinition,
    AssetKey,
    MetadataValue,
    asset_check,
)

from orchestration.settings import EXPECTATIONS_DIR
from orchestration.warehouse import Warehouse

WHOLE_TABLE = "rows"
SAMPLE_SIZE = 10


@dataclass(frozen=True)
class SuiteFile:
    path: Path
    name: str
    table: str  # schema.table in the build database
    batches: dict[str, str]  # batch name -> SQL over {table}
    definition: dict

    @property
    def asset_key(self) -> AssetKey:
        return AssetKey(self.table.split("."))

    @classmethod
    def read(cls, path: Path) -> "SuiteFile":
        definition = json.loads(path.read_text())
        meta = definition.get("meta", {})
        if "table" not in meta or not definition.get("expectations"):
            raise ValueError(f"{path}: an expectation suite needs meta.table and a non-empty expectations list")
        batches = {WHOLE_TABLE: "SELECT * FROM {table}", **meta.get("batches", {})}
        for number, expectation in enumerate(definition["expectations"], 1):
            batch = expectation.get("meta", {}).get("batch", WHOLE_TABLE)
            if batch not in batches:
                raise ValueError(f"{path}: expectation {number} ({expectation.get('type')}) names batch '{batch}', "
                                 f"which meta.batches does not define (defined: {sorted(batches)})")
        return cls(path=path, name=definition["name"], table=meta["table"], batches=batches, definition=definition)

    def expectations_by_batch(self) -> dict[str, list[dict]]:
        grouped: dict[str, list[dict]] = defaultdict(list)
        for expectation in self.definition["expectations"]:
            grouped[expectation.get("meta", {}).get("batch", WHOLE_TABLE)].append(expectation)
        return dict(grouped)


@dataclass(frozen=True)
class FailedExpectation:
    expectation: str
    description: str | None
    batch: str
    column: str | list[str] | None
    severity: str
    failing_rows: int | None
    sample: list


@dataclass(frozen=True)
class SuiteResult:
    failed: list[FailedExpectation]
    rows_validated: dict[str, int]  # per batch: what GX was handed, not the table's size
    data_docs: Path | None  # rendered only when something failed

    @property
    def critical(self) -> list[FailedExpectation]:
        return [f for f in self.failed if f.severity == "critical"]


def validate(suite: SuiteFile, con, data_docs_dir: Path | None = None) -> SuiteResult:
    """Run a suite on the build database (a DuckDB connection); return what failed."""
    import great_expectations as gx  # imported here: GX takes 2-3 s to import
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)  # no tqdm bars in the run logs
    source = context.data_sources.add_pandas(name="warehouse")
    failed: list[FailedExpectation] = []
    rows: dict[str, int] = {}
    for batch_name, expectations in suite.expectations_by_batch().items():
        frame = con.execute(suite.batches[batch_name].format(table=suite.table)).df()
        rows[batch_name] = len(frame)
        gx_suite = context.suites.add(gx.ExpectationSuite(name=f"{suite.name}.{batch_name}", expectations=expectations))
        if len(gx_suite.expectations) != len(expectations):
            # GX logs and drops an expectation it cannot build; a gate must not silently lose one.
            raise ValueError(f"{suite.path}: some expectations of batch '{batch_name}' are not valid GX configurations")
        definition = context.validation_definitions.add(gx.ValidationDefinition(
            name=f"{suite.name}.{batch_name}", suite=gx_suite,
            data=source.add_dataframe_asset(name=batch_name).add_batch_definition_whole_dataframe("all")))
        results = definition.run(batch_parameters={"dataframe": frame},
                                 result_format={"result_format": "SUMMARY", "partial_unexpected_count": SAMPLE_SIZE})
        failed += [_failure(result, batch_name, frame) for result in results.results if not result.success]
    if not failed or data_docs_dir is None:
        return SuiteResult(failed, rows, None)
    context.add_data_docs_site(suite.name, {
        "class_name": "SiteBuilder",
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": f"{data_docs_dir}/"},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    })
    context.build_data_docs(site_names=[suite.name])
    return SuiteResult(failed, rows, data_docs_dir / "index.html")


def _failure(result, batch: str, frame) -> FailedExpectation:
    config = result.expectation_config
    details = result.result or {}
    if result.exception_info and result.exception_info.get("raised_exception"):
        failing, sample = None, [result.exception_info.get("exception_message", "")]  # could not be evaluated
    elif "partial_unexpected_list" in details:
        failing, sample = details.get("unexpected_count"), [str(v) for v in details["partial_unexpected_list"]]
    else:
        # a table-level expectation (typically "no offending rows" over a batch that selects them): the batch's
        # own rows are the failing ones
        observed = details.get("observed_value")
        failing = observed if isinstance(observed, int) else None
        sample = [json.dumps(row, default=str) for row in frame.head(SAMPLE_SIZE).to_dict("records")] \
            if failing else [str(observed)]
    return FailedExpectation(
        expectation=config.type,
        description=config.description,
        batch=batch,
        column=config.kwargs.get("column") or config.kwargs.get("column_list"),
        severity=config.severity.value,
        failing_rows=failing,
        sample=sample,
    )


def build_suite_check(suite: SuiteFile) -> AssetChecksDefinition:
    @asset_check(
        asset=suite.asset_key,
        name=f"gx_{suite.name}",
        blocking=True,
        description=f"Great Expectations suite {suite.path.name} ({len(suite.definition['expectations'])} "
        "expectations); a failed critical expectation blocks publication.",
    )
    def _check(context: AssetCheckExecutionContext, warehouse: Warehouse) -> AssetCheckResult:
        with warehouse.connect(read_only=True) as con:
            result = validate(suite, con, Path(warehouse.data_docs_dir) / suite.name)
        for f in result.failed:
            context.log.warning(f"{suite.name}: {f.severity} {f.expectation} on {f.column} ({f.batch}): "
                                f"{f.failing_rows} failing, e.g. {f.sample[:3]}")
        metadata = {
            "suite_file": str(suite.path),
            "expectations": len(suite.definition["expectations"]),
            "failed_expectations": MetadataValue.json([asdict(f) for f in result.failed]),
            "rows_handed_to_gx": MetadataValue.json(result.rows_validated),
        }
        if result.data_docs:
            metadata["data_docs"] = MetadataValue.url(result.data_docs.as_uri())
        return AssetCheckResult(
            passed=not result.failed,
            severity=AssetCheckSeverity.ERROR if result.critical else AssetCheckSeverity.WARN,
            metadata=metadata,
        )

    return _check


def suite_checks(expectations_dir: Path = EXPECTATIONS_DIR) -> list[AssetChecksDefinition]:
    return [build_suite_check(SuiteFile.read(path)) for path in sorted(expectations_dir.glob("*.json"))]


def suites_markdown(expectations_dir: Path = EXPECTATIONS_DIR) -> str:
    """The list of expectations per gated table, as expectations/README.md shows it (`forcestat expectations`)."""
    lines = ["# Expectation suites", "",
             "One Great Expectations suite per gated table, run as a blocking Dagster asset check. `critical` blocks",
             "publication; `warning` is shown in the Dagster UI and lets it through. Generated from the suite files",
             "by `forcestat expectations > expectations/README.md` (a test keeps it in step).", ""]
    for path in sorted(expectations_dir.glob("*.json")):
        suite = SuiteFile.read(path)
        lines += [f"## `{suite.table}` ({path.name})", "", suite.definition["meta"].get("notes", ""), "",
                  "| severity | expectation | on | what it means |", "|---|---|---|---|"]
        for expectation in suite.definition["expectations"]:
            kwargs = expectation["kwargs"]
            on = kwargs.get("column") or ", ".join(kwargs.get("column_list", [])) or "rows"
            batch = expectation.get("meta", {}).get("batch", WHOLE_TABLE)
            lines.append(f"| {expectation['severity']} | `{expectation['type']}` | {on} of batch `{batch}` | "
                         f"{expectation.get('description', '').replace('|', '/')} |")
        lines.append("")
    return "\n".join(lines)
