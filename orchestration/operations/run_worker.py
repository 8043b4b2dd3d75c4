"""A run worker started before its run: `python -m orchestration.operations.run_worker`, kept ready by the run
launcher (launcher.py).

A Dagster run is a process of its own, and most of its start is imports: Dagster, dbt, DuckDB and the code location
(2.7 s of the 3.7-4.4 s from a run's creation to its first step, measured in docs/SCALING.md). Dagster's code server
starts each run with multiprocessing's "spawn" (hard-coded in dagster 1.13), so it cannot keep them. This worker does
them while no run is waiting, starts dbt's parse of the project (about 1 s of a build; in a thread, for the run's dbt
step), then waits for one line on its standard input: Dagster's own arguments of `dagster api execute_run`
(ExecuteRunArgs, serialized), which it executes exactly as that command does. One worker runs one run and exits;
nothing is forked, nothing is shared between runs.

Its standard input closing without a line (the daemon stopped, or the launcher set it aside because the code
changed since it started) ends it quietly.
"""

from __future__ import annotations

import sys


def warm_up() -> None:
    """Import what every run imports (DuckDB comes with the definitions), load the code location's definitions, as
    the run will, and start parsing the dbt project for the run's build (in a thread: a run that arrives first does
    not wait for it)."""
    import dagster._cli.api  # noqa: F401  the command a run executes

    from orchestration.definitions import defs
    from orchestration.settings import Settings
    from orchestration.transform.runner import parse_ahead

    defs.get_repository_def()
    parse_ahead(Settings.from_env())  # the settings the definitions were built with


def main() -> int:
    warm_up()
    line = sys.stdin.readline()
    if not line.strip():
        return 0
    from dagster._cli.api import execute_run_command

    # the body of `dagster api execute_run INPUT_JSON` (click's callback: the command without its argument parsing)
    execute_run_command.callback(input_json=line.strip(), compressed_input_json=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
