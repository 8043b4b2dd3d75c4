"""A run launcher that can tell whether a run's worker process is alive, so Dagster's run monitoring fails a run whose
worker was killed instead of leaving it STARTED forever (and the one-run queue blocked behind it).

This is the one place the project uses Dagster internals. Run monitoring asks the run launcher for the health of
each run's worker (`check_run_worker_health`), but Dagster's DefaultRunLauncher, the launcher for runs in local
processes, does not implement it (Dagster's run-monitoring documentation describes worker crash detection for the
Kubernetes, Docker and ECS launchers; dagster-io/dagster#17403 is a run left STARTED after its process was killed,
where the maintainers point to run monitoring's crash detection). The health check here reads the worker's process
id from the engine event every run worker reports when it starts ("Started process for run (pid: ...)", or
"Executing steps in process (pid: ...)" for a run executed in a command's own process) and asks the kernel whether
that process still exists. The result and status types it returns, and the event-log read, are not part of Dagster's
public API: re-check them when upgrading.
"""

from __future__ import annotations

import os
from pathlib import Path

from dagster import DagsterEventType, DagsterRun, DagsterRunStatus, DefaultRunLauncher
from dagster._core.launcher.base import CheckRunHealthResult, WorkerStatus


def worker_pid(instance, run_id: str) -> int | None:
    """The process id the run's worker reported last (a resumed or in-process run reports its own)."""
    pid = None
    for entry in instance.all_logs(run_id, of_type=DagsterEventType.ENGINE_EVENT):
        data = entry.dagster_event.event_specific_data if entry.dagster_event else None
        metadata = getattr(data, "metadata", None) or {}
        if "pid" in metadata:
            pid = int(metadata["pid"].value)
    return pid


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "\nState:\tZ" in status.read_text())  # a zombie has finished


class LocalRunLauncher(DefaultRunLauncher):
    """Dagster's DefaultRunLauncher, plus worker health checks for run monitoring."""

    @property
    def supports_check_run_worker_health(self) -> bool:
        return True

    def check_run_worker_health(self, run: DagsterRun) -> CheckRunHealthResult:
        pid = worker_pid(self._instance, run.run_id)
        if pid is None:  # the worker has not reported yet: the start timeout covers a worker that never starts
            return CheckRunHealthResult(WorkerStatus.RUNNING, "the run worker has not reported its process yet")
        if process_alive(pid):
            return CheckRunHealthResult(WorkerStatus.RUNNING, f"run worker process {pid} is alive")
        return CheckRunHealthResult(WorkerStatus.FAILED, f"run worker process {pid} is gone (killed, or its machine "
                                                         "restarted) before the run finished")


def end_unfinished_run(instance, run: DagsterRun, reason: str) -> None:
    """End a run that will not finish because the daemon and its workers were stopped: a queued run is cancelled
    (so it does not start later without its files), a started one whose worker is gone is marked failed."""
    if run.status == DagsterRunStatus.QUEUED or run.status == DagsterRunStatus.NOT_STARTED:
        instance.report_run_canceled(run, reason)
        return
    pid = worker_pid(instance, run.run_id)
    if pid is None or not process_alive(pid):
        instance.report_run_failed(run, reason)
