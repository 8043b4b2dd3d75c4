"""One Dagster asset per snapshot source: load its current file (or a landed one) into raw.<source>, audited."""


from pathlib import Path

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetExecutionContext,
    AssetsDefinition,
    Config,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
)

from orchestration.gate.resource import Gate
from orchestration.gate.suites import suites_gating
from orchestration.sources.ingest import DeliveryRefused, Load, load_source, raw_key
from orchestration.sources.specs import SourceSpec
from orchestration.warehouse.archive import current_delivery
from orchestration.warehouse.database import Warehouse
from orchestration.warehouse.files import SourceFileError
from orchestration.warehouse.ledger import RAW_SCHEMA, last_audit

INGEST_GROUP = "ingest"
OWNERS = ["team:forcestat"]


class IngestConfig(Config):
    # Load this file (a delivery through the landing zone: one file) instead of the source's current one (its last
    # delivery, else the embedded file).
    paths: list[str] | None = None


def current_file(spec: SourceSpec, warehouse: Warehouse) -> Path:
    delivered = current_delivery(spec.name, warehouse.settings.archive_dir)
    return delivered.path if delivered else warehouse.settings.data_dir / spec.relative_path


def audit_results(spec: SourceSpec, gate: Gate, load: Load, con) -> list[AssetCheckResult]:
    """The check results of a load: its audit, or for unchanged content the audit it passed when it was loaded."""
    if load.changed:
        return [result for outcome in load.outcomes for result in gate.results(outcome)]
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


def build_source_asset(spec: SourceSpec) -> AssetsDefinition:
    @asset(
        name=spec.name,
        key_prefix=[RAW_SCHEMA],
        group_name=INGEST_GROUP,
        description=f"{spec.description} Publisher: {spec.publisher}. Embedded file: data/{spec.relative_path}. "
        "Each delivery is audited by its expectation suite before it replaces the table.",
        owners=OWNERS,
        kinds={"duckdb", "csv"},
        check_specs=[check for suite in suites_gating(raw_key(spec)) for check in suite.check_specs()],
    )
    def _ingest(context: AssetExecutionContext, config: IngestConfig, warehouse: Warehouse, gate: Gate):
        path = Path(config.paths[0]) if config.paths else current_file(spec, warehouse)
        with warehouse.connect(context.log.info) as con:
            try:
                load = load_source(con, spec, path, gate, context.run.run_id)
            except DeliveryRefused as refused:
                for outcome in refused.outcomes:
                    yield from gate.results(outcome)
                raise Failure(description=str(refused), metadata={"file": str(path)}) from None
            except SourceFileError as error:
                raise Failure(description=str(error), metadata={"file": str(path)}) from None
            checks = audit_results(spec, gate, load, con)
            preview = con.execute(f"SELECT * EXCLUDE (_source_sha256) FROM {RAW_SCHEMA}.{spec.name} LIMIT 5").df()
        context.log.info(f"{path.name}: {'loaded' if load.changed else 'unchanged (this content is loaded)'}, "
                         f"{load.rows} rows")
        yield MaterializeResult(
            metadata={
                "dagster/row_count": load.rows,
                "source_file": MetadataValue.path(str(load.path)),
                "source_sha256": load.sha256,
                "changed": load.changed,
                "preview": MetadataValue.md(preview.to_markdown(index=False)),
            },
            check_results=checks,
        )

    return _ingest
