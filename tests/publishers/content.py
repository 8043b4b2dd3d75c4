"""What the local publishers serve, built from the real data the project holds (tests/fixtures/README.md says which
files are conversions, and of what).

- data.police.uk: the real street files of January and February 2014 (every force held) and Lancashire's March to
  October 2014, by month, as the monthly archive packs them.
- GOV.UK: the Home Office's recorded crime table as the ODS it publishes (one sheet a financial year, written from the
  real CSV without changing a value), the 2024/25 outcomes as XLSX, each an attachment of the open data page.
- Nomis: the real NM_2002_1 extract, as Nomis serves it (its columns, whole numbers).
"""

from __future__ import annotations

import csv
import gzip
import io
from collections import defaultdict
from pathlib import Path

import duckdb

from orchestration.settings import PROJECT_ROOT
from tests.publishers.workbooks import write_ods, write_xlsx

DATA = PROJECT_ROOT / "warehouse" / "data"
FIXTURES = PROJECT_ROOT / "tests" / "fixtures"
RESPONSES = FIXTURES / "publishers"
PRC_CSV = DATA / "home-office" / "prc-pfa-mar2013-onwards-tables.csv.gz"
OUTCOMES_CSV = DATA / "home-office" / "outcomes_2024_25.csv.gz"
NOMIS_CSV = DATA / "ons" / "nomis_NM_2002_1_all_ages_LA_mid1991_mid2023.csv"
# Nomis geography types of the codes the extract holds (TYPE424: local authorities, April 2023; TYPE499: countries)
GEOGRAPHY_TYPES = {"E06": "TYPE424", "E07": "TYPE424", "E08": "TYPE424", "E09": "TYPE424", "W06": "TYPE424",
                   "S12": "TYPE424", "N09": "TYPE424", "E92": "TYPE499", "W92": "TYPE499", "S92": "TYPE499",
                   "N92": "TYPE499"}


def _rows(path: Path) -> list[tuple[str, ...]]:
    """The CSV's rows, header first, every field as text ("" where empty), as the csv module reads them; DuckDB
    reads the 712,000 rows of the outcomes in half the time."""
    return duckdb.sql("SELECT coalesce(COLUMNS(*), '') FROM read_csv(?, header = false, all_varchar = true, "
                      "delim = ',', quote = '\"', escape = '\"')", params=[str(path)]).fetchall()


def street_months() -> dict[str, dict[str, Path]]:
    """month -> {file name as data.police.uk names it: the real file (gzipped here; served unzipped)}."""
    months: dict[str, dict[str, Path]] = defaultdict(dict)
    for path in sorted((FIXTURES / "police-uk-national").glob("*/*-street.csv.gz")) + sorted(
            (DATA / "police-uk" / "street").glob("*-street.csv.gz")):
        months[path.name[:7]][path.name.removesuffix(".gz")] = path
    return dict(months)


def plain(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()


def _number(text: str):
    return int(text) if text.lstrip("-").isdigit() else text


def prc_ods(target: Path, sheet_style: str = "2012_13") -> Path:
    """The recorded crime table as the Home Office publishes it: an ODS with a sheet per financial year, named
    "2012-13" (older editions) or "2012_13" (newer), the CSV's columns; numbers written as numbers."""
    header, *rows = _rows(PRC_CSV)
    by_year: dict[str, list] = defaultdict(list)
    for year, quarter, *described, offences in rows:
        by_year[year].append((year, _number(quarter), *described, _number(offences)))
    separator = "-" if sheet_style == "2012-13" else "_"
    return write_ods(target, {year.replace("/", separator): [header, *by_year[year]] for year in sorted(by_year)})


def outcomes_xlsx(target: Path) -> Path:
    """The 2024/25 outcomes as an XLSX workbook with its table on the "Outcomes open data" sheet, under the Home
    Office's column names for the force and the count (the copy held has a third party's: Force, n)."""
    header, *rows = _rows(OUTCOMES_CSV)
    names = {"Force": "Force Name", "n": "Force outcomes for offences recorded in quarter"}
    table = [[names.get(column, column) for column in header]]
    table += [(year, int(quarter), force, offence_group, outcome_group, int(outcome_type), int(count))
              for year, quarter, force, offence_group, outcome_group, outcome_type, count in rows]
    notes = [["Crime outcomes in England and Wales: open data, year ending March 2025"],
             ["Source: Home Office. This workbook was written by forcestat's test server from the real data."]]
    return write_xlsx(target, {"Notes": notes, "Outcomes open data mar2025": table})


def nomis_rows(last_year: int) -> list[dict[str, str]]:
    """The NM_2002_1 extract to last_year, as Nomis' CSV names its columns (whole numbers, as Nomis serves them)."""
    header, *rows = _rows(NOMIS_CSV)
    served = []
    for code, name, year, value, _measure in rows:
        if int(year) <= last_year:
            served.append({"GEOGRAPHY_CODE": code, "GEOGRAPHY_NAME": name, "GEOGRAPHY_TYPE":
                           GEOGRAPHY_TYPES.get(code[:3], "TYPE480"), "DATE": year, "DATE_NAME": year,
                           "OBS_VALUE": str(int(float(value))) if value else "", "MEASURES_NAME": "Value"})
    return served


def csv_text(rows: list[dict[str, str]], columns: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([int(row[c]) if c in ("DATE", "OBS_VALUE") and row[c] else row[c] for c in columns])
    return out.getvalue()


def earlier_data(target: Path) -> Path:
    """The embedded data as the publishers had it an edition earlier: the recorded crime table without its last
    quarter, the population series to mid-2022 (both real: the rows of the current editions, fewer of them)."""
    import shutil

    shutil.copytree(DATA, target)
    header, *rows = _rows(PRC_CSV)
    last = max((row[0], row[1]) for row in rows)
    _write(target / PRC_CSV.relative_to(DATA), header, [row for row in rows if (row[0], row[1]) != last])
    header, *rows = _rows(NOMIS_CSV)
    _write(target / NOMIS_CSV.relative_to(DATA), header, [row for row in rows if int(row[2]) <= 2022])
    return target


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    data = out.getvalue().encode()
    path.write_bytes(gzip.compress(data, mtime=0) if path.suffix == ".gz" else data)
