"""Recognising landed files by their content, and refusing the rest with a reason an operator can act on."""

import gzip
import shutil
import zipfile

import pytest

from orchestration.deliveries import container_members, kinds_described, recognise
from orchestration.sources.specs import SOURCES
from orchestration.street.feed import StreetMonth, identify
from orchestration.warehouse.kinds import NOT_INGESTED, Unrecognised
from orchestration.warehouse.zips import unpack
from tests.helpers import DATA_DIR, NATIONAL, OTHER_FORCES, REPORT_PDF, SEED_REPORT, plain_copy, text_of


def test_every_source_is_recognised_by_its_header_whatever_its_name(tmp_path):
    for spec in SOURCES:
        renamed = tmp_path / f"delivery{''.join((DATA_DIR / spec.relative_path).suffixes)}"
        shutil.copy(DATA_DIR / spec.relative_path, renamed)
        assert recognise(renamed).kind == spec.name


def test_reports_and_street_files_are_recognised(tmp_path):
    assert recognise(SEED_REPORT).kind == recognise(REPORT_PDF).kind == "inspection_reports"
    street = plain_copy(NATIONAL / "2014-02" / "2014-02-devon-and-cornwall-street.csv.gz", tmp_path, "feed.csv")
    found = recognise(street)  # "Devon & Cornwall Police", as data.police.uk writes it
    assert (found.kind, found.archive_folder, found.label) == (
        "police_uk_street", "police_uk_street/devon-and-cornwall/2014-02", "Devon and Cornwall Police 2014-02")


def test_every_real_national_file_is_the_force_and_month_its_name_says():
    for path in sorted(NATIONAL.glob("*/*.csv.gz")):
        month, _ = identify(path)
        assert month == StreetMonth.from_file_name(path.name), path.name
    assert len(list(NATIONAL.glob("*/*.csv.gz"))) == 82  # 41 forces, January and February 2014


def test_other_forces_files_are_not_ingested_but_not_refused():
    for path in OTHER_FORCES.glob("*.csv"):
        found = recognise(path)
        assert found.kind == NOT_INGESTED and "only the 43 territorial forces" in found.note


@pytest.mark.parametrize("case, make, expected", [
    ("empty", lambda p: p.write_text(""), "the file is empty"),
    ("header only, no rows", lambda p: p.write_text("Crime ID,Month\n"), "none of the kinds"),
    ("renamed column", lambda p: p.write_bytes(gzip.compress(text_of(DATA_DIR / SOURCES[0].relative_path).replace(
        "Number of Offences", "Offences Number", 1).encode())),
     "column 'Offences Number' where 'Number of Offences' was expected"),
    ("unknown csv", lambda p: p.write_text("date,item\n2014-01-01,budget\n"), "none of the kinds"),
    ("a month in the future", lambda p: p.write_text(text_of(NATIONAL / "2014-01" / "2014-01-kent-street.csv.gz")
                                                     .replace(",2014-01,", ",2041-04,")),
     "Month is 2041-04, outside the street feed (2010-12 to"),
    ("an unknown force", lambda p: p.write_text(text_of(NATIONAL / "2014-01" / "2014-01-kent-street.csv.gz")
                                                .replace("Kent Police", "Kent Polise")),
     "'Reported by' is 'Kent Polise', not a name of one of the 43 territorial forces"),
    ("a report without a layout", lambda p: p.write_text("Minutes of the meeting\nApologies\n"),
     "not an inspection report layout the readers know"),
    ("a broken pdf", lambda p: p.write_bytes(REPORT_PDF.read_bytes()[:2000]), "not a readable PDF"),
    ("a spreadsheet", lambda p: p.write_bytes(b"PK\x03\x04junk"), "none of the kinds"),
], ids=lambda value: value if isinstance(value, str) and " " in value or isinstance(value, str) and len(value) < 25
    else None)
def test_refusals_say_what_is_wrong(tmp_path, case, make, expected):
    suffix = {"a report without a layout": ".txt", "a broken pdf": ".pdf", "renamed column": ".csv.gz",
              "a broken spreadsheet": ".xlsx"}.get(case, ".csv")
    path = tmp_path / f"landed{suffix}"
    make(path)
    with pytest.raises(Unrecognised) as error:
        recognise(path)
    assert expected in str(error.value)
    assert str(path) in str(error.value)
    if "none of the kinds" in expected:
        assert all(kind.split(":")[0] in str(error.value) for kind in kinds_described())


def zip_of(path, members: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_zip_gives_its_territorial_street_files_and_nothing_else(tmp_path):
    kent = gzip.decompress((NATIONAL / "2014-01" / "2014-01-kent-street.csv.gz").read_bytes())
    landed = zip_of(tmp_path / "2014-01.zip", {
        "2014-01/2014-01-kent-street.csv": kent,
        "2014-01/2014-01-kent-outcomes.csv": b"Crime ID,Month\n",
        "2014-01/2014-01-btp-street.csv": (OTHER_FORCES / "2014-01-btp-street.csv").read_bytes(),
        "../../../etc/2014-01-surrey-street.csv": kent.replace(b"Kent Police", b"Surrey Police"),
    })
    names = container_members(landed)
    unpacked = unpack(landed, names, tmp_path / "out", 10**8, 10**9)
    # the path a member claims is never followed: every file lands in the target folder under its base name
    assert sorted(p.name for p in unpacked) == ["2014-01-kent-street.csv", "2014-01-surrey-street.csv"]
    assert all(p.parent == tmp_path / "out" for p in unpacked)
    assert unpacked[0].read_bytes() == kent


def test_an_oversized_zip_member_is_refused_before_anything_is_written(tmp_path):
    landed = zip_of(tmp_path / "bomb.zip", {"2014-01/2014-01-kent-street.csv": b"x" * 5_000_000})
    assert landed.stat().st_size < 100_000  # compresses to almost nothing
    with pytest.raises(Unrecognised) as error:
        unpack(landed, container_members(landed), tmp_path / "out", member_limit=1_000_000, total_limit=10**9)
    assert "refused without unpacking" in str(error.value) and "5,000,000 bytes" in str(error.value)
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
    with pytest.raises(Unrecognised, match="over the limit of 4,000,000"):
        unpack(landed, container_members(landed), tmp_path / "out", member_limit=10**8, total_limit=4_000_000)


def table_of(path, rows: int = 60) -> tuple[list[str], list[list]]:
    """The header and the first rows of an embedded CSV, numbers as numbers (as a workbook holds them)."""
    header, *body = [line.split(",") for line in text_of(path).splitlines()[: rows + 1]]
    return header, [[int(v) if v.lstrip("-").isdigit() else v for v in row] for row in body]


def test_the_home_office_workbooks_are_recognised_by_their_sheets_and_headers(tmp_path):
    from tests.publishers.workbooks import write_ods, write_xlsx

    header, rows = table_of(DATA_DIR / "home-office" / "prc-pfa-mar2013-onwards-tables.csv.gz")
    for style in ("2012-13", "2012_13"):  # the sheet names of older and newer editions
        ods = write_ods(tmp_path / f"prc-pfa-{style}.ods", {"Cover": [["Police recorded crime"]],
                                                          style: [["Title of the table"], [], header, *rows]})
        assert recognise(ods).kind == "home_office_prc_pfa"
    header, rows = table_of(DATA_DIR / "home-office" / "outcomes_2024_25.csv.gz")
    header = ["Force Name" if c == "Force" else "Force outcomes for offences recorded in quarter" if c == "n" else c
              for c in header]
    xlsx = write_xlsx(tmp_path / "outcomes.xlsx", {"Notes": [["About"]], "Outcomes open data": [header, *rows]})
    found = recognise(xlsx)
    assert (found.kind, found.archive_folder) == ("home_office_outcomes", "home_office_outcomes/2024-25")


def test_a_workbook_whose_table_changed_is_refused_naming_the_sheet_and_what_is_missing(tmp_path):
    from tests.publishers.workbooks import write_ods

    header, rows = table_of(DATA_DIR / "home-office" / "prc-pfa-mar2013-onwards-tables.csv.gz")
    renamed = [c if c != "Number of Offences" else "Offences" for c in header]
    book = write_ods(tmp_path / "prc.ods", {"2012_13": [header, *rows], "2013_14": [renamed, *rows]})
    with pytest.raises(Unrecognised) as error:
        recognise(book)
    assert "sheet '2013_14'" in str(error.value) and "lacks ['Number of Offences']" in str(error.value)
    book = write_ods(tmp_path / "no-sheets.ods", {"Cover": [["Police recorded crime"]]})
    with pytest.raises(Unrecognised) as error:  # no sheet of any kind's name: every kind, with its sheets' names
        recognise(book)
    assert "none of the kinds" in str(error.value) and "workbook, sheets named like" in str(error.value)
