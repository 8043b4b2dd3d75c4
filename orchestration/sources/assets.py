"""One Dagster asset per snapshot source: load its current files (or a landed one) into raw.<source>, audited.

A delivered file whose content is held already (the same rows as the file loaded before, in another form) loads
nothing: it is kept with the archive's duplicates, and the asset is not materialized, so nothing downstream runs and
nothing is published again.
"""


from pathlib import Path

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    Config,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
)

from orchestration.gate.resource import Gate
from orchestration.gate.suites import Outcome, suites_gating
from orchestration.sources.ingest import DeliveryRefused, Load, load_source, raw_key
from orchestration.sources.specs import SourceSpec
from orchestration.warehouse.archive import DUPLICATES, archive_file
from orchestration.warehouse.database import Warehouse
from orchestration.warehouse.files import SourceFileError
from orchestration.warehouse.kinds import DeliveryKind
from orchestration.warehouse.ledger import RAW_SCHEMA, last_audit

INGEST_GROUP = "ingest"
OWNERS = ["team:forcestat"]


class IngestConfig(Config):
    # Load this file (a delivery through the landing zone: one file) instead of the source's current ones (its last
    # delivery, else the embedded file; for a source published in parts, each part's).
    paths: list[str] | None = None


def audit_results(spec: SourceSpec, gate: Gate, loads: list[Load], con) -> list[AssetCheckResult]:
    """The check results of this run's loads: their audits (merged, when several parts were loaded), or for unchanged
    content the audit it passed when it was loaded."""
    outcomes = [outcome for load in loads for outcome in load.outcomes]
    if outcomes:
        merged = {}
        for outcome in outcomes:
            held = merged.get(outcome.suite.name)
            merged[outcome.suite.name] = outcome if held is None else Outcome(
                outcome.suite, held.failed + outcome.failed, held.rows + outcome.rows,
                held.data_docs or outcome.data_docs)
        return [result for outcome in merged.values() for result in gate.results(outcome)]
    when, warnings = last_audit(con, spec.name) or ("an earlier run", [])
    results = []
    for suite in suites_gating(raw_key(spec)):
        for check in suite.check_specs():
            failed = [w for w in warnings if w.get("suite") == suite.name and check.name == suite.warnings_check_name]
            results.append(AssetCheckResult(
                asset_key=check.asset_key, check_name=check.name, passed=not failed,
                severity=AssetCheckSeverity.WARN if check.name == suite.warnings_check_name
                else AssetCheckSeverity.ERROR,
                description=f"unchanged content, audited when it was loaded ({when})",
                metadata={"failed_expectations": MetadataValue.json(failed)}))
    return results


def build_source_asset(kind: DeliveryKind, spec: SourceSpec) -> AssetsDefinition:
    @asset(
        name=spec.name,
        key_prefix=[RAW_SCHEMA],
        group_name=INGEST_GROUP,
        description=f"{spec.description} Publisher: {spec.publisher}. Embedded file: data/{spec.relative_path}. "
        "Each delivery is audited by its expectation suite before it replaces the table"
        + (f" (or its {spec.partition_column})." if spec.partition_column else "."),
        owners=OWNERS,
        kinds={"duckdb", "csv"} | ({"excel"} if spec.workbook else set()),
        check_specs=[check for suite in suites_gating(raw_key(spec)) for check in suite.check_specs()],
        deps=[AssetKey(list(kind.fetch_asset))] if kind.fetch_asset else [],
        output_required=False,  # not materialized when a delivery's content is held already
    )
    def _ingest(context: AssetExecutionContext, config: IngestConfig, warehouse: Warehouse, gate: Gate):
        settings = warehouse.settings
        delivered = [Path(path) for path in config.paths or []]
        files = delivered or [path for path, _ in kind.current_files(settings).values()]
        loads = []
        with warehouse.connect(context.log.info) as con:
            for path in files:
                try:
                    loads.append(load_source(con, spec, path, gate, context.run.run_id))
                except DeliveryRefused as refused:
                    for outcome in refused.outcomes:
                        yield from gate.results(outcome)
                    raise Failure(description=str(refused), metadata={"file": str(path)}) from None
                except SourceFileError as error:
                    raise Failure(description=str(error), metadata={"file": str(path)}) from None
                context.log.info(f"{path.name}: {'loaded' if loads[-1].changed else 'unchanged (this content is held)'}"
                                 f", {loads[-1].rows} rows")
            checks = audit_results(spec, gate, loads, con)
            preview = con.execute(f"SELECT * EXCLUDE (_source_sha256) FROM {RAW_SCHEMA}.{spec.name} LIMIT 5").df()
            rows = con.execute(f"SELECT count(*) FROM {RAW_SCHEMA}.{spec.name}").fetchone()[0]
        if delivered and not any(load.changed for load in loads):
            for load in loads:
                archive_file(load.path, load.sha256, DUPLICATES, settings.archive_dir, context.run.run_id)
            context.log.info("the delivery's content is held already: kept with the duplicates, nothing to publish")
            yield from checks
            return
        yield MaterializeResult(
            metadata={
                "dagster/row_count": rows,
                "source_files": MetadataValue.json([str(load.path) for load in loads]),
                "source_sha256": MetadataValue.json([load.sha256 for load in loads]),
                "changed": any(load.changed for load in loads),
                "preview": MetadataValue.md(preview.to_markdown(index=False)),
            },
            check_results=checks,
        )

    return _ingest
