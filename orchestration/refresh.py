"""A full refresh as `forcestat refresh` and the tests run it: first every street month that has a file but was
never loaded (the embedded months of a fresh warehouse, say), one partition run each, then the full_refresh job.

The nightly schedule runs full_refresh alone: street months arrive through the landing zone, each in its own run.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
from dagster import DagsterInstance, Definitions, ExecuteInProcessResult

from orchestration.ingest import LOADS, LOADS_TABLE, raw_table_exists
from orchestration.landing import FULL_REFRESH_JOB, STREET_INGEST_JOB
from orchestration.settings import Settings
from orchestration.street import STREET, StreetMonth, embedded_street_files, forces

@dataclass(frozen=True)
class RefreshResult:
    street_runs: list[ExecuteInProcessResult]
    full_refresh: ExecuteInProcessResult

    @property
    def success(self) -> bool:
        return self.full_refresh.success and all(run.success for run in self.street_runs)


def held_street_months(settings: Settings) -> set[StreetMonth]:
    """Every street partition with a file: embedded (named as data.police.uk names them) or delivered."""
    named = (StreetMonth.from_file_name(path.name) for path in embedded_street_files(settings.data_dir))
    held = {month for month in named if month}
    for folder in (settings.archive_dir / STREET.name).glob("*/*"):
        if folder.parent.name in forces():
            held.add(StreetMonth(forces()[folder.parent.name], date.fromisoformat(folder.name + "-01")))
    return held


def loaded_partition_keys(build_db: Path) -> set[str]:
    if not build_db.exists():
        return set()
    with duckdb.connect(str(build_db), read_only=True) as con:
        if not raw_table_exists(con, LOADS):
            return set()
        return {key for (key,) in con.execute(
            f"SELECT DISTINCT partition_key FROM {LOADS_TABLE} WHERE source = ?", [STREET.name]).fetchall()}


def refresh(defs: Definitions, instance: DagsterInstance, settings: Settings, run_config: dict | None = None
            ) -> RefreshResult:
    loaded = loaded_partition_keys(settings.build_db)
    missing = sorted((m for m in held_street_months(settings) if str(m.partition_key) not in loaded),
                     key=lambda m: (m.force.data_police_uk_id, m.month))
    street_job = defs.resolve_job_def(STREET_INGEST_JOB)
    street_runs = [street_job.execute_in_process(instance=instance, partition_key=str(month.partition_key),
                                                 raise_on_error=False, run_config=run_config)
                   for month in missing]
    result = defs.resolve_job_def(FULL_REFRESH_JOB).execute_in_process(
        instance=instance, raise_on_error=False, run_config=run_config)
    return RefreshResult(street_runs, result)
