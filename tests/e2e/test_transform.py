"""dbt in the run's own process (orchestration/transform/runner.py): dbt-duckdb keeps one connection to the build
database for an invocation, and nothing of it may outlive the invocation - the steps after dbt, and other processes
(the next run, a restore), must find the file free."""

import socket
import subprocess
import sys

from orchestration.transform.runner import dbt_args, invoke

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
