"""Each snapshot source as a kind of delivery: a file is one of them when its header row is the source's columns (a
CSV), when its sheets hold the source's table (the publisher's own workbook), or when the source's own reader finds
its table in it (the workforce bulletin). A source published in parts (the outcomes, a file a financial year; the
workforce, a file an edition) archives each part's files apart, the part read from the file's first row."""

from __future__ import annotations

from pathlib import Path

from orchestration.settings import Settings
from orchestration.sources.specs import SOURCES, SourceSpec, part_key
from orchestration.warehouse.archive import current_delivery
from orchestration.warehouse.files import SourceFileError, first_row, header_problem
from orchestration.warehouse.kinds import CurrentFiles, DeliveryKind, Miss, Recognised, Unrecognised, csv_header
from orchestration.warehouse.ledger import RAW_SCHEMA
from orchestration.warehouse.workbooks import WorkbookMismatch
from orchestration.warehouse.workbooks import first_row as workbook_first_row


class SourceKind(DeliveryKind):
    batched = False

    def __init__(self, spec: SourceSpec):
        self.spec = spec
        self.name = spec.name
        self.label = spec.label
        self.publisher = spec.publisher
        self.step = f"{RAW_SCHEMA}__{spec.name}"
        self.raw_tables = (spec.name,)
        self.cadence_days = spec.cadence_days
        self.feed = spec.feed

    def describe(self) -> str:
        if self.spec.reader is not None:
            return f"{self.name}: {self.publisher}: {self.spec.reader.describe()}"
        workbook = (f" (or the publisher's {'/'.join(self.spec.workbook.suffixes)} workbook, sheets named like "
                    f"{self.spec.workbook.sheets!r})") if self.spec.workbook else ""
        return f"{self.name}: {self.publisher} CSV with columns {self.spec.column_names}{workbook}"

    def recognise(self, path: Path) -> Recognised | Miss | None:
        expected = self.spec.column_names
        reader = self.spec.reader
        if reader is not None and not reader.reads(path):
            return None
        if reader is not None or self.spec.is_workbook(path):
            try:
                row = (reader.first_row(path) if reader is not None
                       else workbook_first_row(path, expected, self.spec.workbook))
            except WorkbookMismatch as mismatch:
                return Miss(mismatch.closeness, str(mismatch))
            except SourceFileError as error:
                raise Unrecognised(str(error)) from None
            return self._recognised(path, row)
        header = csv_header(path)
        if header == expected:
            return self._recognised(path, first_row(path) if self.spec.partition_column else None)
        if not header:
            return None
        closeness = len(set(expected) & set(header)) / len(expected)
        return Miss(closeness, header_problem(path, header, expected, self.label))

    def _recognised(self, path: Path, row: dict | None) -> Recognised:
        if self.spec.partition_column is None:
            return Recognised(self.name, self.name, self.label)
        if not row or not row.get(self.spec.partition_column):
            raise Unrecognised(f"{path}: {self.label} with no data row to tell its {self.spec.partition_column}")
        part = row[self.spec.partition_column]
        return Recognised(self.name, f"{self.name}/{part_key(part)}", f"{self.label} {part}")

    def current_files(self, settings: Settings) -> CurrentFiles:
        embedded = [settings.data_dir / path for path in self.spec.embedded]
        if self.spec.partition_column is None:
            delivered = current_delivery(self.name, settings.archive_dir)
            return {None: (delivered.path, delivered.sha256) if delivered else (embedded[0], None)}
        read = self.spec.reader.first_row if self.spec.reader is not None else first_row
        current: CurrentFiles = {part_key(read(path)[self.spec.partition_column]): (path, None) for path in embedded}
        for folder in sorted((settings.archive_dir / self.name).glob("*")):
            delivered = current_delivery(f"{self.name}/{folder.name}", settings.archive_dir)
            if delivered:
                current[folder.name] = (delivered.path, delivered.sha256)
        return current

    def definitions(self) -> list:
        from orchestration.sources.assets import build_source_asset

        return [build_source_asset(self, self.spec)]


SOURCE_KINDS = tuple(SourceKind(spec) for spec in SOURCES)
