"""Great Expectations suites (files in expectations/) run as blocking Dagster asset checks.

GX 1.x has no maintained Dagster integration and its SQL datasource fails on DuckDB, so the table is read from
DuckDB into pandas and validated with an ephemeral GX context. An expectation of severity "critical" that fails
makes the check fail with ERROR severity, which blocks everything downstream (publication); one of severity
"warning" shows in the UI but lets publication go ahead.
"""

import json
from dataclasses import dataclass
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


@dataclass(frozen=True)
class SuiteFile:
    path: Path
    name: str
    table: str  # schema.table in the build database
    asset_key: AssetKey
    definition: dict

    @classmethod
    def read(cls, path: Path) -> "SuiteFile":
        definition = json.loads(path.read_text())
        meta = definition.get("meta", {})
        if "table" not in meta or not definition.get("expectations"):
            raise ValueError(f"{path}: an expectation suite needs meta.table and a non-empty expectations list")
        return cls(path=path, name=definition["name"], table=meta["table"],
                   asset_key=AssetKey(meta["table"].split(".")), definition=definition)


@dataclass(frozen=True)
class FailedExpectation:
    expectation: str
    column: str | list[str] | None
    severity: str
    unexpected_count: int | None
    sample: list


def validate(suite: SuiteFile, dataframe) -> list[FailedExpectation]:
    """Run the suite on a DataFrame; return the expectations that failed."""
    import great_expectations as gx  # imported here: GX takes 2-3 s to import

    expectation_suite = gx.ExpectationSuite(**suite.definition)
    if len(expectation_suite.expectations) != len(suite.definition["expectations"]):
        # GX logs and drops an expectation it cannot build; a gate must not silently lose one.
        raise ValueError(f"{suite.path}: some expectations are not valid Great Expectations configurations")
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)  # no tqdm bars in the run logs
    batch = (
        context.data_sources.add_pandas(name="warehouse")
        .add_dataframe_asset(name=suite.name)
        .add_batch_definition_whole_dataframe(name="whole_table")
        .get_batch(batch_parameters={"dataframe": dataframe})
    )
    results = batch.validate(expectation_suite, result_format={"result_format": "SUMMARY",
                                                               "partial_unexpected_count": 10})
    return [_failure(result) for result in results.results if not result.success]


def _failure(result) -> FailedExpectation:
    config = result.expectation_config
    details = result.result or {}
    if result.exception_info and result.exception_info.get("raised_exception"):
        sample = [result.exception_info.get("exception_message", "")]  # the expectation could not be evaluated
    elif "partial_unexpected_list" in details:
        sample = [str(value) for value in details["partial_unexpected_list"][:10]]
    else:
        sample = [str(details.get("observed_value"))]  # table-level expectations report what they saw
    return FailedExpectation(
        expectation=config.type,
        column=config.kwargs.get("column") or config.kwargs.get("column_list"),
        severity=config.severity.value,
        unexpected_count=details.get("unexpected_count"),
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
            dataframe = con.execute(f"SELECT * FROM {suite.table}").df()
        failed = validate(suite, dataframe)
        critical = [f for f in failed if f.severity == "critical"]
        metadata = {
            "suite_file": str(suite.path),
            "rows_validated": len(dataframe),
            "expectations": len(suite.definition["expectations"]),
            "failed_expectations": MetadataValue.json([f.__dict__ for f in failed]),
        }
        for f in failed:
            context.log.warning(f"{suite.name}: {f.severity} {f.expectation} on {f.column}: "
                                f"{f.unexpected_count} failing, e.g. {f.sample[:3]}")
        return AssetCheckResult(
            passed=not failed,
            severity=AssetCheckSeverity.ERROR if critical else AssetCheckSeverity.WARN,
            metadata=metadata,
        )

    return _check


def suite_checks(expectations_dir: Path = EXPECTATIONS_DIR) -> list[AssetChecksDefinition]:
    return [build_suite_check(SuiteFile.read(path)) for path in sorted(expectations_dir.glob("*.json"))]
