"""Where the time of a full refresh goes: definitions load, ingest, dbt, checks, publish, Dagster overhead.

Runs the real full_refresh job on the embedded data into a fresh temporary warehouse (twice: a cold run that
loads every file, and a warm one where every file is unchanged), then the same ingest and rolling sums in bare
DuckDB as a floor. Usage: make bench   (or python tests/benchmarks/pipeline_timings.py)
"""

import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def phase_of(step_key: str) -> str:
    if "_gx_" in step_key:
        return "checks (Great Expectations)"
    if step_key.endswith("_delivered_within_cadence"):
        return "checks (freshness)"
    if step_key.startswith("raw__") or step_key == "inspection_reports":
        return "ingest"
    if step_key.startswith("dbt_models"):
        return "dbt build (seeds, models, tests)"
    if step_key.startswith("published__"):
        return "publish"
    raise ValueError(f"no phase for step {step_key}")


def step_durations(instance, run_id: str) -> dict[str, float]:
    started: dict[str, float] = {}
    totals: dict[str, float] = defaultdict(float)
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None or event.step_key is None:
            continue
        if event.event_type_value == "STEP_START":
            started[event.step_key] = entry.timestamp
        elif event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE"):
            totals[phase_of(event.step_key)] += entry.timestamp - started.pop(event.step_key)
    return totals


def bare_duckdb_floor(data_dir: Path) -> float:
    import duckdb

    started = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"CREATE TABLE prc AS SELECT * FROM read_csv('{data_dir}/home-office/prc-pfa-mar2013-onwards-tables.csv.gz')")
    con.execute(f"""CREATE TABLE ons AS SELECT * FROM read_csv('{data_dir}/ons/rec-crime-pfa.csv')""")
    con.execute("""CREATE TABLE rolled AS
        WITH q AS (SELECT "Force Name" f, "Financial Year" y, "Financial Quarter" q, sum("Number of Offences") n
                   FROM prc WHERE "Offence Group" <> 'Fraud offences' GROUP BY ALL)
        SELECT f, y, q, sum(n) OVER (PARTITION BY f ORDER BY y, q ROWS 3 PRECEDING) FROM q""")
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="forcestat-bench-") as tmp:
        sys.path.insert(0, str(PROJECT_ROOT))
        started = time.perf_counter()
        from dagster import DagsterInstance

        from orchestration.definitions import FULL_REFRESH_JOB, build_defs
        from orchestration.settings import Settings

        settings = Settings.for_warehouse(Path(tmp), data_dir=PROJECT_ROOT / "warehouse" / "data")
        job = build_defs(settings).resolve_job_def(FULL_REFRESH_JOB)
        load_seconds = time.perf_counter() - started
        print(f"import + definitions load (dbt manifest parse only if stale): {load_seconds:6.2f} s")

        with DagsterInstance.ephemeral() as instance:
            for label in ("cold run (every file loaded)", "warm run (every file unchanged)"):
                started = time.perf_counter()
                result = job.execute_in_process(instance=instance)
                wall = time.perf_counter() - started
                phases = step_durations(instance, result.run_id)
                print(f"\n{label}: {wall:6.2f} s wall")
                for phase, seconds in sorted(phases.items(), key=lambda item: -item[1]):
                    print(f"  {phase:<34} {seconds:6.2f} s")
                print(f"  {'Dagster orchestration overhead':<34} {wall - sum(phases.values()):6.2f} s")
        print(f"\nbare DuckDB: load the two crime tables + rolling sums: {bare_duckdb_floor(settings.data_dir):6.2f} s")


if __name__ == "__main__":
    main()
