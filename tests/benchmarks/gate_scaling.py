"""Validation time of the force_rates suite on tables of 1e5, 1e6 and 1e7 rows.

The table is the published force_rates, repeated with period ends shifted by 30 years a copy, in a temporary DuckDB
file. The suite's batches are SQL that DuckDB runs; GX receives only their results, so the rows handed to GX (and
memory) stay small while the table grows. Usage: python tests/benchmarks/gate_scaling.py  (after make run)
"""

import resource
import sys
import tempfile
import time
from pathlib import Path

import duckdb

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT))

from orchestration.quality_gate import SuiteFile, validate  # noqa: E402

from orchestration.settings import EXPECTATIONS_DIR, Settings  # noqa: E402


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    published = Settings.from_env().published_db
    if not published.exists():
        sys.exit(f"{published}: run `make run` first; the benchmark grows the published force_rates")
    suite = SuiteFile.read(EXPECTATIONS_DIR / "force_rates.json")
    validate(suite, _tiny(published))  # warm up: GX's import and first-use costs are not the table's
    with tempfile.TemporaryDirectory(prefix="forcestat-gate-") as tmp:
        con = duckdb.connect(str(Path(tmp) / "scale.duckdb"))
        con.execute(f"ATTACH '{published}' AS published (READ_ONLY)")
        con.execute("CREATE SCHEMA marts")
        print(f"{'rows':>12} {'validate s':>11} {'rows handed to GX (largest batch)':>36} {'peak RSS MiB':>13}")
        for rows in (10**5, 10**6, 10**7):
            copies = -(-rows // con.execute("SELECT count(*) FROM published.force_rates").fetchone()[0])
            con.execute(f"""CREATE OR REPLACE TABLE marts.force_rates AS
                SELECT rates.* REPLACE (CAST(period_end + to_years(30 * copy) AS DATE) AS period_end,
                                        CAST(period_start + to_years(30 * copy) AS DATE) AS period_start)
                FROM published.force_rates AS rates, range({copies}) AS copies(copy) LIMIT {rows}""")
            started = time.perf_counter()
            result = validate(suite, con)
            seconds = time.perf_counter() - started
            print(f"{rows:>12,} {seconds:>11.2f} {max(result.rows_validated.values()):>36,} {peak_rss_mib():>13.0f}")


def _tiny(published: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse with 1,000 rows of force_rates."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{published}' AS p (READ_ONLY)")
    con.execute("CREATE SCHEMA marts")
    con.execute("CREATE TABLE marts.force_rates AS SELECT * FROM p.force_rates LIMIT 1000")
    return con


if __name__ == "__main__":
    main()
