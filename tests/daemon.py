"""Running the real `forcestat ui` (webserver, daemon, site server) on a copy of a refreshed warehouse,
for the tests that are the daemon's: each module starts its own."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from orchestration.operations.instance import open_instance
from orchestration.settings import BIN_DIR, Settings
from tests.helpers import DATA_DIR, copy_warehouse


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, timeout: float, what: str, interval: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"waited {timeout:.0f} s for {what}")


def answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=2).close()
        return True
    except OSError:
        return False


def parent_of(pid: int) -> int:
    """The process id of the process's parent (OSError when it has ended)."""
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def started_at(pid: int) -> float:
    """When the process started, in seconds since the epoch."""
    ticks = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19])
    boot = next(float(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines()
                if line.startswith("btime "))
    return boot + ticks / os.sysconf("SC_CLK_TCK")


def descendants(pid: int) -> dict[int, str]:
    """Every process started under this one, however deep (process id -> command line)."""
    children: dict[int, list[int]] = {}
    commands = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = parent_of(int(entry.name))
                commands[int(entry.name)] = (entry / "cmdline").read_text().replace("\0", " ").strip()
            except (OSError, IndexError, ValueError):
                continue  # ended meanwhile
            children.setdefault(parent, []).append(int(entry.name))
    found, waiting = {}, list(children.get(pid, []))
    while waiting:
        child = waiting.pop()
        found[child] = commands.get(child, "")
        waiting += children.get(child, [])
    return found


# the daemon's sensors look every second here, and take a file a second after it was written
QUICK = {"FORCESTAT_SENSOR_INTERVAL_SECONDS": "1", "FORCESTAT_LANDING_SETTLE_SECONDS": "1"}


@contextmanager
def running_ui(snapshot: Path | None, folder: Path, environment: dict[str, str] | None = None,
               data_dir: Path = DATA_DIR):
    """`forcestat ui` on a copy of the snapshot warehouse in folder, replacing what is there (or on the warehouse
    there, without a snapshot); yields what a test needs to talk to it."""
    if snapshot:
        shutil.rmtree(folder, ignore_errors=True)
        copy_warehouse(snapshot, folder)
    settings = Settings.for_warehouse(folder, data_dir)
    settings.landing_dir.mkdir(parents=True, exist_ok=True)
    port, site_port = free_port(), free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("FORCESTAT_", "DAGSTER_"))}, **QUICK,
           "FORCESTAT_WAREHOUSE_DIR": str(folder), "FORCESTAT_DATA_DIR": str(data_dir), **(environment or {})}
    log = open(folder.parent / "ui.log", "w")
    process = subprocess.Popen([str(BIN_DIR / "forcestat"), "ui", "--port", str(port), "--site-port", str(site_port)],
                               env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for(lambda: answers(f"http://127.0.0.1:{port}/server_info") and process.poll() is None, 120,
                 "the webserver to answer")
        with open_instance(settings) as instance:
            yield {"settings": settings, "port": port, "site_port": site_port, "process": process, "env": env,
                   "instance": instance, "log": folder.parent / "ui.log"}
    finally:
        # asked to stop, it stops its webserver, daemon and site server (each in a session of its own) and their
        # runs; killed, it could not, and they would live on
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        log.close()
