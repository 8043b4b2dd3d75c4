"""The Home Office's police workforce figures, read as published: police officers (full-time equivalent) by force
area at each "as at" date (31 March and 30 September), one source (home_office_workforce) in two forms.

- The half-yearly bulletin "Police workforce, England and Wales, 30 September <year>" (ODS): its sheet Table_1 is a
  wide table whose headers are dates. A title and notes sit above the header row (found by its content: the first row
  holding two or more dates, written as date cells or as text such as "30 September 20191", where a footnote digit is
  fused to the year); beside the dates are the changes, which are not read. Under the header come the region subtotal
  rows, each followed by its forces; then the total of the 43 forces (England and Wales); the rows below it (central
  service secondments, British Transport Police, the grand total) are in no force area and are not read. Names carry
  trailing spaces ("North East ") and footnote digits ("Wiltshire1"), both dropped.
- The open data table summed by force for one date, as a CSV with the columns force and officer_fte_<date>
  ("officer_fte_31mar2025").

Names are resolved to ONS codes from the seeds (reporting_body_aliases for the forces, regions, and
workforce_area_names for the names only these tables use); a name they do not know is staged without a code, and the
gate refuses the file naming the sheet and row. West Midlands is both a region and a force: the row that opens the
region's block is the region's subtotal, the one inside it the force.

Each file is one part of the source, its edition: the latest date it holds. A date is in two bulletins (the later
revises it): both are kept in the raw table, and staging takes the later edition's figure.
"""

from __future__ import annotations

import calendar
import csv
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

import duckdb

from orchestration.warehouse.files import SourceFileError, open_text, read_header
from orchestration.warehouse.reference import ENGLAND_AND_WALES, force_codes_by_name, forces_by_code, seed_rows
from orchestration.warehouse.staging import DELIVERY_TABLE
from orchestration.warehouse.workbooks import HEADER_ROWS_LOOKED_AT, WorkbookMismatch, open_workbook

# the staged (and raw) columns; edition is the part a file holds
COLUMNS = (("edition", "VARCHAR"), ("as_at", "DATE"), ("area_name", "VARCHAR"), ("area_type", "VARCHAR"),
           ("area_code", "VARCHAR"), ("officers_fte", "DOUBLE"))
SHEET = re.compile(r"(?i)table[ _]?1")
TITLE = re.compile(r"(?i)police officers by police force area")
CSV_VALUE = re.compile(r"officer_fte_(?P<day>\d{1,2})(?P<month>[a-z]{3})(?P<year>\d{4})")
# "30 September 2019", "31 Mar 2015", "September 2019"; footnote digits fused to the year ("20191", "20192,3")
DATE_TEXT = re.compile(r"(?:(?P<day>\d{1,2})\s+)?(?P<month>[A-Za-z]+)\.?\s+(?P<year>(?:19|20)\d\d)[\d,]*")
MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name} | {
    name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
FOOTNOTE = re.compile(r"(?<=[A-Za-z)])\d+(?:,\d+)*$")  # "Wiltshire1", "Derbyshire1,2"


@dataclass(frozen=True)
class Row:
    line: int  # the sheet's row (1-based), or the CSV's line
    name: str | None
    area_type: str | None  # force, region or country (England and Wales); None for a name the seeds do not know
    area_code: str | None
    values: list[float | None]  # one per date


@dataclass(frozen=True)
class Table:
    sheet: str | None  # None for a CSV
    dates: list[date]
    rows: list[Row]

    @property
    def edition(self) -> str:
        return max(self.dates).isoformat()


def cell_date(value: object) -> date | None:
    """A header cell as a date: a date cell, or text naming one (a fused footnote digit dropped); else None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    found = DATE_TEXT.fullmatch(value.strip())
    month = MONTHS.get(found["month"].lower()) if found else None
    if month is None:
        return None
    year = int(found["year"])
    try:  # a month without a day is its last day (the Home Office counts at the end of March and September)
        return date(year, month, int(found["day"]) if found["day"] else calendar.monthrange(year, month)[1])
    except ValueError:
        return None


def area_name(value: object) -> str | None:
    """A name as published without its spaces and footnote digits ("North East " -> "North East")."""
    if value is None or str(value).strip() == "":
        return None
    return FOOTNOTE.sub("", str(value).strip()).strip()


@cache
def _names() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(forces, regions, England and Wales): lower-case name -> ONS code, from the seeds."""
    own = {row["name_as_published"].lower(): row["area_code"] for row in seed_rows("workforce_area_names")}
    region_names = {row["region_name"].lower(): row["region_code"] for row in seed_rows("regions")}
    forces = force_codes_by_name() | {name: code for name, code in own.items() if code in forces_by_code()}
    regions = region_names | {name: code for name, code in own.items() if code in region_names.values()}
    country = {name: code for name, code in own.items() if code == ENGLAND_AND_WALES}
    return forces, regions, country


def classify(name: str | None, region: str | None) -> tuple[str | None, str | None]:
    """(area type, code) of a Table_1 row's name, inside the block of `region` (the last subtotal row above it)."""
    if name is None:
        return None, None
    forces, regions, country = _names()
    key = name.lower()
    if key in country:
        return "country", country[key]
    # a name that is a region's and a force's (West Midlands) opens the region's block; inside it, it is the force
    if key in regions and (regions[key] != region or key not in forces):
        return "region", regions[key]
    if key in forces:
        return "force", forces[key]
    return None, None


def _column(index: int) -> str:
    return chr(ord("A") + index) if index < 26 else f"column {index + 1}"


def _number(value: object, where: str) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        raise SourceFileError(f"{where} is {value!r}, not a number of officers (full-time equivalent)") from None


def read_bulletin(path: Path) -> Table:
    """Table_1 of a bulletin's workbook. Raises WorkbookMismatch when the file is a workbook without it (how close it
    came: the sheet, its title, its header of dates), SourceFileError naming the sheet and row when it is wrong."""
    book = open_workbook(path)
    names = [name for name in book.sheet_names if SHEET.fullmatch(name.strip())]
    if not names:
        raise WorkbookMismatch(f"{path}: no sheet Table_1 (the police officers table of the Home Office's workforce "
                               f"bulletin); the sheets are {book.sheet_names}", 0)
    sheet = names[0]
    rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    title = next((str(cell) for row in rows[:HEADER_ROWS_LOOKED_AT] for cell in row[:1] if str(cell).strip()), "")
    if not TITLE.search(title) or "headcount" in title.lower():
        raise WorkbookMismatch(f"{path}: sheet {sheet!r} is not the police officers (full-time equivalent) table: "
                               f"its title is {title[:120]!r}; expected 'Table 1: Police officers by police force "
                               "area, ...'", 0.3)
    header = next(((number, dates) for number, row in enumerate(rows[:HEADER_ROWS_LOOKED_AT], 1)
                   if len(dates := {i: d for i, cell in enumerate(row) if (d := cell_date(cell))}) >= 2), None)
    if header is None:
        raise WorkbookMismatch(f"{path}: sheet {sheet!r} has no header row of 'as at' dates (two or more date cells, "
                               f"or text such as '30 September 2019') in its first {HEADER_ROWS_LOOKED_AT} rows", 0.6)
    header_row, dates = header
    read: list[Row] = []
    region = None
    for line, row in enumerate(rows[header_row:], header_row + 1):
        name = area_name(row[0] if row else None)
        cells = [row[i] if i < len(row) else None for i in dates]
        if name is None and all(cell in (None, "") for cell in cells):
            continue
        area_type, code = classify(name, region)
        region = code if area_type == "region" else region
        values = [_number(cell, f"{path}: sheet {sheet!r}, row {line}, column {_column(i)} (as at {d:%d %B %Y})")
                  for cell, (i, d) in zip(cells, dates.items(), strict=True)]
        read.append(Row(line, name, area_type, code, values))
        if area_type == "country":
            return Table(sheet, list(dates.values()), read)
    raise SourceFileError(f"{path}: sheet {sheet!r} has no England and Wales row (the total of the 43 forces, "
                          f"'Total 43 forces', seed workforce_area_names) below its header in row {header_row}")


def read_open_data_csv(path: Path) -> Table:
    """The open data table summed by force (force, officer_fte_<date>). Raises WorkbookMismatch for a CSV of other
    columns, SourceFileError naming the line for a value that is not a number."""
    header = read_header(path) or []
    found = CSV_VALUE.fullmatch(header[1]) if len(header) == 2 else None
    month = MONTHS.get(found["month"]) if found else None
    if header[:1] != ["force"] or month is None:
        raise WorkbookMismatch(f"{path}: line 1 (header) is {header}; the Home Office workforce figures by force are "
                               "the columns ['force', 'officer_fte_<day><month><year>'] (e.g. officer_fte_31mar2025)",
                               0.5 if header[:1] == ["force"] else 0)
    with open_text(path) as handle:
        lines = list(csv.reader(handle))
    as_at = date(int(found["year"]), month, int(found["day"]))
    forces = _names()[0]
    rows = []
    for line, fields in enumerate(lines[1:], 2):
        if len(fields) != 2:
            raise SourceFileError(f"{path}: line {line}: {len(fields)} fields where 2 were expected")
        name = area_name(fields[0])
        code = forces.get(name.lower()) if name else None
        rows.append(Row(line, name, "force" if code else None, code,
                        [_number(fields[1], f"{path}: line {line}: {header[1]}")]))
    return Table(None, [as_at], rows)


@dataclass(frozen=True)
class WorkforceReader:
    suffixes: tuple[str, ...] = (".ods", ".xlsx", ".csv", ".csv.gz")

    def describe(self) -> str:
        return ("the Home Office's police workforce bulletin (.ods/.xlsx, sheet Table_1: officers FTE by force area "
                "under dates) or its open data summed by force (CSV: force, officer_fte_<date>)")

    def reads(self, path: Path) -> bool:
        return path.name.lower().endswith(self.suffixes)

    def read(self, path: Path) -> Table:
        return read_open_data_csv(path) if path.name.lower().endswith((".csv", ".csv.gz")) else read_bulletin(path)

    def first_row(self, path: Path) -> dict[str, str | None] | None:
        """The first row as staged, as text (its edition is the part the file holds); None without one."""
        table = self.read(path)
        if not table.rows:
            return None
        row = table.rows[0]
        return {"edition": table.edition, "as_at": table.dates[0].isoformat(), "area_name": row.name,
                "area_type": row.area_type, "area_code": row.area_code,
                "officers_fte": None if row.values[0] is None else repr(row.values[0])}

    def stage(self, con: duckdb.DuckDBPyConnection, columns: tuple[tuple[str, str], ...], path: Path) -> int:
        """Append the file's rows to the delivery table, one per area and date, with the sheet and row (or line)
        they were read from; returns how many."""
        table = self.read(path)
        if not table.rows:
            raise SourceFileError(f"{path}: has a header but no rows of forces; expected {self.describe()}")
        declared = ", ".join(f'"{name}" {kind}' for name, kind in columns)
        con.execute(f"CREATE TEMP TABLE IF NOT EXISTS {DELIVERY_TABLE} ({declared}, _source_file VARCHAR, "
                    "_sheet VARCHAR, _line BIGINT)")
        staged = [(table.edition, as_at, row.name, row.area_type, row.area_code, value, path.name, table.sheet,
                   row.line) for row in table.rows for as_at, value in zip(table.dates, row.values, strict=True)]
        con.executemany(f"INSERT INTO {DELIVERY_TABLE} VALUES ({', '.join('?' * len(staged[0]))})", staged)
        return len(staged)
