"""`forcestat report FILE...`: what the report readers extract from each file, as one JSON line per file, without
loading anything. A file no reader can read gets a line with its error (which lists the supported layouts and what
each looks for) and the command exits 1."""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import date
from pathlib import Path

from orchestration.inspections.layouts import LAYOUTS
from orchestration.inspections.programmes import programmes
from orchestration.inspections.records import ReportParseError
from orchestration.inspections.report_parser import parse_report
from orchestration.inspections.report_text import ReportReadError
from orchestration.warehouse.reference import force_codes_by_name


def _plain(value):
    return value.isoformat() if isinstance(value, date) else str(value)


def extracted(path: Path) -> dict:
    """Everything read from one file, as a JSON-ready dict (the error instead, when it cannot be read)."""
    try:
        report, force_code = parse_report(path, force_codes_by_name())
    except (ReportParseError, ReportReadError, OSError) as error:
        return {"file": str(path), "error": str(error),
                "supported_layouts": [{"layout": layout.NAME, "what": layout.DESCRIPTION,
                                       "looks_for": layout.LOOKS_FOR} for layout in LAYOUTS]}
    programme = programmes()[(report.programme.lower(), report.year)]
    return {
        "file": str(path), "layout": report.layout, "force": report.force_name, "area_code": force_code,
        "programme": report.programme, "cycle": programme.cycle, "published_on": report.published_on,
        "published_on_basis": report.published_on_basis or programme.published_on_basis,
        "judgments": [dataclasses.asdict(j) | {"pillar": j.pillar or programme.pillar} for j in report.judgments],
        "recommendations": [dataclasses.asdict(r) for r in report.recommendations],
        "figures": [dataclasses.asdict(f) for f in report.figures],
    }


def report(paths: list[Path]) -> int:
    failed = False
    for path in paths:
        line = extracted(path)
        failed |= "error" in line
        print(json.dumps(line, default=_plain, ensure_ascii=False))
    sys.stdout.flush()
    return 1 if failed else 0
