"""Which inspection report files are current: the embedded reports and the delivered ones."""

from __future__ import annotations

from pathlib import Path

from orchestration.warehouse.archive import deliveries

SOURCE = "inspection_reports"  # archive kind of delivered reports, and their source in raw._loads
EMBEDDED_FOLDER = "hmicfrs/reports"  # inside the data folder
SUFFIXES = (".txt", ".pdf")


def current_reports(data_dir: Path, archive_dir: Path) -> list[Path]:
    """A delivered file replaces an embedded one of the same name, and a later delivery an earlier one."""
    embedded = [p for p in (data_dir / EMBEDDED_FOLDER).glob("*") if p.suffix.lower() in SUFFIXES]
    by_name = {p.name: p for p in embedded}
    by_name.update({d.path.name: d.path for d in deliveries(SOURCE, archive_dir)})
    return sorted(by_name.values())
