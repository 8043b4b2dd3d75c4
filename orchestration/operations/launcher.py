"""The run launcher: each run in a worker process started before the run (run_worker.py), and a health check that tells
whether a run's worker process is alive, so Dagster's run monitoring fails a run whose worker was killed instead of
leaving it STARTED forever (and the one-run queue blocked behind it).

Dagster's DefaultRunLauncher asks the code server to start each run, and the code server spawns a new interpreter
that imports Dagster, dbt and the code location before the first step: 3.7-4.4 s of every run's start on this machine
kind. This launcher keeps one worker that has done those imports waiting (its spare), hands the next run to it and
starts the next spare, so the imports happen between runs (run created -> first step: 1.8-2.3 s with the queue's
look, 4.3-6.4 s before, paired in docs/SCALING.md). The worker executes the run exactly as `dagster api execute_run`
does (the command Dagster's own CLI launchers run). A spare started by other code than the code now on disk (the code
version differs) is set aside and the run gets a new worker; the first run after the daemon starts waits for its
worker's imports as before. A waiting worker holds about 0.2 GB.

This module and run_worker.py are the only places the project uses Dagster internals: the launcher's base classes and
result types, `ExecuteRunArgs` and its serialization, and `dagster api execute_run`'s body. Run monitoring asks the
run launcher for the health of each run's worker (`check_run_worker_health`), but Dagster's DefaultRunLauncher, the
launcher for runs in local processes, does not implement it (Dagster's run-monitoring documentation describes worker
crash detection for the Kubernetes, Docker and ECS launchers; dagster-io/dagster#17403 is a run left STARTED after
its process was killed, where the maintainers point to run monitoring's crash detection). The health check here reads
the worker's process id from the engine event every run worker reports when it starts ("Started process for run (pid:
...)", or "Executing steps in process (pid: ...)" for a run executed in a command's own process) and asks the kernel
whether that process still exists. The result and status types it returns, and the event-log read, are not part of
Dagster's public API: re-check them when upgrading.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from dagster import DagsterEventType, DagsterRun, DagsterRunStatus
from dagster._core.launcher.base import CheckRunHealthResult, LaunchRunContext, RunLauncher, WorkerStatus
from dagster._grpc.types import ExecuteRunArgs
from dagster._serdes import ConfigurableClass, serialize_value

from orchestration.settings import PROJECT_ROOT
from orchestration.warehouse.versions import code_version


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


class Worker:
    """A run worker process: started, importing or waiting for its run on its standard input."""

    def __init__(self):
        self.code = code_version()
        self.process = subprocess.Popen([sys.executable, "-m", "orchestration.operations.run_worker"],
                                        stdin=subprocess.PIPE, cwd=PROJECT_ROOT, text=True)

    def take(self, run: DagsterRun, instance) -> bool:
        """Hand the run over; False when the worker is gone."""
        args = ExecuteRunArgs(job_origin=run.job_code_origin, run_id=run.run_id, instance_ref=instance.get_ref())
        try:
            self.process.stdin.write(serialize_value(args) + "\n")
            self.process.stdin.close()
        except (BrokenPipeError, ValueError):
            return False
        return True

    def set_aside(self) -> None:
        """Its input closed without a run, it exits by itself."""
        try:
            self.process.stdin.close()
        except BrokenPipeError:
            pass


class LocalRunLauncher(RunLauncher, ConfigurableClass):
    """Runs in workers started ahead of them, with worker health checks for run monitoring."""

    def __init__(self, inst_data=None):
        super().__init__()
        self._inst_data = inst_data
        self._lock = threading.Lock()
        self._spare: Worker | None = None
        self._workers: list[Worker] = []  # handed a run or set aside: kept to reap them when they end

    @property
    def inst_data(self):
        return self._inst_data

    @classmethod
    def config_type(cls) -> dict:
        return {}

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> LocalRunLauncher:
        return cls(inst_data=inst_data)

    def launch_run(self, context: LaunchRunContext) -> None:
        run = context.dagster_run
        with self._lock:
            self._workers = [w for w in self._workers if w.process.poll() is None]  # reap those that ended
            worker, self._spare = self._spare, None
            if worker is None or worker.code != code_version() or not worker.take(run, self._instance):
                if worker is not None:
                    worker.set_aside()
                    self._workers.append(worker)
                worker = Worker()
                if not worker.take(run, self._instance):
                    raise RuntimeError(f"the worker for run {run.run_id} exited before it was handed the run")
            self._workers.append(worker)
            self._spare = Worker()

    def terminate(self, run_id: str) -> bool:
        """Cancel a run from the UI: its worker is interrupted, as Dagster's code server interrupts the runs it
        started, and the run ends as canceled."""
        run = self._instance.get_run_by_id(run_id)
        if not run or run.is_finished:
            return False
        self._instance.report_run_canceling(run)
        pid = worker_pid(self._instance, run_id)
        if pid is None or not process_alive(pid):
            return False
        os.kill(pid, signal.SIGINT)
        return True

    def dispose(self) -> None:
        with self._lock:
            if self._spare is not None:
                self._spare.set_aside()

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
