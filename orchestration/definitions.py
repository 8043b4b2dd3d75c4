"""The Dagster code location: ingest -> dbt (staging, intermediate, marts) -> quality gate -> publication."""

from __future__ import annotations

from dagster import (
    AssetSelection,
    DefaultScheduleStatus,
    Definitions,
    ScheduleDefinition,
    define_asset_job,
    in_process_executor,
)
from orchestration.assets.dbt_models import PinnedDbtCliResource, build_dbt_assets, dbt_project
from orchestration.assets.ingest_assets import ingest_assets
from orchestration.assets.inspection_assets import inspection_reports
from orchestration.assets.publish import build_publish_asset
from orchestration.quality_gate import suite_checks
from orchestration.sensors import build_sensors
from orchestration.settings import DBT_EXECUTABLE, NIGHTLY_CRON, NIGHTLY_TIMEZONE, Settings
from orchestration.warehouse import Warehouse

FULL_REFRESH_JOB = "full_refresh"


def build_defs(settings: Settings | None = None) -> Definitions:
    settings = settings or Settings.from_env()
    settings.export()  # before dbt parses: profiles.yml reads the build database path from the environment
    dbt_models = build_dbt_assets()
    mart_keys = sorted((key for key in dbt_models.keys if key.path[0] == "marts"), key=lambda key: key.path)
    full_refresh = define_asset_job(
        FULL_REFRESH_JOB,
        selection=AssetSelection.all(),
        description="Ingest every source file, build all dbt models and tests, run the Great Expectations gate, "
        "publish the analysts' file.",
    )
    return Definitions(
        assets=[*ingest_assets, inspection_reports, dbt_models, build_publish_asset(mart_keys)],
        asset_checks=suite_checks(),
        jobs=[full_refresh],
        sensors=build_sensors(settings, full_refresh),
        schedules=[
            ScheduleDefinition(
                name="nightly_full_refresh",
                job=full_refresh,
                cron_schedule=NIGHTLY_CRON,
                execution_timezone=NIGHTLY_TIMEZONE,
                default_status=DefaultScheduleStatus.RUNNING,
            )
        ],
        resources={
            "warehouse": Warehouse.from_settings(settings),
            "dbt": PinnedDbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE),
        },
        # One process runs every step: on 2 cores the multiprocess executor was 7x slower, and DuckDB allows
        # one writer per file.
        executor=in_process_executor,
    )


defs = build_defs()
