"""The Dagster code location: ingest -> dbt (staging, intermediate, marts) -> quality gate -> publication.

Jobs: full_refresh (every snapshot source, all models, gate, publication; nightly and on a landed snapshot file),
street_ingest (one force-month of the street feed; the automation sensor then carries it downstream) and
freshness_checks (each morning, so a silent publisher is noticed even on days nothing runs).
"""

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
from orchestration.assets.street_assets import police_uk_street
from orchestration.automation import automation_sensor
from orchestration.freshness import freshness_checks
from orchestration.landing import FULL_REFRESH_JOB, STREET_INGEST_JOB
from orchestration.quality_gate import suite_checks
from orchestration.sensors import build_sensors
from orchestration.settings import DBT_EXECUTABLE, FRESHNESS_CRON, NIGHTLY_CRON, NIGHTLY_TIMEZONE, Settings
from orchestration.warehouse import Warehouse


def build_defs(settings: Settings | None = None) -> Definitions:
    settings = settings or Settings.from_env()
    settings.export()  # before dbt parses: profiles.yml reads the build database path from the environment
    dbt_models = build_dbt_assets()
    mart_keys = sorted((key for key in dbt_models.keys if key.path[0] == "marts"), key=lambda key: key.path)
    gate = suite_checks()
    # every check of a mart, dbt test or Great Expectations suite: the publication verifies them all
    gate_checks = [key for checks in (dbt_models, *gate) for key in checks.check_keys if key.asset_key in mart_keys]
    street = AssetSelection.assets(police_uk_street)
    full_refresh = define_asset_job(
        FULL_REFRESH_JOB,
        # the street feed is partitioned: its months are loaded one run each (street_ingest)
        selection=AssetSelection.all() - street,
        description="Ingest every snapshot source file, build all dbt models (the street marts incrementally) and "
        "tests, run the Great Expectations gate, publish the analysts' file.",
    )
    street_ingest = define_asset_job(
        STREET_INGEST_JOB,
        selection=street,
        description="Load one force-month of the data.police.uk street feed; the automation sensor then builds "
        "the models downstream, runs the gate and publishes.",
    )
    freshness = define_asset_job(
        "freshness_checks",
        selection=AssetSelection.checks(*freshness_checks),
        description="Warn for each source that has not delivered within its cadence.",
    )
    schedule = {"execution_timezone": NIGHTLY_TIMEZONE, "default_status": DefaultScheduleStatus.RUNNING}
    return Definitions(
        assets=[*ingest_assets, police_uk_street, inspection_reports, dbt_models,
                build_publish_asset(mart_keys, gate_checks)],
        asset_checks=[*gate, *freshness_checks],
        jobs=[full_refresh, street_ingest, freshness],
        sensors=[*build_sensors(settings, [full_refresh, street_ingest]), automation_sensor],
        schedules=[
            ScheduleDefinition(name="nightly_full_refresh", job=full_refresh, cron_schedule=NIGHTLY_CRON, **schedule),
            ScheduleDefinition(name="morning_freshness_checks", job=freshness, cron_schedule=FRESHNESS_CRON,
                               **schedule),
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
