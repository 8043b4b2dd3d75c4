"""The publish asset: the last step of every refresh, run only when everything upstream passed its checks."""

from pathlib import Path

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset

from orchestration.publication import publish_marts
from orchestration.warehouse import Warehouse


def build_publish_asset(mart_keys: list[AssetKey]):
    @asset(
        name="forcestat_duckdb",
        key_prefix=["published"],
        group_name="publish",
        deps=mart_keys,
        owners=["team:forcestat"],
        kinds={"duckdb"},
        description="The analysts' DuckDB file (warehouse/published/forcestat.duckdb by default): every mart, "
        "copied from the build database after dbt tests and Great Expectations suites passed, then swapped in "
        "atomically. Open it read-only; it is never locked by the pipeline.",
    )
    def forcestat_duckdb(context: AssetExecutionContext, warehouse: Warehouse) -> MaterializeResult:
        publication = publish_marts(Path(warehouse.build_db), Path(warehouse.published_db), context.run.run_id)
        context.log.info(f"published {publication.path}: {publication.row_counts}")
        return MaterializeResult(metadata={
            "path": MetadataValue.path(str(publication.path)),
            "dagster/row_count": sum(publication.row_counts.values()),
            "tables": MetadataValue.json(publication.row_counts),
        })

    return forcestat_duckdb
