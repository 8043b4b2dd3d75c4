"""The inspection reports as Dagster assets: one parse, four raw tables (reports, judgments, recommendations, quoted
figures). Each report loads in its own transaction: a report that cannot be read loads nothing, the others load, and
the step then fails naming each bad file."""


from pathlib import Path

from dagster import AssetExecutionContext, AssetSpec, Config, Failure, MaterializeResult, MetadataValue, multi_asset

from orchestration.inspections.files import SOURCE, current_reports
from orchestration.inspections.loading import REPORT_TABLES, load_reports
from orchestration.sources.assets import INGEST_GROUP, OWNERS
from orchestration.warehouse.database import Warehouse
from orchestration.warehouse.ledger import RAW_SCHEMA

TABLE_DESCRIPTIONS = {
    "inspection_reports": "One row per HMIC/HMICFRS force inspection report: force, programme, year, cycle, "
                          "pillar, assumed publication date, source file and hash.",
    "inspection_report_judgments": "Each graded question of a report with its grade and summary points.",
    "inspection_report_recommendations": "Each recommendation of a report with its deadlines as written and as dates.",
    "inspection_report_figures": "Every figure a report quotes: measure, area, value and rounding, unit, period, "
                                 "+/- interval, and the sentence it came from.",
}


class ReportsConfig(Config):
    # Report files to load instead of every current one (the embedded reports and the delivered ones).
    paths: list[str] | None = None


@multi_asset(
    specs=[AssetSpec([RAW_SCHEMA, table], description=TABLE_DESCRIPTIONS[table], group_name=INGEST_GROUP,
                     owners=OWNERS, kinds={"duckdb", "pdf"}) for table in REPORT_TABLES],
    name=SOURCE,
)
def inspection_reports(context: AssetExecutionContext, config: ReportsConfig, warehouse: Warehouse):
    settings = warehouse.settings
    paths = [Path(p) for p in config.paths] if config.paths else current_reports(settings.data_dir,
                                                                                 settings.archive_dir)
    with warehouse.connect(context.log.info) as con:
        loads, errors = load_reports(con, paths, context.run.run_id)
        counts = {table: con.execute(f"SELECT count(*) FROM {RAW_SCHEMA}.{table}").fetchone()[0]
                  for table in REPORT_TABLES}
    for load in loads:
        context.log.info(f"{load.path.name}: " + (
            f"{load.judgments} judgments, {load.recommendations} recommendations, {load.figures} figures"
            if load.changed else "unchanged (this content is loaded)"))
    if errors:
        raise Failure(description=f"{len(errors)} of {len(paths)} report files could not be loaded:\n"
                      + "\n".join(errors), metadata={"errors": MetadataValue.json(errors)})
    for table in REPORT_TABLES:
        yield MaterializeResult(asset_key=[RAW_SCHEMA, table], metadata={
            "dagster/row_count": counts[table],
            "files": MetadataValue.json([str(load.path) for load in loads]),
            "changed": any(load.changed for load in loads),
        })
