"""The Dagster code location: it only assembles what each domain folder defines.

    deliveries.py every kind of delivery, in one list (each domain describes its own)
    publishers/   the publishers' services: HTTP done right, and each publisher's list of editions
    fetch/        new editions from the publishers into the landing zone, nightly and when a list changes
    sources/      snapshot source files (CSV or the publisher's workbook) -> raw.<source>, audited at ingest
    street/       the data.police.uk street feed -> raw.police_uk_street, force-month by force-month
    inspections/  HMIC/HMICFRS reports -> raw.inspection_* tables
    transform/    the dbt project: seeds, staging, intermediate and marts, dbt tests as checks
    gate/         Great Expectations suites on deliveries and marts
    publication/  the analysts' file, published atomically after the gate
    site/         the profiles and national page beside it, rebuilt after each publication
    landing/      the landing zone: recognise, claim, run, archive or quarantine
    operations/   jobs, schedules, failure handling, the Dagster instance and run launcher
Importing this module reads the settings and the prepared dbt manifest; it creates, exports and runs nothing.
"""


from dagster import Definitions, in_process_executor

from orchestration.deliveries import KINDS
from orchestration.fetch.assets import build_editions_sensor, build_fetch_asset, build_fetch_schedule, fetch_job
from orchestration.gate.checks import build_gate_checks
from orchestration.gate.resource import Gate
from orchestration.landing.sensors import build_landing_sensor
from orchestration.operations.failures import build_failure_sensor
from orchestration.operations.freshness import build_freshness_check
from orchestration.operations.jobs import build_schedules, freshness_job, full_refresh
from orchestration.operations.progress import LOGGERS
from orchestration.publication.assets import build_publish_asset, published_parquet
from orchestration.settings import PUBLISH_PARQUET, Settings
from orchestration.site.assets import site
from orchestration.transform.assets import MARTS_SCHEMA, build_dbt_assets
from orchestration.warehouse.database import Warehouse


def build_defs(settings: Settings | None = None) -> Definitions:
    settings = settings or Settings.from_env()
    dbt_models = build_dbt_assets()
    mart_keys = sorted((key for key in dbt_models.keys if key.path[0] == MARTS_SCHEMA), key=lambda key: key.path)
    freshness = [build_freshness_check(kind) for kind in KINDS if kind.cadence_days]
    freshness_checks = freshness_job(freshness)
    fed = [kind for kind in KINDS if kind.feed]
    return Definitions(
        assets=[*(asset for kind in KINDS for asset in kind.definitions()), *(build_fetch_asset(kind) for kind in fed),
                dbt_models, build_publish_asset(mart_keys), site, *([published_parquet] if PUBLISH_PARQUET else [])],
        asset_checks=[build_gate_checks(), *freshness],
        jobs=[full_refresh, freshness_checks, fetch_job],
        schedules=[*build_schedules(settings, freshness_checks), build_fetch_schedule()],
        sensors=[build_landing_sensor(settings, full_refresh), build_failure_sensor(settings),
                 build_editions_sensor(settings, fed)],
        loggers=LOGGERS,
        resources={
            "warehouse": Warehouse.from_settings(settings),
            "gate": Gate(data_docs_dir=str(settings.data_docs_dir),
                         data_docs_url=f"{settings.site_url}/data-docs"),
        },
        # One process runs every step: on 2 cores the multiprocess executor was 7x slower, and DuckDB allows
        # one writer per file.
        executor=in_process_executor,
    )


defs = build_defs()
