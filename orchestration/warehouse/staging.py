"""The "write" of write-audit-publish: a delivery's rows staged in a temporary table of the ingest step's connection,
where the gate audits them before anything reaches the raw layer.

The table is called `delivery`; every row carries the file it came from and its line in that file, so an audit can
name both. It lives only as long as the connection: a refused or interrupted delivery leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb

from orchestration.warehouse.files import SourceFileError, csv_error_message, read_csv_sql, readable_copy

DELIVERY_TABLE = "delivery"
PROVENANCE = ("_source_file", "_line")  # columns of the delivery table that are not the file's own


def stage_file(con: duckdb.DuckDBPyConnection, columns: Sequence[tuple[str, str]], path: Path, what: str) -> int:
    """Append a file's rows to the delivery table; returns how many. A file that is not a strict CSV with these
    columns and types fails with its line, and stages nothing."""
    with readable_copy(path) as readable:
        try:
            con.execute(f"CREATE OR REPLACE TEMP TABLE staged_file AS SELECT * FROM {read_csv_sql(columns)}",
                        [str(readable)])
        except duckdb.Error as error:
            raise SourceFileError(csv_error_message(path, error, what)) from None
    con.execute(f"""CREATE TEMP TABLE IF NOT EXISTS {DELIVERY_TABLE} AS
                    SELECT *, ''::VARCHAR AS _source_file, 0::BIGINT AS _line FROM staged_file LIMIT 0""")
    # rowid follows the file's order (DuckDB keeps insertion order), and line 1 is the header
    con.execute(f"INSERT INTO {DELIVERY_TABLE} SELECT *, ?, rowid + 2 FROM staged_file", [path.name])
    rows = con.execute("SELECT count(*) FROM staged_file").fetchone()[0]
    con.execute("DROP TABLE staged_file")
    if rows == 0:
        raise SourceFileError(f"{path}: has a header but no data rows; expected {what}")
    return rows


def clear(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"DROP TABLE IF EXISTS {DELIVERY_TABLE}")
