"""Where Great Expectations runs: the gate service when one is up, else a worker process of this run.

Importing GX takes 5-7 s on the target machine, longer than ingesting a national month. `forcestat ui` keeps a gate
service running beside the daemon (orchestration/gate/service.py), with GX imported once, so the daemon's runs never
wait for it. A run with no service (`forcestat refresh` alone, the tests) starts a worker process when it begins
(the Gate resource's setup), so the import runs on the second core while the run ingests and builds; the worker
lives as long as the process that started it, so a test session pays the import once. Either way a batch travels as
a Parquet file the run writes with DuckDB, and the answer comes back as plain dicts.
"""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from orchestration.gate import service, validation

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None


def _executor() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            # spawn: a fresh interpreter that imports GX and DuckDB only (a script using this module must guard its
            # top level with `if __name__ == "__main__"`, as spawn imports it again)
            _pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=validation.warm)
        return _pool


def start(socket: Path) -> Future | None:
    """Start a worker (and its GX import) without waiting for it, unless the gate service is up."""
    if service.available(socket):
        return None
    return _executor().submit(int)


def stop_if_child() -> None:
    """End the worker when this process was itself started by multiprocessing (a Dagster run worker): such a process
    does not shut executors down on exit, and would live on - holding the build database open - until its worker
    ended. A top-level process (a command, the test session) keeps the worker for its next run."""
    global _pool
    if multiprocessing.parent_process() is None:
        return
    with _lock:
        if _pool is not None:
            _pool.shutdown(wait=True, cancel_futures=True)
            _pool = None


def validate(request: dict, socket: Path) -> dict:
    answer = service.ask(socket, request)
    if answer is not None:
        return answer
    global _pool
    for attempt in (1, 2):
        try:
            return _executor().submit(validation.validate, request).result()
        except BrokenProcessPool:
            # the worker died (killed, out of memory): start another once, then let the error through
            with _lock:
                _pool = None
            if attempt == 2:
                raise
    raise AssertionError("unreachable")
