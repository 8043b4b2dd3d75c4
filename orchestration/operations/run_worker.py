"""The run workers' server: `python -m orchestration.operations.run_worker`, started by the run launcher (launcher.py)
and kept for as long as the code on disk does not change. Each run is a process forked from it.

A Dagster run is a process of its own, and most of its start is work that is the same for every run: importing Dagster,
dbt, DuckDB and the code location, and parsing the dbt project (about 4 CPU-seconds a run on this machine kind,
docs/SCALING.md). Dagster's code server starts each run with multiprocessing's "spawn" (hard-coded in dagster 1.13), so
every run paid them. This server pays them once: it imports, loads the code location's definitions, parses the dbt
project for its warehouse, then reads its standard input, one line a run: Dagster's own arguments of `dagster api
execute_run` (ExecuteRunArgs, serialized). For each line it forks a child, which executes the run exactly as that
command does, from a copy of the server's memory (the parsed manifest included: runner.parse_ahead), and exits when the
run ends. The server then does what runs would still do for themselves (imports and dbt's macros: warm_further) before
the first run when none is waiting yet (a server the daemon started as it started), else once the first run has its
child, so that run does not wait for it; every later run starts from those too. The server runs nothing itself, opens
no database and keeps no thread, so every child starts from the same clean state; it reaps its children as they end.

Its standard input closing (the daemon stopped, or the launcher set it aside because the code changed since it
started) ends it; runs it forked go on to their end. It reads that input from a descriptor of its own and leaves
/dev/null as descriptor 0, for processes it starts inherit descriptors 0-2: multiprocessing's resource tracker (which
dbt's parse starts) held the launcher's pipe open after the server was killed, so the launcher's hand-over of the
next run succeeded into a pipe nobody read, and the run never started.
"""

from __future__ import annotations

import gc
import os
import select
import signal
import sys
import threading
import traceback

from orchestration.operations.collector import tune_collector


def warm_up():
    """What every run needs from its first instruction, the first run too: the command a run executes, the code
    location's definitions, and the dbt project parsed for this warehouse (runner.parse_ahead). Returns the manifest
    (None when the parse failed: each run's build then parses for itself)."""
    import dagster._cli.api  # noqa: F401  the command a run executes

    from orchestration.definitions import defs
    from orchestration.settings import Settings
    from orchestration.transform.runner import parse_ahead

    defs.get_repository_def()
    return parse_ahead(Settings.from_env())  # the settings the definitions were built with


def warm_further(manifest) -> None:
    """What a forked run would otherwise do for itself, done before the first run when none is waiting, else once the
    first run has its child (so that it does not wait for it); every later run starts without it. Measured in a forked
    run: it imported ~880 modules the server had not (pandas and NumPy, SQLAlchemy and Alembic, ~0.9 CPU-s), and its
    dbt build, the first in its process, compiled the templates of the macros it calls (~0.6 CPU-s:
    runner.compile_macros)."""
    import pandas  # noqa: F401  the marts' previews and the gate's samples (DuckDB's .df())
    import tabulate  # noqa: F401  the previews' markdown

    import orchestration.operations.storage  # noqa: F401  the instance's storages (SQLAlchemy, Alembic) a run opens
    from orchestration.definitions import defs
    from orchestration.transform.runner import compile_macros

    defs.get_repository_def().get_all_jobs()  # resolved once: a run takes its job from the same cache
    if manifest is not None:
        compile_macros(manifest)


def reap(_signal=None, _frame=None) -> None:
    """Collect the children that have ended (a SIGCHLD handler: the server waits on its input meanwhile)."""
    try:
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass
    except ChildProcessError:
        pass


def run(line: str, server_input: int) -> int:
    """In the forked child: execute the run, as `dagster api execute_run` does; its exit code."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the run's own subprocesses are its own to wait for
    os.close(server_input)  # the server's input is not the run's: holding it would hide the server's end
    from dagster._cli.api import execute_run_command

    try:
        # the body of the command (click's callback: the command without its argument parsing)
        execute_run_command.callback(input_json=line.strip(), compressed_input_json=None)
        return 0
    except SystemExit as exiting:  # a failed run's exit code
        return 0 if exiting.code is None else exiting.code if isinstance(exiting.code, int) else 1
    except BaseException:  # noqa: BLE001 - said on stderr, the run's log; run monitoring sees the process end
        traceback.print_exc()
        return 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()


def main() -> int:
    runs = os.fdopen(os.dup(0), "r")  # the launcher's pipe (os.dup: not inherited by the processes started)
    nothing = os.open(os.devnull, os.O_RDONLY)
    os.dup2(nothing, 0)
    os.close(nothing)
    tune_collector()
    manifest = warm_up()
    signal.signal(signal.SIGCHLD, reap)
    further = True
    if not select.select([runs], [], [], 0)[0]:  # no run waiting yet: the first one will find all of it done
        warm_further(manifest)
        further = False
    for line in runs:
        if not line.strip():
            continue
        if threading.active_count() > 1:  # a thread would not be in the child, and a lock it held stays held there
            raise RuntimeError(f"threads left running before a run is forked: {threading.enumerate()}")
        sys.stdout.flush()  # what is buffered is the server's, not to be written again by a child
        sys.stderr.flush()
        # the server's objects (its imports, definitions and manifest) are set aside from the collector: a run's
        # collections no longer traverse them, nor write to the pages of memory it shares with the server (gc.freeze)
        gc.freeze()
        if os.fork() == 0:
            # the child leaves without the server's exit handlers, which are the server's to run
            os._exit(run(line, runs.fileno()))
        if further:
            warm_further(manifest)
            further = False
    reap()
    return 0


if __name__ == "__main__":
    sys.exit(main())
