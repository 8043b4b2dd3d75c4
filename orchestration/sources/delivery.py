"""Each snapshot source as a kind of delivery: a file is one of them when its header row is the source's columns."""

from __future__ import annotations

from pathlib import Path

from orchestration.settings import Settings
from orchestration.sources.specs import SOURCES, SourceSpec
from orchestration.warehouse.archive import current_delivery
from orchestration.warehouse.files import header_problem
from orchestration.warehouse.kinds import CurrentFiles, DeliveryKind, Miss, Recognised, csv_header
from orchestration.warehouse.ledger import RAW_SCHEMA


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

    def describe(self) -> str:
        return f"{self.name}: {self.publisher} CSV with columns {self.spec.column_names}"

    def recognise(self, path: Path) -> Recognised | Miss | None:
        header = csv_header(path)
        expected = self.spec.column_names
        if header == expected:
            return Recognised(self.name, self.name, self.label)
        if not header:
            return None
        closeness = len(set(expected) & set(header)) / len(expected)
        return Miss(closeness, header_problem(path, header, expected, self.label))

    def current_files(self, settings: Settings) -> CurrentFiles:
        delivered = current_delivery(self.name, settings.archive_dir)
        if delivered:
            return {None: (delivered.path, delivered.sha256)}
        return {None: (settings.data_dir / self.spec.relative_path, None)}

    def definitions(self) -> list:
        from orchestration.sources.assets import build_source_asset

        return [build_source_asset(self.spec)]


SOURCE_KINDS = tuple(SourceKind(spec) for spec in SOURCES)
