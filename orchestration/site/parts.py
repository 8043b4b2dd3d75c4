"""What a site build can take from the site it replaces instead of making again.

A part of the site (one profile table's data for every area, one kind of download, the rates files) is made by one
query of the publication. Its key hashes the code (`code_version`), the query and its parameters, and the fingerprint
of every published table the query names: columns and types, row count and sum of row hashes, as the publication
tells a mart rebuilt with the rows it had (publication/publish.py). A part whose key equals the one the current site
was built with holds exactly what making it again would give, so its files are linked from the current site into the
new one. A street month that changes `street_crime_monthly` alone remakes the two parts that read it, not the
profiles' rates and changes; the pages, the national data and the ZIPs (they carry the publication's time) are
written every time.

The keys are kept in site.json; a part's own data (the profile tables' per-area JSON) in .parts/, beside the pages,
replaced with them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from pathlib import Path

import duckdb

from orchestration.publication.publish import fingerprint
from orchestration.warehouse.versions import code_version

FOLDER = ".parts"


class Parts:
    def __init__(self, con: duckdb.DuckDBPyConnection, site: Path, staging: Path):
        self.site, self.staging = site, staging
        try:
            self.previous: dict[str, str] = json.loads((site / "site.json").read_text()).get("parts", {})
        except (OSError, ValueError):  # no site yet, or one from before the parts: everything is made
            self.previous = {}
        self.keys: dict[str, str] = {}
        self.taken: list[str] = []
        self._code = code_version()
        self._database = con.execute("SELECT current_database()").fetchone()[0]
        self._tables = [name for (name,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = "
                                                        "current_database() AND schema_name = 'main'").fetchall()]
        self._fingerprints: dict[str, tuple] = {}
        # parts are keyed from two threads (the downloads are written in one of their own): one cursor, one at a time
        self._cursor, self._lock = con.cursor(), threading.Lock()

    def _fingerprint(self, table: str) -> tuple:
        with self._lock:
            if table not in self._fingerprints:
                self._fingerprints[table] = fingerprint(self._cursor, self._database, "main", table)
            return self._fingerprints[table]

    def unchanged(self, part: str, sql: str, params=None) -> bool:
        """Key the part; whether the current site was built with the same key (then take its files)."""
        reads = sorted(t for t in self._tables if re.search(rf"\b{re.escape(t)}\b", sql))
        key = hashlib.sha256(json.dumps([self._code, part, sql, params, [[t, self._fingerprint(t)] for t in reads]],
                                        default=str).encode()).hexdigest()[:20]
        self.keys[part] = key
        return self.previous.get(part) == key

    def held(self, relatives) -> list[Path]:
        """Those of these files the current site has (a part's files depend on its rows: an area without rows has
        no download of them)."""
        return [relative for relative in relatives if (self.site / relative).is_file()]

    def held_in(self, folder: Path, pattern: str) -> list[Path]:
        """The current site's files in this folder (relative to the site) whose names match the pattern."""
        return [path.relative_to(self.site) for path in (self.site / folder).glob(pattern)]

    def take(self, part: str, relatives: list[Path]) -> bool:
        """Link these files of the current site into the new one; False (nothing taken) if any is missing."""
        if not all((self.site / relative).is_file() for relative in relatives):
            return False
        linked = []
        for relative in relatives:
            target = self.staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(self.site / relative, target)
            except FileNotFoundError:  # a build beside this one replaced the site meanwhile: make the part
                for done in linked:
                    done.unlink()
                return False
            linked.append(target)
        self.taken.append(part)
        return True

    def data(self, part: str) -> Path:
        """The file a part keeps its data in (relative to the site)."""
        return Path(FOLDER) / f"{part}.json"
