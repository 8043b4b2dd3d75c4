"""Starting runs: the daemon's queue is looked at every half second and starts one run at a time; run monitoring's
worker health check reports a run whose worker process is gone failed, a live one running."""

import subprocess
import sys

from dagster import DagsterInstance
from dagster._core.events import EngineEventData
from dagster._core.launcher.base import WorkerStatus
from dagster._daemon.controller import create_daemon_of_type
from dagster._daemon.run_coordinator.queued_run_coordinator_daemon import QueuedRunCoordinatorDaemon

from orchestration.operations.instance import DEQUEUE_INTERVAL_SECONDS, open_instance
from orchestration.operations.launcher import LocalRunLauncher, process_alive, worker_pid
from tests.helpers import settings_for
from tests.jobs import trivial


def test_the_daemon_looks_at_the_queue_every_half_second_and_starts_one_run_at_a_time(tmp_path):
    with open_instance(settings_for(tmp_path / "warehouse")) as instance:
        queue = create_daemon_of_type(QueuedRunCoordinatorDaemon.daemon_type(), instance)  # as the daemon makes it
        assert queue.interval_seconds == DEQUEUE_INTERVAL_SECONDS == 0.5
        assert instance.run_coordinator.get_run_queue_config().max_concurrent_runs == 1


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
