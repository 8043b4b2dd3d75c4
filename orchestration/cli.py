"""`forcestat`: run the full refresh, or query the published file read-only.

    forcestat refresh            ingest, build, check and publish; print a summary and an example query
    forcestat sql "SELECT ..."   run one query on the published file
    forcestat sql                interactive read-only SQL prompt (end statements with ';', quit with .quit)
    forcestat expectations       the quality gate's expectations per table, as markdown
    forcestat ui                 the Dagster UI and daemon on http://127.0.0.1:3000
"""

import argparse
import os
import sys
import time
from pathlib import Path

import duckdb

from orchestration.settings import Settings

EXAMPLE_QUERY = """\
SELECT area_name, measure, offences, round(rate_per_1000, 1) AS rate, round(ew_rate_per_1000, 1) AS ew_rate,
       rank_among_forces AS rank
FROM force_rates
WHERE area_code = 'E23000003' AND period_end = DATE '2014-06-30'
  AND measure IN ('crime_excluding_fraud', 'victim_based_crime', 'sexual_offences', 'violence_with_injury',
                  'domestic_burglary')
ORDER BY measure"""


def open_published(settings: Settings) -> duckdb.DuckDBPyConnection:
    if not settings.published_db.exists():
        sys.exit(f"{settings.published_db}: not published yet; run `forcestat refresh` (or `make run`) first")
    return duckdb.connect(str(settings.published_db), read_only=True)


def refresh(settings: Settings) -> int:
    started = time.perf_counter()
    from dagster import DagsterInstance  # imported late: Dagster and dbt take seconds to load

    from orchestration.definitions import build_defs
    from orchestration.refresh import refresh as run_refresh

    defs = build_defs(settings)  # also exports DAGSTER_HOME
    with DagsterInstance.get() as instance:  # DAGSTER_HOME: runs show up in the Dagster UI too
        # Warnings and errors only on the terminal; the full event log is in the Dagster UI (make ui).
        outcome = run_refresh(defs, instance, settings,
                              run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}})
    elapsed = time.perf_counter() - started
    if not outcome.success:
        failed, checks = [], []
        for result in (*outcome.street_runs, outcome.full_refresh):
            failed += [event.step_key for event in result.all_events if event.event_type_value == "STEP_FAILURE"]
            checks += [
                f"{e.asset_check_evaluation_data.asset_key.to_user_string()}:{e.asset_check_evaluation_data.check_name}"
                for e in result.all_events
                if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.asset_check_evaluation_data.passed
                and e.asset_check_evaluation_data.severity.value == "ERROR"
            ]
        print(f"forcestat refresh FAILED after {elapsed:.1f} s (run {outcome.full_refresh.run_id}); failed steps: "
              f"{failed}; failed checks: {checks}. The published file was left as it was: {settings.published_db}",
              file=sys.stderr)
        return 1
    result = outcome.full_refresh
    if outcome.street_runs:
        print(f"forcestat refresh: loaded {len(outcome.street_runs)} street months that had never been loaded")
    with open_published(settings) as con:
        print(f"forcestat refresh: published {settings.published_db} in {elapsed:.1f} s (run {result.run_id})")
        print(con.sql("SELECT table_name, estimated_size AS rows FROM duckdb_tables() ORDER BY table_name"))
        print(con.sql("SELECT min(period_end) AS first_period_end, max(period_end) AS latest_period_end, "
                      "count(DISTINCT measure) AS measures FROM force_rates"))
        print(con.sql("SELECT check_status, count(*) AS quoted_figures FROM report_figure_checks "
                      "GROUP BY ALL ORDER BY 2 DESC"))
        print("Example: Lancashire, 12 months to June 2014 (HMIC Crime inspection 2014 quotes 65.1, 59.9, 1.3, "
              "7.4 and 7.7 per 1,000)")
        print(EXAMPLE_QUERY)
        print(con.sql(EXAMPLE_QUERY))
    return 0


def run_sql(settings: Settings, query: str | None) -> int:
    with open_published(settings) as con:
        if query:
            con.sql(query).show(max_rows=200, max_width=200)
            return 0
        print(f"forcestat: {settings.published_db} (read-only). End statements with ';'. .tables lists tables; "
              ".quit leaves.")
        buffer: list[str] = []
        while True:
            try:
                line = input("forcestat> " if not buffer else "        ...> ")
            except EOFError:
                return 0
            if not buffer and line.strip() in (".quit", ".exit"):
                return 0
            if not buffer and line.strip() == ".tables":
                line = "SHOW TABLES;"
            buffer.append(line)
            if line.rstrip().endswith(";"):
                try:
                    result = con.sql("\n".join(buffer))
                    if result is not None:
                        result.show(max_rows=200, max_width=200)
                except duckdb.Error as error:
                    print(error)
                buffer = []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="forcestat", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("refresh", help="full refresh of the embedded data, ending with publication")
    sql = commands.add_parser("sql", help="read-only SQL on the published file")
    sql.add_argument("query", nargs="?", help="a query to run once; without it, an interactive prompt")
    commands.add_parser("expectations", help="print the expectations of every quality-gate suite (markdown)")
    commands.add_parser("ui", help="the Dagster UI and daemon on http://127.0.0.1:3000 (schedule, sensors, queue)")
    args = parser.parse_args(argv)
    if args.command == "ui":
        Settings.from_env().export()  # DAGSTER_HOME shared with `forcestat refresh`, and its dagster.yaml
        dagster = str(Path(sys.executable).parent / "dagster")
        os.execv(dagster, [dagster, "dev", "-m", "orchestration.definitions", "-h", "127.0.0.1", "-p", "3000"])
    if args.command == "expectations":
        from orchestration.quality_gate import suites_markdown

        print(suites_markdown())
        return 0
    settings = Settings.from_env()
    if args.command == "refresh":
        return refresh(settings)
    return run_sql(settings, args.query)


if __name__ == "__main__":
    sys.exit(main())
