"""A Dagster logger that shows a run as a few lines a person can follow: one per phase (ingest, dbt, quality gate,
publication, site) with what it did and how long it took. `forcestat refresh` switches it on (and the console logger
down to errors); in the daemon it stays off. With verbose, every step and dbt node is shown too."""

from __future__ import annotations

import logging
import sys
import time

from dagster import DagsterEventType, Field, colored_console_logger, logger

from orchestration.deliveries import KINDS

DBT_NODE_EVENTS = (DagsterEventType.ASSET_MATERIALIZATION, DagsterEventType.ASSET_CHECK_EVALUATION)
# the steps after loading, each a phase of its own; a delivery kind's loading step is its kind's phase
STAGES = {"dbt_models": "dbt", "quality_gate": "quality gate", "published__forcestat_duckdb": "publish",
          "published__site": "site"}


def phase_of(step_key: str) -> str:
    if step_key.endswith("_delivered_within_cadence"):
        return "freshness"
    phases = {**{kind.step: kind.phase for kind in KINDS}, **STAGES}
    return phases.get(step_key, step_key)


class RunProgress:
    """The phase a run is in. Dagster builds a run's loggers twice, once for the run's own events (RUN_SUCCESS) and
    once for its steps (STEP_START), so both handlers share one RunProgress per run; the run's end closes the last
    phase the steps opened."""

    def __init__(self):
        self.phase, self.started, self.steps, self.nodes = None, 0.0, 0, 0


_RUNS: dict[str, RunProgress] = {}


class ProgressHandler(logging.Handler):
    def __init__(self, verbose: bool):
        super().__init__()
        self.verbose = verbose

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", {}) or {}
        event = meta.get("dagster_event")
        message = record.getMessage()
        run = _RUNS.setdefault(meta.get("run_id"), RunProgress())
        if event is not None and event.event_type == DagsterEventType.STEP_START:
            phase = phase_of(event.step_key)
            if phase != run.phase:
                self._finish(run)
                run.phase, run.started, run.steps, run.nodes = phase, time.monotonic(), 0, 0
            run.steps += 1
            if self.verbose:
                self._line(f"    {event.step_key}")
        elif event is not None and event.event_type in DBT_NODE_EVENTS and run.phase == "dbt":
            # a model or seed built, or a test run: counted from the events the dbt step yields anyway (a log line
            # per node was one more event stored per node, about 5 ms each)
            run.nodes += 1
            if self.verbose:
                self._line(f"    {message.split(' - ')[-1]}")
        elif event is not None and event.event_type in (DagsterEventType.RUN_SUCCESS, DagsterEventType.RUN_FAILURE):
            self._finish(_RUNS.pop(meta.get("run_id")))
        elif record.levelno >= logging.WARNING and "waiting for the build database" in message:
            self._line(f"  {message.split(' - ')[-1]}")

    def _finish(self, run: RunProgress) -> None:
        if run.phase is None:
            return
        detail = f"{run.nodes} models, seeds and tests" if run.phase == "dbt" else f"{run.steps} steps"
        self._line(f"  {run.phase:<14} {detail:<32} {time.monotonic() - run.started:6.1f} s")
        run.phase = None

    def _line(self, text: str) -> None:
        print(text, file=sys.stderr, flush=True)


@logger(config_schema={"enabled": Field(bool, default_value=False), "verbose": Field(bool, default_value=False)},
        description="Progress lines for `forcestat refresh` (off unless enabled).")
def progress_logger(init_context):
    log = logging.Logger("forcestat.progress", level=logging.DEBUG)
    if init_context.logger_config["enabled"]:
        log.addHandler(ProgressHandler(init_context.logger_config["verbose"]))
    return log


LOGGERS = {"console": colored_console_logger, "progress": progress_logger}


def progress_run_config(verbose: bool) -> dict:
    """Run config for a run started in a terminal: progress lines instead of Dagster's event stream."""
    return {"loggers": {"progress": {"config": {"enabled": True, "verbose": verbose}},
                        "console": {"config": {"log_level": "DEBUG" if verbose else "ERROR"}}}}
