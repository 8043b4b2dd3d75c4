"""What has changed since the current publication: which source files (and force-months) differ from the ones it was
built from, and whether the code that builds it changed. The nightly schedule and `forcestat refresh` ask this
first, so a night with nothing new costs a few hashes and republishes nothing.

Reads only files and the published file (never the build database, which a run may be writing), and imports no
Dagster or dbt, so the answer comes in well under a second.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from orchestration.deliveries import KINDS
from orchestration.settings import Settings
from orchestration.warehouse.files import file_sha256
from orchestration.warehouse.versions import code_version, published_code


@dataclass
class Changes:
    published: bool  # is anything published at all
    code_changed: bool
    sources: list[str] = field(default_factory=list)  # "<source>[|<partition>]: <what>"

    @property
    def anything(self) -> bool:
        return not self.published or self.code_changed or bool(self.sources)

    def describe(self, at_most: int = 5) -> str:
        if not self.published:
            return "nothing is published yet"
        parts = (["the code changed"] if self.code_changed else []) + self.sources[:at_most]
        if len(self.sources) > at_most:
            parts.append(f"and {len(self.sources) - at_most} more")
        return "; ".join(parts) if parts else "nothing new since the last publication"


def current_source_files(settings: Settings) -> dict[tuple[str, str | None], tuple[Path, str | None]]:
    """(kind, partition key) -> (current file, its sha256 when already known): every file a refresh would load."""
    return {(kind.name, key): current for kind in KINDS for key, current in kind.current_files(settings).items()}


def _held(database: Path, table: str) -> dict[tuple[str, str | None], str]:
    """(source, partition key) -> sha256 of what a database holds: the published file's publication_sources, or the
    build database's raw._loads (latest load of each, removed ones left out)."""
    with duckdb.connect(str(database), read_only=True) as con:
        return {(source, key): sha for source, key, sha in con.execute(
            f"""SELECT source, partition_key, source_sha256 FROM {table}
                QUALIFY row_number() OVER (PARTITION BY source, partition_key ORDER BY loaded_at DESC) = 1
                    AND source_sha256 IS NOT NULL""").fetchall()}


def changes_since_publication(settings: Settings) -> Changes:
    """What a refresh would change. The raw layer is compared too (a delivery refused after it was loaded, whose
    restoring run has not succeeded yet, leaves raw unlike the current files); if the build database cannot be read
    (a run is writing it), the answer errs on the side of refreshing."""
    link = settings.published_db
    code = published_code(settings)
    if code is None:
        return Changes(published=False, code_changed=False)
    published = _held(link.resolve(), "publication_sources")
    changes = Changes(published=True, code_changed=code != code_version())
    try:
        raw = _held(settings.build_db, "raw._loads") if settings.build_db.exists() else {}
    except duckdb.Error:
        raw = None
        changes.sources.append("the build database is busy (a run is writing it): its raw layer could not be compared")
    current = current_source_files(settings)
    for (source, key), (path, sha) in sorted(current.items(), key=lambda item: (item[0][0], item[0][1] or "")):
        sha = sha or file_sha256(path)
        name = f"{source}{'|' + key if key else ''}"
        if published.get((source, key)) != sha:
            changes.sources.append(f"{name}: {path.name} ({'new' if (source, key) not in published else 'changed'})")
        elif raw is not None and raw.get((source, key)) != sha:
            changes.sources.append(f"{name}: the raw layer does not hold {path.name}")
    for source, key in sorted((set(published) | set(raw or {})) - set(current), key=lambda k: (k[0], k[1] or "")):
        changes.sources.append(f"{source}{'|' + key if key else ''}: held, but no longer backed by a current file")
    return changes
