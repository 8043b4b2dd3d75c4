"""The data.police.uk street feed as one Dagster asset: loads a landed batch of files, or brings every force-month in
line with its current file; the force-months it holds are listed in its metadata."""


from pathlib import Path

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    Config,
    Failure,
    MaterializeResult,
    MetadataValue,
    multi_asset,
)

from orchestration.gate.resource import Gate
from orchestration.gate.suites import suites_gating
from orchestration.sources.assets import INGEST_GROUP, OWNERS
from orchestration.street.feed import DESCRIPTION, EMBEDDED_FOLDER, PUBLISHER, SOURCE
from orchestration.street.load import MONTHS_KEY, STREET_KEY, TABLE, StreetBatch, load_files, sync
from orchestration.warehouse.alerts import record_alert
from orchestration.warehouse.archive import quarantine_file
from orchestration.warehouse.database import Warehouse
from orchestration.warehouse.kinds import FETCH_PREFIX
from orchestration.warehouse.ledger import LOADS_TABLE, last_audit


class StreetConfig(Config):
    # Load these files (a landed batch: a national month, or single force files) instead of bringing every
    # force-month in line with its current file.
    paths: list[str] | None = None


def coverage(con) -> str:
    """Markdown: for each force, the months held (as ranges) and how many."""
    rows = con.execute(f"""
        WITH held AS (
            SELECT split_part(partition_key, '|', 1) AS force, split_part(partition_key, '|', 2) AS month
            FROM {LOADS_TABLE} WHERE source = ?
            QUALIFY row_number() OVER (PARTITION BY partition_key ORDER BY loaded_at DESC) = 1
                AND source_sha256 IS NOT NULL),
        runs AS (
            SELECT force, month, strptime(month, '%Y-%m') AS start,
                   date_diff('month', DATE '2000-01-01', strptime(month, '%Y-%m'))
                   - row_number() OVER (PARTITION BY force ORDER BY month) AS run
            FROM held)
        SELECT force, string_agg(CASE WHEN first = last THEN first ELSE first || '..' || last END, ', '
                                 ORDER BY first) AS months, sum(n) AS count
        FROM (SELECT force, run, min(month) AS first, max(month) AS last, count(*) AS n FROM runs GROUP BY ALL)
        GROUP BY force ORDER BY force""", [SOURCE]).fetchall()
    lines = ["| force | months held | count |", "|---|---|---|"]
    return "\n".join(lines + [f"| {force} | {months} | {count} |" for force, months, count in rows])


def check_results(batch: StreetBatch, gate: Gate, con) -> list[AssetCheckResult]:
    """The audit of this batch. Files refused while others went in make the blocking check a warning, not an error:
    the good files are published, the refused ones are quarantined and alerted."""
    if not batch.outcomes:
        when, warnings = last_audit(con, SOURCE) or ("an earlier run", [])
        return [AssetCheckResult(
            asset_key=check.asset_key, check_name=check.name, severity=AssetCheckSeverity.WARN,
            passed=not (check.name == suite.warnings_check_name
                        and any(w.get("suite") == suite.name for w in warnings)),
            description=f"no new street file in this run; the force-months held were audited when loaded ({when})")
            for suite in suites_gating(STREET_KEY) for check in suite.check_specs()]
    results = [result for outcome in batch.outcomes for result in gate.results(outcome)]
    refused = batch.having("refused")
    if refused and batch.having("loaded"):
        results = [AssetCheckResult(
            asset_key=r.asset_key, check_name=r.check_name, passed=False, severity=AssetCheckSeverity.WARN,
            metadata=r.metadata, description=f"{len(refused)} files refused and quarantined, "
            f"{len(batch.having('loaded'))} loaded. {r.description or ''}") if not r.passed else r for r in results]
    return results


@multi_asset(
    name=SOURCE,
    specs=[
        AssetSpec(STREET_KEY, group_name=INGEST_GROUP, owners=OWNERS, kinds={"duckdb", "csv"},
                  deps=[AssetKey([FETCH_PREFIX, SOURCE])],
                  description=f"{DESCRIPTION} Publisher: {PUBLISHER}. Each file replaces only its force-month; a batch "
                  f"(a national month) is one run. Embedded files: data/{EMBEDDED_FOLDER}/. The force-months held are "
                  "in the metadata."),
        AssetSpec(MONTHS_KEY, group_name=INGEST_GROUP, owners=OWNERS, kinds={"duckdb"},
                  description="The street feed's force-months as the loads ledger holds them now: each force-month's "
                  "file, hash, rows and load time; removed when its delivery was refused after loading."),
    ],
    check_specs=[check for suite in suites_gating(STREET_KEY) for check in suite.check_specs()],
)
def police_uk_street(context: AssetExecutionContext, config: StreetConfig, warehouse: Warehouse, gate: Gate):
    settings = warehouse.settings
    run_id = context.run.run_id
    with warehouse.connect(context.log.info) as con:
        if config.paths:
            batch = load_files(con, [Path(p) for p in config.paths], gate, run_id)
        else:
            batch = sync(con, settings.data_dir, settings.archive_dir, gate, run_id)
        checks = check_results(batch, gate, con)
        held = coverage(con)
        rows = con.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]
    for file in batch.having("refused"):
        context.log.error(file.reason)
        landed = settings.landing_dir in file.path.parents
        if landed:  # a landed file is quarantined at once; a file named by hand stays where it is
            quarantine_file(file.path, file.reason, settings.quarantine_dir, folder=file.path.parent.name)
        record_alert(settings.alerts_file, f"{run_id}|{file.path.name}", "refused_file", file.reason, run_id,
                     context.run.job_name, str(file.path))
    for file in batch.having("not ingested"):
        context.log.info(file.reason)
    if config.paths and not batch.having("loaded") and not batch.having("unchanged"):
        yield from checks
        raise Failure(description="no street file of this delivery could be loaded:\n"
                      + "\n".join(f.reason for f in batch.files if f.reason))
    for file in batch.having("loaded"):
        context.log.info(f"{file.path.name}: {file.month.label}, {file.rows} rows loaded")
    yield MaterializeResult(
        asset_key=MONTHS_KEY, metadata={"force_months_held": MetadataValue.md(held), "changed": batch.changed})
    yield MaterializeResult(
        asset_key=STREET_KEY,
        metadata={
            "dagster/row_count": rows,
            "files_loaded": MetadataValue.json([f"{f.month.label}: {f.path.name} ({f.rows} rows)"
                                                for f in batch.having("loaded")]),
            "files_unchanged": len(batch.having("unchanged")),
            "files_refused": MetadataValue.json([f.reason for f in batch.having("refused")]),
            "force_months_removed": MetadataValue.json([m.label for m in batch.removed]),
            "changed": batch.changed,
            "force_months_held": MetadataValue.md(held),
        },
        check_results=checks,
    )

