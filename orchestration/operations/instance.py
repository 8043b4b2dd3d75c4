"""The Dagster instance of a warehouse (warehouse/.dagster): written by the commands that start Dagster (`forcestat
ui`, `forcestat refresh`), never by importing the code location.

- One run at a time: DuckDB has one writer. A queued run waits in the queue; a run started by a command waits on the
  build database's writer lock (orchestration/warehouse/database.py).
- The queue is looked at every half second (Dagster's own queue, whose setting takes whole seconds: 1 at the least,
  which its daemon's loop makes a look every 1-1.5 s), so a landed file's run waits about 0.25 s for its start
  instead of 0.5-0.7 s; a look at an empty queue is one small query.
- Run monitoring with a launcher that checks the run worker's process: a run whose worker was killed is marked
  failed within seconds, its failure is alerted and handled, and the queue moves on.
- No freshness daemon: it evaluated every asset's freshness policy every 30 s, and no asset has one (the sources'
  cadence is checked by the freshness_checks job's asset checks, orchestration/operations/freshness.py).
- Dagster's SQLite storages, in Dagster's files under the warehouse's Dagster home, opened once per process instead of
  once per statement (orchestration/operations/storage.py). Their paths are written out here, so the file is written
  again whenever the warehouse folder has moved.
"""

from __future__ import annotations

import json

from dagster import DagsterInstance, QueuedRunCoordinator

from orchestration.settings import Settings

INSTANCE_YAML = """\
# Written by forcestat (orchestration/operations/instance.py); edits are overwritten.
run_coordinator:
  module: orchestration.operations.instance
  class: HalfSecondQueue
  config:
    max_concurrent_runs: 1
run_launcher:
  module: orchestration.operations.launcher
  class: LocalRunLauncher
run_monitoring:
  enabled: true
  poll_interval_seconds: 3
  start_timeout_seconds: 180
  max_resume_run_attempts: 0
telemetry:
  enabled: false
freshness:
  enabled: false
run_storage:
  module: orchestration.operations.storage
  class: PooledSqliteRunStorage
  config:
    base_dir: {runs}
event_log_storage:
  module: orchestration.operations.storage
  class: PooledSqliteEventLogStorage
  config:
    base_dir: {event_logs}
schedule_storage:
  module: orchestration.operations.storage
  class: PooledSqliteScheduleStorage
  config:
    base_dir: {schedules}
"""

# How often the daemon looks at the run queue, in seconds. Dagster's daemon waits in steps of half a second, so a
# shorter interval would not mean more looks.
DEQUEUE_INTERVAL_SECONDS = 0.5


class HalfSecondQueue(QueuedRunCoordinator):
    """Dagster's run queue, looked at every DEQUEUE_INTERVAL_SECONDS: its configuration takes whole seconds only, and
    the daemon reads the interval from this property (dagster/_daemon/controller.py; not a public API: re-check it
    when upgrading Dagster; tests/unit/test_launcher.py does)."""

    @property
    def dequeue_interval_seconds(self) -> float:
        return DEQUEUE_INTERVAL_SECONDS


def prepare_instance(settings: Settings) -> None:
    """Create the warehouse's Dagster home with its instance configuration."""
    settings.dagster_home.mkdir(parents=True, exist_ok=True)
    config = settings.dagster_home / "dagster.yaml"
    home = settings.dagster_home.resolve()
    # Dagster's own places for them; quoted (a JSON string is YAML), so any folder name reads back as written
    text = INSTANCE_YAML.format(**{name: json.dumps(str(home / folder)) for name, folder in (
        ("runs", "history"), ("event_logs", "history/runs"), ("schedules", "schedules"))})
    if not config.exists() or config.read_text() != text:
        config.write_text(text)


def open_instance(settings: Settings) -> DagsterInstance:
    """The warehouse's Dagster instance (runs started by a command show in the UI beside the daemon's)."""
    prepare_instance(settings)
    return DagsterInstance.from_config(str(settings.dagster_home))
