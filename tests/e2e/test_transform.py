"""dbt in the run's own process (orchestration/transform/runner.py): dbt-duckdb keeps one connection to the build
database for an invocation, and nothing of it may outlive the invocation - the steps after dbt, and other processes
(the next run, a restore), must find the file free; a run builds from the manifest the run workers' server parsed
before forking it, once, and only for the warehouse it was parsed for, with every template it needs compiled ahead."""

import socket
import subprocess
import sys

from dbt.cli import main as dbt_main
from dbt_common.clients.jinja import template_cache

from orchestration.transform import runner
from orchestration.transform.runner import compile_macros, dbt_args, invoke, parse_ahead
from tests.helpers import NATIONAL, build_rows, published, settings_for

TAKE_FOR_WRITING = "import duckdb, sys; duckdb.connect(sys.argv[1]).execute('CHECKPOINT')"
THIS_MACHINE = ("localhost", "127.0.0.1", "::1")


def test_dbt_leaves_the_build_database_free_when_it_returns(warehouse):
    settings = warehouse.settings
    nodes = invoke(dbt_args(settings, ["grade_scales"]))
    assert {(node.name, node.status) for node in nodes if node.resource_type == "seed"} == {("grade_scales", "success")}
    # DuckDB lets one process write a file: another takes it at once, so this one holds no handle to it
    taken = subprocess.run([sys.executable, "-c", TAKE_FOR_WRITING, str(settings.build_db)], capture_output=True,
                           text=True, timeout=60)
    assert taken.returncode == 0, taken.stderr


def test_dbt_asks_for_no_host_off_the_machine(warehouse, monkeypatch):
    """dbt sends anonymous usage statistics to dbt Labs on every invocation unless told not to (dbt_project.yml
    flags): a pipeline that says nothing leaves the machine but the fetch must not."""
    asked = []
    resolve = socket.getaddrinfo

    def local_only(host, *args, **kwargs):
        asked.append(host)
        if host not in THIS_MACHINE:
            raise socket.gaierror(socket.EAI_NONAME, f"{host}: not resolved in this test")
        return resolve(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", local_only)
    invoke(dbt_args(warehouse.settings, ["grade_scales"]))
    assert [host for host in asked if host not in THIS_MACHINE] == []


def test_a_run_builds_from_the_manifest_parsed_ahead_for_its_warehouse_once(warehouse, monkeypatch, tmp_path):
    given = []  # the manifest each dbt invocation was given (None: dbt parses the project itself)
    real = dbt_main.dbtRunner

    class Recording(real):
        def __init__(self, manifest=None, **kwargs):
            given.append(manifest)
            super().__init__(manifest=manifest, **kwargs)

    monkeypatch.setattr(dbt_main, "dbtRunner", Recording)
    monkeypatch.setattr(runner, "_parsed_ahead", {})  # this test's manifests go with it
    elsewhere = parse_ahead(settings_for(tmp_path / "another-warehouse"))
    ahead = parse_ahead(warehouse.settings)
    assert ahead is not None and elsewhere is not None and ahead is not elsewhere
    [kent] = warehouse.deliver(NATIONAL / "2014-01" / "2014-01-kent-street.csv.gz")
    assert kent.success and given[-1] is ahead  # built without parsing, from this warehouse's manifest
    assert published(warehouse.settings, "SELECT count(*) FROM publication_sources "
                                         "WHERE partition_key = 'kent|2014-01'") == [(1,)]
    [surrey] = warehouse.deliver(NATIONAL / "2014-01" / "2014-01-surrey-street.csv.gz")
    assert surrey.success and given[-1] is None  # a manifest serves one build: the next run parses for itself


def test_a_build_after_compile_macros_compiles_no_template(warehouse, monkeypatch):
    """The run workers' server compiles the macros before it forks: a forked run's build, the first in its process,
    finds each template it calls already compiled (dbt compiles one on first use and keeps it by its text)."""
    monkeypatch.setattr(template_cache, "file_cache", {})  # as in a process that has built nothing yet
    compile_macros(parse_ahead(warehouse.settings))
    compiled = set(template_cache.file_cache)
    [kent] = warehouse.deliver(NATIONAL / "2014-01" / "2014-01-kent-street.csv.gz")
    assert kent.success
    assert set(template_cache.file_cache) == compiled


def test_a_mart_built_in_parts_whose_columns_changed_is_made_again_from_its_parts(warehouse):
    """force_rates is incremental by part (dbt_project/macros/built_in_parts.sql); a table left by an earlier version
    of the project, here one column short, would be refused by dbt until a full refresh by hand. The next build makes
    it again, with its contract's columns and primary key, and the same rows."""
    settings = warehouse.settings
    fingerprint = "SELECT count(*), sum(hash(t)::HUGEINT) FROM marts.force_rates AS t"
    columns = "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index"
    [before] = build_rows(settings, fingerprint)
    build_rows(settings, "CREATE OR REPLACE TABLE marts.force_rates AS SELECT * EXCLUDE (note) FROM marts.force_rates")
    nodes = invoke(dbt_args(settings, ["force_rates"]))
    assert {(node.name, node.status) for node in nodes if node.resource_type == "model"} == {("force_rates", "success")}
    assert build_rows(settings, columns, ["force_rates"]) == build_rows(settings, columns, ["int_force_rates_recorded"])
    assert build_rows(settings, "SELECT constraint_column_names FROM duckdb_constraints() WHERE table_name = "
                                "'force_rates' AND constraint_type = 'PRIMARY KEY'") == [
        (["area_code", "period_end", "measure"],)]
    assert build_rows(settings, fingerprint) == [before]
