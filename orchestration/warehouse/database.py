"""The build database as a Dagster resource: one writer at a time, by design.

Every run that writes holds `warehouse/build/writer.lock` (an exclusive flock) from its first step to its end. The
kernel drops the lock when the process ends, however it ends (kill -9 included), so a dead run never blocks the next.
A second writer - `forcestat refresh` while the daemon's run is going, two refreshes, a run queued behind another -
waits, and says which run it waits for. DuckDB's own file lock is met only when something outside the pipeline holds
the build database open (an analyst's client); the pipeline then waits too, naming the process.
"""


import fcntl
import json
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from dagster import ConfigurableResource, InitResourceContext
from pydantic import PrivateAttr

from orchestration.settings import DUCKDB_MEMORY_LIMIT, Settings

# How long a run waits for another process (not a pipeline run) to let go of the build database before failing.
FOREIGN_LOCK_PATIENCE_SECONDS = 600
REPORT_EVERY_SECONDS = 15


class WriterLock:
    """An exclusive lock on a file, with who holds it written inside it."""

    def __init__(self, path: Path):
        self.path = path
        self._handle = None

    def holder(self) -> dict | None:
        try:
            return json.loads(self.path.read_text() or "null")
        except (OSError, ValueError):
            return None

    def acquire(self, holder: dict, waiting: Callable[[str], None], poll_seconds: float = 0.5) -> float:
        """Block until the lock is ours, calling waiting(who holds it) now and then; returns the seconds waited."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")
        started, reported = time.monotonic(), None
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if reported is None or time.monotonic() - reported >= REPORT_EVERY_SECONDS:
                    waiting(describe_holder(self.holder()))
                    reported = time.monotonic()
                time.sleep(poll_seconds)
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps(holder))
        handle.flush()
        self._handle = handle
        return time.monotonic() - started

    def release(self) -> None:
        if self._handle is None:
            return
        self._handle.seek(0)
        self._handle.truncate()
        fcntl.flock(self._handle, fcntl.LOCK_UN)
        self._handle.close()
        self._handle = None


def describe_holder(holder: dict | None) -> str:
    if not holder:
        return "another writer (starting up)"
    return (f"run {holder.get('run_id')} of job {holder.get('job')} (pid {holder.get('pid')}, writing since "
            f"{holder.get('since')})")


LOCK_HOLDER = re.compile(r"Conflicting lock is held in (.+?) \(PID (\d+)\)")


class Warehouse(ConfigurableResource):
    """The warehouse folders and the build database. Held for the whole run: see the module's docstring."""

    warehouse_dir: str
    data_dir: str
    build_db: str
    published_db: str
    _lock: WriterLock | None = PrivateAttr(default=None)

    @classmethod
    def from_settings(cls, settings: Settings) -> "Warehouse":
        return cls(warehouse_dir=str(settings.warehouse_dir), data_dir=str(settings.data_dir),
                   build_db=str(settings.build_db), published_db=str(settings.published_db))

    @property
    def settings(self) -> Settings:
        layout = Settings.for_warehouse(Path(self.warehouse_dir), Path(self.data_dir))
        return Settings(warehouse_dir=layout.warehouse_dir, data_dir=layout.data_dir, build_db=Path(self.build_db),
                        published_db=Path(self.published_db), dagster_home=layout.dagster_home)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        run = context.run
        holder = {"run_id": run.run_id if run else None, "job": run.job_name if run else None, "pid": os.getpid(),
                  "since": datetime.now(UTC).isoformat(timespec="seconds")}
        self._lock = WriterLock(self.settings.writer_lock)
        waited = self._lock.acquire(holder, lambda who: context.log.info(
            f"waiting for the build database: it is being written by {who}"))
        if waited > 1:
            context.log.info(f"the build database is ours after waiting {waited:.0f} s")

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        if self._lock is not None:
            self._lock.release()

    @contextmanager
    def connect(self, log: Callable[[str], None] | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to the build database. Always read-write with DuckDB's default configuration: dbt runs in this
        process and keeps the database open, and DuckDB refuses a second connection with another configuration. The
        memory limit is set after connecting (for the whole database, as dbt's profile sets it)."""
        con = connect_waiting(Path(self.build_db), log)
        try:
            yield con
        finally:
            con.close()


def connect_waiting(path: Path, log: Callable[[str], None] | None = None) -> duckdb.DuckDBPyConnection:
    """duckdb.connect(path) with the pipeline's memory limit, waiting while a process outside the pipeline holds the
    file open."""
    path.parent.mkdir(parents=True, exist_ok=True)
    started, reported = time.monotonic(), None
    while True:
        try:
            con = duckdb.connect(str(path))
            con.execute(f"SET memory_limit = '{DUCKDB_MEMORY_LIMIT}'")
            return con
        except duckdb.IOException as error:
            holder = LOCK_HOLDER.search(str(error))
            if not holder:
                raise
            who = f"process {holder.group(2)} ({Path(holder.group(1)).name})"
            waited = time.monotonic() - started
            if waited > FOREIGN_LOCK_PATIENCE_SECONDS:
                raise RuntimeError(
                    f"{path}: held open by {who} for more than {FOREIGN_LOCK_PATIENCE_SECONDS} s. The build database "
                    "belongs to the pipeline; analysts read the published file (forcestat sql).") from None
            if log and (reported is None or time.monotonic() - reported >= REPORT_EVERY_SECONDS):
                log(f"waiting for the build database: {who} holds it open")
                reported = time.monotonic()
            time.sleep(1)
