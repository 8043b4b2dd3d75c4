"""The data.police.uk street-level feed as a Dagster asset partitioned by force and month."""

from pathlib import Path

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from orchestration.assets.ingest_assets import INGEST_GROUP, IngestConfig
from orchestration.street import STREET, STREET_PARTITIONS, STREET_TABLE, StreetMonth, load_street_month, \
    street_file
from orchestration.warehouse import Warehouse


@asset(
    name=STREET.name,
    key_prefix=["raw"],
    group_name=INGEST_GROUP,
    partitions_def=STREET_PARTITIONS,
    description=f"{STREET.description} Publisher: {STREET.publisher}. One partition per force and month; loading "
    f"a partition replaces only that month's rows. Embedded files: data/{STREET.relative_path}/.",
    owners=["team:forcestat"],
    kinds={"duckdb", "csv"},
)
def police_uk_street(context: AssetExecutionContext, config: IngestConfig, warehouse: Warehouse) -> MaterializeResult:
    partition = StreetMonth.from_partition_key(context.partition_key)
    path = Path(config.path) if config.path else street_file(
        partition, Path(warehouse.archive_dir), Path(warehouse.data_dir))
    with warehouse.connect() as con:
        result = load_street_month(con, path, partition)
        by_type = con.execute(
            f"""SELECT "Crime type" AS crime_type, count(*) AS records FROM {STREET_TABLE}
                WHERE _force_id = ? AND _month = ? GROUP BY ALL ORDER BY records DESC""",
            [partition.force.data_police_uk_id, partition.month]).df()
    context.log.info(f"{path.name}: {'loaded' if result.changed else 'unchanged (same content already loaded)'}, "
                     f"{result.rows} rows for {partition.force.name} {partition.month:%Y-%m}")
    return MaterializeResult(metadata={
        "dagster/row_count": result.rows,
        "source_file": str(result.path),
        "source_sha256": result.sha256,
        "changed": result.changed,
        "records_by_type": MetadataValue.md(by_type.to_markdown(index=False)),
    })
