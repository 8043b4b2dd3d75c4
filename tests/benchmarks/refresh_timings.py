"""Where a refresh spends its time, beside bare DuckDB doing the same work in the same run.

In a fresh temporary warehouse reading the embedded data, whose dbt state is prepared as `make install` prepares the
default warehouse's:
- loading the code location (a fresh interpreter importing orchestration.definitions);
- `forcestat refresh` on the empty warehouse (what `make run` does after the install), with its phases;
- `forcestat refresh` again with nothing new (the nightly run on a quiet night), and the nightly schedule's own
  decision (what changed since the last publication);
- `forcestat refresh --force`: the same job with every file unchanged;
- bare DuckDB: the same files read into tables and the same 12-month rolling sums, no checks, no Dagster.

Usage: python tests/benchmarks/refresh_timings.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT))

from tests.helpers import DATA_DIR, settings_for  # noqa: E402

GOALS = {"cold": 12.0, "make run": 25.0, "quiet": 3.0}


def step_seconds(instance, run_id: str) -> dict[str, float]:
    """Seconds each step of a run took, from its Dagster event log."""
    started, seconds = {}, defaultdict(float)
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None or event.step_key is None:
            continue
        if event.event_type_value == "STEP_START":
            started[event.step_key] = entry.timestamp
        elif event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE"):
            seconds[event.step_key] += entry.timestamp - started.pop(event.step_key)
    return dict(seconds)


def phases(settings) -> dict[str, float]:
    """Seconds per phase of the newest run of a warehouse, its steps grouped as the progress console groups them."""
    from orchestration.operations.instance import open_instance
    from orchestration.operations.progress import phase_of

    with open_instance(settings) as instance:
        record = instance.get_run_records(limit=1)[0]
        totals = defaultdict(float)
        for step, seconds in step_seconds(instance, record.dagster_run.run_id).items():
            totals[phase_of(step)] += seconds
        totals["Dagster (between steps)"] = record.end_time - record.start_time - sum(totals.values())
        totals["run"] = record.end_time - record.start_time
    return dict(totals)


def print_phases(phases_of_run: dict[str, float]) -> None:
    for phase, seconds in sorted(phases_of_run.items(), key=lambda item: -item[1]):
        if phase != "run":
            print(f"    {phase:<28} {seconds:6.2f} s")


def command(settings, *args: str) -> float:
    env = {"FORCESTAT_WAREHOUSE_DIR": str(settings.warehouse_dir), "FORCESTAT_DATA_DIR": str(settings.data_dir),
           "PATH": "/usr/bin:/bin", "HOME": str(Path.home())}
    started = time.perf_counter()
    subprocess.run([str(Path(sys.executable).parent / "forcestat"), *args], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def bare_duckdb(data_dir: Path) -> float:
    """The floor: the same source files into DuckDB tables and the 12-month rolling sums, nothing else."""
    import duckdb

    started = time.perf_counter()
    con = duckdb.connect()
    for name, path in (("prc", "home-office/prc-pfa-mar2013-onwards-tables.csv.gz"), ("ons", "ons/rec-crime-pfa.csv"),
                       ("mye4", "ons/MYE4_population_mid2001_mid2020_UK_LA_2021geog.csv"),
                       ("mye3", "ons/MYE3_components_mid2013_to_mid2014_UK_LA.csv"),
                       ("households", "census/QS405EW_tenure_households_2011_LAD.csv"),
                       ("lookup", "lookups/LAD16_CSP16_PFA16_lookup_EW.csv"),
                       ("street", "police-uk/street/*.csv.gz")):
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv('{data_dir / path}')")
    con.execute("""CREATE TABLE rolled AS
        WITH q AS (SELECT "Force Name" AS force, "Offence Group" AS offence, "Financial Year" AS y,
                          "Financial Quarter" AS q, sum("Number of Offences") AS n FROM prc GROUP BY ALL)
        SELECT force, offence, y, q, sum(n) OVER (PARTITION BY force, offence ORDER BY y, q ROWS 3 PRECEDING)
        FROM q""")
    return time.perf_counter() - started


def main() -> None:
    from orchestration.publication.changes import changes_since_publication
    from orchestration.transform.runner import prepare

    with tempfile.TemporaryDirectory(prefix="forcestat-bench-") as folder:
        settings = settings_for(Path(folder) / "warehouse")
        prepare(settings)  # as `make install` prepares the default warehouse
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import orchestration.definitions"], check=True, cwd=PROJECT_ROOT)
        definitions = time.perf_counter() - started

        cold = command(settings, "refresh")
        cold_phases = phases(settings)
        quiet = command(settings, "refresh")
        started = time.perf_counter()
        nothing = not changes_since_publication(settings).anything
        decision = time.perf_counter() - started
        warm = command(settings, "refresh", "--force")
        warm_phases = phases(settings)
        floor = bare_duckdb(DATA_DIR)

    print(f"\nbare DuckDB, the same files into tables and the rolling sums: {floor:6.2f} s (the floor)\n")
    print(f"loading the code location (fresh interpreter):               {definitions:6.2f} s")
    print(f"forcestat refresh, empty warehouse (make run after install):  {cold:6.2f} s   goal <= "
          f"{GOALS['make run']:.0f} s   x{cold / floor:.0f} the floor")
    print(f"  of which the full_refresh job:                              {cold_phases['run']:6.2f} s   goal <= "
          f"{GOALS['cold']:.0f} s   x{cold_phases['run'] / floor:.0f} the floor")
    print_phases(cold_phases)
    print(f"forcestat refresh, nothing new (a quiet night):               {quiet:6.2f} s   goal <= "
          f"{GOALS['quiet']:.0f} s   (the schedule's decision alone: {decision * 1000:.0f} ms, nothing new: "
          f"{nothing})")
    print(f"forcestat refresh --force, every file unchanged:              {warm:6.2f} s   "
          f"job {warm_phases['run']:.2f} s")
    print_phases(warm_phases)


if __name__ == "__main__":
    main()
