"""What has changed since the current publication: which source files (and force-months) differ from the ones it was
built from, and whether the code that builds it changed. The nightly schedule and `forcestat refresh` ask this
first, so a night with nothing new costs a few hashes and republishes nothing.

Reads only files and the published file (never the build database, which a run may be writing), and imports no
Dagster or dbt, so the answer comes in well under a second.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from orchestration.inspections.files import SOURCE as REPORTS, current_reports
from orchestration.settings import PROJECT_ROOT, Settings
from orchestration.sources.specs import SOURCES
from orchestration.street.feed import SOURCE as STREET, current_files as street_files
from orchestration.warehouse.archive import current_delivery, deliveries
from orchestration.warehouse.files import file_sha256

# The code a publication depends on: a change here means the marts may differ, so the next refresh rebuilds.
CODE_GLOBS = (("orchestration", "**/*.py"), ("dbt_project", "*.yml"), ("dbt_project", "models/**/*"),
              ("dbt_project", "seeds/**/*"), ("dbt_project", "macros/**/*"), ("dbt_project", "tests/**/*"),
              ("expectations", "*.json"))


def code_version() -> str:
    digest = hashlib.sha256()
    for folder, pattern in CODE_GLOBS:
        for path in sorted((PROJECT_ROOT / folder).glob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(PROJECT_ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class Changes:
    published: bool  # is anything published at all
    code_changed: bool
    sources: list[str] = field(default_factory=list)  # "<source>[|<partition>]: <what>"

    @property
    def anything(self) -> bool:
        return not self.published or self.code_changed or bool(self.sources)

    def describe(self) -> str:
        if not self.published:
            return "nothing is published yet"
        parts = (["the code changed"] if self.code_changed else []) + self.sources
        return "; ".join(parts) if parts else "nothing new since the last publication"


def current_source_files(settings: Settings) -> dict[tuple[str, str | None], tuple[Path, str | None]]:
    """(source, partition key) -> (current file, its sha256 when already known): every file a refresh would load.
    The partition key is the force-month of a street file, the file name of a report, None for the other sources."""
    current: dict[tuple[str, str | None], tuple[Path, str | None]] = {}
    for spec in SOURCES:
        delivered = current_delivery(spec.name, settings.archive_dir)
        current[(spec.name, None)] = (delivered.path, delivered.sha256) if delivered else \
            (settings.data_dir / spec.relative_path, None)
    for month, (path, sha) in street_files(settings.data_dir, settings.archive_dir).items():
        current[(STREET, month.partition_key)] = (path, sha)
    known = {d.path: d.sha256 for d in deliveries(REPORTS, settings.archive_dir)}
    for path in current_reports(settings.data_dir, settings.archive_dir):
        current[(REPORTS, path.name)] = (path, known.get(path))
    return current


def changes_since_publication(settings: Settings) -> Changes:
    link = settings.published_db
    if not link.exists():
        return Changes(published=False, code_changed=False)
    with duckdb.connect(str(link.resolve()), read_only=True) as con:
        published_code = con.execute("SELECT code_version FROM publication").fetchone()[0]
        published = {(source, key): sha for source, key, sha in con.execute(
            "SELECT source, partition_key, source_sha256 FROM publication_sources").fetchall()}
    changes = Changes(published=True, code_changed=published_code != code_version())
    current = current_source_files(settings)
    for (source, key), (path, sha) in sorted(current.items(), key=lambda item: (item[0][0], item[0][1] or "")):
        held = published.get((source, key))
        if held != (sha or file_sha256(path)):
            changes.sources.append(f"{source}{'|' + key if key else ''}: {path.name} "
                                   f"({'new' if held is None else 'changed'})")
    for source, key in sorted(set(published) - set(current), key=lambda item: (item[0], item[1] or "")):
        changes.sources.append(f"{source}{'|' + key if key else ''}: no longer has a current file")
    return changes
