"""`forcestat ui`: the Dagster webserver, the Dagster daemon (schedules, sensors, the run queue, run monitoring) and
the site server (force profiles, dbt docs and GX Data Docs, which the UI links to), as three child processes.

It refuses to start when a port is taken, stops everything within 10 s on SIGTERM or Ctrl-C, and leaves no claimed
file behind: a delivery whose run had not finished goes back to the landing zone (its run is cancelled, or marked
failed when its worker was stopped with the daemon) and is taken again at the next start. If any of them dies,
the others are stopped too, so the daemon never runs on without its UI or the other way round.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

from orchestration.settings import BIN_DIR, SITE_PORT_ENV, Settings

STOP_GRACE_SECONDS = 6


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def run_ui(settings: Settings, port: int, site_port: int) -> int:
    for label, wanted in (("UI", port), ("site", site_port)):
        if not port_free(wanted):
            print(f"forcestat ui: port {wanted} ({label}) is already in use on 127.0.0.1; choose another with "
                  f"--port / --site-port (or FORCESTAT_UI_PORT / FORCESTAT_SITE_PORT)", file=sys.stderr)
            return 2
    from orchestration.operations.instance import prepare_instance

    prepare_instance(settings)
    settings.site_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DAGSTER_HOME": str(settings.dagster_home), SITE_PORT_ENV: str(site_port),
           "FORCESTAT_WAREHOUSE_DIR": str(settings.warehouse_dir), "FORCESTAT_DATA_DIR": str(settings.data_dir),
           "FORCESTAT_BUILD_DB": str(settings.build_db), "FORCESTAT_PUBLISHED_DB": str(settings.published_db)}
    module = ["-m", "orchestration.definitions"]
    commands = {
        "webserver": [str(BIN_DIR / "dagster-webserver"), *module, "-h", "127.0.0.1", "-p", str(port)],
        "daemon": [str(BIN_DIR / "dagster-daemon"), "run", *module],
        "site": [sys.executable, "-m", "orchestration.cli.main", "site", "--serve", "--no-build", "--port",
                 str(site_port)],
    }
    # each in its own session: stopped as a group (with the code servers and run workers it starts), whatever
    # signals the shell that started us ignores
    children = {name: subprocess.Popen(command, env=env, start_new_session=True, stdin=subprocess.DEVNULL)
                for name, command in commands.items()}
    stopping = {"signal": None}

    def on_signal(number, _frame):
        stopping["signal"] = number

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    print(f"forcestat ui: Dagster UI on http://127.0.0.1:{port}, site on http://127.0.0.1:{site_port} "
          f"(Ctrl-C stops both and the daemon)", flush=True)
    exit_code = 0
    while stopping["signal"] is None:
        dead = [name for name, child in children.items() if child.poll() is not None]
        if dead:
            print(f"forcestat ui: the {dead[0]} stopped (exit code {children[dead[0]].returncode}); stopping the "
                  "rest", file=sys.stderr)
            exit_code = 1
            break
        time.sleep(0.2)
    stop(children)
    released = release_claims(settings)
    print(f"forcestat ui: stopped{f'; {released} deliveries back in the landing zone' if released else ''}",
          flush=True)
    return exit_code


def stop(children: dict[str, subprocess.Popen]) -> None:
    for child in children.values():
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for child in children.values():
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    for child in children.values():  # the code servers and run workers they started share their groups
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def release_claims(settings: Settings) -> int:
    """Give every claim whose run has not finished back to the landing zone, ending its run."""
    from dagster import DagsterRunStatus, RunsFilter

    from orchestration.landing.claims import CLAIM_TAG, claims, commit, release
    from orchestration.operations.instance import open_instance
    from orchestration.operations.launcher import end_unfinished_run

    pending = claims(settings.landing_dir)
    if not pending:
        return 0
    released = 0
    with open_instance(settings) as instance:
        for claim in pending:
            records = instance.get_run_records(filters=RunsFilter(tags={CLAIM_TAG: claim.id}), limit=1)
            run = records[0].dagster_run if records else None
            if run is not None and run.status == DagsterRunStatus.SUCCESS:
                commit(claim, settings.archive_dir, run.run_id)
                continue
            if run is not None and not run.is_finished:
                end_unfinished_run(instance, run, "stopped with forcestat ui; its files went back to the landing zone")
            release(claim, settings.landing_dir)
            released += 1
    return released
