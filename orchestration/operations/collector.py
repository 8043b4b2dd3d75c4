"""Python's cyclic garbage collector, set for the processes that run the pipeline.

A run builds large graphs of objects (Dagster's definitions and events, dbt's manifest and nodes, GX's suites) and
makes a great many short-lived ones, so with Python's default thresholds (700, 10, 10) the collector ran about 550
times a run and now and then traversed every object of the process: in three street deliveries in one process
(Daemonless, the Kent file), 1,650 young, 150 middle and 8 full collections took 1.35 s of 14.5 CPU-s, the 8 full
ones 1.0 s. At (50,000, 20, 100) the same runs collected 587, 52 and 4 times in 0.6 s. What the collector frees
is the same, a little later: reference counting still frees everything not in a cycle at once.
"""

from __future__ import annotations

import gc

THRESHOLDS = (50_000, 20, 100)


def tune_collector() -> None:
    """For processes that run the pipeline (or its commands): `forcestat`, the run workers' server and its runs, and
    the tests' processes, which run jobs as the run workers do."""
    gc.set_threshold(*THRESHOLDS)
