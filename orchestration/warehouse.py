"""The warehouse files as a Dagster resource: where the build database, the published file and the data live."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb
from dagster import ConfigurableResource

from orchestration.settings import Settings


class Warehouse(ConfigurableResource):
    build_db: str
    published_db: str
    data_dir: str
    data_docs_dir: str  # Great Expectations Data Docs (HTML), one site per suite
    archive_dir: str  # delivered files that were published; the newest of a kind is its current file

    @classmethod
    def from_settings(cls, settings: Settings) -> "Warehouse":
        return cls(build_db=str(settings.build_db), published_db=str(settings.published_db),
                   data_dir=str(settings.data_dir), data_docs_dir=str(settings.data_docs_dir),
                   archive_dir=str(settings.archive_dir))

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to the build database, closed on exit so the next step (dbt, another asset) can write."""
        Path(self.build_db).parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(self.build_db, read_only=read_only)
        try:
            yield con
        finally:
            con.close()
