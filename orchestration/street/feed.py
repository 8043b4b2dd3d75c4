"""The data.police.uk street-level feed: one CSV a month per force. What a file is (which force, which month) is read
from its rows; data.police.uk's file name (<YYYY-MM>-<force id>-street.csv) is only a hint, used for the embedded
files and to pick a zip's members."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from orchestration.publishers.data_police_uk import PoliceUkArchive
from orchestration.warehouse.archive import current_delivery
from orchestration.warehouse.files import SourceFileError, first_row, header_problem
from orchestration.warehouse.kinds import Miss, csv_header
from orchestration.warehouse.reference import Force, force_named, forces_by_police_uk_id

SOURCE = "police_uk_street"  # raw table, asset name and raw._loads source
MONTHS = f"{SOURCE}_months"  # a view: the street force-months as the loads ledger holds them now
PUBLISHER = "data.police.uk"
COLUMNS: tuple[tuple[str, str], ...] = (
    ("Crime ID", "VARCHAR"), ("Month", "VARCHAR"), ("Reported by", "VARCHAR"), ("Falls within", "VARCHAR"),
    ("Longitude", "DOUBLE"), ("Latitude", "DOUBLE"), ("Location", "VARCHAR"), ("LSOA code", "VARCHAR"),
    ("LSOA name", "VARCHAR"), ("Crime type", "VARCHAR"), ("Last outcome category", "VARCHAR"), ("Context", "VARCHAR"),
)
COLUMN_NAMES = [name for name, _ in COLUMNS]
LABEL = "a data.police.uk street-level file (one force, one month)"
DESCRIPTION = ("Street-level crimes and anti-social behaviour incidents, one file a month per force (Crime ID is "
               "blank for ASB), locations anonymised to a nearby point and its LSOA.")
CADENCE_DAYS = 45  # monthly, published about six weeks after the month ends
FIRST_MONTH = date(2010, 12, 1)  # data.police.uk's street data starts in December 2010
EMBEDDED_FOLDER = "police-uk/street"  # inside the data folder
# data.police.uk lists the months it holds (36) and serves them in its monthly archive zip
PUBLISHER_FEED = PoliceUkArchive(SOURCE)
FILE_NAME = re.compile(r"^(\d{4}-\d{2})-([a-z-]+)-street\.csv(?:\.gz)?$")


class NotTerritorial(SourceFileError):
    """A real street file of a force outside the 43 (British Transport Police, Northern Ireland): not ingested."""


@dataclass(frozen=True, order=True)
class StreetMonth:
    force: Force
    month: date  # first day of the month

    @property
    def partition_key(self) -> str:
        """How raw._loads and publication_sources name a force-month: "lancashire|2014-03"."""
        return f"{self.force.data_police_uk_id}|{self.month:%Y-%m}"

    @property
    def archive_folder(self) -> str:
        return f"{SOURCE}/{self.force.data_police_uk_id}/{self.month:%Y-%m}"

    @property
    def label(self) -> str:
        return f"{self.force.full_name} {self.month:%Y-%m}"

    @classmethod
    def from_partition_key(cls, key: str) -> StreetMonth:
        force_id, month = key.split("|")
        return cls(forces_by_police_uk_id()[force_id], date.fromisoformat(month + "-01"))

    @classmethod
    def from_file_name(cls, name: str) -> StreetMonth | None:
        """The force-month data.police.uk's name for a file says, if a territorial force's."""
        match = FILE_NAME.match(name)
        force = forces_by_police_uk_id().get(match[2]) if match else None
        return cls(force, date.fromisoformat(match[1] + "-01")) if force else None


def latest_possible_month(today: date | None = None) -> date:
    today = today or date.today()
    return date(today.year, today.month, 1)


def examine(path: Path) -> StreetMonth | Miss | None:
    """The force-month of a street file, from its first data row; a Miss (how close, what differs) for a CSV with
    other columns; None for a file that is no CSV. Raises NotTerritorial for a real file of a force outside the 43,
    SourceFileError for a street file whose force or month is not valid."""
    header = csv_header(path)
    if header is None:
        return None
    if header != COLUMN_NAMES:
        overlap = len(set(COLUMN_NAMES) & set(header)) / len(COLUMN_NAMES)
        return Miss(overlap, header_problem(path, header, COLUMN_NAMES, LABEL))
    row = first_row(path)
    if row is None:
        raise SourceFileError(f"{path}: has a header but no data rows; expected {LABEL}")
    force = force_named(row["Reported by"])
    if force is None:
        if row["Reported by"] in ("British Transport Police", "Police Service of Northern Ireland"):
            raise NotTerritorial(f"{path}: a {row['Reported by']} file; only the 43 territorial forces of England "
                                 "and Wales are ingested")
        raise SourceFileError(f"{path}: line 2: 'Reported by' is '{row['Reported by']}', not a name of one of the 43 "
                              "territorial forces (seed reporting_body_aliases lists the names known, e.g. "
                              "'Lancashire Constabulary', 'Devon & Cornwall Police')")
    try:
        month = date.fromisoformat(row["Month"] + "-01")
    except ValueError:
        raise SourceFileError(f"{path}: line 2: Month is '{row['Month']}', expected YYYY-MM") from None
    latest = latest_possible_month()
    if not FIRST_MONTH <= month <= latest:
        raise SourceFileError(f"{path}: line 2: Month is {month:%Y-%m}, outside the street feed "
                              f"({FIRST_MONTH:%Y-%m} to {latest:%Y-%m})")
    return StreetMonth(force, month)


def identify(path: Path) -> tuple[StreetMonth, dict[str, str]]:
    """The force-month a street file holds, and its first data row (its Month and Reported by are what every other
    row must repeat)."""
    found = examine(path)
    if not isinstance(found, StreetMonth):
        raise SourceFileError(found.why if found else f"{path}: not a CSV file; expected {LABEL}")
    return found, first_row(path)


def embedded_files(data_dir: Path) -> dict[StreetMonth, Path]:
    """The embedded street files (named as data.police.uk names them) by force-month."""
    found = {}
    for path in sorted((data_dir / EMBEDDED_FOLDER).glob("*-street.csv*")):
        month = StreetMonth.from_file_name(path.name)
        if month:
            found[month] = path
    return found


def current_files(data_dir: Path, archive_dir: Path) -> dict[StreetMonth, tuple[Path, str | None]]:
    """Every force-month's current file, with its sha256 when already known (archived deliveries record theirs)."""
    current: dict[StreetMonth, tuple[Path, str | None]] = {
        month: (path, None) for month, path in embedded_files(data_dir).items()}
    for folder in sorted((archive_dir / SOURCE).glob("*/*")):
        force = forces_by_police_uk_id().get(folder.parent.name)
        delivered = current_delivery(f"{SOURCE}/{folder.parent.name}/{folder.name}", archive_dir) if force else None
        if delivered:
            current[StreetMonth.from_partition_key(f"{force.data_police_uk_id}|{folder.name}")] = (
                delivered.path, delivered.sha256)
    return current
