"""raw._loads: one row per load that changed the raw layer, so the warehouse knows which file each source (or street
force-month) holds, loads the same content only once, and can tell a delivery of new content from a reload.

A partition_key is set for a source delivered in parts (a street force-month "<force id>|<YYYY-MM>", an outcomes year
"2024-25", a report's file name); a row with rows = 0 and no sha256 records that a force-month was removed (its
delivery was refused after it had been loaded, and no earlier file exists). content_fingerprint is a hash of the rows
as loaded, whatever the file's form: a publisher's workbook holding exactly the rows of the CSV loaded before is the
same content, and is not loaded or published again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import duckdb

RAW_SCHEMA = "raw"
LOADS_TABLE = f"{RAW_SCHEMA}._loads"


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {RAW_SCHEMA}")
    con.execute(f"""CREATE TABLE IF NOT EXISTS {LOADS_TABLE} (
        source VARCHAR NOT NULL, partition_key VARCHAR, source_file VARCHAR NOT NULL, source_sha256 VARCHAR,
        rows BIGINT NOT NULL, loaded_at TIMESTAMP WITH TIME ZONE NOT NULL, run_id VARCHAR,
        audit JSON)""")  # audit: the gate's failed (warning) expectations when the delivery was let in
    con.execute(f"ALTER TABLE {LOADS_TABLE} ADD COLUMN IF NOT EXISTS content_fingerprint VARCHAR")


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
                       [schema, table]).fetchone()[0] > 0


@dataclass(frozen=True)
class Held:
    sha256: str
    rows: int
    fingerprint: str | None


def current_loads(con: duckdb.DuckDBPyConnection, source: str) -> dict[str | None, Held]:
    """partition key (None for a whole-file source) -> what the raw layer holds now."""
    if not table_exists(con, RAW_SCHEMA, "_loads"):
        return {}
    return {key: Held(sha, rows, fingerprint) for key, sha, rows, fingerprint in con.execute(
        f"""SELECT partition_key, source_sha256, rows, content_fingerprint FROM {LOADS_TABLE} WHERE source = ?
            QUALIFY row_number() OVER (PARTITION BY partition_key ORDER BY loaded_at DESC) = 1""",
        [source]).fetchall() if sha is not None}


def record_load(con: duckdb.DuckDBPyConnection, source: str, partition_key: str | None, source_file: str,
                sha256: str | None, rows: int, run_id: str | None, audit: list[dict] | None = None,
                fingerprint: str | None = None) -> None:
    con.execute(f"INSERT INTO {LOADS_TABLE} (source, partition_key, source_file, source_sha256, rows, loaded_at, "
                "run_id, audit, content_fingerprint) VALUES (?, ?, ?, ?, ?, now(), ?, ?, ?)",
                [source, partition_key, source_file, sha256, rows, run_id, json.dumps(audit or []), fingerprint])


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
