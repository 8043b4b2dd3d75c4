"""Helpers shared by the tests: where the data is, a warehouse's settings, reading the published and build databases,
and driving the landing-zone and failure sensors in this process the way the daemon does (the daemon itself is
tested in tests/e2e/test_daemon.py)."""

from __future__ import annotations

import csv
import gzip
import os
import shutil
import time
from pathlib import Path

import duckdb

from orchestration.settings import PROJECT_ROOT, Settings

DATA_DIR = PROJECT_ROOT / "warehouse" / "data"
FIXTURES = PROJECT_ROOT / "tests" / "fixtures"
NATIONAL = FIXTURES / "police-uk-national"  # every E&W force's January and February 2014 street files
OTHER_FORCES = FIXTURES / "police-uk-other"  # the first rows of British Transport Police's and PSNI's files
SEED_REPORT = DATA_DIR / "hmicfrs" / "reports" / "hmic-crime-inspection-2014-lancashire.txt"
REPORT_PDF = FIXTURES / "hmic-crime-inspection-2014-lancashire.pdf"
LANCASHIRE, ENGLAND_AND_WALES = "E23000003", "K04000001"


def copy_warehouse(source: Path, target: Path) -> None:
    """A copy of a warehouse folder whose publications and site files are links to the source's (93 of a refreshed
    warehouse's 143 MB: a copy 0.18 -> 0.08 CPU-s): each is written once, beside its place, and renamed into it (a new
    publication is a new file, the site's folders are replaced whole), so neither copy can change the other's. The
    build database, the Dagster instance, and the docs and Data Docs (written in place, by `forcestat docs` and GX)
    are copied."""
    published = source / "published"

    def link_or_copy(file: str, into: str) -> None:
        parts = Path(file).relative_to(published).parts if Path(file).is_relative_to(published) else ()
        if parts[:1] == ("publications",) or (parts[:1] == ("site",) and parts[1:2] not in (("docs",), ("data-docs",))):
            os.link(file, into)
        else:
            shutil.copy2(file, into)

    shutil.copytree(source, target, symlinks=True, copy_function=link_or_copy)


def settings_for(warehouse_dir: Path) -> Settings:
    """A warehouse in a folder of its own that reads the embedded data."""
    return Settings.for_warehouse(warehouse_dir, data_dir=DATA_DIR)


def published(settings: Settings, query: str, parameters: list | None = None) -> list[tuple]:
    """Rows of a query on the current publication (through the analysts' reader)."""
    from orchestration.publication.reader import connect

    with connect(settings) as con:
        return con.execute(query, parameters or []).fetchall()


def build_rows(settings: Settings, query: str, parameters: list | None = None) -> list[tuple]:
    """Rows of a query on the build database (read-write: dbt in this process may hold it open)."""
    with duckdb.connect(str(settings.build_db)) as con:
        return con.execute(query, parameters or []).fetchall()


def publication_target(settings: Settings) -> str:
    return os.readlink(settings.published_db)


def plain_copy(gz: Path, target_dir: Path, name: str | None = None) -> Path:
    """A gzipped fixture as the publisher delivers it (plain CSV)."""
    target = target_dir / (name or gz.name.removesuffix(".gz"))
    with gzip.open(gz, "rb") as source, open(target, "wb") as sink:
        shutil.copyfileobj(source, sink)
    return target


def text_of(path: Path) -> str:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        return handle.read()


def csv_rows(path: Path) -> int:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def settled(path: Path) -> Path:
    """Pretend the file has not changed for a minute."""
    past = time.time() - 60
    os.utime(path, (past, past))
    return path


class Daemonless:
    """A warehouse's definitions and Dagster instance, with the daemon's part played in this process: a look of the
    landing sensor, the runs it requests, and the failure sensor after a failed run."""

    def __init__(self, settings: Settings, defs, instance):
        self.settings, self.defs, self.instance = settings, defs, instance
        self.cursor = None
        self.follow_ups: list = []  # runs the failure sensor requested (restores)

    def look(self) -> list:
        from dagster import build_sensor_context

        sensor = self.defs.resolve_sensor_def("landing_zone")
        result = sensor(build_sensor_context(instance=self.instance, cursor=self.cursor, definitions=self.defs))
        self.cursor = result.cursor
        return list(result.run_requests or [])

    def run(self, request):
        job = self.defs.resolve_job_def(request.job_name or "full_refresh")  # the landing sensor names no job
        return job.execute_in_process(run_config=request.run_config, tags=request.tags, instance=self.instance,
                                      asset_selection=request.asset_selection, raise_on_error=False)

    def deliver(self, *paths: Path):
        """Drop files into the landing zone, let the sensor take them, run what it requests; returns the runs."""
        for path in paths:
            target = self.settings.landing_dir / path.name
            if path != target:
                shutil.copy(path, target)
        return self.take_landed()

    def take_landed(self):
        """Let the sensor take every file in the landing zone (as if each had settled), run what it requests."""
        for path in self.settings.landing_dir.glob("*"):
            if path.is_file():
                settled(path)
        runs = [self.run(request) for request in self.look()]
        for run in runs:
            if not run.success:
                self.follow_ups += self.after_failure(run)
        return runs

    def after_failure(self, run) -> list:
        """The failure sensor's handling of a failed run (alert, quarantine or retry, restore); returns its requests."""
        from dagster import DagsterEventType, build_run_status_sensor_context

        record = self.instance.get_records_for_run(run.run_id, of_type=DagsterEventType.RUN_FAILURE).records[0]
        context = build_run_status_sensor_context(
            sensor_name="run_failed", dagster_event=record.event_log_entry.dagster_event,
            dagster_instance=self.instance, dagster_run=self.instance.get_run_by_id(run.run_id)).for_run_failure()
        result = self.defs.resolve_sensor_def("run_failed")(context)
        return [result] if result is not None else []
