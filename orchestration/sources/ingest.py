"""Load one snapshot source file into its raw table: write, audit, publish.

The file (a CSV, the publisher's own workbook, or a file the source's own reader reads) is staged
(orchestration/warehouse/staging.py), audited by the source's expectation suites, and only if no critical expectation
fails does it replace the raw table - or, for a source published in parts, its part - in one transaction with its
row in raw._loads. A refused file leaves the raw table, the ledger and everything downstream exactly as they were.
Content already loaded changes nothing: the same file (by its sha256), or the same rows in another form (by their
fingerprint: the publisher's workbook of the rows the embedded CSV holds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from dagster import AssetKey

from orchestration.gate.resource import Gate
from orchestration.gate.suites import Outcome, suites_gating, summarise
from orchestration.sources.specs import SourceSpec, part_key
from orchestration.warehouse import staging
from orchestration.warehouse.files import SourceFileError, file_sha256, header_problem, read_header
from orchestration.warehouse.ledger import RAW_SCHEMA, current_loads, ensure_raw_schema, record_load, table_exists


class DeliveryRefused(ValueError):
    """A delivery the quality gate refused: the message names the file, the suites and the failing values."""

    def __init__(self, path: Path, outcomes: list[Outcome]):
        self.outcomes = outcomes
        failures = [f"  - {outcome.suite.name}: {summarise(f)}" for outcome in outcomes
                    for f in outcome.failed_of("critical")]
        super().__init__(f"{path}: refused by the quality gate ({len(failures)} critical expectations failed):\n"
                         + "\n".join(failures))


@dataclass(frozen=True)
class Load:
    path: Path
    sha256: str
    rows: int
    changed: bool  # False when this content was already the loaded one
    part: str | None = None  # the part of a source published in parts this file holds
    outcomes: list[Outcome] = field(default_factory=list)  # the audit of this load (none when unchanged)


def raw_key(spec: SourceSpec) -> AssetKey:
    return AssetKey([RAW_SCHEMA, spec.name])


def stage(con: duckdb.DuckDBPyConnection, spec: SourceSpec, path: Path) -> int:
    if spec.reader is not None:
        return spec.reader.stage(con, spec.columns, path)
    if spec.is_workbook(path):
        return staging.stage_workbook(con, spec.columns, path, spec.label, spec.workbook)
    problem = header_problem(path, read_header(path), spec.column_names, spec.label)
    if problem:
        raise SourceFileError(problem)
    return staging.stage_file(con, spec.columns, path, spec.label)


def staged_part(con: duckdb.DuckDBPyConnection, spec: SourceSpec, path: Path) -> str | None:
    """The one part a staged file holds (None for a whole-file source)."""
    if spec.partition_column is None:
        return None
    values = [value for (value,) in con.execute(
        f'SELECT DISTINCT "{spec.partition_column}" FROM {staging.DELIVERY_TABLE} ORDER BY 1').fetchall()]
    if len(values) != 1:
        raise SourceFileError(f"{path}: holds {spec.partition_column} {values}; a file of {spec.label} holds one")
    return values[0]


def fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """The staged rows' content, whatever the file's form: their count and the sum of each row's hash."""
    rows, total = con.execute(f"""SELECT count(*), sum(hash(*COLUMNS(* EXCLUDE ({", ".join(staging.PROVENANCE)}))))
                                  FROM {staging.DELIVERY_TABLE}""").fetchone()
    return f"{rows}:{total}"


def load_source(con: duckdb.DuckDBPyConnection, spec: SourceSpec, path: Path, gate: Gate,
                run_id: str | None = None) -> Load:
    path = Path(path).resolve()
    if not path.is_file():
        raise SourceFileError(f"{path}: no such file (source {spec.name})")
    sha256 = file_sha256(path)
    ensure_raw_schema(con)
    held = current_loads(con, spec.name)
    same_file = next((key for key, load in held.items() if load.sha256 == sha256), False)
    if same_file is not False:
        return Load(path, sha256, held[same_file].rows, changed=False, part=same_file)
    staging.clear(con)
    try:
        rows = stage(con, spec, path)
        value = staged_part(con, spec, path)
        part = part_key(value) if value is not None else None
        content = fingerprint(con)
        if part in held and held[part].fingerprint == content:
            return Load(path, sha256, rows, changed=False, part=part)
        outcomes = [gate.evaluate(con, suite) for suite in suites_gating(raw_key(spec))]
        if any(outcome.failed_of("critical") for outcome in outcomes):
            raise DeliveryRefused(path, outcomes)
        warnings = [{**f, "suite": outcome.suite.name} for outcome in outcomes for f in outcome.failed_of("warning")]
        con.execute("BEGIN TRANSACTION")
        try:
            if _dropped_for_new_columns(con, spec):
                # its other parts' rows went with the old table: the ledger says so, and the next refresh loads
                # their current files again
                for other in [key for key in held if key not in (None, part)]:
                    record_load(con, spec.name, other, "(removed: the table's columns changed)", None, 0, run_id)
            _replace(con, spec, value, path, sha256)
            record_load(con, spec.name, part, path.name, sha256, rows, run_id, warnings, content)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
        staging.clear(con)
    return Load(path, sha256, rows, changed=True, part=part, outcomes=outcomes)


def _dropped_for_new_columns(con: duckdb.DuckDBPyConnection, spec: SourceSpec) -> bool:
    """A source in parts whose raw table has other columns than its spec (a new version of it) starts a new table."""
    if spec.partition_column is None or not table_exists(con, RAW_SCHEMA, spec.name):
        return False
    table = con.execute("SELECT column_name FROM duckdb_columns() WHERE schema_name = ? AND table_name = ? "
                        "AND database_name = current_database() ORDER BY column_index",
                        [RAW_SCHEMA, spec.name]).fetchall()
    if [name for (name,) in table] == [*spec.column_names, "_source_file", "_source_sha256", "_loaded_at"]:
        return False
    con.execute(f"DROP TABLE {RAW_SCHEMA}.{spec.name}")
    return True


def _replace(con: duckdb.DuckDBPyConnection, spec: SourceSpec, value: str | None, path: Path, sha256: str) -> None:
    """Replace the raw table (or its part) with the staged rows."""
    table = f"{RAW_SCHEMA}.{spec.name}"
    rows = f"""SELECT * EXCLUDE ({', '.join(staging.PROVENANCE)}), ?::VARCHAR AS _source_file,
                      ?::VARCHAR AS _source_sha256, now() AS _loaded_at
               FROM {staging.DELIVERY_TABLE} ORDER BY _sheet NULLS FIRST, _line"""
    if spec.partition_column is None:
        con.execute(f"CREATE OR REPLACE TABLE {table} AS {rows}", [path.name, sha256])
        return
    con.execute(f"CREATE TABLE IF NOT EXISTS {table} AS {rows} LIMIT 0", [path.name, sha256])
    con.execute(f'DELETE FROM {table} WHERE "{spec.partition_column}" = ?', [value])
    con.execute(f"INSERT INTO {table} {rows}", [path.name, sha256])
