"""`forcestat refresh`: bring the published file up to date with the current files and code, in this process.

It first asks what changed since the last publication (a few hashes, no Dagster): with nothing new it says so and
stops. Otherwise it runs the full_refresh job against the warehouse's Dagster instance (the run shows in the UI); if
the daemon is running a delivery meanwhile, this run waits for the build database and says which run it waits for.
A failed run is alerted like any other and the published file stays as it was.
"""

from __future__ import annotations

import sys
import time

from orchestration.publication.changes import changes_since_publication
from orchestration.publication.reader import connect
from orchestration.settings import DEFAULT_SITE_PORT, Settings

HEADLINE = """\
SELECT measure_label AS measure, area_name AS area, quoted_value AS quoted,
       round(warehouse_value, decimals) AS warehouse, check_status AS status,
       coalesce(difference_reason, not_computable_reason, '') AS why
FROM report_figure_checks
WHERE report_file = 'hmic-crime-inspection-2014-lancashire.txt' AND unit LIKE 'per_1000_%'
  AND period_end = DATE '2014-06-30'
ORDER BY figure_number"""


def refresh(settings: Settings, force: bool = False, verbose: bool = False) -> int:
    started = time.perf_counter()
    changes = None if force else changes_since_publication(settings)
    if changes is not None and not changes.anything:
        with connect(settings) as con:
            published_at, run_id = con.execute("SELECT published_at, dagster_run_id FROM publication").fetchone()
        print(f"forcestat refresh: nothing new since the last publication ({published_at:%Y-%m-%d %H:%M}, run "
              f"{run_id[:8]}); {settings.published_db} is unchanged ({time.perf_counter() - started:.1f} s)")
        return 0
    print(f"forcestat refresh: {changes.describe() if changes else 'forced'}")

    from orchestration.definitions import build_defs
    from orchestration.operations.failures import ANSI
    from orchestration.operations.instance import open_instance
    from orchestration.operations.jobs import FULL_REFRESH_JOB, REASON_TAG
    from orchestration.operations.progress import progress_run_config
    from orchestration.warehouse.alerts import record_alert

    defs = build_defs(settings)
    with open_instance(settings) as instance:
        result = defs.resolve_job_def(FULL_REFRESH_JOB).execute_in_process(
            instance=instance, raise_on_error=False, run_config=progress_run_config(verbose),
            tags={REASON_TAG: (changes.describe() if changes else "forcestat refresh --force")[:500],
                  "forcestat/launched_by": "forcestat refresh"})
    elapsed = time.perf_counter() - started
    if not result.success:
        errors = []
        for event in result.all_events:
            if event.event_type_value == "STEP_FAILURE":
                error = event.step_failure_data.error
                while error is not None and error.cause is not None:
                    error = error.cause
                errors.append(f"step {event.step_key} failed: {ANSI.sub('', error.message.strip() if error else '')}")
        message = "\n\n".join(errors) or "the run failed"
        record_alert(settings.alerts_file, result.run_id, "run_failed", message, result.run_id, FULL_REFRESH_JOB)
        print(f"\nforcestat refresh FAILED after {elapsed:.1f} s (run {result.run_id}). The published file was left as "
              f"it was: {settings.published_db}\n\n{message}", file=sys.stderr)
        return 1
    summary(settings, result.run_id, elapsed)
    return 0


def summary(settings: Settings, run_id: str, elapsed: float) -> None:
    with connect(settings) as con:
        print(f"\nforcestat refresh: published {settings.published_db} in {elapsed:.1f} s (run {run_id[:8]})")
        tables = con.execute("SELECT table_name, estimated_size FROM duckdb_tables() WHERE table_name NOT LIKE "
                             "'publication%' ORDER BY table_name").fetchall()
        print("  tables: " + ", ".join(f"{name} ({rows:,})" for name, rows in tables))
        first, latest, measures = con.execute("SELECT min(period_end), max(period_end), count(DISTINCT measure) "
                                              "FROM force_rates").fetchone()
        print(f"  force_rates: {measures} measures, 12-month periods ending {first} to {latest}")
        statuses = con.execute("SELECT check_status, count(*) FROM report_figure_checks GROUP BY ALL "
                               "ORDER BY 2 DESC").fetchall()
        print("  figures quoted by inspection reports: " + ", ".join(f"{n} {status}" for status, n in statuses))
        print("\nHMIC Crime inspection 2014, Lancashire, 12 months to June 2014 (per 1,000), as quoted and as the "
              "warehouse has it:")
        print(con.sql(HEADLINE))
        print("Query it: forcestat sql \"SELECT * FROM force_rates WHERE area_code = 'E23000003' AND period_end = "
              "'2014-06-30'\"")
    lancashire = settings.site_dir / "areas" / "lancashire.html"
    print(f"See it: forcestat site --serve, then http://127.0.0.1:{DEFAULT_SITE_PORT}/areas/lancashire.html?period="
          f"2014-06-30 (or open {lancashire} in a browser)")
