"""raw._loads: one row per load that changed the raw layer, so the warehouse knows which file each source (or street
force-month) holds, loads the same content only once, and can tell a delivery of new content from a reload.

A partition_key is set for the street feed ("<force id>|<YYYY-MM>"); a row with rows = 0 and no sha256 records that
a force-month was removed (its delivery was refused after it had been loaded, and no earlier file exists).
"""

from __future__ import annotations

import json

import duckdb

RAW_SCHEMA = "raw"
LOADS_TABLE = f"{RAW_SCHEMA}._loads"


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {RAW_SCHEMA}")
    con.execute(f"""CREATE TABLE IF NOT EXISTS {LOADS_TABLE} (
        source VARCHAR NOT NULL, partition_key VARCHAR, source_file VARCHAR NOT NULL, source_sha256 VARCHAR,
        rows BIGINT NOT NULL, loaded_at TIMESTAMP WITH TIME ZONE NOT NULL, run_id VARCHAR,
        audit JSON)""")  # audit: the gate's failed (warning) expectations when the delivery was let in


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
                       [schema, table]).fetchone()[0] > 0


def current_loads(con: duckdb.DuckDBPyConnection, source: str) -> dict[str | None, tuple[str | None, int]]:
    """partition key (None for a whole-file source) -> (sha256, rows) of what the raw layer holds now."""
    if not table_exists(con, RAW_SCHEMA, "_loads"):
        return {}
    return {key: (sha, rows) for key, sha, rows in con.execute(
        f"""SELECT partition_key, source_sha256, rows FROM {LOADS_TABLE} WHERE source = ?
            QUALIFY row_number() OVER (PARTITION BY partition_key ORDER BY loaded_at DESC) = 1""",
        [source]).fetchall() if sha is not None}


def record_load(con: duckdb.DuckDBPyConnection, source: str, partition_key: str | None, source_file: str,
                sha256: str | None, rows: int, run_id: str | None, audit: list[dict] | None = None) -> None:
    con.execute(f"INSERT INTO {LOADS_TABLE} VALUES (?, ?, ?, ?, ?, now(), ?, ?)",
                [source, partition_key, source_file, sha256, rows, run_id, json.dumps(audit or [])])


def last_audit(con: duckdb.DuckDBPyConnection, source: str) -> tuple[str, list[dict]] | None:
    """(when, failed expectations) of the source's latest load: what its gate said when the data was let in."""
    if not table_exists(con, RAW_SCHEMA, "_loads"):
        return None
    row = con.execute(f"SELECT loaded_at, audit FROM {LOADS_TABLE} WHERE source = ? AND source_sha256 IS NOT NULL "
                      "ORDER BY loaded_at DESC LIMIT 1", [source]).fetchone()
    return (row[0].isoformat(timespec="seconds"), json.loads(row[1] or "[]")) if row else None


def last_new_content(con: duckdb.DuckDBPyConnection, source: str):
    """When content this source had never held before was last loaded (a reload of an older file is not a delivery)."""
    if not table_exists(con, RAW_SCHEMA, "_loads"):
        return None
    return con.execute(
        f"""SELECT max(loaded_at) FROM (
                SELECT loaded_at, row_number() OVER (PARTITION BY source_sha256 ORDER BY loaded_at) AS nth
                FROM {LOADS_TABLE} WHERE source = ? AND source_sha256 IS NOT NULL) WHERE nth = 1""",
        [source]).fetchone()[0]
