"""Reading the published file, as analysts and the site do.

`connect()` opens the current publication read-only and sealed: no ATTACH of other files, no COPY TO, no reading
other files, no extension install or load, and the settings locked so a query cannot undo any of it. It opens the
file the link points to now, so a process that already holds an older publication open still gets the new one (a
plain duckdb.connect() of the same path in the same process returns the database it already has open).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.settings import Settings

SEALED = {"enable_external_access": False, "autoinstall_known_extensions": False,
          "autoload_known_extensions": False, "allow_community_extensions": False, "lock_configuration": True}


class NotPublished(RuntimeError):
    pass


def current_file(settings: Settings) -> Path:
    if not settings.published_db.exists():
        raise NotPublished(f"{settings.published_db}: nothing is published yet; run `forcestat refresh` (or `make "
                           "run`) first")
    return settings.published_db.resolve()


def connect(settings: Settings | None = None, sealed: bool = True) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the current publication (sealed unless a command that writes exports asks)."""
    return duckdb.connect(str(current_file(settings or Settings.from_env())), read_only=True,
                          config=SEALED if sealed else {})
