"""Run monitoring's worker health check: a run whose worker process is gone is reported failed, a live one running."""

import subprocess
import sys

from dagster import DagsterInstance
from dagster._core.events import EngineEventData
from dagster._core.launcher.base import WorkerStatus

from orchestration.operations.launcher import LocalRunLauncher, process_alive, worker_pid
from tests.jobs import trivial


def test_the_health_check_follows_the_worker_process():
    with DagsterInstance.ephemeral() as instance:
        run = trivial.execute_in_process(instance=instance)
        launcher = LocalRunLauncher()
        launcher.register_instance(instance)
        dagster_run = instance.get_run_by_id(run.run_id)
        assert worker_pid(instance, run.run_id) is not None
        assert launcher.check_run_worker_health(dagster_run).status == WorkerStatus.RUNNING  # this very process

        gone = subprocess.Popen([sys.executable, "-c", "pass"])
        gone.wait()
        assert not process_alive(gone.pid)
        # the worker of a resumed run reports its own process: here, one that has ended
        instance.report_engine_event(f"Started process for run (pid: {gone.pid}).", dagster_run,
                                     EngineEventData.in_process(gone.pid))
        health = launcher.check_run_worker_health(dagster_run)
        assert health.status == WorkerStatus.FAILED and str(gone.pid) in health.msg
