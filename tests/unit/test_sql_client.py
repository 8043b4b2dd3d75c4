"""The analysts' SQL client: sealed (read-only in every sense), one-line errors, every statement's result, modes."""

import io
import json
from datetime import date

import duckdb
import pytest

from orchestration.cli.sql import Session
from orchestration.publication.publish import publish
from orchestration.publication.reader import connect
from tests.helpers import settings_for


@pytest.fixture
def session(tmp_path):
    settings = settings_for(tmp_path / "warehouse")
    settings.build_db.parent.mkdir(parents=True)
    with duckdb.connect(str(settings.build_db)) as con:
        con.execute("CREATE SCHEMA marts; CREATE SCHEMA raw")
        con.execute("CREATE TABLE raw._loads (source VARCHAR, partition_key VARCHAR, source_file VARCHAR, "
                    "source_sha256 VARCHAR, rows BIGINT, loaded_at TIMESTAMPTZ, run_id VARCHAR, audit JSON)")
        con.execute("CREATE TABLE marts.force_rates AS "
                    "SELECT 'Lancashire' AS area_name, 65.00409164745658::DOUBLE AS rate")
        con.execute("CREATE TABLE marts.periods AS SELECT DATE '2014-06-30' AS period_end, NULL::BIGINT AS rank, "
                    "1.25::DECIMAL(5, 2) AS share, TIMESTAMP '2014-07-01 09:30:00' AS loaded_at")
        publish(con, settings, "run-one", None, "code",
                descriptions={"force_rates": ("Rates.", {"rate": "offences / denominator x 1,000"})})
    out = io.StringIO()
    yield Session(connect(settings), out), out, tmp_path


@pytest.mark.parametrize("statement", [
    "ATTACH '{tmp}/build.duckdb' AS b", "COPY force_rates TO '{tmp}/out.csv'", "SELECT * FROM read_csv('/etc/passwd')",
    "INSTALL spatial", "LOAD httpfs", "SET enable_external_access = true", "CREATE TABLE t AS SELECT 1",
    "EXPORT DATABASE '{tmp}/dump'"])
def test_the_prompt_reads_the_published_file_and_nothing_else(session, capsys, statement):
    client, _, tmp = session
    assert client.run(statement.format(tmp=tmp)) is False
    error = capsys.readouterr().err.strip()
    assert error.startswith("error: ") and "\n" not in error and "Traceback" not in error
    assert not (tmp / "out.csv").exists() and not (tmp / "dump").exists()


def test_every_statement_shows_its_result_rounded_with_a_row_count(session):
    client, out, _ = session
    assert client.run("SELECT area_name FROM force_rates; SELECT rate FROM force_rates;")
    text = out.getvalue()
    assert "Lancashire" in text and "65.004" in text and "65.00409" not in text and text.count("(1 row)") == 2


def test_csv_mode_prints_exact_values_and_describe_shows_descriptions(session):
    client, out, _ = session
    client.run(".mode csv")
    client.run("SELECT rate FROM force_rates")
    assert "65.00409164745658" in out.getvalue()
    assert client.run(".describe force_rates")
    assert "offences / denominator x 1,000" in out.getvalue()
    assert client.run(".describe no_such_table") is False


def test_json_and_line_modes_keep_dates_as_dates_and_say_null(session):
    client, out, _ = session
    client.run(".mode json")
    assert client.run("SELECT * FROM periods")
    assert json.loads(out.getvalue()) == [
        {"period_end": "2014-06-30", "rank": None, "share": 1.25, "loaded_at": "2014-07-01T09:30:00"}]
    out.truncate(0)
    out.seek(0)
    client.run(".mode line")
    assert client.run("SELECT period_end, rank FROM periods")
    assert "period_end = 2014-06-30\n      rank = NULL" in out.getvalue()
    out.truncate(0)
    out.seek(0)
    client.run(".mode csv")
    assert client.run("SELECT period_end, rank FROM periods")
    assert out.getvalue() == "period_end,rank\n2014-06-30,\n"


def test_export_keeps_every_column_type_as_published(session, tmp_path):
    from orchestration.cli.export import export

    settings = settings_for(tmp_path / "warehouse")
    assert export(settings, ["periods"], None, "query", tmp_path / "out", "parquet") == 0
    assert export(settings, [], "SELECT period_end FROM periods", "dates", tmp_path / "out", "parquet") == 0
    types = duckdb.sql(f"DESCRIBE SELECT * FROM '{tmp_path}/out/periods.parquet'").fetchall()
    assert [(name, kind) for name, kind, *_ in types] == [
        ("period_end", "DATE"), ("rank", "BIGINT"), ("share", "DECIMAL(5,2)"), ("loaded_at", "TIMESTAMP")]
    assert duckdb.sql(f"SELECT period_end FROM '{tmp_path}/out/dates.parquet'").fetchall() == [(date(2014, 6, 30),)]
    assert export(settings, ["periods"], None, "query", tmp_path / "out", "csv") == 0
    assert (tmp_path / "out" / "periods.csv").read_text() == (
        "period_end,rank,share,loaded_at\n2014-06-30,,1.25,2014-07-01 09:30:00\n")


def test_export_writes_published_tables_and_queries_and_names_unknown_tables(session, tmp_path, capsys):
    from orchestration.cli.export import export

    settings = settings_for(tmp_path / "warehouse")
    assert export(settings, ["force_rates"], None, "query", tmp_path / "out", "parquet") == 0
    assert duckdb.sql(f"SELECT * FROM '{tmp_path}/out/force_rates.parquet'").fetchall() == \
        [("Lancashire", 65.00409164745658)]
    assert export(settings, [], "SELECT area_name FROM force_rates", "names", tmp_path / "out", "csv") == 0
    assert (tmp_path / "out" / "names.csv").read_text() == "area_name\nLancashire\n"
    assert export(settings, ["no_such"], None, "query", tmp_path / "out", "csv") == 2
    assert "no published table no_such; the tables are:" in capsys.readouterr().err
    # a query may read the published file only
    assert export(settings, [], "SELECT * FROM read_csv('/etc/passwd')", "x", tmp_path / "out", "csv") == 2
    assert not (tmp_path / "out" / "x.csv").exists()
