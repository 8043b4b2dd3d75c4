"""The jobs and schedules of the code location.

- full_refresh: every asset and check but the fetch's. A delivery runs a selection of it: the delivered source's
  asset and everything downstream of it, publication included (orchestration/landing/sensors.py).
- freshness_checks: the freshness checks alone, each morning.
The nightly schedule is the safety net: it asks what has changed since the last publication and runs full_refresh
only when something has (a source file, the code), so a quiet night costs a few hashes and republishes nothing.
"""


from dagster import (
    AssetChecksDefinition,
    AssetSelection,
    DefaultScheduleStatus,
    RunRequest,
    ScheduleEvaluationContext,
    SkipReason,
    define_asset_job,
    schedule,
)

from orchestration.publication.changes import changes_since_publication
from orchestration.settings import FRESHNESS_CRON, NIGHTLY_CRON, TIMEZONE, Settings
from orchestration.warehouse.kinds import FETCH_PREFIX

FULL_REFRESH_JOB = "full_refresh"
FRESHNESS_JOB = "freshness_checks"
REASON_TAG = "forcestat/reason"

full_refresh = define_asset_job(
    FULL_REFRESH_JOB,
    selection=AssetSelection.all() - AssetSelection.groups(FETCH_PREFIX),  # the fetch is a job of its own
    description="Load every source's current file (the last delivered, else the embedded one), build the dbt models "
    "and their tests, run the quality gate, publish the analysts' file and its site.",
)


def freshness_job(checks: list[AssetChecksDefinition]):
    return define_asset_job(FRESHNESS_JOB, selection=AssetSelection.checks(*checks),
                            description="Warn for each source that has not delivered within its cadence.")


def build_schedules(settings: Settings, freshness):
    @schedule(job=full_refresh, cron_schedule=NIGHTLY_CRON, execution_timezone=TIMEZONE,
              default_status=DefaultScheduleStatus.RUNNING,
              description="Each night: a full refresh when anything changed since the last publication.")
    def nightly_full_refresh(context: ScheduleEvaluationContext):
        changes = changes_since_publication(settings)
        if not changes.anything:
            return SkipReason(f"{changes.describe()}: nothing to refresh")
        return RunRequest(tags={REASON_TAG: changes.describe()[:500]})

    @schedule(job=freshness, cron_schedule=FRESHNESS_CRON, execution_timezone=TIMEZONE,
              default_status=DefaultScheduleStatus.RUNNING,
              description="Each morning: warn about sources that have not delivered within their cadence.")
    def morning_freshness_checks(context: ScheduleEvaluationContext):
        return RunRequest()

    return [nightly_full_refresh, morning_freshness_checks]
