"""The warehouse's Dagster storages keep their SQLite connections open (orchestration/operations/storage.py): runs,
events and sensor ticks written by another process are read at once, and a warehouse whose Dagster home is restored
from a copy is read from the copy, not from the deleted files the open connections held."""

import shutil
import subprocess
import sys

from dagster import DagsterEventType

from orchestration.operations.instance import open_instance
from orchestration.operations.storage import (
    PooledSqliteEventLogStorage,
    PooledSqliteRunStorage,
    PooledSqliteScheduleStorage,
)
from tests.helpers import settings_for
from tests.jobs import trivial

ANOTHER_PROCESS = """
import sys
from orchestration.operations.instance import open_instance
from tests.helpers import settings_for
from tests.jobs import trivial
from pathlib import Path
with open_instance(settings_for(Path(sys.argv[1]))) as instance:
    print(trivial.execute_in_process(instance=instance).run_id)
"""


def run_elsewhere(warehouse) -> str:
    """A run of the trivial job in another process; its id."""
    done = subprocess.run([sys.executable, "-c", ANOTHER_PROCESS, str(warehouse)], capture_output=True, text=True,
                          check=True)
    return done.stdout.split()[-1]


def test_runs_and_events_written_by_another_process_are_read_at_once(tmp_path):
    settings = settings_for(tmp_path / "warehouse")
    with open_instance(settings) as instance:
        assert isinstance(instance.run_storage, PooledSqliteRunStorage)
        assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
        assert isinstance(instance.schedule_storage, PooledSqliteScheduleStorage)
        here = trivial.execute_in_process(instance=instance).run_id  # this process's connections are open now
        elsewhere = run_elsewhere(settings.warehouse_dir)
        assert {run.run_id for run in instance.get_runs()} == {here, elsewhere}
        assert instance.get_run_by_id(elsewhere).is_success
        events = [entry.dagster_event.event_type for entry in instance.all_logs(elsewhere) if entry.dagster_event]
        assert events[0] == DagsterEventType.RUN_START and events[-1] == DagsterEventType.RUN_SUCCESS
        # Dagster's files, where Dagster keeps them: the run's own event database and the runs table
        assert (settings.dagster_home / "history" / "runs" / f"{elsewhere}.db").exists()
        assert (settings.dagster_home / "history" / "runs.db").exists()


def test_a_dagster_home_restored_from_a_copy_is_read_from_the_copy(tmp_path):
    settings = settings_for(tmp_path / "warehouse")
    copy = tmp_path / "copy"
    with open_instance(settings) as instance:
        kept = trivial.execute_in_process(instance=instance).run_id
        shutil.copytree(settings.dagster_home, copy)
        gone = trivial.execute_in_process(instance=instance).run_id
    shutil.rmtree(settings.dagster_home)
    shutil.copytree(copy, settings.dagster_home)
    with open_instance(settings) as instance:
        assert [run.run_id for run in instance.get_runs()] == [kept]
        assert instance.get_run_by_id(gone) is None
        again = trivial.execute_in_process(instance=instance).run_id  # and what is written goes into the copy
    with open_instance(settings) as instance:
        assert {run.run_id for run in instance.get_runs()} == {kept, again}


def test_a_warehouse_folder_of_any_name_keeps_its_records_where_dagster_keeps_them(tmp_path):
    settings = settings_for(tmp_path / "police: data #2 'copy'" / "warehouse")  # YAML's special characters
    with open_instance(settings) as instance:
        run_id = trivial.execute_in_process(instance=instance).run_id
    assert (settings.dagster_home / "history" / "runs" / f"{run_id}.db").exists()
    assert (settings.dagster_home / "schedules" / "schedules.db").exists()
