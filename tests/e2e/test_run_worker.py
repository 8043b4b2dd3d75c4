"""The run launcher's workers (orchestration/operations/launcher.py, run_worker.py): each run is a process of its own,
forked from one server that did the imports and the dbt parse (and the rest of the imports and dbt's macros: before the
first run when the server was started ahead, as the daemon does, else once the first run is forked); a server started
by other code than the code on disk is set aside for a new one; a run cancelled from the UI ends as canceled. Real
processes and a real Dagster instance on disk; the daemon's whole path is tests/e2e/test_daemon.py."""

import contextlib
import json
import os
import sys
import time
from pathlib import Path

import pytest
from dagster import DagsterInstance, DagsterRunStatus, in_process_executor, job, op, reconstructable
from dagster._core.launcher.base import LaunchRunContext

from orchestration.operations import launcher as launching
from orchestration.operations.launcher import LocalRunLauncher, worker_pid
from tests.daemon import parent_of
from tests.jobs import trivial


@op
def waiting():
    time.sleep(120)


@job(executor_def=in_process_executor)
def slow():
    waiting()


@op
def what_the_process_holds(context):
    from dbt_common.clients.jinja import template_cache

    context.log.info(json.dumps({"pandas": "pandas" in sys.modules, "templates": len(template_cache.file_cache)}))


@job(executor_def=in_process_executor)  # as the code location's jobs: the op runs in the run's own process
def holding():
    what_the_process_holds()


@pytest.fixture
def launcher(tmp_path):
    with DagsterInstance.local_temp(str(tmp_path)) as instance:
        launcher = LocalRunLauncher()
        launcher.register_instance(instance)
        yield launcher
        launcher.dispose()


def wait_for(condition, what: str):
    deadline = time.monotonic() + 120
    while not (value := condition()):
        assert time.monotonic() < deadline, f"waited two minutes for {what}"
        time.sleep(0.2)
    return value


def launched(launcher: LocalRunLauncher, of=trivial, wait: bool = True):
    """Launch a run of the job and (unless told not to) wait for it to end."""
    instance = launcher._instance
    run = instance.create_run_for_job(job_def=of, job_code_origin=reconstructable(of).get_python_origin())
    launcher.launch_run(LaunchRunContext(dagster_run=run, workspace=None))
    if wait:
        wait_for(lambda: instance.get_run_by_id(run.run_id).is_finished, "the run to end")
    return instance.get_run_by_id(run.run_id)


def started(launcher: LocalRunLauncher, run) -> int:
    """Wait for the run to start; its worker's process id."""
    instance = launcher._instance
    return wait_for(lambda: instance.get_run_by_id(run.run_id).status == DagsterRunStatus.STARTED and
                    worker_pid(instance, run.run_id), "the run to start")


def holders_of(pipe) -> set[int]:
    """The processes holding the other end of this process's pipe (file object)."""
    end = os.readlink(f"/proc/self/fd/{pipe.fileno()}")
    holders = set()
    for fd in Path("/proc").glob("[0-9]*/fd/*"):
        with contextlib.suppress(OSError):
            if os.readlink(fd) == end:
                holders.add(int(fd.parts[2]))
    return holders - {os.getpid()}


def held(launcher: LocalRunLauncher, run) -> dict:
    """What the run's process held when its op ran (what_the_process_holds)."""
    [entry] = [entry for entry in launcher._instance.all_logs(run.run_id)
               if entry.user_message.startswith('{"pandas"') and entry.dagster_event is None]
    return json.loads(entry.user_message)


def test_runs_are_forked_from_one_server_a_cancelled_one_ends_and_stale_code_gets_a_new_server(launcher, monkeypatch):
    first = launched(launcher, holding)  # the server starts with the first run, which waits for its imports
    assert first.status == DagsterRunStatus.SUCCESS
    server = launcher._server.process
    # only the server reads its input: a process it started holding the pipe (multiprocessing's resource tracker did)
    # kept a killed server's pipe open, and the next run was handed to nobody
    assert holders_of(server.stdin) == {server.pid}
    waiting = launched(launcher, slow, wait=False)
    worker = started(launcher, waiting)
    assert parent_of(worker) == server.pid  # forked from the server, which stays for the next run
    second = launched(launcher, holding)  # the server forks while a run it forked is still going
    assert second.status == DagsterRunStatus.SUCCESS
    # the server finished warming up (run_worker.warm_further) once the first run had its child: the first run did
    # not wait for it, every later one starts from it
    assert held(launcher, first) == {"pandas": False, "templates": 0}
    assert held(launcher, second)["pandas"] and held(launcher, second)["templates"] > 100  # dbt's macros, compiled
    assert len({worker_pid(launcher._instance, run.run_id) for run in (first, second)} | {worker, server.pid}) == 4
    # cancelled from the UI: its worker is interrupted and the run ends as canceled
    assert launcher.terminate(waiting.run_id)
    wait_for(lambda: launcher._instance.get_run_by_id(waiting.run_id).is_finished, "the slow run to end")
    assert launcher._instance.get_run_by_id(waiting.run_id).status == DagsterRunStatus.CANCELED
    assert not launcher.terminate(waiting.run_id)  # an ended run: nothing to cancel

    # the code on disk changed since the server started: it is set aside, ends by itself, and a new one takes the run
    monkeypatch.setattr(launching, "code_version", lambda: "changed since the server started")
    third = launched(launcher)
    assert third.status == DagsterRunStatus.SUCCESS
    assert launcher._server.process.pid != server.pid
    assert server.wait(timeout=60) == 0

    # the server killed (out of memory, by hand): the next run finds it gone and a new one takes the run
    killed = launcher._server.process
    killed.kill()
    killed.wait(timeout=30)
    fourth = launched(launcher)
    assert fourth.status == DagsterRunStatus.SUCCESS and launcher._server.process.pid != killed.pid

    # the daemon stopping: the server's input closes and it ends
    last = launcher._server.process
    launcher.dispose()
    assert last.wait(timeout=60) == 0


def reading_its_input(pid: int) -> bool:
    """Blocked reading a pipe for a second on end (the kernel names that wait pipe_read or anon_pipe_read): where a
    server that has done all its warm-up waits for a run, and nowhere else for that long."""
    for _ in range(5):
        if "pipe_read" not in Path(f"/proc/{pid}/wchan").read_text():
            return False
        time.sleep(0.2)
    return True


def test_a_server_started_ahead_has_all_of_it_done_before_the_first_run(launcher):
    """The daemon starts the server as it starts (daemon.py): with no run waiting, the server also does what it would
    have done after the first run's fork before it reads one, so the UI's first run starts from all of it."""
    LocalRunLauncher.start_server_ahead()
    server = LocalRunLauncher.ahead.process
    try:
        wait_for(lambda: reading_its_input(server.pid), "the server to wait for a run")
        first = launched(launcher, holding)
        assert launcher._server.process is server  # the launcher took the server started ahead
        assert held(launcher, first)["pandas"] and held(launcher, first)["templates"] > 100
    finally:
        if LocalRunLauncher.ahead is not None:  # not taken: the test failed before the launch
            LocalRunLauncher.ahead.set_aside()
            LocalRunLauncher.ahead = None
