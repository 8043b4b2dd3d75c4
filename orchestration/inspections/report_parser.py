"""Read one inspection report file (a .txt extract or a PDF) with the reader of its layout (layouts/)."""

from collections.abc import Mapping
from pathlib import Path

from orchestration.inspections.layouts import layout_of, supported
from orchestration.inspections.layouts.context import Context
from orchestration.inspections.programmes import Programme, programmes
from orchestration.inspections.records import Report, ReportParseError
from orchestration.inspections.report_text import read_report_text

__all__ = ["ReportParseError", "parse_report", "unknown_layout"]


def unknown_layout(path: Path) -> str:
    return f"{path}: not an inspection report layout the readers know. Supported layouts:\n{supported()}"


def parse_report(path: Path, force_codes_by_name: Mapping[str, str],
                 known_programmes: Mapping[tuple[str, int], Programme] | None = None) -> tuple[Report, str]:
    """(report, force code) of one report file; ReportReadError if unreadable, ReportParseError if no layout reads
    it (the message lists the layouts and what each looks for)."""
    raw = read_report_text(path)
    layout = layout_of(raw)
    if layout is None:
        raise ReportParseError(unknown_layout(path))
    return layout.read(raw, path, Context(force_codes_by_name, known_programmes or programmes()))
