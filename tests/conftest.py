"""Shared fixtures. One real refresh of the embedded data (through the same function `forcestat refresh` runs) makes
the pristine warehouse, built once for the whole session even when the tests run in several processes. Each process
keeps its own copy; each end-to-end test that changes anything gets a fresh copy of that, restored into the same
folder every time (dbt's partial-parse state depends on the path), with its own Dagster instance."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from orchestration.operations.collector import tune_collector
from orchestration.settings import BIN_DIR, DBT_PROJECT_DIR, PROJECT_ROOT
from tests.helpers import Daemonless, copy_warehouse, settings_for

tune_collector()  # the tests' processes run jobs in process, as the run workers' forked runs do


@pytest.fixture(scope="session", autouse=True)
def dbt_manifest():
    """The manifest the code location is built from, prepared as `make prepare` does when a dbt file is newer."""
    manifest = DBT_PROJECT_DIR / "target" / "manifest.json"
    sources = [p for pattern in ("*.yml", "models/**/*", "seeds/**/*", "macros/**/*", "tests/**/*")
               for p in DBT_PROJECT_DIR.glob(pattern) if p.is_file()]
    if not manifest.exists() or manifest.stat().st_mtime < max(p.stat().st_mtime for p in sources):
        subprocess.run([str(BIN_DIR / "forcestat"), "prepare"], cwd=PROJECT_ROOT, check=True, capture_output=True)
    return manifest


def session_folder(tmp_path_factory, name: str, build) -> Path:
    """A folder made once for the whole session, even when the tests run in several processes: the first process
    to ask builds it (build(folder)), the others wait for it and share it."""
    # the session's folder: with several test processes (pytest-xdist) their common parent, else this one's own
    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / name
    shared.mkdir(exist_ok=True)
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / "done").exists():
            build(shared)
            (shared / "done").touch()
    return shared


@pytest.fixture(scope="session")
def pristine(tmp_path_factory):
    """(work folder, snapshot folder) of this process: a copy of the session's refreshed warehouse, whose dbt state
    has been brought to the work folder's path."""
    from orchestration.cli.refresh import refresh
    from orchestration.transform.runner import prepare

    def build(folder: Path) -> None:
        assert refresh(settings_for(folder / "warehouse")) == 0

    shared = session_folder(tmp_path_factory, "pristine", build)
    root = tmp_path_factory.mktemp("warehouses")
    work, snapshot = root / "work", root / "pristine"
    copy_warehouse(shared / "warehouse", work)
    prepare(settings_for(work))  # dbt's partial-parse state for this path, so no test parses the project again
    copy_warehouse(work, snapshot)
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
    copy_warehouse(snapshot, work)
    settings = settings_for(work)
    settings.landing_dir.mkdir(parents=True, exist_ok=True)
    instance = open_instance(settings)
    try:
        yield Daemonless(settings, build_defs(settings), instance)
    finally:
        instance.dispose()


@pytest.fixture(scope="session")
def home_office_files(tmp_path_factory):
    """The Home Office's workbooks as the local GOV.UK serves them (written once a session: about 20 s)."""
    from tests.publishers.server import home_office_editions

    return home_office_editions(session_folder(tmp_path_factory, "home-office", home_office_editions))


@pytest.fixture
def publishers(monkeypatch):
    """The local publishers' server (data.police.uk, GOV.UK, Nomis), with forcestat pointed at it and fetching on;
    requests are retried quickly here."""
    from tests.publishers.server import Publishers, environment, serve

    state = Publishers()
    server = serve(state)
    for name, value in environment(server).items():
        monkeypatch.setenv(name, value)
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


# The test files that take longest, long ones first (seconds of one file on a worker of `make test`, 2 cores, measured
# 2026-12-06 with the daemon's sensors looking every second). pytest-xdist hands whole files (--dist loadfile) to
# whichever of its two workers is nearly idle, in collection order: with the long ones first and the short ones last,
# both workers stay busy to the end, where a random order left one idle for up to two minutes. The first two start
# together: test_site builds the session's pristine warehouse (most files use it) while test_daemon_fetch, the longest,
# builds its own, so neither waits for the other. The other files keep pytest-randomly's order.
LONGEST_FIRST = (
    "e2e/test_site.py",  # 103 s, the pristine build included
    "e2e/test_daemon_fetch.py",  # 140 s
    "e2e/test_daemon.py",  # 97 s
    "e2e/test_deliveries.py",  # 79 s
    "e2e/test_fetch.py",  # 68 s
    "e2e/test_run_worker.py",  # 54 s
    "e2e/test_transform.py",  # 41 s
    "unit/test_ingest.py",  # 26 s
    "e2e/test_inspections.py",  # 21 s
    "e2e/test_series.py",  # 13 s
    "e2e/test_workforce.py",  # 8 s
)


@pytest.hookimpl(trylast=True)  # after pytest-randomly's shuffle
def pytest_collection_modifyitems(items):
    rank = {f"tests/{name}": place for place, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))
