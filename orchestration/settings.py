"""The one place for forcestat's paths and settings.

Every setting has a default that works in a fresh clone; each can be overridden by one environment variable.
dbt reads the build database path from the same variable (dbt_project/profiles.yml), which `Settings.export()`
sets, so Python and dbt can never disagree about which file they write.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"

# Run-failure alerts are also POSTed as JSON here when it is set.
ALERT_WEBHOOK_ENV = "FORCESTAT_ALERT_WEBHOOK"

# The Dagster instance of the UI and daemon: one run at a time (DuckDB has one writer), the others queue.
DAGSTER_INSTANCE_YAML = """\
run_queue:
  max_concurrent_runs: 1
telemetry:
  enabled: false
"""

# A landed file is taken once its size and modification time have not changed for this long.
LANDING_SETTLE_SECONDS = 5

# The nightly safety-net refresh (Europe/London so it stays at 02:00 local across BST changes).
NIGHTLY_CRON = "0 2 * * *"
NIGHTLY_TIMEZONE = "Europe/London"
# Source freshness checks run on their own each morning too (after the nightly refresh, before analysts start).
FRESHNESS_CRON = "0 7 * * *"


@dataclass(frozen=True)
class Settings:
    warehouse_dir: Path
    data_dir: Path  # the embedded source files, one folder per publisher
    build_db: Path  # the pipeline's own DuckDB file: raw, staging, intermediate and mart schemas
    published_db: Path  # the analysts' read-only file, replaced atomically on each good publication
    dagster_home: Path

    @classmethod
    def for_warehouse(cls, warehouse_dir: Path, data_dir: Path | None = None) -> "Settings":
        """The default layout of a warehouse folder (data_dir defaults to its data/ folder)."""
        warehouse_dir = Path(warehouse_dir).resolve()
        return cls(
            warehouse_dir=warehouse_dir,
            data_dir=Path(data_dir or warehouse_dir / "data").resolve(),
            build_db=warehouse_dir / "build" / "forcestat.duckdb",
            published_db=warehouse_dir / "published" / "forcestat.duckdb",
            dagster_home=warehouse_dir / ".dagster",
        )

    @classmethod
    def from_env(cls) -> "Settings":
        env = os.environ
        layout = cls.for_warehouse(Path(env.get("FORCESTAT_WAREHOUSE_DIR", PROJECT_ROOT / "warehouse")))
        return cls(
            warehouse_dir=layout.warehouse_dir,
            data_dir=Path(env.get("FORCESTAT_DATA_DIR", layout.data_dir)).resolve(),
            build_db=Path(env.get("FORCESTAT_BUILD_DB", layout.build_db)).resolve(),
            published_db=Path(env.get("FORCESTAT_PUBLISHED_DB", layout.published_db)).resolve(),
            dagster_home=Path(env.get("DAGSTER_HOME", layout.dagster_home)).resolve(),
        )

    @property
    def data_docs_dir(self) -> Path:
        return self.warehouse_dir / "gx" / "data_docs"

    @property
    def landing_dir(self) -> Path:
        """The inbox: operators and sync jobs drop files here."""
        return self.warehouse_dir / "landing"

    @property
    def archive_dir(self) -> Path:
        """Delivered files that were published, one folder per kind; the newest of a kind is its current file."""
        return self.warehouse_dir / "archive"

    @property
    def alerts_db(self) -> Path:
        """Run-failure alerts (a DuckDB file of its own, so the sensor never meets the pipeline's write lock)."""
        return self.warehouse_dir / "alerts.duckdb"

    @property
    def quarantine_dir(self) -> Path:
        """Delivered files that failed, each with <name>.error.txt beside it."""
        return self.warehouse_dir / "quarantine"

    def export(self) -> None:
        """Make these settings visible to child processes (dbt) and to Dagster's instance lookup."""
        os.environ["FORCESTAT_BUILD_DB"] = str(self.build_db)
        os.environ["FORCESTAT_PUBLISHED_DB"] = str(self.published_db)
        os.environ["DAGSTER_HOME"] = str(self.dagster_home)
        for folder in (self.build_db.parent, self.published_db.parent, self.dagster_home):
            folder.mkdir(parents=True, exist_ok=True)
        instance_config = self.dagster_home / "dagster.yaml"
        if not instance_config.exists():
            instance_config.write_text(DAGSTER_INSTANCE_YAML)

# dbt from the same environment as this Python, so `forcestat` works without the venv on PATH.
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")
