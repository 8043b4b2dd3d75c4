"""Load one source file into its raw table, with provenance, all or nothing.

Each raw table holds the rows of the file most recently loaded for its source (the publishers' files are cumulative
snapshots, so a new edition replaces the old) plus three provenance columns on every row. `raw._loads` keeps one row
per load, so loading a file whose content was already loaded is recognised and changes nothing.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import duckdb

from orchestration.sources import RAW_SCHEMA, SourceSpec

LOADS = "_loads"
LOADS_TABLE = f"{RAW_SCHEMA}.{LOADS}"


class SourceFileError(ValueError):
    """A source file that cannot be loaded as what it claims to be. The message names the file and the place."""


@dataclass(frozen=True)
class LoadResult:
    table: str
    path: Path
    sha256: str
    rows: int
    changed: bool  # False when this exact content was already the loaded one


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def open_csv(path: Path):
    """A CSV file (plain or gzip) opened for csv.reader, without a UTF-8 byte-order mark."""
    opener = gzip.open if path.suffix == ".gz" else open
    return opener(path, "rt", encoding="utf-8-sig", newline="")


def read_header(path: Path) -> list[str] | None:
    """The first row of a CSV file (plain or gzip); None for an empty file."""
    try:
        with open_csv(path) as handle:
            return next(csv.reader(handle), None)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise SourceFileError(f"{path}: cannot be read as a UTF-8 CSV file: {error}") from error


def check_header(spec: SourceSpec, path: Path) -> None:
    found = read_header(path)
    expected = spec.column_names
    if found is None:
        raise SourceFileError(f"{path}: the file is empty; expected a header row with the columns {expected}")
    if found != expected:
        missing = [c for c in expected if c not in found]
        unexpected = [c for c in found if c not in expected]
        detail = f"missing {missing}, unexpected {unexpected}" if missing or unexpected else "same names, other order"
        raise SourceFileError(
            f"{path}: line 1 (header) does not match source '{spec.name}' ({detail}).\n"
            f"  expected columns: {expected}\n  found columns:    {found}"
        )


def check_rows(spec: SourceSpec, path: Path) -> None:
    """Apply the source's row rule to every row, naming the first bad line."""
    if spec.row_check is None:
        return
    with open_csv(path) as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            problem = spec.row_check(row)
            if problem:
                raise SourceFileError(f"{path}: line {reader.line_num}: {problem} (source '{spec.name}')")


def sql_string(text: str) -> str:
    """A SQL string literal (for the places DuckDB takes no parameters: ATTACH, COMMENT ON, struct literals)."""
    return "'" + text.replace("'", "''") + "'"


def read_csv_sql(spec: SourceSpec) -> str:
    """DuckDB read_csv of a source file (path as parameter ?) with the source's columns and types, strictly."""
    columns = "{" + ", ".join(f"{sql_string(name)}: {sql_string(kind)}" for name, kind in spec.columns) + "}"
    return (f"read_csv(?, header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
            f"strict_mode = true, columns = {columns})")


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {RAW_SCHEMA}")
    con.execute(
        f"""CREATE TABLE IF NOT EXISTS {LOADS_TABLE} (
            source VARCHAR NOT NULL, source_file VARCHAR NOT NULL, source_sha256 VARCHAR NOT NULL,
            rows BIGINT NOT NULL, loaded_at TIMESTAMP WITH TIME ZONE NOT NULL,
            partition_key VARCHAR)"""  # partition_key: set for partitioned sources (the street feed)
    )


def raw_table_exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
                       [RAW_SCHEMA, table]).fetchone()[0] > 0


def current_load(con: duckdb.DuckDBPyConnection, source: str) -> tuple[str, int] | None:
    """(sha256, rows) of the file currently loaded for a source, if its raw table exists."""
    if not raw_table_exists(con, source):
        return None
    return con.execute(
        f"SELECT source_sha256, rows FROM {LOADS_TABLE} WHERE source = ? ORDER BY loaded_at DESC LIMIT 1", [source]
    ).fetchone()


@contextmanager
def all_or_nothing(con: duckdb.DuckDBPyConnection, path: Path, source: str) -> Iterator[None]:
    """One transaction: committed if the block completes, else rolled back and reported as a SourceFileError
    naming the file (DuckDB's own message kept: it names the line)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except (duckdb.Error, SourceFileError) as error:
        con.execute("ROLLBACK")
        if isinstance(error, SourceFileError):
            raise
        raise SourceFileError(f"{path}: cannot be loaded as source '{source}': {error}") from error


def load_source_file(con: duckdb.DuckDBPyConnection, spec: SourceSpec, path: Path) -> LoadResult:
    path = Path(path).resolve()
    if not path.is_file():
        raise SourceFileError(f"{path}: no such file (source '{spec.name}')")
    check_header(spec, path)
    check_rows(spec, path)
    sha256 = file_sha256(path)
    ensure_raw_schema(con)
    table = f"{RAW_SCHEMA}.{spec.name}"

    loaded = current_load(con, spec.name)
    if loaded is not None and loaded[0] == sha256:
        return LoadResult(table=table, path=path, sha256=sha256, rows=loaded[1], changed=False)

    with all_or_nothing(con, path, spec.name):
        con.execute(
            f"""CREATE OR REPLACE TABLE {table} AS
                SELECT *, ?::VARCHAR AS _source_file, ?::VARCHAR AS _source_sha256,
                       now() AS _loaded_at
                FROM {read_csv_sql(spec)}""",
            [path.name, sha256, str(path)],
        )
        rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        if rows == 0:
            raise SourceFileError(f"{path}: has a header but no data rows (source '{spec.name}')")
        con.execute(
            f"INSERT INTO {LOADS_TABLE} VALUES (?, ?, ?, ?, now(), NULL)", [spec.name, path.name, sha256, rows]
        )
    return LoadResult(table=table, path=path, sha256=sha256, rows=rows, changed=True)
