"""Load one snapshot source file into its raw table: write, audit, publish.

The file is staged (orchestration/warehouse/delivery.py), audited by the source's expectation suites, and only if
no critical expectation fails does it replace the raw table, in one transaction with its row in raw._loads. A
refused file leaves the raw table, the ledger and everything downstream exactly as they were. Loading content that
is already loaded changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from dagster import AssetKey

from orchestration.gate.resource import Gate
from orchestration.gate.suites import Outcome, suites_gating, summarise
from orchestration.sources.specs import SourceSpec
from orchestration.warehouse import staging
from orchestration.warehouse.files import SourceFileError, file_sha256, header_problem, read_header
from orchestration.warehouse.ledger import RAW_SCHEMA, current_loads, ensure_raw_schema, record_load


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
    changed: bool  # False when this exact content was already the loaded one
    outcomes: list[Outcome] = field(default_factory=list)  # the audit of this load (none when unchanged)


def raw_key(spec: SourceSpec) -> AssetKey:
    return AssetKey([RAW_SCHEMA, spec.name])


def load_source(con: duckdb.DuckDBPyConnection, spec: SourceSpec, path: Path, gate: Gate,
                run_id: str | None = None) -> Load:
    path = Path(path).resolve()
    if not path.is_file():
        raise SourceFileError(f"{path}: no such file (source {spec.name})")
    sha256 = file_sha256(path)
    ensure_raw_schema(con)
    held = current_loads(con, spec.name).get(None)
    if held and held[0] == sha256:
        return Load(path, sha256, held[1], changed=False)

    problem = header_problem(path, read_header(path), spec.column_names, f"{spec.label}")
    if problem:
        raise SourceFileError(problem)
    staging.clear(con)
    try:
        rows = staging.stage_file(con, spec.columns, path, spec.label)
        outcomes = [gate.evaluate(con, suite) for suite in suites_gating(raw_key(spec))]
        if any(outcome.failed_of("critical") for outcome in outcomes):
            raise DeliveryRefused(path, outcomes)
        warnings = [{**f, "suite": outcome.suite.name} for outcome in outcomes for f in outcome.failed_of("warning")]
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(f"""CREATE OR REPLACE TABLE {RAW_SCHEMA}.{spec.name} AS
                            SELECT * EXCLUDE ({', '.join(staging.PROVENANCE)}), ?::VARCHAR AS _source_file,
                                   ?::VARCHAR AS _source_sha256, now() AS _loaded_at
                            FROM {staging.DELIVERY_TABLE} ORDER BY _line""", [path.name, sha256])
            record_load(con, spec.name, None, path.name, sha256, rows, run_id, warnings)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
        staging.clear(con)
    return Load(path, sha256, rows, changed=True, outcomes=outcomes)
