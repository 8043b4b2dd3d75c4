"""The landing zone: what a file dropped into warehouse/landing/ is, told from its content, and the run that loads it.

Where the file goes afterwards (claimed, archived, quarantined) is orchestration/deliveries.py.
"""

import gzip
import zipfile
from dataclasses import dataclass
from pathlib import Path

from orchestration.ingest import SourceFileError, read_header
from orchestration.inspections.report_text import ReportReadError, find_running_header, read_report_text
from orchestration.sources import SOURCES
from orchestration.street import STREET, StreetMonth, street_month_of

REPORT_KIND = "inspection_reports"
STREET_ZIP_KIND = "police_uk_archives"
FULL_REFRESH_JOB = "full_refresh"
STREET_INGEST_JOB = "street_ingest"


class UnrecognisedFile(ValueError):
    """A landed file that is none of the kinds the warehouse ingests."""


@dataclass(frozen=True)
class Kind:
    name: str  # a source name, inspection_reports, police_uk_street or police_uk_archives
    description: str


@dataclass(frozen=True)
class Delivery:
    """A recognised file and the run that loads it."""
    kind: Kind
    street_month: StreetMonth | None = None  # the partition, for a street file

    @property
    def job_name(self) -> str:
        return STREET_INGEST_JOB if self.street_month else FULL_REFRESH_JOB

    @property
    def archive_kind(self) -> str:
        return self.street_month.archive_kind if self.street_month else self.kind.name

    @property
    def partition_key(self) -> str | None:
        return str(self.street_month.partition_key) if self.street_month else None

    def run_config(self, path: Path) -> dict:
        """Run config that loads this file in place of its kind's (or partition's) current one."""
        if self.kind.name == REPORT_KIND:
            return {"ops": {REPORT_KIND: {"config": {"paths": [str(path)]}}}}
        return {"ops": {f"raw__{self.kind.name}": {"config": {"path": str(path)}}}}


REPORT = Kind(REPORT_KIND, "HMIC/HMICFRS inspection report, .txt or .pdf, with a running header such as "
                           "'Crime inspection 2014 – <force>'")
STREET_KIND = Kind(STREET.name, f"{STREET.publisher} monthly street-level file of one territorial force: CSV "
                                f"(or .csv.gz) with columns {STREET.column_names}")
STREET_ZIP = Kind(STREET_ZIP_KIND, "data.police.uk archive: a .zip holding <YYYY-MM>/<YYYY-MM>-<force>-street.csv "
                                   "files (they are unpacked into the landing zone, one delivery each)")
SOURCE_KINDS = [Kind(spec.name, f"{spec.publisher}: CSV with columns {spec.column_names}") for spec in SOURCES]
KINDS = [*SOURCE_KINDS, STREET_KIND, STREET_ZIP, REPORT]


def street_members(path: Path) -> list[str]:
    """Street files of the 43 territorial forces inside a data.police.uk zip (its outcomes, stop-and-search and
    other forces' files are not ingested)."""
    with zipfile.ZipFile(path) as archive:
        return [name for name in archive.namelist()
                if name.endswith(".csv") and StreetMonth.from_file_name(name.rsplit("/", 1)[-1])]


def recognise(path: Path) -> Delivery:
    """What a landed file is, told from its content (header row, running header, zip members)."""
    suffix = path.suffix.lower()
    if suffix in (".txt", ".pdf"):
        try:
            if find_running_header(read_report_text(path).splitlines()):
                return Delivery(REPORT)
        except ReportReadError as error:
            raise UnrecognisedFile(f"{error}\nA report must be UTF-8 text or a PDF with a text layer.") from error
    elif suffix == ".zip":
        try:
            if street_members(path):
                return Delivery(STREET_ZIP)
        except zipfile.BadZipFile as error:
            raise UnrecognisedFile(f"{path.name}: not a readable zip archive ({error})") from error
    elif suffix == ".csv" or path.name.lower().endswith(".csv.gz"):
        try:
            header = read_header(path)
        except (SourceFileError, gzip.BadGzipFile, EOFError):
            header = None
        if header == STREET.column_names:
            try:
                return Delivery(STREET_KIND, street_month_of(path))
            except SourceFileError as error:
                raise UnrecognisedFile(f"{error}\nA street file holds one month of one territorial force.") from error
        for spec, kind in zip(SOURCES, SOURCE_KINDS):
            if header == spec.column_names:
                return Delivery(kind)
    kinds = "\n".join(f"  - {kind.name}: {kind.description}" for kind in KINDS)
    raise UnrecognisedFile(f"{path.name}: not a kind of file the warehouse ingests. It could be one of:\n{kinds}")


def unpack_street_files(path: Path, landing_dir: Path) -> list[Path]:
    """Put a zip's street files into the landing zone as files of their own (written under a dot name, then
    renamed, so the sensor never sees half a file)."""
    unpacked = []
    with zipfile.ZipFile(path) as archive:
        for member in street_members(path):
            target = landing_dir / member.rsplit("/", 1)[-1]
            partial = landing_dir / f".{target.name}.part"
            with archive.open(member) as source, open(partial, "wb") as sink:
                while block := source.read(1 << 20):
                    sink.write(block)
            partial.rename(target)
            unpacked.append(target)
    return unpacked
