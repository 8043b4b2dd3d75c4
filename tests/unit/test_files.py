"""Reading delivered CSV files: errors name the file, the line and what was expected; CRLF, CR CR LF, gzip and a
byte-order mark are read; several files read at once give each row the file and line they give read one by one."""

import gzip

import duckdb
import pytest

from orchestration.sources.specs import SOURCES_BY_NAME
from orchestration.street import feed
from orchestration.warehouse import staging
from orchestration.warehouse.files import SourceFileError, header_problem, read_header
from tests.helpers import DATA_DIR, NATIONAL, text_of

STREET_FILE = NATIONAL / "2014-01" / "2014-01-kent-street.csv.gz"


def stage(path):
    con = duckdb.connect()
    rows = staging.stage_file(con, feed.COLUMNS, path, feed.LABEL)
    return rows, con


def test_a_file_cut_mid_row_names_the_line_and_the_columns(tmp_path):
    text = text_of(STREET_FILE)
    cut = tmp_path / "cut.csv"
    cut.write_text(text[: len(text) // 2])
    with pytest.raises(SourceFileError) as error:
        stage(cut)
    line = text[: len(text) // 2].count("\n") + 1
    message = str(error.value)
    assert message.startswith(f"{cut}: line {line}: ") and "where 12 were expected" in message
    assert "cut short" in message and "Possible fixes" not in message and "strict_mode" not in message


def test_text_in_a_number_column_names_the_line_and_the_value(tmp_path):
    lines = text_of(STREET_FILE).splitlines(keepends=True)
    fields = lines[5].split(",")
    fields[4] = "west"  # Longitude
    lines[5] = ",".join(fields)
    bad = tmp_path / "bad.csv"
    bad.write_text("".join(lines))
    with pytest.raises(SourceFileError) as error:
        stage(bad)
    assert f"{bad}: line 6: 'west' is not a valid double" in str(error.value)


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b"\r\r\n"], ids=["LF", "CRLF", "CR-CR-LF"])
def test_line_endings_as_files_are_saved(tmp_path, ending):
    rows = [line.rstrip(b"\r") for line in gzip.decompress(STREET_FILE.read_bytes()).split(b"\n") if line]
    path = tmp_path / "saved.csv"
    path.write_bytes(ending.join(rows) + ending)
    count, con = stage(path)
    assert count == len(rows) - 1
    # the last field keeps no stray carriage return
    assert con.execute("SELECT count(*) FROM delivery WHERE \"Context\" LIKE '%\r%' OR \"Crime type\" LIKE "
                       "'%\r%'").fetchall() == [(0,)]


def test_byte_order_mark_and_gzip_are_read(tmp_path):
    spec = SOURCES_BY_NAME["ons_lad_pfa_lookup"]  # the real file starts with a UTF-8 byte-order mark
    path = DATA_DIR / spec.relative_path
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert read_header(path) == spec.column_names
    count, _ = stage(STREET_FILE)
    assert count == 12_025


def test_header_problems_say_which_column_differs(tmp_path):
    spec = SOURCES_BY_NAME["home_office_prc_pfa"]
    found = ["Offences Number" if c == "Number of Offences" else c for c in spec.column_names]
    message = header_problem(tmp_path / "prc.csv", found, spec.column_names, spec.label)
    assert "column 'Offences Number' where 'Number of Offences' was expected" in message
    assert header_problem(tmp_path / "x.csv", None, spec.column_names, spec.label).endswith(
        f"the file is empty; expected a header row with the columns of {spec.label}: {spec.column_names}")
    reordered = list(reversed(spec.column_names))
    assert "the same columns in another order" in header_problem(tmp_path / "x.csv", reordered,
                                                                 spec.column_names, spec.label)


def test_the_embedded_files_hashes_follow_a_file_replaced_in_place(tmp_path):
    """They are kept for the process's life, by path, size and modification time: a new copy is hashed again."""
    from orchestration.warehouse.archive import embedded_sha256s
    from orchestration.warehouse.files import file_sha256

    (tmp_path / "README.md").write_text("what the files are")
    file = tmp_path / "prc.csv"
    file.write_text("force,offences\nKent,1\n")
    first = embedded_sha256s(tmp_path)
    assert first == {file_sha256(file)[:16]}
    file.write_text("force,offences\nKent,12\n")
    assert embedded_sha256s(tmp_path) == {file_sha256(file)[:16]} != first


def delivery(con) -> list[tuple]:
    """The delivery table's rows in their order."""
    return con.execute("SELECT * FROM delivery ORDER BY rowid").fetchall()


def test_files_staged_in_one_read_hold_each_row_with_the_file_and_line_staged_file_gives(tmp_path):
    # gzipped and plain, LF and CRLF (each real file), a file of one row
    kent = tmp_path / "2014-01-kent-street.csv"
    kent.write_bytes(gzip.decompress(STREET_FILE.read_bytes()).replace(b"\r\n", b"\n"))
    surrey = NATIONAL / "2014-01" / "2014-01-surrey-street.csv.gz"
    one_row = tmp_path / "2014-01-city-of-london-street.csv"
    one_row.write_text("\n".join(text_of(NATIONAL / "2014-01" / "2014-01-city-of-london-street.csv.gz")
                                 .splitlines()[:2]) + "\n")
    paths = [kent, surrey, one_row]
    together = duckdb.connect()
    counts = staging.stage_files(together, feed.COLUMNS, paths)
    apart = duckdb.connect()
    assert counts == {path: staging.stage_file(apart, feed.COLUMNS, path, feed.LABEL) for path in paths}
    assert counts[one_row] == 1 and counts[kent] == 12_025
    assert delivery(together) == delivery(apart)


@pytest.mark.parametrize("bad", ["cut mid-row", "CR CR LF", "header only"])
def test_files_one_read_cannot_take_are_left_to_stage_file_with_nothing_staged(tmp_path, bad):
    text = gzip.decompress(STREET_FILE.read_bytes())
    path = tmp_path / "2014-01-surrey-street.csv"
    path.write_bytes({"cut mid-row": text[: len(text) // 2], "CR CR LF": text.replace(b"\r\n", b"\r\r\n"),
                      "header only": text.split(b"\n", 1)[0] + b"\n"}[bad])
    con = duckdb.connect()
    assert staging.stage_files(con, feed.COLUMNS, [STREET_FILE, path]) is None
    assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name IN ('delivery', 'staged_files')"
                       ).fetchall() == [(0,)]
