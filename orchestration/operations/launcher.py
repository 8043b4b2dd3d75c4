"""The run launcher: each run in a process forked from a server that did the run's imports and dbt parse before it
(run_worker.py), and a health check that tells whether a run's worker process is alive, so Dagster's run monitoring
fails a run whose worker was killed instead of leaving it STARTED forever (and the one-run queue blocked behind it).

Dagster's DefaultRunLauncher asks the code server to start each run, and the code server spawns a new interpreter that
imports Dagster, dbt and the code location before the first step: 3.7-4.4 s of every run's start on this machine kind,
and dbt's parse of the project in the run's build. This launcher starts one server that does those once (as the daemon
starts, daemon.py; elsewhere with the first run, which then waits for them) and hands it each run: the server forks a
child for it, which starts from the imports, the parsed manifest and (after the first run) the compiled macros at once
(a run's process about 0.4 CPU-seconds to its start instead of 5; the server's imports, parse and macros, 6.4
CPU-seconds, are paid once: docs/SCALING.md). The child executes the run exactly as `dagster api execute_run` does (the
command Dagster's own CLI launchers run). A server started by other code than the code now on disk (the code version
differs) is set aside - it ends, the runs it forked go on - and a new one takes the run. The server holds about 0.3 GB;
its children share its memory until they write to it.

Dagster internals used here and in run_worker.py (the other places are storage.py's storages, instance.py's queue and
daemon.py's sensor loop): the launcher's base classes and result types, `ExecuteRunArgs` and its serialization, and
`dagster api execute_run`'s body. Run monitoring asks the run launcher for the health of each run's worker
(`check_run_worker_health`), but Dagster's DefaultRunLauncher, the launcher for runs in local processes, does not
implement it (Dagster's run-monitoring documentation describes worker crash detection for the Kubernetes, Docker and ECS
launchers; dagster-io/dagster#17403 is a run left STARTED after its process was killed, where the maintainers point to
run monitoring's crash detection). The health check here reads the worker's process id from the engine event every run
worker reports when it starts ("Started process for run (pid: ...)", or "Executing steps in process (pid: ...)" for a
run executed in a command's own process) and asks the kernel whether that process still exists. The result and status
types it returns, and the event-log read, are not part of Dagster's public API: re-check them when upgrading.
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


class WorkerServer:
    """The run workers' server (run_worker.py): importing and parsing, or forking a child for each run it is handed."""

    def __init__(self):
        self.code = code_version()
        self.process = subprocess.Popen([sys.executable, "-m", "orchestration.operations.run_worker"],
                                        stdin=subprocess.PIPE, cwd=PROJECT_ROOT, text=True)

    def fork(self, run: DagsterRun, instance) -> bool:
        """Hand the run over (it waits in the pipe while the server is still importing); False when the server is
        gone."""
        args = ExecuteRunArgs(job_origin=run.job_code_origin, run_id=run.run_id, instance_ref=instance.get_ref())
        try:
            self.process.stdin.write(serialize_value(args) + "\n")
            self.process.stdin.flush()
        except (BrokenPipeError, ValueError):
            return False
        return True

    def set_aside(self) -> None:
        """Its input closed, it exits by itself (the runs it forked go on)."""
        try:
            self.process.stdin.close()
        except BrokenPipeError:
            pass


class LocalRunLauncher(RunLauncher, ConfigurableClass):
    """Runs forked from a server that did their imports and parse, with worker health checks for run monitoring."""

    # The server the daemon starts with itself (daemon.py), taken by the first launch in its process. Started with the
    # UI's first run, it kept that run waiting for its imports and parse: a national month 9.5 s from taken to
    # published instead of 4.8-5.2 s (tests/benchmarks/national_month.py, 7 December).
    ahead: WorkerServer | None = None

    @classmethod
    def start_server_ahead(cls) -> None:
        cls.ahead = WorkerServer()

    def __init__(self, inst_data=None):
        super().__init__()
        self._inst_data = inst_data
        self._lock = threading.Lock()
        self._server: WorkerServer | None = None
        self._retired: list[WorkerServer] = []  # set aside: kept to reap them when they end

    @property
    def inst_data(self):
        return self._inst_data

    @classmethod
    def config_type(cls) -> dict:
        return {}

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> LocalRunLauncher:
        return cls(inst_data=inst_data)

    def _set_server_aside(self) -> None:
        self._server.set_aside()
        self._retired.append(self._server)
        self._server = None

    def launch_run(self, context: LaunchRunContext) -> None:
        run = context.dagster_run
        with self._lock:
            self._retired = [server for server in self._retired if server.process.poll() is None]  # reap
            if self._server is None and LocalRunLauncher.ahead is not None:
                self._server, LocalRunLauncher.ahead = LocalRunLauncher.ahead, None
            if self._server is not None and self._server.code != code_version():
                self._set_server_aside()
            for _attempt in range(2):  # a server found gone is started again, once
                if self._server is None:
                    self._server = WorkerServer()
                if self._server.fork(run, self._instance):
                    return
                self._set_server_aside()
            raise RuntimeError(f"the run workers' server exited before it was handed run {run.run_id}")

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
            if self._server is not None:
                self._set_server_aside()

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
