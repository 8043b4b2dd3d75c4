"""The landing-zone sensor: takes settled files from warehouse/landing/, claims them, and requests the run that carries
them to publication.

Each look (every few seconds, in the daemon):
1. Claims whose run has finished are settled if nothing else settled them (the daemon may have stopped in between);
   claims whose run was never created go back to the inbox.
2. A file is taken once its modification time is a few seconds old and its size and time have not changed since the
   previous look (orchestration/settings.py); a container's files are taken out of it (landing/intake.py).
3. One run per claim, keyed by the claim (so content refused once and dropped again after a fix is processed again):
   every file of a batched kind together (a national month of street files is one run), each file of another kind
   on its own. The run is the full_refresh job restricted to the kind's raw assets and everything downstream of
   them, publication included; a warehouse with nothing published yet runs it whole.
"""


import json
import shutil
import time
from pathlib import Path

from dagster import (
    AssetKey,
    AssetSelection,
    DagsterRunStatus,
    DefaultSensorStatus,
    RunRequest,
    RunsFilter,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)

from orchestration.deliveries import KINDS_BY_NAME
from orchestration.landing.claims import (
    CLAIM_TAG,
    Claim,
    claims,
    commit,
    make_claim,
    processing_dir,
    release,
    settle_failed_claim,
)
from orchestration.landing.intake import UNPACKED, expand, take
from orchestration.settings import CLAIM_ORPHAN_SECONDS, LANDING_SETTLE_SECONDS, SENSOR_INTERVAL_SECONDS, Settings
from orchestration.warehouse.archive import archived_sha256s, embedded_sha256s, refuse_file
from orchestration.warehouse.ledger import RAW_SCHEMA
from orchestration.warehouse.versions import code_version, published_code

LANDING_SENSOR = "landing_zone"
DELIVERY_TAG = "forcestat/delivery"
PARTIAL_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial")
FINISHED = {DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED}
# a failed or canceled run's claim is left to the failure sensor this long before the sweep settles it itself
FAILURE_GRACE_SECONDS = 60


def inbox(landing_dir: Path) -> list[Path]:
    """Files waiting in the inbox (dot files and partial downloads are someone's work in progress)."""
    return sorted(p for p in landing_dir.glob("*") if p.is_file() and not p.name.startswith(".")
                  and not p.name.lower().endswith(PARTIAL_SUFFIXES))


def assets_of(kind: str) -> list[AssetKey]:
    """The raw assets a delivery of this kind materializes."""
    return [AssetKey([RAW_SCHEMA, table]) for table in KINDS_BY_NAME[kind].raw_tables]


def run_request(claim: Claim, context: SensorEvaluationContext, settings: Settings, whole: bool) -> RunRequest:
    """The run of a claim: its kind's raw assets and everything downstream, or the whole job (whole: nothing is
    published yet, or the code changed since the last publication, so every table may need building)."""
    selection = None
    if not whole:
        graph = context.repository_def.asset_graph
        selection = sorted(AssetSelection.assets(*assets_of(claim.kind)).downstream().resolve(graph),
                           key=lambda key: key.path)
    return RunRequest(run_key=claim.id, asset_selection=selection,
                      run_config=KINDS_BY_NAME[claim.kind].run_config(claim.paths),
                      tags={CLAIM_TAG: claim.id, DELIVERY_TAG: ", ".join(f.name for f in claim.files)[:500]})


def settled(landing: Path, cursor: str | None) -> tuple[list[Path], dict]:
    """The files ready to take, and the signatures of those still being written (the next cursor)."""
    seen = json.loads(cursor) if cursor else {}
    now, waiting, ready = time.time(), {}, []
    for path in inbox(landing):
        stat = path.stat()
        signature = [stat.st_size, stat.st_mtime]
        if now - stat.st_mtime < LANDING_SETTLE_SECONDS or seen.get(path.name, signature) != signature:
            waiting[path.name] = signature  # still being written, or changed since the last look
        else:
            ready.append(path)
    return ready, waiting


def build_landing_sensor(settings: Settings, job):
    """The sensor, requesting runs of `job` (the full refresh job, restricted to each delivery's assets)."""

    @sensor(name=LANDING_SENSOR, job=job, minimum_interval_seconds=SENSOR_INTERVAL_SECONDS,
            default_status=DefaultSensorStatus.RUNNING,
            description="Takes files dropped into warehouse/landing/ and runs them through to publication.")
    def landing_zone(context: SensorEvaluationContext):
        landing = settings.landing_dir
        landing.mkdir(parents=True, exist_ok=True)
        sweep(context, settings)
        ready, waiting = settled(landing, context.cursor)
        known = archived_sha256s(settings.archive_dir) | embedded_sha256s(settings.data_dir)
        files = []
        for path in ready:
            files += expand(path, known, settings, context.log.info)
        taken = {}
        for path in files:
            try:
                found = take(path, known, settings, context.log.info)
            except Exception as error:  # noqa: BLE001 - no file may crash the sensor or stay in the inbox
                message = f"{path}: could not be taken: {type(error).__name__}: {error}"
                context.log.warning(message)
                refuse_file(path, message, settings.quarantine_dir, settings.alerts_file)
                continue
            if found:
                known.add(found.sha256[:16])
                taken.setdefault(found.kind, []).append((found.path, found.sha256, found.archive_folder))
        claimed = []
        for kind, entries in taken.items():
            if KINDS_BY_NAME[kind].batched:
                claimed.append(make_claim(entries, landing, kind))
            else:
                claimed += [make_claim([entry], landing, kind) for entry in entries]
        for folder in processing_dir(landing).glob(f"{UNPACKED}*"):  # every member is claimed or dealt with
            shutil.rmtree(folder, ignore_errors=True)
        for claim in claimed:
            context.log.info(f"claim {claim.id}: {len(claim.files)} {claim.kind} files; requesting a run")
        whole = bool(claimed) and (not settings.published_db.exists() or published_code(settings) != code_version())
        requests = [run_request(claim, context, settings, whole) for claim in claimed]
        cursor = json.dumps(waiting)
        if not requests:
            return SensorResult(skip_reason=SkipReason("no settled new file in the landing zone"), cursor=cursor)
        return SensorResult(run_requests=requests, cursor=cursor)

    return landing_zone


def sweep(context: SensorEvaluationContext, settings: Settings) -> None:
    """Settle the claims nothing else settled: a finished run's (if its failure was not handled within a minute, or
    it succeeded but was stopped before archiving), and those whose run was never created."""
    for leftover in processing_dir(settings.landing_dir).glob(f"{UNPACKED}*"):  # a look that stopped mid-zip
        for member in leftover.glob("*"):
            shutil.move(member, settings.landing_dir / member.name)
        shutil.rmtree(leftover, ignore_errors=True)
    for claim in claims(settings.landing_dir):
        records = context.instance.get_run_records(filters=RunsFilter(tags={CLAIM_TAG: claim.id}), limit=1)
        if not records:
            if claim.age_seconds() > CLAIM_ORPHAN_SECONDS:
                context.log.warning(f"claim {claim.id}: no run was created for it; its files go back to the inbox")
                release(claim, settings.landing_dir)
            continue
        record = records[0]
        run = record.dagster_run
        if run.status == DagsterRunStatus.SUCCESS:
            commit(claim, settings.archive_dir, run.run_id)
        elif run.status in FINISHED and time.time() - (record.end_time or 0) > FAILURE_GRACE_SECONDS:
            settle_failed_claim(claim, run.run_id, run.job_name, f"run {run.run_id} of {run.job_name} ended "
                                f"{run.status.value}", worker_died=False, settings=settings)
