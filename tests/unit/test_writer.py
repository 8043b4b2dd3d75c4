"""One writer at a time: a second writer waits and says what it waits for, and a killed writer never blocks."""

import json
import signal
import subprocess
import sys
import time

import duckdb

from orchestration.warehouse.database import WriterLock, connect_waiting

HOLD = """
import sys, time
from pathlib import Path
from orchestration.warehouse.database import WriterLock
lock = WriterLock(Path(sys.argv[1]))
lock.acquire({"run_id": "run-holding", "job": "full_refresh", "pid": 0, "since": "now"}, print)
print("held", flush=True)
time.sleep(60)
"""


def test_a_second_writer_waits_naming_the_run_and_goes_on_when_the_first_is_killed(tmp_path):
    path = tmp_path / "writer.lock"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    said = []
    killer = __import__("threading").Timer(1.5, lambda: holder.send_signal(signal.SIGKILL))
    killer.start()
    lock = WriterLock(path)
    waited = lock.acquire({"run_id": "run-next"}, said.append, poll_seconds=0.1)
    assert waited >= 1.0
    assert said and "run run-holding of job full_refresh" in said[0]
    assert json.loads(path.read_text())["run_id"] == "run-next"
    lock.release()
    holder.wait()


FOREIGN = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print("open", flush=True)
time.sleep(float(sys.argv[2]))
"""


def test_the_pipeline_waits_for_a_foreign_process_holding_the_build_database(tmp_path):
    path = tmp_path / "build.duckdb"
    duckdb.connect(str(path)).close()
    analyst = subprocess.Popen([sys.executable, "-c", FOREIGN, str(path), "2"], stdout=subprocess.PIPE, text=True)
    assert analyst.stdout.readline().strip() == "open"
    said, started = [], time.monotonic()
    con = connect_waiting(path, said.append)
    assert time.monotonic() - started >= 1.0
    assert said and f"process {analyst.pid}" in said[0]
    con.execute("CREATE TABLE t AS SELECT 1")
    con.close()
    analyst.wait()
