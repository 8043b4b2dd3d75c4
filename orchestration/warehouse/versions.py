"""Which code a publication was built by: a hash of the code the marts depend on, and the one the published file
records. A publication by other code may differ in any table, so the next refresh (or delivery) rebuilds them all."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from orchestration.settings import PROJECT_ROOT, Settings

# The code a publication depends on: a change here means the marts may differ, so the next refresh rebuilds.
CODE_GLOBS = (("orchestration", "**/*.py"), ("dbt_project", "*.yml"), ("dbt_project", "models/**/*"),
              ("dbt_project", "seeds/**/*"), ("dbt_project", "macros/**/*"), ("dbt_project", "tests/**/*"),
              ("expectations", "*.json"))


def code_version(root: Path = PROJECT_ROOT) -> str:
    digest = hashlib.sha256()
    for folder, pattern in CODE_GLOBS:
        for path in sorted((root / folder).glob(pattern)):
            # Hidden files are per checkout, not code (dbt writes dbt_project/.user.yml with a random id): counting
            # them gave every clone its own version, so its first delivery rebuilt everything.
            relative = path.relative_to(root)
            if path.is_file() and "__pycache__" not in relative.parts and not any(
                    part.startswith(".") for part in relative.parts):
                digest.update(str(relative).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def published_code(settings: Settings) -> str | None:
    """The code version the current publication was built by (None: nothing published)."""
    link = settings.published_db
    if not link.exists():
        return None
    with duckdb.connect(str(link.resolve()), read_only=True) as con:
        return con.execute("SELECT code_version FROM publication").fetchone()[0]
