"""What one new month of the data.police.uk street feed costs in a warehouse that already holds N months.

For N = 1, 12 and 120 national months (43 forces, ~500,000 rows a month, generated from the real Lancashire rows:
same columns, crime types, outcomes and value shapes; every force and month its own Crime IDs and LSOAs), prints:
- ingest: the 43 force files of the new month, each through the real street_ingest job (one partition each);
- downstream, incremental: the run the automation sensor requests after them (street marts incrementally, force
  rates, their dbt tests and Great Expectations suites, publication);
- downstream, full rebuild: the same run with the street marts dropped first, i.e. rebuilt from all N months.
The history is written straight into the raw table (one SQL statement a month): loading 120 x 43 files through
Dagster would take hours and measures nothing this benchmark is about.

Usage: make bench   (or python tests/benchmarks/street_incremental.py [N ...])
"""

import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT))

from tests.benchmarks.pipeline_timings import step_durations  # noqa: E402

ROWS_PER_FORCE_MONTH = 11_628  # x 43 forces = 500,004 rows a month, about England and Wales' monthly volume
FIRST_MONTH = date(2015, 1, 1)


def month_number(offset: int) -> date:
    year, month = divmod(FIRST_MONTH.month - 1 + offset, 12)
    return date(FIRST_MONTH.year + year, month + 1, 1)


def load_template(con, street_dir: Path) -> None:
    """The real Lancashire rows, numbered, as the pattern every generated month is drawn from."""
    con.execute(f"""CREATE OR REPLACE TEMP TABLE template AS
        SELECT row_number() OVER () - 1 AS idx, *, dense_rank() OVER (ORDER BY "LSOA code") % 800 AS lsoa_slot
        FROM read_csv('{street_dir}/*.csv.gz', all_varchar = true)""")


def generated_month_sql(force_index: int, force_name: str, month: date) -> str:
    """SQL for one force-month in the published column order (values drawn from the template by a hash)."""
    ordinal = month.year * 12 + month.month
    return f"""
        SELECT CASE WHEN t."Crime ID" IS NULL THEN NULL ELSE sha256('{force_index}|{ordinal}|' || r.i) END
                   AS "Crime ID",
               '{month:%Y-%m}' AS "Month", '{force_name}' AS "Reported by", '{force_name}' AS "Falls within",
               t."Longitude"::DOUBLE AS "Longitude", t."Latitude"::DOUBLE AS "Latitude", t."Location",
               CASE WHEN t."LSOA code" IS NULL THEN NULL
                    ELSE 'E01' || lpad(({force_index} * 1000 + t.lsoa_slot)::VARCHAR, 6, '0') END AS "LSOA code",
               CASE WHEN t."LSOA code" IS NULL THEN NULL
                    ELSE '{force_name} ' || lpad(t.lsoa_slot::VARCHAR, 3, '0') || 'A' END AS "LSOA name",
               t."Crime type", t."Last outcome category", t."Context"
        FROM (SELECT i, hash({force_index}, {ordinal}, i) % (SELECT count(*) FROM template) AS drawn
              FROM range({ROWS_PER_FORCE_MONTH}) AS r(i)) AS r
        JOIN template AS t ON t.idx = r.drawn"""  # an equi-join (hash join); an expression in ON is a nested loop


def seed_history(build_db: Path, street_dir: Path, months: range) -> None:
    """Write generated months straight into raw.police_uk_street (and raw._loads), as if each had been loaded."""
    import duckdb
    from orchestration.ingest import LOADS_TABLE

    from orchestration.street import STREET_TABLE, ensure_street_table, forces

    con = duckdb.connect(str(build_db))
    ensure_street_table(con)
    load_template(con, street_dir)
    ordered = sorted(forces().values(), key=lambda f: f.data_police_uk_id)
    for offset in months:  # one statement a month, all 43 forces
        month = month_number(offset)
        con.execute(f"INSERT INTO {STREET_TABLE} " + " UNION ALL ".join(
            f"SELECT *, '{force.data_police_uk_id}', DATE '{month}', 'generated', "
            f"'generated-{force.data_police_uk_id}|{month}', now() "
            f"FROM ({generated_month_sql(index, force.name, month)})"
            for index, force in enumerate(ordered)))
        con.executemany(f"INSERT INTO {LOADS_TABLE} VALUES ('police_uk_street', 'generated', ?, ?, now(), ?)",
                        [[f"generated-{f.data_police_uk_id}|{month}", ROWS_PER_FORCE_MONTH,
                          f"{f.data_police_uk_id}|{month.isoformat()}"] for f in ordered])
    con.close()


def write_month_files(street_dir: Path, month: date, target: Path) -> list[Path]:
    """The 43 files of one month as data.police.uk delivers them (plain CSV, its header and names)."""
    import duckdb

    from orchestration.street import forces

    con = duckdb.connect()
    load_template(con, street_dir)
    files = []
    for index, force in enumerate(sorted(forces().values(), key=lambda f: f.data_police_uk_id)):
        path = target / f"{month:%Y-%m}-{force.data_police_uk_id}-street.csv"
        con.execute(f"COPY ({generated_month_sql(index, force.name, month)}) TO '{path}' (HEADER, DELIMITER ',')")
        files.append(path)
    con.close()
    return files


def settle_disk() -> None:
    """Flush the previous step's writes, so one phase's disk writeback is not timed as the next one's work."""
    os.sync()
    time.sleep(2)


def timed(label: str, run, instance) -> float:
    settle_disk()
    started = time.perf_counter()
    result = run()
    wall = time.perf_counter() - started
    assert result.success, f"{label}: run failed"
    phases = step_durations(instance, result.run_id)
    detail = ", ".join(f"{phase} {seconds:.1f}" for phase, seconds in sorted(phases.items(), key=lambda i: -i[1]))
    print(f"    {label:<38} {wall:7.1f} s   ({detail})")
    return wall


def main(sizes: list[int]) -> None:
    import duckdb
    from dagster import AssetSelection, DagsterInstance
    from orchestration.assets.street_assets import police_uk_street
    from orchestration.refresh import refresh

    from orchestration.definitions import build_defs
    from orchestration.settings import Settings
    from orchestration.street import STREET, street_month_of

    data = PROJECT_ROOT / "warehouse" / "data"
    street_dir = data / STREET.relative_path
    with tempfile.TemporaryDirectory(prefix="forcestat-street-bench-") as tmp:
        tmp = Path(tmp)
        data_dir = tmp / "data"  # the embedded sources without the embedded street months
        data_dir.mkdir()
        for entry in data.iterdir():
            if entry.name != STREET.relative_path.split("/")[0]:
                (data_dir / entry.name).symlink_to(entry)
        settings = Settings.for_warehouse(tmp / "warehouse", data_dir=data_dir)
        defs = build_defs(settings)
        downstream = (AssetSelection.assets(police_uk_street).downstream()
                      - AssetSelection.assets(police_uk_street)).resolve(defs.resolve_asset_graph())
        asset_job = defs.resolve_implicit_global_asset_job_def()
        street_job = defs.resolve_job_def("street_ingest")
        with DagsterInstance.ephemeral() as instance:
            assert refresh(defs, instance, settings).success
            held = 0
            for size in sizes:
                print(f"\nN = {size} months held ({size * 43} partitions, ~{size * 500_004:,} rows)", flush=True)
                started = time.perf_counter()
                seed_history(settings.build_db, street_dir, range(held, size))
                held = size
                with duckdb.connect(str(settings.build_db), read_only=True) as con:
                    raw_rows = con.execute("SELECT count(*) FROM raw.police_uk_street").fetchone()[0]
                print(f"    (history written in {time.perf_counter() - started:.0f} s: raw.police_uk_street "
                      f"{raw_rows:,} rows, build database {settings.build_db.stat().st_size / 1e9:.2f} GB)")
                with duckdb.connect(str(settings.build_db)) as con:
                    con.execute("DROP TABLE IF EXISTS marts.street_crime_monthly")
                    con.execute("DROP TABLE IF EXISTS marts.street_crime_lsoa_monthly")
                rebuild = timed("downstream, full rebuild of N months",
                                lambda: asset_job.execute_in_process(asset_selection=list(downstream),
                                                                     instance=instance), instance)
                files = write_month_files(street_dir, month_number(held), tmp)
                settle_disk()
                per_file = []
                for path in files:
                    started = time.perf_counter()
                    partition = str(street_month_of(path).partition_key)
                    result = street_job.execute_in_process(
                        partition_key=partition, instance=instance,
                        run_config={"ops": {"raw__police_uk_street": {"config": {"path": str(path)}}}})
                    assert result.success
                    per_file.append(time.perf_counter() - started)
                    path.unlink()
                ingest = sum(per_file)
                held += 1
                print(f"    {'ingest of the new month (43 runs)':<38} {ingest:7.1f} s   (a force file of "
                      f"{ROWS_PER_FORCE_MONTH:,} rows: median {statistics.median(per_file):.2f} s, "
                      f"min {min(per_file):.2f}, max {max(per_file):.2f})")
                incremental = timed("downstream, incremental (new month)",
                                    lambda: asset_job.execute_in_process(asset_selection=list(downstream),
                                                                         instance=instance), instance)
                with duckdb.connect(str(settings.published_db), read_only=True) as con:
                    rows = dict(con.execute("SELECT table_name, estimated_size FROM duckdb_tables()").fetchall())
                print(f"    new month in total: {ingest + incremental:.1f} s incremental vs "
                      f"{ingest + rebuild:.1f} s with a rebuild of the street marts; published "
                      f"street_crime_lsoa_monthly {rows['street_crime_lsoa_monthly']:,} rows, file "
                      f"{settings.published_db.stat().st_size / 1e9:.2f} GB", flush=True)


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [1, 12, 120])
