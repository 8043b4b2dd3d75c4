"""The publish asset: the last step of every refresh, run only when everything upstream passed its checks."""

from pathlib import Path

from dagster import (
    AssetCheckKey,
    AssetCheckSeverity,
    AssetExecutionContext,
    AssetKey,
    DagsterInstance,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
)

from orchestration.automation import ON_NEW_UPSTREAM_DATA
from orchestration.publication import publish_marts
from orchestration.warehouse import Warehouse


def gate_problems(instance: DagsterInstance, gate_checks: list[AssetCheckKey]) -> list[str]:
    """Why the marts as they stand in the build database may not be published: a check of a mart that failed with
    ERROR severity on its latest materialisation, or did not run on it.

    Within one run a failed blocking check already stops this step. This covers the rest: a mart rejected by an
    earlier run (it stays in the build database) while another run publishes, or a publication started by hand.
    """
    latest = instance.event_log_storage.get_latest_asset_check_execution_by_key(gate_checks)
    materialisations = {}
    problems = []
    for key in gate_checks:
        if key.asset_key not in materialisations:
            records = instance.fetch_materializations(key.asset_key, limit=1).records
            materialisations[key.asset_key] = records[0].storage_id if records else None
        record = latest.get(key)
        evaluation = record.event.dagster_event.asset_check_evaluation_data if record and record.event else None
        target = evaluation.target_materialization_data if evaluation else None
        name = f"{key.asset_key.to_user_string()}:{key.name}"
        if target is None or target.storage_id != materialisations[key.asset_key]:
            problems.append(f"{name} has not run on the latest {key.asset_key.to_user_string()}")
        elif not evaluation.passed and evaluation.severity == AssetCheckSeverity.ERROR:
            problems.append(f"{name} failed on the latest {key.asset_key.to_user_string()} (run {record.run_id})")
    return problems


def build_publish_asset(mart_keys: list[AssetKey], gate_checks: list[AssetCheckKey]):
    @asset(
        name="forcestat_duckdb",
        key_prefix=["published"],
        group_name="publish",
        deps=mart_keys,
        owners=["team:forcestat"],
        kinds={"duckdb"},
        automation_condition=ON_NEW_UPSTREAM_DATA,
        description="The analysts' DuckDB file (warehouse/published/forcestat.duckdb by default): every mart, "
        "copied from the build database once every dbt test and Great Expectations suite of every mart has passed "
        "on its latest data, then swapped in atomically. Open it read-only; it is never locked by the pipeline.",
    )
    def forcestat_duckdb(context: AssetExecutionContext, warehouse: Warehouse) -> MaterializeResult:
        problems = gate_problems(context.instance, gate_checks)
        if problems:
            raise Failure(f"not published: {len(problems)} quality-gate checks have not passed on the marts as "
                          f"they stand:\n" + "\n".join(problems[:20]),
                          metadata={"problems": MetadataValue.json(problems)})
        publication = publish_marts(Path(warehouse.build_db), Path(warehouse.published_db), context.run.run_id)
        context.log.info(f"published {publication.path}: {publication.row_counts}")
        return MaterializeResult(metadata={
            "path": MetadataValue.path(str(publication.path)),
            "dagster/row_count": sum(publication.row_counts.values()),
            "tables": MetadataValue.json(publication.row_counts),
            "incremental_rows_replaced": MetadataValue.json(publication.incremental_rows),
            "gate_checks_verified": len(gate_checks),
        })

    return forcestat_duckdb
