"""The fetch in Dagster: an asset per source with a feed (fetch/<source>, upstream of its raw table in the lineage),
the fetch job, its nightly schedule (before the nightly refresh) and a sensor that asks for a fetch as soon as a
publisher lists an edition not fetched yet. All of it only acts with FORCESTAT_FETCH=1.

A fetch asset is materialized when it put files down, with each file's address, edition, size and seconds in its
metadata; a publisher that failed or changed fails its step (its message names the publisher, the address and what
was wrong; the failure sensor alerts it), and the other sources' steps still run.
"""


import hashlib

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    AssetSelection,
    DagsterRunStatus,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    Failure,
    MaterializeResult,
    MetadataValue,
    RunRequest,
    RunsFilter,
    SensorEvaluationContext,
    SkipReason,
    asset,
    define_asset_job,
    schedule,
    sensor,
)

from orchestration.fetch.fetching import client_for, fetch_kind, place_for
from orchestration.publishers.http import PublisherError
from orchestration.settings import FETCH_CRON, FETCH_ENV, FETCH_POLL_SECONDS, TIMEZONE, Settings, fetch_enabled
from orchestration.warehouse.database import Warehouse
from orchestration.warehouse.fetched import fetched_editions
from orchestration.warehouse.kinds import FETCH_PREFIX, DeliveryKind

FETCH_GROUP = FETCH_PREFIX
FETCH_JOB = "fetch_publishers"
UNFINISHED = [DagsterRunStatus.QUEUED, DagsterRunStatus.NOT_STARTED, DagsterRunStatus.STARTING,
              DagsterRunStatus.STARTED]


def build_fetch_asset(kind: DeliveryKind) -> AssetsDefinition:
    @asset(
        key=AssetKey(list(kind.fetch_asset)),
        group_name=FETCH_GROUP,
        owners=["team:forcestat"],
        kinds={"http"},
        description=f"New editions of {kind.name} from {kind.feed.describe()}, put into the landing zone (the landing "
        "sensor loads and publishes them). Materialized when files were fetched; fails naming the publisher, the "
        f"address and what was wrong. Acts only with {FETCH_ENV}=1.",
        output_required=False,
    )
    def _fetch(context: AssetExecutionContext, warehouse: Warehouse):
        settings = warehouse.settings
        if not fetch_enabled():
            context.log.info(f"fetching is off ({FETCH_ENV} is not 1): nothing asked of {kind.feed.publisher}")
            return
        client = client_for(settings)
        try:
            with place_for(settings) as place:
                report = fetch_kind(kind, settings, client, place)
        finally:
            client.close()
        context.log.info(report.describe())
        if report.error:
            raise Failure(description=f"{kind.feed.publisher} failed or changed, fetching {kind.name}: "
                          f"{report.error}", metadata={"publisher": report.error.publisher, "url": report.error.url,
                                                      "what": report.error.what})
        if report.files:
            yield MaterializeResult(metadata={
                "files": MetadataValue.json([{"url": f.url, "edition": f.edition.edition, "file": f.path.name,
                                              "bytes": f.bytes, "seconds": round(f.seconds, 2), "landed": f.landed}
                                             for f in report.files]),
                "files_landed": len(report.landed),
                "editions_new": MetadataValue.json([e.edition for e in report.new]),
                "newest_listed": max(e.edition for e in report.listed),
                "requests": report.requests,
                "seconds": round(report.seconds, 2),
            })

    return _fetch


fetch_job = define_asset_job(FETCH_JOB, selection=AssetSelection.groups(FETCH_GROUP),
                             description="Fetch every source's new editions from its publisher into the landing zone.")


def build_fetch_schedule():
    @schedule(job=fetch_job, cron_schedule=FETCH_CRON, execution_timezone=TIMEZONE,
              default_status=DefaultScheduleStatus.RUNNING if fetch_enabled() else DefaultScheduleStatus.STOPPED,
              description=f"Each night before the refresh: fetch the publishers' new editions ({FETCH_ENV}=1).")
    def nightly_fetch(context):
        return RunRequest()

    return nightly_fetch


def build_editions_sensor(settings: Settings, kinds: list[DeliveryKind]):
    @sensor(name="publisher_editions", job=fetch_job, minimum_interval_seconds=FETCH_POLL_SECONDS,
            default_status=DefaultSensorStatus.RUNNING if fetch_enabled() else DefaultSensorStatus.STOPPED,
            description="Asks each publisher which editions it holds (conditional requests) and requests a fetch of "
            f"the sources with one not fetched yet ({FETCH_ENV}=1).")
    def publisher_editions(context: SensorEvaluationContext):
        if not fetch_enabled():
            return SkipReason(f"fetching is off ({FETCH_ENV} is not 1)")
        if context.instance.get_run_records(filters=RunsFilter(job_name=FETCH_JOB, statuses=UNFINISHED), limit=1):
            return SkipReason("a fetch is queued or running: it fetches whatever is new")
        done = fetched_editions(settings.fetch_dir)
        client = client_for(settings)
        new, failed = {}, []
        try:
            for kind in kinds:
                try:
                    editions = kind.feed.editions(client)
                except PublisherError as error:  # the fetch run will fail and alert; the look goes on
                    failed.append(str(error))
                    continue
                waiting = sorted(f"{e.key}@{e.edition}" for e in editions if (kind.name, e.key, e.edition) not in done)
                if waiting:
                    new[kind.name] = waiting
        finally:
            client.close()
        for message in failed:
            context.log.warning(message)
        if not new:
            return SkipReason(f"no publisher lists an edition not fetched yet ({client.requests} requests)")
        key = hashlib.sha256(repr(sorted(new.items())).encode()).hexdigest()[:16]
        context.log.info(f"new editions: {new}")
        return RunRequest(run_key=f"fetch-{key}", asset_selection=[AssetKey([FETCH_GROUP, name]) for name in new],
                          tags={"forcestat/reason": f"new editions: {', '.join(new)}"[:500]})

    return publisher_editions
