"""The data.police.uk street-level feed: one file a month per force, loaded as one partition of raw.police_uk_street.

A partition is (force, month). Loading a file replaces exactly its partition's rows (delete + insert in one
transaction), so a new month costs work in proportion to that month, and a corrected file for a month already held
replaces it. The partition a file belongs to is read from its content (Month and Reported by of the first data row)
and every other row must agree.
"""

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import duckdb
from dagster import MonthlyPartitionsDefinition, MultiPartitionKey, MultiPartitionsDefinition, \
    StaticPartitionsDefinition

from orchestration.ingest import LOADS_TABLE, LoadResult, SourceFileError, all_or_nothing, check_header, \
    ensure_raw_schema, file_sha256, open_csv, read_csv_sql
from orchestration.inspections.reference import seed_rows
from orchestration.deliveries import current_file
from orchestration.sources import RAW_SCHEMA, SourceSpec

STREET = SourceSpec(
    name="police_uk_street",
    relative_path="police-uk/street",  # a folder of <YYYY-MM>-<force id>-street.csv[.gz] (data.police.uk's names)
    columns=(
        ("Crime ID", "VARCHAR"), ("Month", "VARCHAR"), ("Reported by", "VARCHAR"), ("Falls within", "VARCHAR"),
        ("Longitude", "DOUBLE"), ("Latitude", "DOUBLE"), ("Location", "VARCHAR"), ("LSOA code", "VARCHAR"),
        ("LSOA name", "VARCHAR"), ("Crime type", "VARCHAR"), ("Last outcome category", "VARCHAR"),
        ("Context", "VARCHAR"),
    ),
    publisher="data.police.uk",
    description="Street-level crimes and anti-social behaviour incidents, one file a month per force (Crime ID "
    "is blank for ASB), locations anonymised to a nearby point and its LSOA.",
    cadence_days=45,  # monthly, published about six weeks after the month ends
)
STREET_TABLE = f"{RAW_SCHEMA}.{STREET.name}"
FIRST_MONTH = "2010-12-01"  # data.police.uk's street data starts in December 2010


@dataclass(frozen=True)
class Force:
    area_code: str
    data_police_uk_id: str  # data.police.uk's force id, as in its file names ("lancashire")
    name: str  # as data.police.uk writes it in "Reported by" ("Lancashire Constabulary")


@cache
def forces() -> dict[str, Force]:
    """The territorial forces by data.police.uk id, from the forces seed."""
    return {row["data_police_uk_id"]: Force(row["area_code"], row["data_police_uk_id"], row["force_full_name"])
            for row in seed_rows("forces")}


STREET_PARTITIONS = MultiPartitionsDefinition({
    "force": StaticPartitionsDefinition(sorted(forces())),
    "month": MonthlyPartitionsDefinition(start_date=FIRST_MONTH),
})


FILE_NAME = re.compile(r"^(\d{4}-\d{2})-([a-z-]+)-street\.csv(?:\.gz)?$")


@dataclass(frozen=True)
class StreetMonth:
    force: Force
    month: date  # first day of the month

    @property
    def partition_key(self) -> MultiPartitionKey:
        return MultiPartitionKey({"force": self.force.data_police_uk_id, "month": self.month.isoformat()})

    @property
    def archive_kind(self) -> str:
        """Archive folder of this partition's deliveries: police_uk_street/<force id>/<YYYY-MM>."""
        return f"{STREET.name}/{self.force.data_police_uk_id}/{self.month:%Y-%m}"

    @property
    def file_name(self) -> str:
        return f"{self.month:%Y-%m}-{self.force.data_police_uk_id}-street.csv"

    @classmethod
    def from_file_name(cls, name: str) -> "StreetMonth | None":
        """The partition data.police.uk's name for a file says (<YYYY-MM>-<force id>-street.csv[.gz]), if a
        territorial force's; the content stays the authority when a file is loaded."""
        match = FILE_NAME.match(name)
        if not match or match[2] not in forces():
            return None
        return cls(forces()[match[2]], date.fromisoformat(match[1] + "-01"))

    @classmethod
    def from_partition_key(cls, key: MultiPartitionKey) -> "StreetMonth":
        dimensions = key.keys_by_dimension
        return cls(forces()[dimensions["force"]], date.fromisoformat(dimensions["month"]))


def street_month_of(path: Path) -> StreetMonth:
    """The partition a street file belongs to, from its first data row."""
    check_header(STREET, path)
    with open_csv(path) as handle:
        row = next(csv.DictReader(handle), None)
    if row is None:
        raise SourceFileError(f"{path}: has a header but no data rows (source '{STREET.name}')")
    by_name = {force.name: force for force in forces().values()}
    if row["Reported by"] not in by_name:
        raise SourceFileError(f"{path}: line 2: 'Reported by' is '{row['Reported by']}', not one of the 43 "
                              f"territorial forces as data.police.uk names them (e.g. 'Lancashire Constabulary')")
    try:
        month = date.fromisoformat(row["Month"] + "-01")
    except ValueError:
        raise SourceFileError(f"{path}: line 2: Month is '{row['Month']}', expected YYYY-MM") from None
    return StreetMonth(by_name[row["Reported by"]], month)


def _first_disagreeing_line(path: Path, partition: StreetMonth) -> str:
    """Only on the error path: the first line whose Month or Reported by differs from the file's partition."""
    with open_csv(path) as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            if row["Month"] != f"{partition.month:%Y-%m}" or row["Reported by"] != partition.force.name:
                return (f"line {reader.line_num}: Month '{row['Month']}', Reported by '{row['Reported by']}'; "
                        f"expected {partition.month:%Y-%m} and {partition.force.name} like line 2")
    return "a row disagrees with line 2"


def ensure_street_table(con: duckdb.DuckDBPyConnection) -> None:
    ensure_raw_schema(con)
    columns = ", ".join(f'"{name}" {kind}' for name, kind in STREET.columns)
    con.execute(f"""CREATE TABLE IF NOT EXISTS {STREET_TABLE} ({columns}, _force_id VARCHAR NOT NULL,
                    _month DATE NOT NULL, _source_file VARCHAR NOT NULL, _source_sha256 VARCHAR NOT NULL,
                    _loaded_at TIMESTAMP WITH TIME ZONE NOT NULL)""")


def load_street_month(con: duckdb.DuckDBPyConnection, path: Path, partition: StreetMonth) -> LoadResult:
    """Replace one (force, month) partition of raw.police_uk_street with a file's rows, all or nothing."""
    path = Path(path).resolve()
    found = street_month_of(path)
    if found != partition:
        raise SourceFileError(f"{path}: line 2 says {found.force.name} {found.month:%Y-%m}; this run loads "
                              f"partition {partition.force.name} {partition.month:%Y-%m}")
    sha256, key = file_sha256(path), str(partition.partition_key)
    ensure_street_table(con)
    loaded = con.execute(f"SELECT source_sha256, rows FROM {LOADS_TABLE} WHERE source = ? AND partition_key = ? "
                         "ORDER BY loaded_at DESC LIMIT 1", [STREET.name, key]).fetchone()
    if loaded is not None and loaded[0] == sha256:
        return LoadResult(table=STREET_TABLE, path=path, sha256=sha256, rows=loaded[1], changed=False)

    with all_or_nothing(con, path, STREET.name):
        # DuckDB's reader names the line of a row cut short (a file copied while still being written)
        con.execute(f"CREATE OR REPLACE TEMP TABLE incoming AS SELECT * FROM {read_csv_sql(STREET)}", [str(path)])
        rows, disagreeing = con.execute(
            """SELECT count(*), count(*) FILTER (WHERE "Month" IS DISTINCT FROM ? OR "Reported by" IS DISTINCT FROM ?)
               FROM incoming""", [f"{partition.month:%Y-%m}", partition.force.name]).fetchone()
        if disagreeing:
            raise SourceFileError(f"{path}: {_first_disagreeing_line(path, partition)} (source '{STREET.name}'; "
                                  f"{disagreeing} rows disagree)")
        con.execute(f"DELETE FROM {STREET_TABLE} WHERE _force_id = ? AND _month = ?",
                    [partition.force.data_police_uk_id, partition.month])
        con.execute(f"INSERT INTO {STREET_TABLE} SELECT *, ?, ?, ?, ?, now() FROM incoming",
                    [partition.force.data_police_uk_id, partition.month, path.name, sha256])
        con.execute(f"INSERT INTO {LOADS_TABLE} VALUES (?, ?, ?, ?, now(), ?)",
                    [STREET.name, path.name, sha256, rows, key])
        con.execute("DROP TABLE incoming")
    return LoadResult(table=STREET_TABLE, path=path, sha256=sha256, rows=rows, changed=True)


def embedded_street_files(data_dir: Path) -> list[Path]:
    return sorted((data_dir / STREET.relative_path).glob("*-street.csv*"))


def street_file(partition: StreetMonth, archive_dir: Path, data_dir: Path) -> Path:
    """The file a partition loads by default: its newest delivery through the landing zone, else the embedded one
    (plain or gzipped)."""
    embedded = data_dir / STREET.relative_path / partition.file_name
    embedded = next(embedded.parent.glob(embedded.name + "*"), embedded)
    path = current_file(partition.archive_kind, archive_dir, embedded)
    if not path.is_file():
        raise SourceFileError(f"no file for {partition.force.name} {partition.month:%Y-%m}: none delivered to "
                              f"{archive_dir / partition.archive_kind} and none embedded as {embedded}[.gz]")
    return path
