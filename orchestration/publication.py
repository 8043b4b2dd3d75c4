"""Atomic publication of the marts into the analysts' DuckDB file.

The new file is built beside the published one (`<name>.new`), closed, then swapped in with os.replace(), which is
atomic on one filesystem. Analysts who hold the old file open keep reading their snapshot; new connections see
the new file; nobody ever sees a half-built table or meets the pipeline's write lock.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.ingest import LOADS_TABLE, sql_string

MARTS_SCHEMA = "marts"


@dataclass(frozen=True)
class Publication:
    path: Path
    row_counts: dict[str, int]


def publish_marts(build_db: Path, published_db: Path, run_id: str) -> Publication:
    published_db.parent.mkdir(parents=True, exist_ok=True)
    staging_file = published_db.with_name(published_db.name + ".new")
    staging_file.unlink(missing_ok=True)
    row_counts: dict[str, int] = {}
    con = duckdb.connect(str(staging_file))
    try:
        con.execute(f"ATTACH {sql_string(str(build_db))} AS build (READ_ONLY)")
        tables = con.execute(
            "SELECT table_name, comment FROM duckdb_tables() WHERE database_name = 'build' AND schema_name = ? "
            "ORDER BY table_name", [MARTS_SCHEMA],
        ).fetchall()
        if not tables:
            raise RuntimeError(f"{build_db}: schema {MARTS_SCHEMA} holds no tables; nothing to publish")
        for table, comment in tables:
            con.execute(f'CREATE TABLE main."{table}" AS SELECT * FROM build.{MARTS_SCHEMA}."{table}"')
            row_counts[table] = con.execute(f'SELECT count(*) FROM main."{table}"').fetchone()[0]
            # carry dbt's descriptions over, so `duckdb_columns()` documents the published file too
            if comment:
                con.execute(f'COMMENT ON TABLE main."{table}" IS {sql_string(comment)}')
            for column, column_comment in con.execute(
                "SELECT column_name, comment FROM duckdb_columns() WHERE database_name = 'build' "
                "AND schema_name = ? AND table_name = ? AND comment IS NOT NULL", [MARTS_SCHEMA, table],
            ).fetchall():
                con.execute(f'COMMENT ON COLUMN main."{table}"."{column}" IS {sql_string(column_comment)}')
        con.execute(
            f"""CREATE TABLE main.publication_sources AS
                SELECT source, partition_key, source_file, source_sha256, rows, loaded_at FROM build.{LOADS_TABLE}
                QUALIFY row_number() OVER (PARTITION BY source, partition_key ORDER BY loaded_at DESC) = 1
                ORDER BY source, partition_key"""
        )
        con.execute("COMMENT ON TABLE main.publication_sources IS "
                    "'The source files this publication was built from (name, SHA-256, rows, when loaded), one per source and, for the street feed, per force-month partition.'")
        con.execute(
            "CREATE TABLE main.publication AS SELECT now() AS published_at, ? AS dagster_run_id, ? AS tables",
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
    return Publication(path=published_db, row_counts=row_counts)
