"""Load street files into raw.police_uk_street, force-month by force-month: write, audit, publish.

A batch of files (a national month, or one late or corrected force file) is staged together, audited by the street
suites, and each file the gate accepts replaces exactly its force-month (delete + insert) in one transaction with
its row in raw._loads. A file that cannot be read, that mixes months or forces, or that fails a critical expectation
is refused on its own: the other files of the batch still go in. Content already loaded for its force-month is not
loaded again.

`sync` makes the raw table hold exactly the current file of every force-month: the embedded files, overridden by
the last delivery of each force-month; a force-month held but no longer backed by any file (its delivery was
refused after loading) is removed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from dagster import AssetKey

from orchestration.gate.resource import Gate
from orchestration.gate.suites import Outcome, suites_gating, summarise
from orchestration.street.feed import (
    COLUMNS,
    LABEL,
    MONTHS,
    SOURCE,
    NotTerritorial,
    StreetMonth,
    current_files,
    identify,
)
from orchestration.warehouse import staging
from orchestration.warehouse.files import SourceFileError, file_sha256
from orchestration.warehouse.ledger import LOADS_TABLE, RAW_SCHEMA, current_loads, ensure_raw_schema, record_load

TABLE = f"{RAW_SCHEMA}.{SOURCE}"
STREET_KEY = AssetKey([RAW_SCHEMA, SOURCE])
MONTHS_KEY = AssetKey([RAW_SCHEMA, MONTHS])


@dataclass(frozen=True)
class FileOutcome:
    path: Path
    month: StreetMonth | None
    sha256: str
    rows: int
    status: str  # loaded, unchanged, refused, not ingested
    reason: str | None = None


@dataclass
class StreetBatch:
    files: list[FileOutcome] = field(default_factory=list)
    removed: list[StreetMonth] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)  # the gate's audit of the staged files

    def having(self, status: str) -> list[FileOutcome]:
        return [f for f in self.files if f.status == status]

    @property
    def changed(self) -> bool:
        return bool(self.having("loaded") or self.removed)


def ensure_table(con: duckdb.DuckDBPyConnection) -> None:
    """The raw table exists from the first run, so the models over it build before any month is delivered."""
    ensure_raw_schema(con)
    columns = ", ".join(f'"{name}" {kind}' for name, kind in COLUMNS)
    con.execute(f"""CREATE TABLE IF NOT EXISTS {TABLE} ({columns}, _force_id VARCHAR NOT NULL, _month DATE NOT NULL,
                    _source_file VARCHAR NOT NULL, _source_sha256 VARCHAR NOT NULL,
                    _loaded_at TIMESTAMP WITH TIME ZONE NOT NULL)""")
    con.execute(f"""CREATE OR REPLACE VIEW {RAW_SCHEMA}.{MONTHS} AS
        SELECT split_part(partition_key, '|', 1) AS force_id,
               cast(split_part(partition_key, '|', 2) || '-01' AS DATE) AS month,
               source_file, source_sha256, rows, loaded_at, source_sha256 IS NULL AS removed
        FROM {LOADS_TABLE} WHERE source = '{SOURCE}'
        QUALIFY row_number() OVER (PARTITION BY partition_key ORDER BY loaded_at DESC) = 1""")


def load_files(con: duckdb.DuckDBPyConnection, paths: list[Path], gate: Gate, run_id: str | None = None,
               known_sha256: dict[Path, str] | None = None) -> StreetBatch:
    ensure_table(con)
    batch = StreetBatch()
    held = current_loads(con, SOURCE)
    candidates: dict[str, list[tuple[Path, StreetMonth, str, dict]]] = defaultdict(list)
    for path in paths:
        path = Path(path).resolve()
        sha256 = (known_sha256 or {}).get(path) or file_sha256(path)
        try:
            month, first_row = identify(path)
        except NotTerritorial as error:
            batch.files.append(FileOutcome(path, None, sha256, 0, "not ingested", str(error)))
            continue
        except SourceFileError as error:
            batch.files.append(FileOutcome(path, None, sha256, 0, "refused", str(error)))
            continue
        if month.partition_key in held and held[month.partition_key].sha256 == sha256:
            batch.files.append(FileOutcome(path, month, sha256, held[month.partition_key].rows, "unchanged"))
            continue
        candidates[month.partition_key].append((path, month, sha256, first_row))

    staged = []
    staging.clear(con)
    con.execute("""CREATE OR REPLACE TEMP TABLE delivery_files (_source_file VARCHAR, _force_id VARCHAR,
                   _month DATE, month_text VARCHAR, reported_by VARCHAR, sha256 VARCHAR, rows BIGINT)""")
    singles = []
    for files in candidates.values():
        if len(files) > 1:
            names = ", ".join(path.name for path, *_ in files)
            for path, month, sha256, _ in files:
                batch.files.append(FileOutcome(path, month, sha256, 0, "refused",
                                               f"{path}: one delivery holds {len(files)} files for {month.label} "
                                               f"({names}); deliver one"))
            continue
        singles += files
    # all in one read; when that fails, file by file, each refused on its own with its line
    together = staging.stage_files(con, COLUMNS, [path for path, *_ in singles])
    for path, month, sha256, first_row in singles:
        try:
            rows = together[path] if together is not None else staging.stage_file(con, COLUMNS, path, LABEL)
        except SourceFileError as error:
            batch.files.append(FileOutcome(path, month, sha256, 0, "refused", str(error)))
            continue
        con.execute("INSERT INTO delivery_files VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [path.name, month.force.data_police_uk_id, month.month, first_row["Month"],
                     first_row["Reported by"], sha256, rows])
        staged.append((path, month, sha256, rows))

    if not staged:
        con.execute("DROP TABLE IF EXISTS delivery_files")
        return batch
    try:
        refused = _disagreeing_rows(con)
        batch.outcomes = [gate.evaluate(con, suite) for suite in suites_gating(STREET_KEY)]
        for outcome in batch.outcomes:
            for name in outcome.rejected("_source_file"):
                for path, *_ in staged:
                    if name in ("*", path.name):
                        refused.setdefault(path.name, f"{path}: refused by the quality gate: " + "; ".join(
                            f"{outcome.suite.name}: {summarise(f)}" for f in outcome.failed_of("critical")
                            if name == "*" or path.name in f.get("by", {}).get("_source_file", [path.name])))
        accepted = [entry for entry in staged if entry[0].name not in refused]
        for path, month, sha256, rows in staged:
            if path.name in refused:
                batch.files.append(FileOutcome(path, month, sha256, rows, "refused", refused[path.name]))
        if accepted:
            warnings = [{**f, "suite": o.suite.name} for o in batch.outcomes for f in o.failed_of("warning")]
            _replace(con, accepted, run_id, warnings)
            batch.files += [FileOutcome(path, month, sha256, rows, "loaded") for path, month, sha256, rows in accepted]
    finally:
        staging.clear(con)
        con.execute("DROP TABLE IF EXISTS delivery_files")
    return batch


def _disagreeing_rows(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Files with a row whose Month or Reported by differs from their first row's: file name -> the first such line."""
    found = {}
    for name, line, month, reported_by, expected_month, expected_by, count in con.execute(
        f"""SELECT d._source_file, d._line, d."Month", d."Reported by", f.month_text, f.reported_by,
                   count(*) OVER (PARTITION BY d._source_file)
            FROM {staging.DELIVERY_TABLE} AS d JOIN delivery_files AS f USING (_source_file)
            WHERE d."Month" IS DISTINCT FROM f.month_text OR d."Reported by" IS DISTINCT FROM f.reported_by
            QUALIFY row_number() OVER (PARTITION BY d._source_file ORDER BY d._line) = 1""").fetchall():
        found[name] = (f"{name}: line {line}: Month '{month}', Reported by '{reported_by}'; every row of a street "
                       f"file must be {expected_month} and {expected_by} like line 2 ({count} rows differ)")
    return found


def _replace(con: duckdb.DuckDBPyConnection, accepted: list, run_id: str | None, warnings: list[dict]) -> None:
    names = [path.name for path, *_ in accepted]
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"""DELETE FROM {TABLE} WHERE (_force_id, _month) IN (
                            SELECT (_force_id, _month) FROM delivery_files WHERE _source_file IN ?)""", [names])
        con.execute(f"""INSERT INTO {TABLE}
                        SELECT d.* EXCLUDE ({', '.join(staging.PROVENANCE)}), f._force_id, f._month,
                               d._source_file, f.sha256, now()
                        FROM {staging.DELIVERY_TABLE} AS d JOIN delivery_files AS f USING (_source_file)
                        WHERE d._source_file IN ? ORDER BY f._month, f._force_id, d._line""", [names])
        for path, month, sha256, rows in accepted:
            record_load(con, SOURCE, month.partition_key, path.name, sha256, rows, run_id, warnings)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def remove_months(con: duckdb.DuckDBPyConnection, months: list[StreetMonth], run_id: str | None) -> None:
    if not months:
        return
    con.execute("BEGIN TRANSACTION")
    try:
        for month in months:
            con.execute(f"DELETE FROM {TABLE} WHERE _force_id = ? AND _month = ?",
                        [month.force.data_police_uk_id, month.month])
            record_load(con, SOURCE, month.partition_key, "(removed: no current file)", None, 0, run_id)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def sync(con: duckdb.DuckDBPyConnection, data_dir: Path, archive_dir: Path, gate: Gate,
         run_id: str | None = None) -> StreetBatch:
    """Make the raw table hold exactly the current file of every force-month."""
    ensure_table(con)
    current = current_files(data_dir, archive_dir)
    held = current_loads(con, SOURCE)
    known = {path.resolve(): sha for path, sha in current.values() if sha}
    todo = [path for month, (path, sha) in current.items()
            if month.partition_key not in held or held[month.partition_key].sha256 != (sha or file_sha256(path))]
    batch = load_files(con, todo, gate, run_id, known) if todo else StreetBatch()
    backed = {month.partition_key for month in current}
    batch.removed = [StreetMonth.from_partition_key(key) for key in held if key not in backed]
    remove_months(con, batch.removed, run_id)
    return batch
