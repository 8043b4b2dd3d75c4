"""What the street feed costs as history grows: one new national month downstream, a full rebuild, the comparator.

For N = 1, 12 and 120 national months held (~500,000 rows a month: the real January 2014 national rows of the 41
forces in tests/fixtures, topped up with real February rows to the volume of a complete month with the Metropolitan
and Greater Manchester, relabelled month by month), prints:
- one new month downstream: the run after a new month is loaded (street marts incrementally, the rolling ASB counts
  and every mart that reads them, their dbt tests, the gate, the publication), with its phases and peak memory;
- full rebuild: the same run with the street marts dropped first, i.e. rebuilt from all N months (held to <= 60 s
  and <= 2 GB at N = 120);
- the published comparator query (one force, one period, every measure) on a fresh read-only connection;
each beside bare DuckDB doing the same aggregation in the same process.
The history goes straight into raw.police_uk_street and the loads ledger, one statement a month: loading 120 x 41
files through the landing zone would take an hour and measures nothing this benchmark is about (the national_month
benchmark measures that path).

Usage: python tests/benchmarks/street_history.py [N ...]
       python tests/benchmarks/street_history.py --downstream WAREHOUSE_DIR DATA_DIR   (one run; used by the above)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT))

from tests.helpers import DATA_DIR, NATIONAL  # noqa: E402

ROWS_PER_MONTH = 500_000
FIRST_MONTH = date(2015, 1, 1)
GOALS = {"downstream": 5.0, "rebuild": 60.0, "memory_gb": 2.0, "query_ms": 50.0}
STREET_MARTS = ("int_street_force_months", "street_crime_lsoa_monthly")


def month_at(offset: int) -> date:
    year, month = divmod(FIRST_MONTH.month - 1 + offset, 12)
    return date(FIRST_MONTH.year + year, month + 1, 1)


def load_template(con) -> None:
    """The real national rows: every force's January 2014, then February's until a month holds ROWS_PER_MONTH."""
    from orchestration.street.feed import COLUMNS

    names = ", ".join(f'"{name}"' for name, _ in COLUMNS)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE template AS
        SELECT {names}, regexp_extract(filename, '\\d{{4}}-\\d{{2}}-(.+)-street', 1) AS force_id
        FROM (SELECT *, 0 AS part FROM read_csv('{NATIONAL}/2014-01/*.csv.gz', filename = true)
              UNION ALL BY NAME
              SELECT *, 1 AS part FROM read_csv('{NATIONAL}/2014-02/*.csv.gz', filename = true))
        ORDER BY part LIMIT {ROWS_PER_MONTH}""")


def add_months(build_db: Path, offsets: range) -> None:
    """Write generated months into raw.police_uk_street and the loads ledger, as if each had been delivered."""
    import duckdb

    from orchestration.street.feed import COLUMNS, SOURCE
    from orchestration.street.load import TABLE, ensure_table
    from orchestration.warehouse.ledger import LOADS_TABLE

    con = duckdb.connect(str(build_db))
    ensure_table(con)
    load_template(con)
    forces = [row[0] for row in con.execute("SELECT DISTINCT force_id FROM template ORDER BY 1").fetchall()]
    select = ", ".join("'%s' AS \"Month\"" if name == "Month" else f'"{name}"' for name, _ in COLUMNS)
    for offset in offsets:
        month = month_at(offset)
        con.execute(f"""INSERT INTO {TABLE}
            SELECT {select % f'{month:%Y-%m}'}, force_id, DATE '{month}', 'generated-' || force_id || '-{month}',
                   'generated', now() FROM template""")
        con.executemany(f"INSERT INTO {LOADS_TABLE} (source, partition_key, source_file, source_sha256, rows, "
                        f"loaded_at) VALUES ('{SOURCE}', ?, ?, 'generated', "
                        "(SELECT count(*) FROM template WHERE force_id = ?), now())",
                        [[f"{force}|{month:%Y-%m}", f"generated-{force}-{month}", force] for force in forces])
    con.close()


def downstream_run(warehouse_dir: Path, data_dir: Path) -> None:
    """One run of everything downstream of the street feed, as the landing sensor requests after a street delivery."""
    from dagster import AssetSelection

    from orchestration.definitions import build_defs
    from orchestration.operations.instance import open_instance
    from orchestration.operations.jobs import FULL_REFRESH_JOB
    from orchestration.settings import Settings
    from orchestration.street.load import MONTHS_KEY, STREET_KEY

    settings = Settings.for_warehouse(warehouse_dir, data_dir=data_dir)
    defs = build_defs(settings)
    feed = AssetSelection.assets(STREET_KEY, MONTHS_KEY)
    selection = (feed.downstream() - feed).resolve(defs.resolve_asset_graph())
    with open_instance(settings) as instance:
        result = defs.resolve_job_def(FULL_REFRESH_JOB).execute_in_process(
            instance=instance, raise_on_error=False, asset_selection=list(selection))
    sys.exit(0 if result.success else 1)


class PeakMemory:
    """The largest resident set of a process and all its descendants, sampled every 50 ms."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._done = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _tree(self, pid: int) -> list[int]:
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return []
        return [pid] + [p for child in children for p in self._tree(int(child))]

    def _sample(self) -> None:
        while not self._done.wait(0.05):
            total = 0
            for pid in self._tree(self.pid):
                try:
                    total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * 4096
                except OSError:
                    pass
            self.peak = max(self.peak, total)

    def stop(self) -> float:
        self._done.set()
        self._thread.join()
        return self.peak / 2**30


def timed_downstream(settings, label: str) -> tuple[float, float, dict]:
    from tests.benchmarks.refresh_timings import phases

    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, __file__, "--downstream", str(settings.warehouse_dir),
                                str(settings.data_dir)], cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    memory = PeakMemory(process.pid)
    _, errors = process.communicate()
    wall, peak = time.perf_counter() - started, memory.stop()
    if process.returncode:
        raise SystemExit(f"{label}: the run failed\n{errors[-3000:]}")
    return wall, peak, phases(settings)


def bare_duckdb(build_db: Path, month: date | None) -> float:
    """The same aggregation the street marts do (force-month and LSOA-month counts), nothing else."""
    import duckdb

    con = duckdb.connect(str(build_db), read_only=True)
    where = f"WHERE _month = DATE '{month}'" if month else ""
    started = time.perf_counter()
    for keys in ('_force_id, _month, "Crime type", "Last outcome category"', '"LSOA code", _month, "Crime type"'):
        con.execute(f"SELECT {keys}, count(*) FROM raw.police_uk_street {where} GROUP BY ALL").fetchall()
    con.close()
    return time.perf_counter() - started


def comparator_ms(settings) -> tuple[float, float]:
    """Median milliseconds of the comparator query on a fresh read-only connection, and with the connection open."""
    from orchestration.publication.reader import connect

    query = """SELECT * FROM force_rates WHERE area_name = 'Lancashire'
               AND period_end = (SELECT max(period_end) FROM force_rates)"""
    fresh, warm = [], []
    for _ in range(15):
        started = time.perf_counter()
        with connect(settings) as con:
            con.execute(query).fetchall()
            fresh.append(time.perf_counter() - started)
            started = time.perf_counter()
            con.execute(query).fetchall()
            warm.append(time.perf_counter() - started)
    return statistics.median(fresh) * 1000, statistics.median(warm) * 1000


def drop_street_marts(settings) -> None:
    import duckdb

    with duckdb.connect(str(settings.build_db)) as con:
        for name in STREET_MARTS:
            schema = "intermediate" if name.startswith("int_") else "marts"
            con.execute(f"DROP TABLE IF EXISTS {schema}.{name}")


def main(sizes: list[int]) -> None:
    from orchestration.settings import Settings
    from orchestration.transform.runner import prepare
    from tests.benchmarks.refresh_timings import command

    with tempfile.TemporaryDirectory(prefix="forcestat-history-") as folder:
        folder = Path(folder)
        data_dir = folder / "data"  # the embedded sources without the embedded (Lancashire) street months
        data_dir.mkdir()
        for entry in DATA_DIR.iterdir():
            if entry.name != "police-uk":
                (data_dir / entry.name).symlink_to(entry)
        settings = Settings.for_warehouse(folder / "warehouse", data_dir=data_dir)
        prepare(settings)
        command(settings, "refresh")
        held = 0
        for size in sizes:
            add_months(settings.build_db, range(held, size))
            held = size
            print(f"\nN = {size} national months held (~{size * ROWS_PER_MONTH:,} street rows)", flush=True)
            drop_street_marts(settings)
            wall, peak, steps = timed_downstream(settings, "full rebuild")
            floor = bare_duckdb(settings.build_db, None)
            print(f"  full rebuild of everything downstream:  {wall:6.1f} s   peak {peak:4.2f} GB   goal <= "
                  f"{GOALS['rebuild']:.0f} s, {GOALS['memory_gb']:.0f} GB   x{wall / floor:.0f} bare DuckDB "
                  f"({floor:.2f} s)   {describe(steps)}", flush=True)

            add_months(settings.build_db, range(held, held + 1))
            held += 1
            wall, peak, steps = timed_downstream(settings, "one new month")
            floor = bare_duckdb(settings.build_db, month_at(held - 1))
            print(f"  one new month downstream:               {wall:6.1f} s   peak {peak:4.2f} GB   goal <= "
                  f"{GOALS['downstream']:.0f} s   x{wall / floor:.0f} bare DuckDB ({floor:.2f} s)   "
                  f"{describe(steps)}", flush=True)
            fresh, warm = comparator_ms(settings)
            print(f"  comparator query (one force, one period, every measure): {fresh:.1f} ms on a fresh read-only "
                  f"connection, {warm:.1f} ms on an open one   goal <= {GOALS['query_ms']:.0f} ms", flush=True)


def describe(steps: dict) -> str:
    shown = {phase: seconds for phase, seconds in steps.items() if phase != "run"}
    return "run " + f"{steps['run']:.1f} s: " + ", ".join(
        f"{phase} {seconds:.1f}" for phase, seconds in sorted(shown.items(), key=lambda item: -item[1]))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--downstream"]:
        downstream_run(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        main([int(arg) for arg in sys.argv[1:]] or [1, 12, 120])
