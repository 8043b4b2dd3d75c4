"""Write-audit-publish at ingest, on the real files (real DuckDB and Great Expectations, no Dagster run): a delivery
replaces its raw table only when the gate lets it in; a refused or malformed one leaves table and ledger untouched."""

import csv
import gzip
import hashlib

import duckdb
import pytest

from orchestration.gate.resource import Gate
from orchestration.sources.ingest import DeliveryRefused, load_source
from orchestration.sources.specs import SOURCES, SOURCES_BY_NAME
from orchestration.warehouse.files import SourceFileError
from tests.helpers import DATA_DIR, csv_rows, text_of


@pytest.fixture(scope="module")
def gate(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gate")
    return Gate(data_docs_dir=str(folder / "docs"), data_docs_url="http://127.0.0.1:3001/data-docs")


def fingerprint(con, table):
    return con.execute(f"SELECT count(*), sum(hash(COLUMNS(*))) FROM {table}").fetchall(), \
        con.execute("SELECT count(*) FROM raw._loads").fetchall()


def test_every_real_file_loads_with_provenance_and_once(tmp_path, gate):
    con = duckdb.connect(str(tmp_path / "build.duckdb"))
    for spec in SOURCES:
        path = DATA_DIR / spec.relative_path
        load = load_source(con, spec, path, gate, "run-1")
        assert load.changed and load.rows == csv_rows(path), spec.name
        files, hashes = con.execute(f"SELECT count(DISTINCT _source_file), any_value(_source_sha256) "
                                    f"FROM raw.{spec.name}").fetchone()
        # the sha256 of the content: a gzipped file's is that of what it unzips to
        content = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        assert (files, hashes) == (1, hashlib.sha256(content).hexdigest())
        assert not load_source(con, spec, path, gate, "run-2").changed  # the same content again: nothing
    assert con.execute("SELECT count(*), count(DISTINCT run_id) FROM raw._loads").fetchone() == (len(SOURCES), 1)


def mangled(tmp_path, source, old, new, name="edition.csv"):
    text = text_of(DATA_DIR / SOURCES_BY_NAME[source].relative_path)
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1))
    return path


@pytest.mark.parametrize("source, old, new, expected", [
    ("home_office_prc_pfa", ",Lancashire,", ",Lancashrie,", "Lancashrie"),
    ("ons_mye3_population", "E07000117,Burnley,86894,", "E07000117,Burnley,-86894,", "-86894"),
    ("ons_rolling_crime_pfa", "30-06-2010,", "15-05-2010,", "end_month"),
    ("hmicfrs_peel_grades", ",2016,efficiency,,Good,", ",2016,efficiency,,Adequate,", "Adequate"),
], ids=["misspelled force", "negative population", "period not at a quarter end", "grade off its scale"])
def test_a_refused_delivery_changes_nothing_and_says_what_and_where(tmp_path, gate, source, old, new, expected):
    spec = SOURCES_BY_NAME[source]
    con = duckdb.connect(str(tmp_path / "build.duckdb"))
    load_source(con, spec, DATA_DIR / spec.relative_path, gate)
    before = fingerprint(con, f"raw.{source}")
    bad = mangled(tmp_path, source, old, new)
    with pytest.raises(DeliveryRefused) as refused:
        load_source(con, spec, bad, gate)
    message = str(refused.value)
    assert message.startswith(f"{bad}: refused by the quality gate") and expected in message
    assert fingerprint(con, f"raw.{source}") == before


@pytest.mark.parametrize("mangle, expected", [
    (lambda text: text[: len(text) // 2], "were expected (the file may be cut short"),
    (lambda text: text.replace(",Lancashire,North West,Bicycle theft,", ",Lancashire,North West,Bicycle theft,x", 1),
     "is not a valid bigint"),
    (lambda text: text.splitlines(keepends=True)[0], "has a header but no data rows"),
    (lambda text: "", "the file is empty"),
    (lambda text: text.replace("Rolling year total number of offences", "Offences", 1),
     "column 'Offences' where 'Rolling year total number of offences' was expected"),
], ids=["truncated", "text in a number column", "header only", "empty", "renamed column"])
def test_a_malformed_file_names_its_place_and_loads_nothing(tmp_path, gate, mangle, expected):
    spec = SOURCES_BY_NAME["ons_rolling_crime_pfa"]
    con = duckdb.connect(str(tmp_path / "build.duckdb"))
    load_source(con, spec, DATA_DIR / spec.relative_path, gate)
    before = fingerprint(con, f"raw.{spec.name}")
    bad = tmp_path / "bad.csv"
    bad.write_text(mangle(text_of(DATA_DIR / spec.relative_path)))
    with pytest.raises(SourceFileError) as error:
        load_source(con, spec, bad, gate)
    assert str(error.value).startswith(str(bad)) and expected in str(error.value)
    assert fingerprint(con, f"raw.{spec.name}") == before


def test_a_workbook_loads_the_rows_of_its_csv_and_a_wrong_cell_is_named_by_sheet_and_row(tmp_path, gate):
    from tests.publishers.workbooks import write_ods

    spec = SOURCES_BY_NAME["home_office_prc_pfa"]
    header, *rows = list(csv.reader(text_of(DATA_DIR / spec.relative_path).splitlines()))
    rows = [row for row in rows if row[:2] == ["2012/13", "1"]]  # one whole quarter: every force
    typed = [[int(v) if i in (1, 7) else v for i, v in enumerate(row)] for row in rows]
    csv_file = tmp_path / "prc.csv"
    with open(csv_file, "w", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    book = write_ods(tmp_path / "prc.ods", {"2012_13": [["Police recorded crime by force area"], header, *typed]})
    con = duckdb.connect(str(tmp_path / "build.duckdb"))
    assert load_source(con, spec, csv_file, gate).changed
    same = load_source(con, spec, book, gate)  # the same rows in the publisher's own form: held already
    assert (same.changed, same.rows) == (False, len(rows))
    typed[41][7] = "N/a"
    bad = write_ods(tmp_path / "prc-bad.ods", {"2012_13": [["Police recorded crime by force area"], header, *typed]})
    with pytest.raises(SourceFileError, match=r"sheet '2012_13', row 44: Number of Offences is 'N/a', not a valid "):
        load_source(con, spec, bad, gate)
