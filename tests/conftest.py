"""Shared fixtures, and the order tests run in. One real refresh of the embedded data makes the pristine warehouse,
built once for the whole session even when the tests run in several processes (tests/session_builds.py). Each process
keeps its own copy; each end-to-end test that changes anything gets a fresh copy of that, restored into the same
folder every time (dbt's partial-parse state depends on the path), with its own Dagster instance."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.settings import BIN_DIR, DBT_PROJECT_DIR, PROJECT_ROOT
from tests.helpers import Daemonless, settings_for
from tests.session_builds import BUILDS, session_folder

UNIT_TESTS = PROJECT_ROOT / "tests" / "unit"
BUILDER = pytest.StashKey[subprocess.Popen]()


def prepared_manifest() -> Path:
    """The manifest the code location is built from, prepared as `make prepare` does when a dbt file is newer."""
    manifest = DBT_PROJECT_DIR / "target" / "manifest.json"
    sources = [p for pattern in ("*.yml", "models/**/*", "seeds/**/*", "macros/**/*", "tests/**/*")
               for p in DBT_PROJECT_DIR.glob(pattern) if p.is_file()]
    if not manifest.exists() or manifest.stat().st_mtime < max(p.stat().st_mtime for p in sources):
        subprocess.run([str(BIN_DIR / "forcestat"), "prepare"], cwd=PROJECT_ROOT, check=True, capture_output=True)
    return manifest


@pytest.fixture(scope="session", autouse=True)
def dbt_manifest():
    return prepared_manifest()


def shared_base(tmp_path_factory) -> Path:
    """The session's temporary directory: with several test processes (pytest-xdist) their common parent."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def pytest_sessionstart(session):
    """In the controlling process of a run in several processes that includes end-to-end tests: start the session's
    shared builds in the background (tests/session_builds.py)."""
    config = session.config
    if hasattr(config, "workerinput") or not getattr(config.option, "numprocesses", None):
        return
    if all(Path(arg.split("::")[0]).resolve().is_relative_to(UNIT_TESTS) for arg in config.args):
        return  # the unit tests need neither
    prepared_manifest()  # the builds load the code location, as the workers will
    base = config._tmp_path_factory.getbasetemp()  # the folder pytest-xdist gives the workers theirs in
    builder = subprocess.Popen([sys.executable, "-m", "tests.session_builds", str(base), *BUILDS],
                               cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True)
    builder.stdout.readline()  # "locked": from now on a worker that needs a build waits for this one
    config.stash[BUILDER] = builder


def pytest_sessionfinish(session):
    builder = session.config.stash.get(BUILDER, None)
    if builder is not None and builder.poll() is None:  # the session ended early (-x, interrupted)
        builder.terminate()
        builder.wait()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The unit tests first (they run while the session's builds are made), then the long end-to-end files (a daemon,
    a browser, the fetch) so that two processes do not end with one waiting on the other's last long file; random
    order within each (pytest-randomly). `make test` keeps this order for pytest-xdist (--no-loadscope-reorder)."""
    def tier(item) -> int:
        if Path(item.fspath).is_relative_to(UNIT_TESTS):
            return 0
        return 1 if item.get_closest_marker("long") else 2

    items.sort(key=tier)


@pytest.fixture(scope="session")
def pristine(tmp_path_factory):
    """(work folder, snapshot folder) of this process: a copy of the session's refreshed warehouse, whose dbt state
    has been brought to the work folder's path."""
    from orchestration.transform.runner import prepare

    shared = session_folder(shared_base(tmp_path_factory), "pristine")
    root = tmp_path_factory.mktemp("warehouses")
    work, snapshot = root / "work", root / "pristine"
    shutil.copytree(shared / "warehouse", work, symlinks=True)
    prepare(settings_for(work))  # dbt's partial-parse state for this path, so no test parses the project again
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


@pytest.fixture(scope="session")
def home_office_files(tmp_path_factory):
    """The Home Office's workbooks as the local GOV.UK serves them (written once a session: about 20 s)."""
    from tests.publishers.server import home_office_editions

    return home_office_editions(session_folder(shared_base(tmp_path_factory), "home-office"))


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
