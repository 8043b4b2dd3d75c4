"""Publication on a small build database: atomic, carrying over what the run did not build, replacing incremental
marts force-month by force-month, and never blocked by what an interrupted publication left."""

import os
import subprocess
import sys

import duckdb
import pytest

from orchestration.publication.publish import publish
from orchestration.publication.reader import connect
from orchestration.transform.project import project_var
from orchestration.warehouse.versions import code_version
from tests.helpers import settings_for


@pytest.fixture
def build(tmp_path):
    settings = settings_for(tmp_path / "warehouse")
    settings.build_db.parent.mkdir(parents=True)
    con = duckdb.connect(str(settings.build_db))
    con.execute("CREATE SCHEMA marts; CREATE SCHEMA raw")
    con.execute("CREATE TABLE raw._loads (source VARCHAR, partition_key VARCHAR, source_file VARCHAR, "
                "source_sha256 VARCHAR, rows BIGINT, loaded_at TIMESTAMPTZ, run_id VARCHAR, audit JSON)")
    con.execute("CREATE TABLE marts.rates AS SELECT 'E23000003' AS area_code, 65.0::DOUBLE AS rate")
    con.execute("""CREATE TABLE marts.street AS SELECT * FROM (VALUES
        ('E23000003', DATE '2014-01-01', 10, TIMESTAMPTZ '2026-01-01 00:00:00+00'),
        ('E23000003', DATE '2014-02-01', 20, TIMESTAMPTZ '2026-01-01 00:00:00+00'),
        ('E23000002', DATE '2014-01-01', 30, TIMESTAMPTZ '2026-01-01 00:00:00+00'))
        AS t(area_code, month, incident_count, built_at)""")
    yield settings, con
    con.close()


def test_publication_is_atomic_and_documented(build):
    settings, con = build
    first = publish(con, settings, "run-one", None, "code-1", {"rates": ("Rates.", {"rate": "Per 1,000."})})
    assert settings.published_db.is_symlink() and settings.published_db.resolve() == first.path
    assert first.path.name == "forcestat.duckdb" and set(first.rewritten) == {"rates", "street"}
    with connect(settings) as reader:
        assert reader.execute("SELECT comment FROM duckdb_columns() WHERE column_name = 'rate'").fetchall() == [
            ("Per 1,000.",)]
        assert reader.execute("SELECT dagster_run_id, code_version FROM publication").fetchall() == [
            ("run-one", "code-1")]
        assert reader.execute("SELECT current_database()").fetchall() == [("forcestat",)]


def test_marts_the_run_did_not_build_are_carried_over_as_published(build):
    settings, con = build
    publish(con, settings, "run-one", None, "code-1")
    con.execute("UPDATE marts.rates SET rate = 999")  # rebuilt by a run whose gate refused it
    second = publish(con, settings, "run-two", {"street"}, "code-1")
    assert second.carried == ["rates"]
    with connect(settings) as reader:
        assert reader.execute("SELECT rate FROM rates").fetchall() == [(65.0,)]


def test_a_mart_built_again_with_the_same_rows_is_kept_and_a_changed_one_rewritten(build):
    settings, con = build
    publish(con, settings, "run-one", None, "code-1")
    con.execute("CREATE OR REPLACE TABLE marts.rates AS SELECT 'E23000003' AS area_code, 65.0::DOUBLE AS rate")
    second = publish(con, settings, "run-two", {"rates"}, "code-1", {"rates": ("Rates, again.", {})})
    assert (second.unchanged, second.rewritten) == (["rates"], [])
    with connect(settings) as reader:  # the descriptions are the new ones all the same
        assert reader.execute("SELECT comment FROM duckdb_tables() WHERE table_name = 'rates'").fetchall() == [
            ("Rates, again.",)]
    for change in ("UPDATE marts.rates SET rate = 65.1",  # a value
                   "ALTER TABLE marts.rates ALTER rate TYPE DECIMAL(4, 1)",  # a type, the value as it was
                   "INSERT INTO marts.rates VALUES ('E23000002', 65.1)"):  # a row
        con.execute(change)
        later = publish(con, settings, "run-three", {"rates"}, "code-1")
        assert (later.unchanged, later.rewritten) == ([], ["rates"]), change
        with connect(settings) as reader:
            assert reader.execute("SELECT * FROM rates ORDER BY ALL").fetchall() == con.execute(
                "SELECT * FROM marts.rates ORDER BY ALL").fetchall()


def test_incremental_marts_change_only_the_force_months_built_or_removed(build):
    settings, con = build
    key = project_var("street_key")  # the street feed's key, as the dbt project declares it
    publish(con, settings, "run-one", None, "code-1", incremental_key=key)
    con.execute("""DELETE FROM marts.street WHERE area_code = 'E23000002';
                   UPDATE marts.street SET incident_count = 21, built_at = TIMESTAMPTZ '2026-02-01 00:00:00+00'
                   WHERE month = DATE '2014-02-01';
                   INSERT INTO marts.street VALUES ('E23000003', DATE '2014-03-01', 40,
                                                     TIMESTAMPTZ '2026-02-01 00:00:00+00')""")
    second = publish(con, settings, "run-two", {"street"}, "code-1", incremental_key=key)
    assert second.incremental == {"street": 2}  # February rebuilt, March new; January of E23000002 dropped
    with connect(settings) as reader:
        assert reader.execute("SELECT area_code, month, incident_count FROM street ORDER BY ALL").fetchall() == \
            con.execute("SELECT area_code, month, incident_count FROM marts.street ORDER BY ALL").fetchall()


def test_a_reader_keeps_its_snapshot_and_a_new_connection_in_the_same_process_sees_the_new_file(build):
    settings, con = build
    publish(con, settings, "run-one", None, "code-1")
    holding = connect(settings)
    con.execute("UPDATE marts.rates SET rate = 66")
    publish(con, settings, "run-two", None, "code-1")
    assert holding.execute("SELECT rate FROM rates").fetchall() == [(65.0,)]
    with connect(settings) as fresh:
        assert fresh.execute("SELECT rate FROM rates").fetchall() == [(66.0,)]
    holding.close()


KILLED = """
import os, sys, duckdb
from pathlib import Path
from orchestration.publication import publish
from tests.helpers import settings_for
settings = settings_for(Path(sys.argv[1]))
con = duckdb.connect(str(settings.build_db))
real = publish._fill
def fill_then_die(*args):
    real(*args)
    os.kill(os.getpid(), 9)  # killed while the new publication is open and not yet swapped in
publish._fill = fill_then_die
publish.publish(con, settings, "run-killed", None, "code-1")
"""


def test_a_publication_killed_midway_leaves_the_last_one_and_does_not_block_the_next(build):
    settings, con = build
    first = publish(con, settings, "run-one", None, "code-1")
    con.close()
    killed = subprocess.run([sys.executable, "-c", KILLED, str(settings.warehouse_dir)], cwd=os.getcwd())
    assert killed.returncode == -9
    leftovers = list(settings.publications_dir.glob("*.tmp"))
    assert leftovers and any(p.name.endswith(".wal") or p.suffix == ".duckdb" for p in leftovers[0].iterdir())
    assert settings.published_db.resolve() == first.path  # analysts still read the last good publication
    con = duckdb.connect(str(settings.build_db))
    third = publish(con, settings, "run-three", None, "code-1")
    con.close()
    assert settings.published_db.resolve() == third.path and not list(settings.publications_dir.glob("*.tmp"))


def test_code_version_follows_the_code_and_ignores_a_checkouts_hidden_files(tmp_path):
    # dbt writes dbt_project/.user.yml with a random id per checkout; counting it made every clone's first delivery
    # rebuild every mart. A visible file of the dbt project does change the version.
    (tmp_path / "dbt_project" / "macros").mkdir(parents=True)
    (tmp_path / "dbt_project" / "dbt_project.yml").write_text("name: forcestat\n")
    before = code_version(tmp_path)
    (tmp_path / "dbt_project" / ".user.yml").write_text("id: one checkout\n")
    assert code_version(tmp_path) == before
    (tmp_path / "dbt_project" / "macros" / "rate.sql").write_text("-- a change to the dbt project\n")
    assert code_version(tmp_path) != before
