"""The landing-zone sensor: takes settled files from warehouse/landing/, tells what each is, claims them, and requests
the run that carries them to publication.

Each look (every few seconds, in the daemon):
1. Claims whose run has finished are settled if nothing else settled them (the daemon may have stopped in between);
   claims whose run was never created go back to the inbox.
2. A file is taken once its modification time is a few seconds old and its size and time have not changed since the
   previous look (orchestration/settings.py). Content already archived is a duplicate (archive/duplicates/); a file
   that is no kind we ingest is quarantined at once with the reason, and alerted.
3. One run per claim, keyed by the claim (so content refused once and dropped again after a fix is processed again):
   every street file of the look together (a national month, loose or in data.police.uk's zip, is one run), every
   report together, each snapshot source file on its own. The run is the full_refresh job restricted to the
   delivered source and everything downstream of it, publication included; a warehouse with nothing published yet
   runs it whole.
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

from orchestration.inspections.assets import inspection_reports
from orchestration.inspections.files import SOURCE as REPORTS
from orchestration.inspections.loading import REPORT_TABLES
from orchestration.landing.claims import CLAIM_TAG, Claim, claims, commit, make_claim, processing_dir, release
from orchestration.landing.recognise import NOT_INGESTED, STREET_ARCHIVE, Unrecognised, recognise
from orchestration.landing.zips import unpack_street_files
from orchestration.operations.jobs import FULL_REFRESH_JOB
from orchestration.settings import (
    CLAIM_ORPHAN_SECONDS,
    LANDING_SETTLE_SECONDS,
    SENSOR_INTERVAL_SECONDS,
    ZIP_MEMBER_MAX_BYTES,
    ZIP_TOTAL_MAX_BYTES,
    Settings,
)
from orchestration.sources.assets import source_assets
from orchestration.street.assets import police_uk_street
from orchestration.street.feed import SOURCE as STREET
from orchestration.street.load import MONTHS_KEY, STREET_KEY
from orchestration.warehouse.alerts import record_alert
from orchestration.warehouse.archive import archive_file, archived_sha256s, quarantine_file
from orchestration.warehouse.files import file_sha256
from orchestration.warehouse.ledger import RAW_SCHEMA

LANDING_SENSOR = "landing_zone"
DELIVERY_TAG = "forcestat/delivery"
PARTIAL_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial")
UNPACKED = "unpacked-"  # a zip's members, in .processing/ while one look of the sensor takes them
FINISHED = {DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED}
# a failed or canceled run's claim is left to the failure sensor this long before the sweep settles it itself
FAILURE_GRACE_SECONDS = 60


def inbox(landing_dir: Path) -> list[Path]:
    """Files waiting in the inbox (dot files and partial downloads are someone's work in progress)."""
    return sorted(p for p in landing_dir.glob("*") if p.is_file() and not p.name.startswith(".")
                  and not p.name.lower().endswith(PARTIAL_SUFFIXES))


def assets_of(kind: str) -> list[AssetKey]:
    """The raw assets a delivery of this kind materializes (every asset of the step that loads it)."""
    if kind == REPORTS:
        return [AssetKey([RAW_SCHEMA, table]) for table in REPORT_TABLES]
    if kind == STREET:
        return [STREET_KEY, MONTHS_KEY]
    return [AssetKey([RAW_SCHEMA, kind])]


def run_config(claim: Claim) -> dict:
    """Config that points the step loading the claim's kind at the claimed files."""
    paths = [str(path) for path in claim.paths]
    if claim.kind == REPORTS:
        return {"ops": {inspection_reports.op.name: {"config": {"paths": paths}}}}
    if claim.kind == STREET:
        return {"ops": {police_uk_street.op.name: {"config": {"paths": paths}}}}
    [asset] = [a for a in source_assets if a.key == AssetKey([RAW_SCHEMA, claim.kind])]
    [path] = paths
    return {"ops": {asset.op.name: {"config": {"path": path}}}}


def run_request(claim: Claim, context: SensorEvaluationContext, settings: Settings) -> RunRequest:
    selection = None
    if settings.published_db.exists():  # else the first publication needs every mart: run the whole job
        graph = context.repository_def.asset_graph
        selection = sorted(AssetSelection.assets(*assets_of(claim.kind)).downstream().resolve(graph),
                           key=lambda key: key.path)
    return RunRequest(run_key=claim.id, job_name=FULL_REFRESH_JOB, asset_selection=selection,
                      run_config=run_config(claim),
                      tags={CLAIM_TAG: claim.id, DELIVERY_TAG: ", ".join(f.name for f in claim.files)[:500]})


def build_landing_sensor(settings: Settings):
    embedded: set[str] = set()  # content hashes of the embedded files (delivered already, in effect)

    @sensor(name=LANDING_SENSOR, job_name=FULL_REFRESH_JOB, minimum_interval_seconds=SENSOR_INTERVAL_SECONDS,
            default_status=DefaultSensorStatus.RUNNING,
            description="Takes files dropped into warehouse/landing/ and runs them through to publication.")
    def landing_zone(context: SensorEvaluationContext):
        landing = settings.landing_dir
        landing.mkdir(parents=True, exist_ok=True)
        sweep(context, settings)
        if not embedded:
            embedded.update(file_sha256(p)[:16] for p in settings.data_dir.rglob("*")
                            if p.is_file() and p.name != "README.md")
        seen = json.loads(context.cursor) if context.cursor else {}
        now, waiting, ready = time.time(), {}, []
        for path in inbox(landing):
            stat = path.stat()
            signature = [stat.st_size, stat.st_mtime]
            if now - stat.st_mtime < LANDING_SETTLE_SECONDS or seen.get(path.name, signature) != signature:
                waiting[path.name] = signature  # still being written, or changed since the last look
            else:
                ready.append(path)
        known = archived_sha256s(settings.archive_dir) | embedded
        batches: dict[str, list[tuple[Path, str, str]]] = {STREET: [], REPORTS: []}
        singles: list[tuple[str, tuple[Path, str, str]]] = []
        for path in ready:
            try:
                taken = take(path, known, settings, context)
            except Exception as error:  # noqa: BLE001 - no file may crash the sensor or stay in the inbox
                refuse_file(path, f"{path}: could not be taken: {type(error).__name__}: {error}", settings, context)
                continue
            for kind, entry in taken:
                known.add(entry[1][:16])
                if kind in batches:
                    batches[kind].append(entry)
                else:
                    singles.append((kind, entry))
        claimed = [make_claim(files, landing, kind) for kind, files in batches.items() if files]
        claimed += [make_claim([entry], landing, kind) for kind, entry in singles]
        for folder in processing_dir(landing).glob(f"{UNPACKED}*"):  # every member is claimed or dealt with
            shutil.rmtree(folder, ignore_errors=True)
        requests = [run_request(claim, context, settings) for claim in claimed]
        for claim in claimed:
            context.log.info(f"claim {claim.id}: {len(claim.files)} {claim.kind} files; requesting a run")
        cursor = json.dumps(waiting)
        if not requests:
            return SensorResult(skip_reason=SkipReason("no settled new file in the landing zone"), cursor=cursor)
        return SensorResult(run_requests=requests, cursor=cursor)

    return landing_zone


def take(path: Path, known: set[str], settings: Settings, context) -> list[tuple[str, tuple[Path, str, str]]]:
    """What to do with one settled file: [(kind, (file, sha256, archive kind))] to claim; [] when it was dealt
    with here (a duplicate, a file of a kind not ingested, a refused file, an unpacked zip's own file)."""
    sha256 = file_sha256(path)
    if sha256[:16] in known:
        context.log.info(f"{path.name}: this content was delivered before; archived as a duplicate")
        archive_file(path, sha256, "duplicates", settings.archive_dir, None)
        return []
    try:
        recognised = recognise(path)
    except Unrecognised as error:
        refuse_file(path, str(error), settings, context)
        return []
    if recognised.kind == NOT_INGESTED:
        context.log.info(f"{path.name}: {recognised.note}; archived as not ingested")
        archive_file(path, sha256, NOT_INGESTED, settings.archive_dir, None)
        return []
    if recognised.kind != STREET_ARCHIVE:
        return [(recognised.kind, (path, sha256, recognised.archive_kind))]
    # a data.police.uk zip: its street files, each taken like a loose one; the zip itself is archived
    unpack_dir = processing_dir(settings.landing_dir) / f"{UNPACKED}{sha256[:16]}"
    try:
        members = unpack_street_files(path, unpack_dir, ZIP_MEMBER_MAX_BYTES, ZIP_TOTAL_MAX_BYTES)
    except Unrecognised as error:
        refuse_file(path, str(error), settings, context)
        return []
    taken = []
    for member in members:
        taken += take(member, known, settings, context)
    archive_file(path, sha256, STREET_ARCHIVE, settings.archive_dir, None)
    context.log.info(f"{path.name}: unpacked {len(members)} street files")
    return taken


def refuse_file(path: Path, error: str, settings: Settings, context) -> None:
    context.log.warning(error)
    key = f"landing|{path.name}|{path.stat().st_size}|{time.time():.3f}"
    target = quarantine_file(path, error, settings.quarantine_dir)
    record_alert(settings.alerts_file, key, "refused_file", error, file=str(target))


def sweep(context: SensorEvaluationContext, settings: Settings) -> None:
    """Settle the claims nothing else settled: a finished run's (if its failure was not handled within a minute, or
    it succeeded but was stopped before archiving), and those whose run was never created."""
    from orchestration.operations.failures import settle_failed_claim

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
            settle_failed_claim(claim, run, f"run {run.run_id} of {run.job_name} ended {run.status.value}",
                                worker_died=False, settings=settings)
