"""`forcestat ui`: the Dagster webserver, the Dagster daemon (schedules, sensors, the run queue, run monitoring), the
code server both of them ask about the code location, and the site server (force profiles, dbt docs and GX Data
Docs, which the UI links to), as four child processes. The code server is loaded once, when the UI starts (the UI's
Reload button loads it again); runs are not executed there but by run workers that import the code on disk.

It refuses to start when a port is taken, stops everything within 10 s on SIGTERM or Ctrl-C, and leaves no claimed
file behind: a delivery whose run had not finished goes back to the landing zone (its run is cancelled, or marked
failed when its worker was stopped with the daemon) and is taken again at the next start. If any of them dies,
the others are stopped too, so the daemon never runs on without its UI or the other way round.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from orchestration.settings import BIN_DIR, SITE_PORT_ENV, Settings

STOP_GRACE_SECONDS = 6
CODE_SERVER_START_SECONDS = 180  # loading the code location; minutes only on a machine far busier than this kind
LOCATION = "orchestration.definitions"  # the code location's module, and its name in the UI and the instance
WORKSPACE_YAML = """\
# Written by `forcestat ui` at each start (orchestration/cli/ui.py); edits are overwritten.
load_from:
  - grpc_server:
      socket: {socket}
      location_name: {location}
"""


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
    # one code server for the webserver and the daemon, started first: each of them started its own, and the daemon
    # replaced its own with a new process every 60 s (Dagster's workspace refresh: ~4 s of CPU to load the code
    # location again, on a 2-core machine); a code server the workspace names is asked for snapshots, not replaced
    sockets = Path(tempfile.mkdtemp(prefix="forcestat-code-"))  # a short path: a socket's is at most 107 bytes
    socket_path = sockets / "code.sock"
    workspace = settings.dagster_home / "workspace.yaml"
    workspace.write_text(WORKSPACE_YAML.format(socket=json.dumps(str(socket_path)), location=json.dumps(LOCATION)))
    commands = {
        "code server": [str(BIN_DIR / "dagster"), "code-server", "start", "-m", LOCATION, "--socket",
                        str(socket_path), "--location-name", LOCATION],
        "webserver": [str(BIN_DIR / "dagster-webserver"), "-w", str(workspace), "-h", "127.0.0.1", "-p", str(port)],
        "daemon": [sys.executable, "-m", "orchestration.operations.daemon", "run", "-w", str(workspace)],
        "site": [sys.executable, "-m", "orchestration.cli.main", "site", "--serve", "--no-build", "--port",
                 str(site_port)],
    }
    stopping = {"signal": None}

    def on_signal(number, _frame):
        stopping["signal"] = number

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    children = {}
    # each in its own session: stopped as a group (with the code server's own process and the run workers), whatever
    # signals the shell that started us ignores
    for name, command in commands.items():
        children[name] = subprocess.Popen(command, env=env, start_new_session=True, stdin=subprocess.DEVNULL)
        if name == "code server" and not serving(socket_path, children[name], stopping):
            break  # the loop below reports a code server that stopped
    else:
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
    shutil.rmtree(sockets, ignore_errors=True)
    released = release_claims(settings)
    print(f"forcestat ui: stopped{f'; {released} deliveries back in the landing zone' if released else ''}",
          flush=True)
    return exit_code


def serving(socket_path: Path, server: subprocess.Popen, stopping: dict) -> bool:
    """Wait for the code server to answer on its socket (it listens once the code location has loaded). False when
    it stopped first (the loop in run_ui reports it), forcestat ui was asked to stop, or it never answered (then it
    is stopped here)."""
    deadline = time.monotonic() + CODE_SERVER_START_SECONDS
    while stopping["signal"] is None and server.poll() is None:
        with socket.socket(socket.AF_UNIX) as probe:
            try:
                probe.connect(str(socket_path))
                return True
            except OSError:
                pass
        if time.monotonic() > deadline:
            print(f"forcestat ui: the code server did not answer within {CODE_SERVER_START_SECONDS} s",
                  file=sys.stderr)
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        time.sleep(0.1)
    return False


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
