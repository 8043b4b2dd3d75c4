"""Where delivered files end up: the archive of published deliveries (which tells the current file of each source)
and the quarantine of refused ones.

A delivered file that was published is kept as archive/<kind>/<sha256[:16]>/<its name>, with delivery.json beside it
saying when it was delivered and by which run. A kind is a source name, or for the street feed
police_uk_street/<force id>/<YYYY-MM>. The current file of a kind is its last delivered file (by the time recorded
at delivery, not the file's modification time, which `cp -p` and `rsync -a` carry over), else the embedded file.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from orchestration.warehouse.alerts import record_alert
from orchestration.warehouse.files import file_sha256

MANIFEST = "delivery.json"
DUPLICATES = "duplicates"  # where a delivery of content held already is kept


@dataclass(frozen=True)
class Delivered:
    path: Path
    sha256: str
    delivered_at: str  # ISO timestamp


def archive_file(file: Path, sha256: str, kind: str, archive_dir: Path, run_id: str | None) -> Path:
    """Move a delivered file into the archive as the newest delivery of its kind."""
    folder = archive_dir / kind / sha256[:16]
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / file.name
    shutil.move(file, target)
    (folder / MANIFEST).write_text(json.dumps({
        "file": file.name, "sha256": sha256, "run_id": run_id,
        "delivered_at": datetime.now(UTC).isoformat(timespec="microseconds")}, indent=1))
    return target


def deliveries(kind: str, archive_dir: Path) -> list[Delivered]:
    """Every archived delivery of a kind, oldest first."""
    found = []
    for manifest in (archive_dir / kind).glob(f"*/{MANIFEST}"):
        entry = json.loads(manifest.read_text())
        found.append(Delivered(manifest.parent / entry["file"], entry["sha256"], entry["delivered_at"]))
    return sorted(found, key=lambda delivered: delivered.delivered_at)


def current_delivery(kind: str, archive_dir: Path) -> Delivered | None:
    delivered = deliveries(kind, archive_dir)
    return delivered[-1] if delivered else None


def archived_sha256s(archive_dir: Path) -> set[str]:
    """Content hashes (first 16 hex digits) of everything archived, of every kind."""
    return {manifest.parent.name for manifest in archive_dir.rglob(MANIFEST)}


# a file's content hash by its path, size and modification time: the embedded files (100 MB unzipped) are hashed once
# a process, not at every sensor built and every fetch (0.1-0.5 CPU-s each time)
_hashed: dict[tuple[str, int, int], str] = {}


def embedded_sha256s(data_dir: Path) -> set[str]:
    """Content hashes (first 16 hex digits) of the embedded files: delivered already, in effect."""
    hashes = set()
    for path in data_dir.rglob("*"):
        if path.is_file() and path.name != "README.md":
            stat = path.stat()
            key = (str(path), stat.st_size, stat.st_mtime_ns)
            if key not in _hashed:
                _hashed[key] = file_sha256(path)[:16]
            hashes.add(_hashed[key])
    return hashes


ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def quarantine_file(file: Path, error: str, quarantine_dir: Path, folder: str | None = None) -> Path:
    """Move a refused file into quarantine (inside `folder` when given) with <name>.error.txt beside it saying, in
    plain text, what was wrong and where the file now is."""
    target = quarantine_dir / (folder or "") / file.name
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():  # the same name refused before: keep both
        target = target.with_name(f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{file.name}")
    shutil.move(file, target)
    text = ANSI.sub("", error).replace(str(file), str(target)).rstrip()
    target.with_name(target.name + ".error.txt").write_text(
        f"{text}\n\nThe file is kept here: {target}\nFix it and drop it into the landing zone again; it will be "
        "processed again.\n", encoding="utf-8")
    return target


def refuse_file(file: Path, error: str, quarantine_dir: Path, alerts_file: Path) -> Path:
    """A landed file that cannot be used: quarantined with its reason, and alerted once."""
    key = f"landing|{file.name}|{file.stat().st_size}|{datetime.now(UTC).timestamp():.3f}"
    target = quarantine_file(file, error, quarantine_dir)
    record_alert(alerts_file, key, "refused_file", error, file=str(target))
    return target
