"""The landing zone: files dropped into warehouse/landing/ are recognised by their content, claimed for one run,
and after that run archived (the newest archived file of a kind becomes its current file) or quarantined with a
readable error beside them."""

import gzip
import shutil
from dataclasses import dataclass
from pathlib import Path

from orchestration.ingest import SourceFileError, read_header
from orchestration.inspections.report_text import ReportReadError, find_running_header, read_report_text
from orchestration.sources import SOURCES

REPORT_KIND = "inspection_reports"
PROCESSING = ".processing"  # inside the landing folder: claimed files waiting for their run


class UnrecognisedFile(ValueError):
    """A landed file that is none of the kinds the warehouse ingests."""


@dataclass(frozen=True)
class Kind:
    name: str  # a source name, or inspection_reports
    description: str

    def run_config(self, path: Path) -> dict:
        """full_refresh run config that loads this file in place of the kind's current one."""
        if self.name == REPORT_KIND:
            return {"ops": {REPORT_KIND: {"config": {"paths": [str(path)]}}}}
        return {"ops": {f"raw__{self.name}": {"config": {"path": str(path)}}}}


REPORT = Kind(REPORT_KIND, "HMIC/HMICFRS inspection report, .txt or .pdf, with a running header such as "
                           "'Crime inspection 2014 – <force>'")
KINDS = [Kind(spec.name, f"{spec.publisher}: CSV with columns {spec.column_names}") for spec in SOURCES] + [REPORT]


def recognise(path: Path) -> Kind:
    """The kind of a landed file, told from its content (the header row, or a report's running header)."""
    if path.suffix.lower() in (".txt", ".pdf"):
        try:
            if find_running_header(read_report_text(path).splitlines()):
                return REPORT
        except ReportReadError as error:
            raise UnrecognisedFile(f"{error}\nA report must be UTF-8 text or a PDF with a text layer.") from error
    elif path.suffix.lower() == ".csv" or path.name.lower().endswith(".csv.gz"):
        try:
            header = read_header(path)
        except (SourceFileError, gzip.BadGzipFile, EOFError):
            header = None
        for spec, kind in zip(SOURCES, KINDS):
            if header == spec.column_names:
                return kind
    kinds = "\n".join(f"  - {kind.name}: {kind.description}" for kind in KINDS)
    raise UnrecognisedFile(f"{path.name}: not a kind of file the warehouse ingests. It could be one of:\n{kinds}")


# Claimed and archived files keep their name inside a folder named after their content: <sha256[:16]>/<name>.


def archived_sha256s(archive_dir: Path) -> set[str]:
    """Content hashes (first 16 hex digits) of every archived delivery."""
    return {folder.name for folder in archive_dir.glob("*/*") if folder.is_dir()}


def claim(path: Path, sha256: str) -> Path:
    """Move a ready file out of the inbox into landing/.processing, so no later tick takes it again."""
    target = path.parent / PROCESSING / sha256[:16] / path.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(path, target)
    return target


def archive(claimed: Path, kind: str, archive_dir: Path) -> Path:
    target = archive_dir / kind / claimed.parent.name / claimed.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(claimed, target)
    claimed.parent.rmdir()
    return target


def deliveries(kind: str, archive_dir: Path) -> list[Path]:
    """Archived deliveries of a kind, oldest first."""
    return sorted((archive_dir / kind).glob("*/*"), key=lambda path: path.stat().st_mtime)


def quarantine(path: Path, error: str, quarantine_dir: Path) -> Path:
    """Move a file into quarantine with <name>.error.txt beside it saying what was wrong."""
    claimed = path.parent.parent.name == PROCESSING
    target = quarantine_dir / (path.parent.name if claimed else "") / path.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(path, target)
    if claimed:
        path.parent.rmdir()
    target.with_name(target.name + ".error.txt").write_text(error.rstrip() + "\n", encoding="utf-8")
    return target


def current_file(kind: str, archive_dir: Path, embedded: Path) -> Path:
    """The file a source loads by default: its newest archived delivery, else the embedded sample file."""
    delivered = deliveries(kind, archive_dir)
    return delivered[-1] if delivered else embedded
