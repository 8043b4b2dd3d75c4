"""The gate worker: one process that imports Great Expectations once and validates every batch a run hands it.

Importing GX takes 5-7 s on the target machine, longer than ingesting a national month. The worker is started when a
run begins (the Gate resource's setup), so that import runs on the second core while the run ingests and builds;
validations then cost tenths of a second. The run worker sends DataFrames (pickled) and gets plain dicts back. The
pool lives as long as the process that started it, so tests that run many jobs in one process pay the import once.
"""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from orchestration.gate import validation

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None


def _executor() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            # spawn: a fresh interpreter that never imports Dagster, dbt or DuckDB, only GX
            _pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=validation.warm)
        return _pool


def start() -> Future:
    """Start the worker (and its GX import) without waiting for it."""
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


def validate(definition: dict, frame, parameters: dict, index_columns: list[str],
             data_docs_dir: str | None) -> dict:
    global _pool
    for attempt in (1, 2):
        try:
            return _executor().submit(validation.validate, definition, frame, parameters, index_columns,
                                      data_docs_dir).result()
        except BrokenProcessPool:
            # the worker died (killed, out of memory): start another once, then let the error through
            with _lock:
                _pool = None
            if attempt == 2:
                raise
    raise AssertionError("unreachable")
