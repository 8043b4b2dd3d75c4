"""What the end-to-end tests share, each built once a session even when the tests run in several processes: the
pristine warehouse (a real refresh of the embedded data, through the same function `forcestat refresh` runs) and the
Home Office's workbooks as the local GOV.UK serves them.

Each lives in a folder of the session's temporary directory, guarded by a lock file: whoever takes the lock first
builds it, the others wait for it and share it. When the tests run in several processes, the controlling pytest
process starts building them at once in a process of its own (`python -m tests.session_builds BASE NAME...`, from
tests/conftest.py), so the workers run the unit tests meanwhile instead of all waiting for the first build; what it
prints goes to session-builds.log in the session's temporary directory.
"""

from __future__ import annotations

import fcntl
import os
import sys
from pathlib import Path


def _pristine(folder: Path) -> None:
    from orchestration.cli.refresh import refresh
    from tests.helpers import settings_for

    assert refresh(settings_for(folder / "warehouse")) == 0


def _home_office(folder: Path) -> None:
    from tests.publishers.server import home_office_editions

    home_office_editions(folder)


BUILDS = {"pristine": _pristine, "home-office": _home_office}  # in the order the background process builds them


def _lock(base: Path, name: str):
    folder = base / name
    folder.mkdir(parents=True, exist_ok=True)
    lock = open(folder / "lock", "w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    return folder, lock


def _build_once(folder: Path, name: str) -> None:
    if not (folder / "done").exists():
        BUILDS[name](folder)
        (folder / "done").touch()


def session_folder(base: Path, name: str) -> Path:
    """The session's folder of this build (base: the session's temporary directory), built if nobody has."""
    folder, lock = _lock(base, name)
    with lock:
        _build_once(folder, name)
    return folder


def main(base: Path, names: list[str]) -> None:
    # every lock taken before saying so: the controlling process waits for that line, so no worker starts a build
    # of its own meanwhile
    locks = {name: _lock(base, name) for name in names}
    print("locked", flush=True)
    # what the builds print (the refresh's progress and summary) goes to a log beside them, not into the session's
    # output; a build that fails leaves its lock free, and the first test that needs it builds it and fails there
    log = open(base / "session-builds.log", "w")
    os.dup2(log.fileno(), sys.stdout.fileno())
    os.dup2(log.fileno(), sys.stderr.fileno())
    for name, (folder, lock) in locks.items():
        with lock:
            _build_once(folder, name)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2:])
