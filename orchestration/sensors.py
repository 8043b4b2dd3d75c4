"""Event-driven operation: the landing-zone sensor, and what happens when a landed file's run ends.

A file dropped into warehouse/landing/ is taken once it has stopped changing, recognised by its content, claimed,
and run with a run key equal to its content hash, so the same content is ingested once: a snapshot source through
full_refresh (ingest, dbt, quality gate, publication), a street month through street_ingest (its partition only;
the automation sensor carries it downstream through the gate). A data.police.uk zip is unpacked into the landing
zone, each street file a delivery of its own. When the run succeeds the file is archived and becomes its kind's
(or partition's) current file; when it fails the file is quarantined with the run's errors beside it. Every failed
run, whatever started it, records an alert.
"""

import json
import logging
import os
import time
import urllib.request
from pathlib import Path

import duckdb
from dagster import (
    DagsterEventType,
    DagsterRunStatus,
    DefaultSensorStatus,
    RunFailureSensorContext,
    RunRequest,
    RunStatusSensorContext,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    run_failure_sensor,
    run_status_sensor,
    sensor,
)

from orchestration.ingest import file_sha256
from orchestration.deliveries import archive, archived_sha256s, claim, quarantine
from orchestration.landing import STREET_ZIP_KIND, UnrecognisedFile, recognise, unpack_street_files
from orchestration.settings import ALERT_WEBHOOK_ENV, LANDING_SETTLE_SECONDS, Settings

LANDED_FILE_TAG = "forcestat/landed_file"
KIND_TAG = "forcestat/kind"
logger = logging.getLogger("forcestat.alerts")


def landed_files(landing_dir: Path) -> list[Path]:
    return sorted(p for p in landing_dir.glob("*") if p.is_file() and not p.name.startswith("."))


def build_sensors(settings: Settings, jobs: list):
    landing_dir, archive_dir, quarantine_dir = settings.landing_dir, settings.archive_dir, settings.quarantine_dir
    embedded_sha256s: set[str] = set()  # the embedded sample files count as delivered already

    @sensor(jobs=jobs, minimum_interval_seconds=15, default_status=DefaultSensorStatus.RUNNING,
            description="Watches warehouse/landing/ for new files of every kind the warehouse ingests.")
    def landing_zone(context: SensorEvaluationContext):
        landing_dir.mkdir(parents=True, exist_ok=True)
        if not embedded_sha256s:
            embedded_sha256s.update(file_sha256(p)[:16] for p in settings.data_dir.rglob("*")
                                    if p.is_file() and p.name != "README.md")
        seen = json.loads(context.cursor) if context.cursor else {}
        now, requests, current = time.time(), [], {}
        known = archived_sha256s(archive_dir) | embedded_sha256s
        for path in landed_files(landing_dir):
            stat = path.stat()
            current[path.name] = [stat.st_size, stat.st_mtime]
            # a file still being written changes size or time between ticks; wait until it has settled
            if seen.get(path.name) != current[path.name] or now - stat.st_mtime < LANDING_SETTLE_SECONDS:
                continue
            del current[path.name]
            sha256 = file_sha256(path)
            if sha256[:16] in known:
                context.log.info(f"{path.name}: this content was already ingested; archived as a duplicate")
                archive(claim(path, sha256), "duplicates", archive_dir)
                continue
            try:
                delivery = recognise(path)
            except UnrecognisedFile as error:
                context.log.warning(str(error))
                quarantine(path, str(error), quarantine_dir)
                continue
            claimed = claim(path, sha256)
            known.add(sha256[:16])  # a second copy in the same tick is a duplicate too
            if delivery.kind.name == STREET_ZIP_KIND:
                unpacked = unpack_street_files(claimed, landing_dir)
                archive(claimed, STREET_ZIP_KIND, archive_dir)
                context.log.info(f"{path.name}: unpacked {len(unpacked)} street files into the landing zone")
                continue
            context.log.info(f"{path.name}: {delivery.archive_kind}; requesting a {delivery.job_name} run")
            requests.append(RunRequest(
                run_key=sha256, job_name=delivery.job_name, partition_key=delivery.partition_key,
                run_config=delivery.run_config(claimed),
                tags={LANDED_FILE_TAG: str(claimed), KIND_TAG: delivery.archive_kind}))
        cursor = json.dumps(current)
        if not requests:
            return SensorResult(skip_reason=SkipReason("no settled new file in the landing zone"), cursor=cursor)
        return SensorResult(run_requests=requests, cursor=cursor)

    @run_status_sensor(run_status=DagsterRunStatus.SUCCESS, monitored_jobs=jobs,
                       default_status=DefaultSensorStatus.RUNNING,
                       description="Archives a landed file once its run has published it.")
    def landed_file_published(context: RunStatusSensorContext):
        landed = context.dagster_run.tags.get(LANDED_FILE_TAG)
        if landed and Path(landed).exists():
            target = archive(Path(landed), context.dagster_run.tags[KIND_TAG], archive_dir)
            context.log.info(f"archived {target}")

    # no monitored_jobs: every job of this code location, including the runs the automation sensor starts
    @run_failure_sensor(default_status=DefaultSensorStatus.RUNNING,
                        description="Records an alert for every failed run and quarantines the landed file it had.")
    def run_failed(context: RunFailureSensorContext):
        run = context.dagster_run
        errors = run_errors(context)
        landed = run.tags.get(LANDED_FILE_TAG)
        if landed and Path(landed).exists():
            quarantine(Path(landed), f"Run {run.run_id} of {run.job_name} failed:\n\n" + "\n\n".join(errors),
                       quarantine_dir)
        record_alert(settings.alerts_db, run.run_id, run.job_name, landed, "\n".join(errors))

    return [landing_zone, landed_file_published, run_failed]


def run_errors(context: RunFailureSensorContext) -> list[str]:
    """What failed in a run, readably: failed steps with their errors, failed checks with their expectations."""
    errors = []
    for entry in context.instance.all_logs(context.dagster_run.run_id, of_type={
            DagsterEventType.STEP_FAILURE, DagsterEventType.ASSET_CHECK_EVALUATION}):
        event = entry.dagster_event
        if event.event_type == DagsterEventType.STEP_FAILURE:
            error = event.step_failure_data.error
            while error is not None and error.cause is not None:  # Dagster wraps the error that says what is wrong
                error = error.cause
            errors.append(f"step {event.step_key} failed: {error.message.strip() if error else entry.message}")
        elif not event.asset_check_evaluation_data.passed:
            evaluation = event.asset_check_evaluation_data
            failed = evaluation.metadata.get("failed_expectations")
            detail = json.dumps(failed.value, indent=1) if failed else ""
            errors.append(f"check {evaluation.asset_key.to_user_string()}:{evaluation.check_name} failed "
                          f"({evaluation.severity.value}) {detail}".strip())
    return errors or [context.failure_event.message or "the run failed"]


def record_alert(alerts_db: Path, run_id: str, job_name: str, landed_file: str | None, message: str) -> None:
    """An alert row in warehouse/alerts.duckdb, a log line, and a POST to the webhook if one is configured."""
    alerts_db.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(alerts_db)) as con:
        con.execute("""CREATE TABLE IF NOT EXISTS alerts (raised_at TIMESTAMP WITH TIME ZONE, run_id VARCHAR,
                       job_name VARCHAR, landed_file VARCHAR, message VARCHAR)""")
        con.execute("INSERT INTO alerts VALUES (now(), ?, ?, ?, ?)", [run_id, job_name, landed_file, message])
    logger.error(f"forcestat alert: run {run_id} of {job_name} failed{f' on {landed_file}' if landed_file else ''}: "
                 f"{message[:500]}")
    url = os.environ.get(ALERT_WEBHOOK_ENV)
    if url:
        body = json.dumps({"run_id": run_id, "job": job_name, "landed_file": landed_file, "message": message})
        request = urllib.request.Request(url, data=body.encode(), headers={"Content-Type": "application/json"})
        urllib.request.urlopen(request, timeout=10).close()
