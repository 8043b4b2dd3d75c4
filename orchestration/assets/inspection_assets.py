"""The inspection reports folder as Dagster assets: one parse, four raw tables (reports, judgments,
recommendations, quoted figures)."""

from pathlib import Path

from dagster import (
    AssetExecutionContext,
    AssetSpec,
    Config,
    Failure,
    MaterializeResult,
    MetadataValue,
    multi_asset,
)

from orchestration.assets.ingest_assets import INGEST_GROUP
from orchestration.inspections.loading import REPORT_TABLES, load_reports
from orchestration.deliveries import deliveries
from orchestration.landing import REPORT_KIND
from orchestration.sources import RAW_SCHEMA
from orchestration.warehouse import Warehouse

REPORTS_FOLDER = "hmicfrs/reports"  # inside the data folder
REPORT_SUFFIXES = (".txt", ".pdf")

TABLE_DESCRIPTIONS = {
    "inspection_reports": "One row per HMIC/HMICFRS force inspection report: force, programme, year, cycle, "
                          "pillar, assumed publication date, source file and hash.",
    "inspection_report_judgments": "Each graded question of a report with its grade and summary points.",
    "inspection_report_recommendations": "Each recommendation of a report with its deadlines as written and as dates.",
    "inspection_report_figures": "Every figure a report quotes: measure, area, value and rounding, unit, period, "
                                 "+/- interval, and the sentence it came from.",
}


class ReportsConfig(Config):
    # Report files to load instead of every current one (data/hmicfrs/reports and the archived deliveries).
    paths: list[str] | None = None


@multi_asset(
    specs=[AssetSpec([RAW_SCHEMA, table], description=TABLE_DESCRIPTIONS[table], group_name=INGEST_GROUP,
                     owners=["team:forcestat"], kinds={"duckdb", "pdf"}) for table in REPORT_TABLES],
    name="inspection_reports",
)
def inspection_reports(context: AssetExecutionContext, config: ReportsConfig, warehouse: Warehouse):
    """Parse every report (text or PDF) and load each in its own transaction; a bad file loads nothing, the
    others load, and the step then fails naming each bad file."""
    if config.paths:
        paths = [Path(p) for p in config.paths]
    else:  # the embedded reports, and those delivered through the landing zone (a later edition replaces one)
        embedded = [p for p in (Path(warehouse.data_dir) / REPORTS_FOLDER).glob("*")
                    if p.suffix.lower() in REPORT_SUFFIXES]
        by_name = {p.name: p for p in [*embedded, *deliveries(REPORT_KIND, Path(warehouse.archive_dir))]}
        paths = sorted(by_name.values())
    with warehouse.connect() as con:
        loads, errors = load_reports(con, paths)
        counts = {table: con.execute(f"SELECT count(*) FROM {RAW_SCHEMA}.{table}").fetchone()[0]
                  for table in REPORT_TABLES}
    for load in loads:
        context.log.info(f"{load.path.name}: " + (
            f"{load.judgments} judgments, {load.recommendations} recommendations, {load.figures} figures"
            if load.changed else "unchanged (same content already loaded)"))
    if errors:
        raise Failure(description=f"{len(errors)} of {len(paths)} report files could not be loaded:\n"
                      + "\n".join(errors), metadata={"errors": MetadataValue.json(errors)})
    for table in REPORT_TABLES:
        yield MaterializeResult(asset_key=[RAW_SCHEMA, table], metadata={
            "dagster/row_count": counts[table],
            "files": MetadataValue.json([str(load.path) for load in loads]),
        })
