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
def dagster_instance():
    """The session's Dagster instance: it holds the refresh's materialisations and check results, which the
    publish asset verifies before it publishes."""
    from dagster import DagsterInstance

    with DagsterInstance.ephemeral() as instance:
        yield instance


@pytest.fixture(scope="session")
def refreshed(tmp_path_factory, dagster_instance):
    """(settings, definitions, result) of one successful refresh on the real embedded data: the ten embedded street
    months, then the full_refresh run (its result)."""
    from orchestration.definitions import build_defs
    from orchestration.refresh import refresh

    settings = make_settings(tmp_path_factory.mktemp("warehouse"))
    defs = build_defs(settings)
    outcome = refresh(defs, dagster_instance, settings)
    assert outcome.success and len(outcome.street_runs) == 10
    return settings, defs, outcome.full_refresh


@pytest.fixture
def published(refreshed):
    import duckdb

    settings = refreshed[0]
    con = duckdb.connect(str(settings.published_db), read_only=True)
    yield con
    con.close()
