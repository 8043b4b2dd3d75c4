"""The publishers' own spreadsheets: the Home Office publishes its tables as OpenDocument (.ods) and Excel (.xlsx)
workbooks, read here with calamine (a Rust reader: the 322,000-row recorded crime workbook in about 2.5 s).

A table is found by its header, not by its place: every sheet whose name matches the layout must hold it; in each,
the first row among the first few that names all the wanted columns is the header (titles and notes above it are
skipped), and the rows under it are the data, to the end of the sheet (empty rows are skipped). A sheet can hold more
columns than wanted (the Home Office's 2013/14 sheet repeats three header cells): only the wanted ones are read, by
name. What is missing - the sheets, a column renamed - is said with what was found instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from orchestration.warehouse.files import SourceFileError

HEADER_ROWS_LOOKED_AT = 30


@dataclass(frozen=True)
class WorkbookLayout:
    suffixes: tuple[str, ...]  # ".ods", ".xlsx"
    sheets: str  # regular expression: the names of the sheets that hold the table
    # column -> regular expression of the header cell that names it in the workbook, where that is not the column's
    # own name (matched whole, ignoring case and spaces around)
    headers: dict[str, str] = field(default_factory=dict)

    def header_pattern(self, column: str) -> re.Pattern:
        return re.compile(self.headers.get(column, re.escape(column)), re.IGNORECASE)


@dataclass(frozen=True)
class SheetTable:
    sheet: str
    header_row: int  # 1-based, as a spreadsheet program numbers rows
    lines: list[int]  # the row number of each data row
    columns: dict[str, list[str | None]]  # each wanted column's values as text, a value per data row


def cell_text(value: object) -> str | None:
    """A cell as the text a CSV of it would hold: whole numbers without ".0" (calamine reads every number as a
    float), dates as ISO dates, an empty cell as None."""
    if value is None or value == "":
        return None
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ") if value.time() != time(0) else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def number_text(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def column_text(values: list) -> list[str | None]:
    """cell_text of each value of a column; a column of texts or of numbers (nearly every column) without cell_text's
    tests of every cell: a recorded crime workbook has 2.6 million cells, an outcomes workbook 5 million."""
    kinds = set(map(type, values))
    if kinds <= {str, type(None)}:
        return [value or None for value in values]
    if kinds <= {float, type(None)}:
        return [None if value is None else number_text(value) for value in values]
    return list(map(cell_text, values))


def open_workbook(path: Path):
    """The workbook at path (calamine), or SourceFileError naming the file when it cannot be read as one."""
    from python_calamine import CalamineWorkbook  # imported here: only runs that read a workbook need it

    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as error:  # noqa: BLE001 - calamine raises its own error types for every unreadable file
        raise SourceFileError(f"{path}: cannot be read as a spreadsheet ({type(error).__name__}: {error})") from None


class WorkbookMismatch(SourceFileError):
    """A readable workbook without the table: no sheet of the name, or a sheet without the header. `closeness` is the
    share of the wanted columns its nearest header row has (for telling which kind a file comes closest to)."""

    def __init__(self, message: str, closeness: float):
        super().__init__(message)
        self.closeness = closeness


def _header_positions(row: list, columns: list[str], layout: WorkbookLayout) -> dict[str, int] | None:
    cells = [str(cell).strip() if cell is not None else "" for cell in row]
    positions = {}
    for column in columns:
        pattern = layout.header_pattern(column)
        found = next((i for i, cell in enumerate(cells) if pattern.fullmatch(cell)), None)
        if found is None:
            return None
        positions[column] = found
    return positions


def _header(path: Path, sheet: str, rows: list[list], columns: list[str],
            layout: WorkbookLayout) -> tuple[int, dict[str, int]]:
    """(row number, column positions) of the sheet's header row."""
    closest: tuple[int, str] = (len(columns), "no row has any of them")  # (columns missing, which row)
    for number, row in enumerate(rows[:HEADER_ROWS_LOOKED_AT], 1):
        positions = _header_positions(row, columns, layout)
        if positions is not None:
            return number, positions
        cells = [str(cell).strip() for cell in row if cell not in (None, "")]
        missing = [c for c in columns if not any(layout.header_pattern(c).fullmatch(cell) for cell in cells)]
        if cells and len(missing) < closest[0]:
            closest = (len(missing), f"row {number} lacks {missing} (it has {cells})")
    raise WorkbookMismatch(f"{path}: sheet {sheet!r} has no header row with the columns {columns} in its first "
                           f"{HEADER_ROWS_LOOKED_AT} rows; the closest, {closest[1]}",
                           1 - closest[0] / len(columns))


def _sheets(path: Path, layout: WorkbookLayout):
    book = open_workbook(path)
    names = [name for name in book.sheet_names if re.fullmatch(layout.sheets, name.strip())]
    if not names:
        raise WorkbookMismatch(f"{path}: no sheet named like {layout.sheets!r} (the sheets are {book.sheet_names})", 0)
    return book, names


def first_row(path: Path, columns: list[str], layout: WorkbookLayout) -> dict[str, str | None] | None:
    """The wanted columns of the first data row of the first matching sheet (None when it has no data row), after
    checking that every matching sheet has the header: what recognising a file needs, without reading it all."""
    book, names = _sheets(path, layout)
    first = None
    for name in names:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=HEADER_ROWS_LOOKED_AT + 1)
        number, positions = _header(path, name, rows, columns, layout)
        if first is None and len(rows) > number:
            first = {column: cell_text(rows[number][i]) if i < len(rows[number]) else None
                     for column, i in positions.items()}
    return first


def read_tables(path: Path, columns: list[str], layout: WorkbookLayout) -> Iterator[SheetTable]:
    """The table of every sheet whose name matches, its wanted columns in the order given. Raises SourceFileError
    naming the file, the sheet and what was expected when no sheet matches or one lacks the table."""
    book, names = _sheets(path, layout)
    for name in names:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        number, positions = _header(path, name, rows, columns, layout)
        body = rows[number:]
        texts = [column_text([row[i] if i < len(row) else None for row in body]) for i in positions.values()]
        empty = (None,) * len(texts)
        kept = [j for j, values in enumerate(zip(*texts, strict=True)) if values != empty]  # empty rows are skipped
        if len(kept) < len(body):
            texts = [[values[j] for j in kept] for values in texts]
        yield SheetTable(name, number, [number + 1 + j for j in kept], dict(zip(positions, texts, strict=True)))
