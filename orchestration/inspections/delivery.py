"""HMIC/HMICFRS inspection reports as a kind of delivery: a .txt or .pdf whose text one of the layout readers knows."""

from __future__ import annotations

from pathlib import Path

from orchestration.inspections.files import SOURCE, SUFFIXES, current_reports
from orchestration.inspections.layouts import LAYOUTS, layout_of
from orchestration.inspections.loading import REPORT_TABLES
from orchestration.inspections.report_parser import unknown_layout
from orchestration.inspections.report_text import ReportReadError, read_report_text
from orchestration.settings import Settings
from orchestration.warehouse.archive import deliveries
from orchestration.warehouse.kinds import CurrentFiles, DeliveryKind, Recognised, Unrecognised


class InspectionReports(DeliveryKind):
    name = SOURCE
    label = "an HMIC/HMICFRS inspection report"
    publisher = "HMIC/HMICFRS"
    step = SOURCE
    raw_tables = tuple(REPORT_TABLES)
    batched = True  # every report of one look in one run
    cadence_days = None  # reports come out through each inspection year, not on a cadence
    # HMICFRS keeps no machine-readable list of its reports or grades: they are delivered by hand
    feed = None

    def describe(self) -> str:
        return (f"{self.name}: {self.label}, .txt or .pdf, of a layout the readers know: "
                + ", ".join(layout.NAME for layout in LAYOUTS))

    def recognise(self, path: Path) -> Recognised | None:
        if path.suffix.lower() not in SUFFIXES:
            return None
        try:
            text = read_report_text(path)
        except ReportReadError as error:
            raise Unrecognised(f"{error}\nA report must be UTF-8 text or a PDF with a text layer.") from None
        layout = layout_of(text)
        if layout is None:
            raise Unrecognised(unknown_layout(path))
        return Recognised(self.name, self.name, f"inspection report ({layout.NAME})")

    def current_files(self, settings: Settings) -> CurrentFiles:
        known = {delivered.path: delivered.sha256 for delivered in deliveries(self.name, settings.archive_dir)}
        return {path.name: (path, known.get(path)) for path in current_reports(settings.data_dir, settings.archive_dir)}

    def definitions(self) -> list:
        from orchestration.inspections.assets import inspection_reports

        return [inspection_reports]


INSPECTION_REPORTS = InspectionReports()
