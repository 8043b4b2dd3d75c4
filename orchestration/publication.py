"""Atomic publication of the marts into the analysts' DuckDB file.

The new file is built beside the published one (`<name>.new`), closed, then swapped in with os.replace(), which is
atomic on one filesystem. Analysts who hold the old file open keep reading their snapshot; new connections see
the new file; nobody ever sees a half-built table or meets the pipeline's write lock.

The new file starts as a copy of the published one. Marts built incrementally (they carry `built_at` and are keyed
by area and month, like the street marts) are brought up to date by replacing only the force-months built since
the published copy; every other mart is copied whole. So a new month of the street feed costs a file copy plus
that month, not a copy of every month held.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.ingest import LOADS_TABLE, sql_string

MARTS_SCHEMA = "marts"
INCREMENTAL_KEY = ("area_code", "month")


@dataclass(frozen=True)
class Publication:
    path: Path
    row_counts: dict[str, int]
    incremental_rows: dict[str, int]  # rows replaced in each incrementally published mart


def _columns(con: duckdb.DuckDBPyConnection, database: str, schema: str, table: str) -> list[tuple[str, str]]:
    return con.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = ? AND "
                       "schema_name = ? AND table_name = ? ORDER BY column_index", [database, schema, table]).fetchall()


def _sync_incremental(con: duckdb.DuckDBPyConnection, database: str, table: str) -> int | None:
    """Bring main.<table> up to date with build.marts.<table> force-month by force-month; None if it cannot be
    (no published copy, another schema, or row counts that disagree afterwards) and must be copied whole."""
    build = f'build.{MARTS_SCHEMA}."{table}"'
    if _columns(con, database, "main", table) != _columns(con, "build", MARTS_SCHEMA, table):
        return None
    key = ", ".join(INCREMENTAL_KEY)
    con.execute(f"""CREATE TEMP TABLE changed AS SELECT * FROM {build}
                    WHERE built_at > (SELECT coalesce(max(built_at), '-infinity'::timestamptz) FROM main."{table}")""")
    con.execute(f'DELETE FROM main."{table}" WHERE ({key}) IN (SELECT DISTINCT {key} FROM changed)')
    con.execute(f'INSERT INTO main."{table}" SELECT * FROM changed')
    replaced = con.execute("SELECT count(*) FROM changed").fetchone()[0]
    con.execute("DROP TABLE changed")
    same = con.execute(f'SELECT (SELECT count(*) FROM main."{table}") = (SELECT count(*) FROM {build})').fetchone()[0]
    return replaced if same else None


def _describe(con: duckdb.DuckDBPyConnection, table: str, comment: str | None) -> None:
    """Carry dbt's descriptions over, so `duckdb_columns()` documents the published file too."""
    if comment:
        con.execute(f'COMMENT ON TABLE main."{table}" IS {sql_string(comment)}')
    for column, column_comment in con.execute(
        "SELECT column_name, comment FROM duckdb_columns() WHERE database_name = 'build' "
        "AND schema_name = ? AND table_name = ? AND comment IS NOT NULL", [MARTS_SCHEMA, table],
    ).fetchall():
        con.execute(f'COMMENT ON COLUMN main."{table}"."{column}" IS {sql_string(column_comment)}')


def publish_marts(build_db: Path, published_db: Path, run_id: str) -> Publication:
    published_db.parent.mkdir(parents=True, exist_ok=True)
    staging_file = published_db.with_name(published_db.name + ".new")
    staging_file.unlink(missing_ok=True)
    if published_db.exists():
        shutil.copyfile(published_db, staging_file)
    row_counts: dict[str, int] = {}
    incremental: dict[str, int] = {}
    con = duckdb.connect(str(staging_file))
    try:
        con.execute(f"ATTACH {sql_string(str(build_db))} AS build (READ_ONLY)")
        database = con.execute("SELECT current_database()").fetchone()[0]
        tables = con.execute(
            "SELECT table_name, comment FROM duckdb_tables() WHERE database_name = 'build' AND schema_name = ? "
            "ORDER BY table_name", [MARTS_SCHEMA],
        ).fetchall()
        if not tables:
            raise RuntimeError(f"{build_db}: schema {MARTS_SCHEMA} holds no tables; nothing to publish")
        published = {name for (name,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main' "
            "AND table_name NOT IN ('publication', 'publication_sources')", [database]).fetchall()}
        for stale in published - {table for table, _ in tables}:  # a mart dropped from the project
            con.execute(f'DROP TABLE main."{stale}"')
        for table, comment in tables:
            columns = [name for name, _ in _columns(con, "build", MARTS_SCHEMA, table)]
            replaced = None
            if table in published and "built_at" in columns and all(key in columns for key in INCREMENTAL_KEY):
                replaced = _sync_incremental(con, database, table)
            if replaced is None:
                con.execute(f'CREATE OR REPLACE TABLE main."{table}" AS SELECT * FROM build.{MARTS_SCHEMA}."{table}"')
            else:
                incremental[table] = replaced
            _describe(con, table, comment)
            row_counts[table] = con.execute(f'SELECT count(*) FROM main."{table}"').fetchone()[0]
        con.execute(
            f"""CREATE OR REPLACE TABLE main.publication_sources AS
                SELECT source, partition_key, source_file, source_sha256, rows, loaded_at FROM build.{LOADS_TABLE}
                QUALIFY row_number() OVER (PARTITION BY source, partition_key ORDER BY loaded_at DESC) = 1
                ORDER BY source, partition_key"""
        )
        con.execute("COMMENT ON TABLE main.publication_sources IS 'The source files this publication was built "
                    "from (name, SHA-256, rows, when loaded), one per source and, for the street feed, per "
                    "force-month partition.'")
        con.execute(
            "CREATE OR REPLACE TABLE main.publication AS "
            "SELECT now() AS published_at, ? AS dagster_run_id, ? AS tables",
            [run_id, len(tables)],
        )
        con.execute("COMMENT ON TABLE main.publication IS 'When this file was published and by which Dagster run.'")
        con.execute("DETACH build")
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        staging_file.unlink(missing_ok=True)
        raise
    con.close()
    os.replace(staging_file, published_db)
    return Publication(path=published_db, row_counts=row_counts, incremental_rows=incremental)
