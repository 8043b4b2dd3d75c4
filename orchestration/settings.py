"""The one place for forcestat's paths and settings.

Every setting has a default that works in a fresh clone; the paths can be moved by environment variables. Reading
settings has no side effect: nothing is created, exported or written here. The commands that need a folder create
it; dbt receives the build database path as a variable (`--vars build_db`), so Python and dbt read the same value.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WAREHOUSE_DIR = PROJECT_ROOT / "warehouse"
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
# The executables of this environment, so `forcestat` works without the virtual environment on PATH.
BIN_DIR = Path(sys.executable).parent

# Run-failure alerts are also POSTed as JSON here when it is set.
ALERT_WEBHOOK_ENV = "FORCESTAT_ALERT_WEBHOOK"
# The Dagster UI's port (`forcestat ui --port` wins), and the port the site (force profiles, dbt docs, GX Data Docs)
# is served on beside it; check metadata links to the site over http.
UI_PORT_ENV = "FORCESTAT_UI_PORT"
DEFAULT_UI_PORT = 3000
SITE_PORT_ENV = "FORCESTAT_SITE_PORT"
DEFAULT_SITE_PORT = 3001

# A landed file is taken once its modification time is this old and its size and time did not change since the
# previous look (files copied with `cp -p` or `rsync -a` get their old time only once the copy is complete).
LANDING_SETTLE_SECONDS = float(os.environ.get("FORCESTAT_LANDING_SETTLE_SECONDS", 3))
# How often the daemon's sensors look at the landing zone and at failed runs (the tests look more often).
SENSOR_INTERVAL_SECONDS = int(os.environ.get("FORCESTAT_SENSOR_INTERVAL_SECONDS", 5))
# A claimed file whose run was never created (the daemon stopped in between) goes back to the inbox after this long.
CLAIM_ORPHAN_SECONDS = 120
# A zip member larger than this (uncompressed) is refused before anything is written; a whole zip likewise.
ZIP_MEMBER_MAX_BYTES = int(os.environ.get("FORCESTAT_ZIP_MEMBER_MAX_BYTES", 512 * 1024**2))
ZIP_TOTAL_MAX_BYTES = int(os.environ.get("FORCESTAT_ZIP_TOTAL_MAX_BYTES", 8 * 1024**3))
# A delivery whose run died with its worker (killed, machine restarted) is tried again this many times.
DELIVERY_ATTEMPTS = 2

# The nightly safety-net refresh (Europe/London so it stays at 02:00 local across BST changes); it is skipped when
# no source file, no code and no publication has changed since the last publication.
NIGHTLY_CRON = "0 2 * * *"
TIMEZONE = "Europe/London"
# Source freshness checks run on their own each morning too (after the nightly refresh, before analysts start).
FRESHNESS_CRON = "0 7 * * *"
# Publications kept beside the current one (readers holding an older file keep it open regardless).
PUBLICATIONS_KEPT = 3
# With FORCESTAT_PUBLISH_PARQUET=1, each publication also writes its tables as Parquet files (published/parquet/) for
# tools that do not read DuckDB. Off by default: at national scale the street marts make it the longest step.
PUBLISH_PARQUET = os.environ.get("FORCESTAT_PUBLISH_PARQUET", "") == "1"
# DuckDB's memory limit on the build database, for the pipeline's connections and dbt's (the dbt variable
# duckdb_memory_limit): past it, DuckDB's joins, aggregates and sorts spill to disk beside the database instead of
# growing, so a full rebuild of ten years of national street data stays under 2 GB with the run's other processes.
DUCKDB_MEMORY_LIMIT = os.environ.get("FORCESTAT_DUCKDB_MEMORY_LIMIT", "1GB")

# Fetching new editions from the publishers (orchestration/publishers/) is on only with FORCESTAT_FETCH=1: `make run`,
# `make test` and an air-gapped machine never touch the network, and the embedded data stays the default. Each
# publisher's address is a setting, so tests and demos can point it at a local server that answers as it does.
FETCH_ENV = "FORCESTAT_FETCH"
PUBLISHER_URLS = {  # publisher -> (environment variable, the real host)
    "data.police.uk": ("FORCESTAT_DATA_POLICE_UK_URL", "https://data.police.uk"),
    "GOV.UK": ("FORCESTAT_GOV_UK_URL", "https://www.gov.uk"),
    "Nomis": ("FORCESTAT_NOMIS_URL", "https://www.nomisweb.co.uk"),
}
# The fetch job runs each night an hour before the nightly refresh, so a new edition is published by the morning;
# between nights a sensor looks at the publishers' lists (a few small conditional requests) this often, and asks
# for a fetch when one lists an edition not fetched yet.
FETCH_CRON = "0 1 * * *"
FETCH_POLL_SECONDS = int(os.environ.get("FORCESTAT_FETCH_POLL_SECONDS", 3600))
# Every request: (connect, read) timeouts in seconds; retried this many times on a connection error or a 429/5xx
# answer, waiting backoff x 2^n seconds (or the Retry-After the publisher asks for); a whole download (a body cut
# short, an HTML page instead of the file) is tried this many times too.
HTTP_TIMEOUT_SECONDS = (10.0, float(os.environ.get("FORCESTAT_HTTP_READ_TIMEOUT", 60)))
HTTP_RETRIES = 4
HTTP_BACKOFF_SECONDS = float(os.environ.get("FORCESTAT_HTTP_BACKOFF", 2))
# data.police.uk's published limit: 15 requests a second with bursts of 30 (the same pace is kept with every host).
REQUESTS_PER_SECOND = 15
REQUEST_BURST = 30


def fetch_enabled() -> bool:
    return os.environ.get(FETCH_ENV, "") == "1"


def publisher_url(publisher: str) -> str:
    variable, default = PUBLISHER_URLS[publisher]
    return os.environ.get(variable, default).rstrip("/")


@dataclass(frozen=True)
class Settings:
    warehouse_dir: Path
    data_dir: Path  # the embedded source files, one folder per publisher
    build_db: Path  # the pipeline's own DuckDB file: raw, staging, intermediate and mart schemas
    published_db: Path  # the analysts' read-only file: a link to the newest publication, swapped atomically
    dagster_home: Path

    @classmethod
    def for_warehouse(cls, warehouse_dir: Path, data_dir: Path | None = None) -> Settings:
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
    def from_env(cls) -> Settings:
        env = os.environ
        layout = cls.for_warehouse(Path(env.get("FORCESTAT_WAREHOUSE_DIR", DEFAULT_WAREHOUSE_DIR)))
        return cls(
            warehouse_dir=layout.warehouse_dir,
            data_dir=Path(env.get("FORCESTAT_DATA_DIR", layout.data_dir)).resolve(),
            build_db=Path(env.get("FORCESTAT_BUILD_DB", layout.build_db)).resolve(),
            # absolute, not resolved: it is a link, and the link is what a publication replaces
            published_db=Path(os.path.abspath(env.get("FORCESTAT_PUBLISHED_DB", layout.published_db))),
            dagster_home=Path(env.get("DAGSTER_HOME", layout.dagster_home)).resolve(),
        )

    @property
    def publications_dir(self) -> Path:
        """Every publication is a file of its own here; published_db links to the newest."""
        return self.published_db.parent / "publications"

    @property
    def site_dir(self) -> Path:
        """The force profiles and docs, generated after each publication."""
        return self.published_db.parent / "site"

    @property
    def parquet_dir(self) -> Path:
        """The published tables as Parquet files, for tools that do not read DuckDB."""
        return self.published_db.parent / "parquet"

    @property
    def dbt_target_dir(self) -> Path:
        """dbt's target folder for this warehouse: its partial-parse state stays valid from run to run. The default
        warehouse shares the dbt project's own target folder, which `make install` prepares with the default
        warehouse's variables, so even its first refresh does not parse the project again."""
        if self.build_db == Settings.for_warehouse(DEFAULT_WAREHOUSE_DIR).build_db:
            return DBT_PROJECT_DIR / "target"
        return self.build_db.parent / "dbt"

    @property
    def writer_lock(self) -> Path:
        """Held by whichever run writes the build database (one writer at a time)."""
        return self.build_db.parent / "writer.lock"

    @property
    def data_docs_dir(self) -> Path:
        return self.site_dir / "data-docs"

    @property
    def landing_dir(self) -> Path:
        """The inbox: operators and sync jobs drop files here."""
        return self.warehouse_dir / "landing"

    @property
    def archive_dir(self) -> Path:
        """Delivered files that were published; the last delivered of a kind (or force-month) is its current file."""
        return self.warehouse_dir / "archive"

    @property
    def quarantine_dir(self) -> Path:
        """Delivered files that were refused, each with <name>.error.txt beside it."""
        return self.warehouse_dir / "quarantine"

    @property
    def fetch_dir(self) -> Path:
        """What the fetch knows: the files it fetched (URL, edition, sha256) and the publishers' validators."""
        return self.warehouse_dir / "fetch"

    @property
    def alerts_file(self) -> Path:
        """Failed runs and refused files, one JSON object a line (append-only; readable with DuckDB read_json)."""
        return self.warehouse_dir / "alerts.jsonl"

    @property
    def site_url(self) -> str:
        return f"http://127.0.0.1:{os.environ.get(SITE_PORT_ENV, DEFAULT_SITE_PORT)}"

    def dbt_vars(self) -> dict[str, str]:
        """dbt's view of these settings (profiles.yml reads var('build_db') and var('duckdb_memory_limit'))."""
        return {"build_db": str(self.build_db), "duckdb_memory_limit": DUCKDB_MEMORY_LIMIT}
