"""The publication's tables as Parquet files, published/parquet/<table>.parquet, for tools that do not read DuckDB.

Written from the new publication file (read-only) by DuckDB's own COPY, into a folder of their own that then
replaces the previous one, so a reader never finds files of two publications side by side.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from orchestration.settings import Settings
from orchestration.warehouse.files import sql_string


def write_parquet(settings: Settings, publication: Path) -> dict[str, int]:
    """Every table of the publication as a Parquet file; returns rows per table."""
    folder = settings.parquet_dir
    staging = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    rows = {}
    with duckdb.connect(str(publication), read_only=True) as con:
        for (table,) in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall():
            target = staging / f"{table}.parquet"
            con.execute(f'COPY "{table}" TO {sql_string(str(target))} (FORMAT parquet, COMPRESSION zstd)')
            rows[table] = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    old = folder.with_name(f"{folder.name}.old-{os.getpid()}")
    if folder.exists():
        os.replace(folder, old)
    os.replace(staging, folder)
    shutil.rmtree(old, ignore_errors=True)
    return rows
