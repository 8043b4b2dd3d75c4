"""Shared fixtures. One real refresh of the embedded data makes the session's pristine warehouse (through the same
function `forcestat refresh` runs); each end-to-end test that changes anything gets its own copy of it, restored
into the same folder every time (dbt's partial-parse state depends on the path), with its own Dagster instance."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.settings import BIN_DIR, DBT_PROJECT_DIR, PROJECT_ROOT
from tests.helpers import Daemonless, settings_for


@pytest.fixture(scope="session", autouse=True)
def dbt_manifest():
    """The manifest the code location is built from, prepared as `make prepare` does when a dbt file is newer."""
    manifest = DBT_PROJECT_DIR / "target" / "manifest.json"
    sources = [p for pattern in ("*.yml", "models/**/*", "seeds/**/*", "macros/**/*", "tests/**/*")
               for p in DBT_PROJECT_DIR.glob(pattern) if p.is_file()]
    if not manifest.exists() or manifest.stat().st_mtime < max(p.stat().st_mtime for p in sources):
        subprocess.run([str(BIN_DIR / "forcestat"), "prepare"], cwd=PROJECT_ROOT, check=True, capture_output=True)
    return manifest


@pytest.fixture(scope="session")
def pristine(tmp_path_factory) -> tuple[Path, Path]:
    """(work folder, snapshot folder): a warehouse refreshed once from the embedded data, and a copy of it."""
    from orchestration.cli.refresh import refresh

    root = tmp_path_factory.mktemp("warehouses")
    work, snapshot = root / "work", root / "pristine"
    assert refresh(settings_for(work)) == 0
    shutil.copytree(work, snapshot, symlinks=True)
    return work, snapshot


@pytest.fixture
def snapshot_settings(pristine):
    """The pristine warehouse, to read (never to change)."""
    return settings_for(pristine[1])


@pytest.fixture
def warehouse(pristine):
    """A fresh copy of the pristine warehouse, with its definitions and Dagster instance: a Daemonless."""
    from orchestration.definitions import build_defs
    from orchestration.operations.instance import open_instance

    work, snapshot = pristine
    shutil.rmtree(work)
    shutil.copytree(snapshot, work, symlinks=True)
    settings = settings_for(work)
    settings.landing_dir.mkdir(parents=True, exist_ok=True)
    instance = open_instance(settings)
    try:
        yield Daemonless(settings, build_defs(settings), instance)
    finally:
        instance.dispose()


def pytest_configure(config):
    sys.path.insert(0, str(PROJECT_ROOT))
