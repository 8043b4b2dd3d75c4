"""Shared fixtures: one real full refresh of the embedded data into a temporary warehouse, reused by the tests."""

import os
from pathlib import Path

import pytest

from orchestration.settings import PROJECT_ROOT, Settings

DATA_DIR = PROJECT_ROOT / "warehouse" / "data"


def make_settings(warehouse_dir: Path) -> Settings:
    """Settings for a temporary warehouse that reads the embedded data."""
    return Settings.for_warehouse(warehouse_dir, data_dir=DATA_DIR)


@pytest.fixture(scope="session", autouse=True)
def _restore_environment():
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture(scope="session")
def refreshed(tmp_path_factory):
    """(settings, definitions, result) of one successful full_refresh run on the real embedded data."""
    from dagster import DagsterInstance

    from orchestration.definitions import FULL_REFRESH_JOB, build_defs

    settings = make_settings(tmp_path_factory.mktemp("warehouse"))
    defs = build_defs(settings)
    with DagsterInstance.ephemeral() as instance:
        result = defs.resolve_job_def(FULL_REFRESH_JOB).execute_in_process(instance=instance)
    assert result.success
    return settings, defs, result


@pytest.fixture
def published(refreshed):
    import duckdb

    settings = refreshed[0]
    con = duckdb.connect(str(settings.published_db), read_only=True)
    yield con
    con.close()
