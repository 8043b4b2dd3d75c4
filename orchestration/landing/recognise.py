"""What a file dropped into the landing zone is, told from its content, and why not when it is nothing we ingest.

A CSV is recognised by its header row (a snapshot source) or as a data.police.uk street file (then its force and
month come from its first row); a .txt or .pdf by the inspection report layouts the readers know; a .zip by the
data.police.uk street files inside it. A file that is none of these is refused with the reason an operator can act
on: "the file is empty", the one column that differs from the closest kind, the force name or month that is not
valid, the report layouts looked for. Only when nothing is close is the list of every kind given.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from orchestration.inspections.files import SOURCE as REPORTS
from orchestration.inspections.layouts import LAYOUTS, layout_of
from orchestration.inspections.report_parser import unknown_layout
from orchestration.inspections.report_text import ReportReadError, read_report_text
from orchestration.sources.specs import SOURCES
from orchestration.street import feed
from orchestration.warehouse.files import SourceFileError, header_problem, read_header

STREET_ARCHIVE = "police_uk_archives"  # a data.police.uk zip (kept in the archive once unpacked)
NOT_INGESTED = "not_ingested"  # a real file of a kind we deliberately skip (British Transport Police, Northern Ireland)


class Unrecognised(ValueError):
    """A landed file that is none of the kinds the warehouse ingests; the message says why."""


@dataclass(frozen=True)
class Recognised:
    kind: str  # a source name, police_uk_street, inspection_reports, police_uk_archives or not_ingested
    archive_kind: str  # where the file is archived once published
    label: str  # what it is, for logs
    note: str | None = None


def kinds_described() -> list[str]:
    return ([f"{spec.name}: {spec.publisher} CSV with columns {spec.column_names}" for spec in SOURCES]
            + [f"{feed.SOURCE}: {feed.LABEL}, CSV (or .csv.gz) with columns {feed.COLUMN_NAMES}",
               f"{STREET_ARCHIVE}: a data.police.uk .zip holding <YYYY-MM>/<YYYY-MM>-<force>-street.csv files",
               f"{REPORTS}: an HMIC/HMICFRS inspection report, .txt or .pdf, of a layout the readers know: "
               + ", ".join(layout.NAME for layout in LAYOUTS)])


def _kinds_list() -> str:
    return "It is none of the kinds the warehouse ingests:\n" + "\n".join(f"  - {k}" for k in kinds_described())


def street_members(path: Path) -> list[zipfile.ZipInfo]:
    """The street files of the 43 territorial forces inside a data.police.uk zip (outcomes, stop-and-search and the
    files of other forces are not ingested)."""
    with zipfile.ZipFile(path) as archive:
        return [info for info in archive.infolist()
                if not info.is_dir() and feed.StreetMonth.from_file_name(Path(info.filename).name)]


def recognise(path: Path) -> Recognised:
    name = path.name
    if path.stat().st_size == 0:
        raise Unrecognised(f"{path}: the file is empty")
    suffix = path.suffix.lower()
    if suffix in (".txt", ".pdf"):
        return _report(path)
    if suffix == ".zip":
        try:
            members = street_members(path)
        except zipfile.BadZipFile as error:
            raise Unrecognised(f"{path}: not a readable zip archive ({error})") from None
        if not members:
            raise Unrecognised(f"{path}: a zip with no data.police.uk street file of a territorial force in it "
                               "(looked for <YYYY-MM>-<force>-street.csv)")
        return Recognised(STREET_ARCHIVE, STREET_ARCHIVE, f"data.police.uk archive, {len(members)} street files")
    if suffix == ".csv" or name.lower().endswith(".csv.gz"):
        return _csv(path)
    raise Unrecognised(f"{path}: a '{suffix or 'no suffix'}' file. {_kinds_list()}")


def _csv(path: Path) -> Recognised:
    try:
        header = read_header(path)
    except SourceFileError as error:
        raise Unrecognised(str(error)) from None
    if header is None:
        raise Unrecognised(f"{path}: the file is empty")
    if header == feed.COLUMN_NAMES:
        try:
            month, _ = feed.identify(path)
        except feed.NotTerritorial as error:
            return Recognised(NOT_INGESTED, NOT_INGESTED, "street file of a force outside England and Wales' 43",
                              str(error))
        except SourceFileError as error:
            raise Unrecognised(str(error)) from None
        return Recognised(feed.SOURCE, month.archive_kind, month.label)
    for spec in SOURCES:
        if header == spec.column_names:
            return Recognised(spec.name, spec.name, spec.label)
    expected = [(spec.column_names, spec.label) for spec in SOURCES] + [(feed.COLUMN_NAMES, feed.LABEL)]
    closest, label = max(expected, key=lambda kind: len(set(kind[0]) & set(header)) / len(kind[0]))
    if len(set(closest) & set(header)) / len(closest) >= 0.5:
        raise Unrecognised(header_problem(path, header, closest, label))
    raise Unrecognised(f"{path}: header {header[:8]}{' ...' if len(header) > 8 else ''}. {_kinds_list()}")


def _report(path: Path) -> Recognised:
    try:
        text = read_report_text(path)
    except ReportReadError as error:
        raise Unrecognised(f"{error}\nA report must be UTF-8 text or a PDF with a text layer.") from None
    layout = layout_of(text)
    if layout is None:
        raise Unrecognised(unknown_layout(path))
    return Recognised(REPORTS, REPORTS, f"inspection report ({layout.NAME})")
