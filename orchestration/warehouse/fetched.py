"""What the fetch knows, in warehouse/fetch/: every file it fetched (fetched.jsonl: source, part, edition, the
publisher's address, sha256, size, seconds, when) and, for each source, the newest edition its publisher listed at
the last look and since when (state.json).

The publication names each file's publisher address by its sha256 (publication_sources.fetched_from); the freshness
checks tell "a newer edition we have not published" from "nothing new within the cadence"; the next fetch downloads
only editions it has not fetched before. Appends and rewrites are made under an exclusive lock: the daemon's fetch
and a `forcestat fetch` may meet.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

FETCHED = "fetched.jsonl"
STATE = "state.json"


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def record_fetched(folder: Path, records: list[dict]) -> None:
    """Append fetched files (each: source, key, edition, url, file, sha256, bytes, seconds, landed)."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with _locked(folder), open(folder / FETCHED, "a", encoding="utf-8") as ledger:
        for record in records:
            ledger.write(json.dumps({**record, "fetched_at": now}) + "\n")


def fetched(folder: Path) -> list[dict]:
    path = folder / FETCHED
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def fetched_editions(folder: Path) -> set[tuple[str, str | None, str]]:
    """(source, part, edition) of every edition fetched before."""
    return {(record["source"], record["key"], record["edition"]) for record in fetched(folder)}


def state(folder: Path) -> dict:
    try:
        return json.loads((folder / STATE).read_text())
    except (OSError, ValueError):
        return {}


def record_newest(folder: Path, source: str, newest: str, url: str) -> None:
    """The newest edition the publisher lists for a source now; `since` is when it was first listed."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with _locked(folder):
        current = state(folder)
        held = current.get(source, {})
        since = held["since"] if held.get("newest") == newest else now
        current[source] = {"newest": newest, "url": url, "since": since, "checked_at": now}
        temporary = folder / f"{STATE}.tmp"
        temporary.write_text(json.dumps(current, indent=1))
        os.replace(temporary, folder / STATE)
