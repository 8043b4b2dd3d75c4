"""One Dagster asset per source file: load it into raw.<source> in the build database."""

from pathlib import Path

from dagster import AssetExecutionContext, AssetsDefinition, Config, MaterializeResult, MetadataValue, asset

from orchestration.ingest import load_source_file
from orchestration.deliveries import current_file
from orchestration.sources import RAW_SCHEMA, SOURCES, SourceSpec
from orchestration.warehouse import Warehouse

INGEST_GROUP = "ingest"


class IngestConfig(Config):
    # Load this file instead of the source's current one (its newest delivery through the landing zone, else the
    # embedded sample file).
    path: str | None = None


def build_ingest_asset(spec: SourceSpec) -> AssetsDefinition:
    @asset(
        name=spec.name,
        key_prefix=[RAW_SCHEMA],
        group_name=INGEST_GROUP,
        description=f"{spec.description} Publisher: {spec.publisher}. Default file: data/{spec.relative_path}.",
        owners=["team:forcestat"],
        kinds={"duckdb", "csv"},
    )
    def _ingest(context: AssetExecutionContext, config: IngestConfig, warehouse: Warehouse) -> MaterializeResult:
        path = Path(config.path) if config.path else current_file(
            spec.name, Path(warehouse.archive_dir), Path(warehouse.data_dir) / spec.relative_path)
        with warehouse.connect() as con:
            result = load_source_file(con, spec, path)
            preview = con.execute(f"SELECT * EXCLUDE (_source_sha256) FROM {result.table} LIMIT 5").df()
        context.log.info(
            f"{path.name}: {'loaded' if result.changed else 'unchanged (same content already loaded)'}, "
            f"{result.rows} rows"
        )
        return MaterializeResult(
            metadata={
                "dagster/row_count": result.rows,
                "source_file": str(result.path),
                "source_sha256": result.sha256,
                "changed": result.changed,
                "preview": MetadataValue.md(preview.to_markdown(index=False)),
            }
        )

    return _ingest


ingest_assets = [build_ingest_asset(spec) for spec in SOURCES]
