"""The publish asset: the last step of every refresh and delivery, run only when every mart it depends on was built
and passed its blocking checks in this run."""


from dagster import AssetExecutionContext, AssetKey, AssetsDefinition, MaterializeResult, MetadataValue, asset

from orchestration.landing.claims import CLAIM_TAG, commit, find_claim
from orchestration.publication.parquet import write_parquet
from orchestration.publication.publish import MARTS_SCHEMA, current_publication, publish
from orchestration.transform.project import dbt_project, mart_descriptions, project_var
from orchestration.warehouse.database import Warehouse
from orchestration.warehouse.versions import code_version

PUBLISHED_KEY = AssetKey(["published", "forcestat_duckdb"])
PARQUET_KEY = AssetKey(["published", "parquet"])


def build_publish_asset(mart_keys: list[AssetKey]) -> AssetsDefinition:
    marts = set(mart_keys)

    @asset(
        key=PUBLISHED_KEY,
        deps=mart_keys,
        group_name="publish",
        owners=["team:forcestat"],
        kinds={"duckdb"},
        description="The analysts' DuckDB file, warehouse/published/forcestat.duckdb (a link to the newest of the "
        "files in published/publications/): the marts this run built and the gate passed, with the others carried "
        "over from the previous publication, swapped in atomically. Open it read-only; the pipeline never locks it. "
        "The files a delivery brought become current (archived) when it is published.",
    )
    def forcestat_duckdb(context: AssetExecutionContext, warehouse: Warehouse) -> MaterializeResult:
        settings = warehouse.settings
        selection = context.run.asset_selection  # empty or None: the whole job
        built = {key.path[-1] for key in selection if key in marts} if selection else None
        descriptions = mart_descriptions(dbt_project.manifest_path, MARTS_SCHEMA)  # the runs write no manifest
        with warehouse.connect(context.log.info) as con:
            publication = publish(con, settings, context.run.run_id, built, code_version(), descriptions,
                                  project_var("street_key"))
        context.log.info(f"published {publication.path.name}: rewritten {publication.rewritten}, incremental "
                         f"{publication.incremental}, built with the same rows {publication.unchanged}, carried over "
                         f"{publication.carried}")
        archived = []
        claim = find_claim(settings.landing_dir, context.run.tags.get(CLAIM_TAG, "")) \
            if context.run.tags.get(CLAIM_TAG) else None
        if claim:
            archived = commit(claim, settings.archive_dir, context.run.run_id)
            context.log.info(f"{len(archived)} delivered files are now current: {[p.name for p in archived]}")
        return MaterializeResult(metadata={
            "path": MetadataValue.path(str(publication.path)),
            "dagster/row_count": sum(publication.row_counts.values()),
            "tables": MetadataValue.json(publication.row_counts),
            "rewritten": MetadataValue.json(publication.rewritten),
            "unchanged": MetadataValue.json(publication.unchanged),
            "incremental_rows_replaced": MetadataValue.json(publication.incremental),
            "carried_over": MetadataValue.json(publication.carried),
            "delivered_files_archived": MetadataValue.json([str(p) for p in archived]),
        })

    return forcestat_duckdb


@asset(
    key=PARQUET_KEY,
    deps=[PUBLISHED_KEY],
    group_name="publish",
    owners=["team:forcestat"],
    kinds={"parquet"},
    description="The publication's tables as Parquet files, warehouse/published/parquet/<table>.parquet, for tools "
    "that do not read DuckDB; replaced whole after each publication (FORCESTAT_PUBLISH_PARQUET=1 turns it on).",
)
def published_parquet(context: AssetExecutionContext, warehouse: Warehouse) -> MaterializeResult:
    settings = warehouse.settings
    rows = write_parquet(settings, current_publication(settings))
    context.log.info(f"{len(rows)} tables written as Parquet to {settings.parquet_dir}")
    return MaterializeResult(metadata={"folder": MetadataValue.path(str(settings.parquet_dir)),
                                       "tables": MetadataValue.json(rows), "dagster/row_count": sum(rows.values())})
