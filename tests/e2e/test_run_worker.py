"""The run launcher's workers (orchestration/operations/launcher.py, run_worker.py): each run goes to a worker process
that was started, and did its imports, before the run was launched; a worker started by other code than the code on
disk is set aside; a run cancelled from the UI ends as canceled. Real processes and a real Dagster instance on disk;
the daemon's whole path is tests/e2e/test_daemon.py."""

import time

import pytest
from dagster import DagsterInstance, DagsterRunStatus, job, op, reconstructable
from dagster._core.launcher.base import LaunchRunContext

from orchestration.operations import launcher as launching
from orchestration.operations.launcher import LocalRunLauncher, worker_pid
from tests.jobs import trivial


@op
def waiting():
    time.sleep(120)


@job
def slow():
    waiting()


@pytest.fixture
def launcher(tmp_path):
    with DagsterInstance.local_temp(str(tmp_path)) as instance:
        launcher = LocalRunLauncher()
        launcher.register_instance(instance)
        yield launcher
        launcher.dispose()


def wait_for(condition, what: str):
    deadline = time.monotonic() + 120
    while not condition():
        assert time.monotonic() < deadline, f"waited two minutes for {what}"
        time.sleep(0.2)


def launched(launcher: LocalRunLauncher, of=trivial, wait: bool = True):
    """Launch a run of the job and (unless told not to) wait for it to end."""
    instance = launcher._instance
    run = instance.create_run_for_job(job_def=of, job_code_origin=reconstructable(of).get_python_origin())
    launcher.launch_run(LaunchRunContext(dagster_run=run, workspace=None))
    if wait:
        wait_for(lambda: instance.get_run_by_id(run.run_id).is_finished, "the run to end")
    return instance.get_run_by_id(run.run_id)


def test_each_run_goes_to_a_worker_started_before_it_and_stale_code_is_set_aside(launcher, monkeypatch):
    first = launched(launcher)  # no worker waits yet: this one starts its own
    assert first.status == DagsterRunStatus.SUCCESS
    spare = launcher._spare.process
    second = launched(launcher)
    assert second.status == DagsterRunStatus.SUCCESS
    assert worker_pid(launcher._instance, second.run_id) == spare.pid  # the worker that waited ran it
    assert spare.wait(timeout=30) == 0  # one run a worker

    # the code on disk changed after the next spare started: it is set aside, and ends without running anything
    stale = launcher._spare.process
    monkeypatch.setattr(launching, "code_version", lambda: "changed since the worker started")
    third = launched(launcher)
    assert third.status == DagsterRunStatus.SUCCESS
    assert worker_pid(launcher._instance, third.run_id) not in (None, stale.pid)
    assert stale.wait(timeout=60) == 0

    # the daemon stopping: the spare's input closes and it ends
    last = launcher._spare.process
    launcher.dispose()
    assert last.wait(timeout=60) == 0


def test_a_run_cancelled_from_the_ui_ends_as_canceled(launcher):
    instance = launcher._instance
    run = launched(launcher, slow, wait=False)
    wait_for(lambda: instance.get_run_by_id(run.run_id).status == DagsterRunStatus.STARTED and
             worker_pid(instance, run.run_id), "the run to start")
    assert launcher.terminate(run.run_id)
    wait_for(lambda: instance.get_run_by_id(run.run_id).is_finished, "the run to end")
    assert instance.get_run_by_id(run.run_id).status == DagsterRunStatus.CANCELED
    assert not launcher.terminate(run.run_id)  # an ended run: nothing to cancel
