"""`forcestat export`: published tables, or the result of one query, as Parquet or CSV files for tools that do not
read DuckDB. Everything is read through the sealed read-only connection (so a query can read nothing but the
published file); a separate in-memory DuckDB, which holds no database file, writes each result into the folder
given."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from orchestration.publication.reader import NotPublished, connect
from orchestration.settings import Settings
from orchestration.warehouse.files import sql_string

FORMATS = {"parquet": "(FORMAT parquet, COMPRESSION zstd)", "csv": "(FORMAT csv, HEADER)"}


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def as_published(description) -> str:
    """The result's columns cast back to the types the query gave them: the pandas frame that carries the rows from
    the sealed connection to the writer widens DATE to TIMESTAMP and DECIMAL to DOUBLE."""
    return ", ".join(f"CAST({_identifier(name)} AS {kind}) AS {_identifier(name)}" for name, kind, *_ in description)


def published_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [name for (name,) in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]


def export(settings: Settings, tables: list[str], query: str | None, name: str, out_dir: Path, fmt: str) -> int:
    try:
        sealed = connect(settings)
    except NotPublished as error:
        print(f"forcestat export: {error}", file=sys.stderr)
        return 1
    available = published_tables(sealed)
    unknown = sorted(set(tables) - set(available))
    if unknown:
        print(f"forcestat export: no published table {', '.join(unknown)}; the tables are: {', '.join(available)}",
              file=sys.stderr)
        return 2
    selections = {name: query} if query is not None else {t: f'SELECT * FROM "{t}"' for t in tables or available}
    writer = duckdb.connect()
    with sealed:
        for table, select in selections.items():
            try:
                cursor = sealed.execute(select)
                frame = cursor.df()
            except duckdb.Error as error:
                print(f"forcestat export: {str(error).splitlines()[0]}", file=sys.stderr)
                return 2
            out_dir.mkdir(parents=True, exist_ok=True)
            target = out_dir / f"{table}.{fmt}"
            writer.register("result", frame)
            writer.execute(f"COPY (SELECT {as_published(cursor.description)} FROM result) TO {sql_string(str(target))} "
                           f"{FORMATS[fmt]}")
            writer.unregister("result")
            print(f"{target}  ({len(frame):,} rows)")
    return 0
