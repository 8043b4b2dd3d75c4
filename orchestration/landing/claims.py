"""Claims: files taken out of the inbox for one run, in landing/.processing/<claim id>/ with claim.json beside them.

A claim ends in exactly one of three ways: committed (its files archived; the publication that used them does this),
refused (quarantined with the error), or released (put back in the inbox, to be taken again: the run was never
created, or it died with its worker). `.processing/attempts.json` counts how often each content was released
after a dead run, so a file that kills its worker every time ends in quarantine instead of going round forever.
"""

from __future__ import annotations

import fcntl
import json
import shutil
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

from orchestration.settings import DELIVERY_ATTEMPTS, Settings
from orchestration.warehouse.archive import archive_file, quarantine_file

PROCESSING = ".processing"
CLAIM_TAG = "forcestat/claim"  # the run tag naming the claim a run loads
CLAIM_FILE = "claim.json"
ATTEMPTS_FILE = "attempts.json"


@dataclass(frozen=True)
class ClaimedFile:
    name: str
    sha256: str
    archive_folder: str  # where the file is archived once published (a source, a street force-month, reports)


@dataclass(frozen=True)
class Claim:
    id: str
    folder: Path
    kind: str  # the delivery kind the run loads (orchestration/deliveries.py)
    files: tuple[ClaimedFile, ...]
    claimed_at: str

    @property
    def paths(self) -> list[Path]:
        return [self.folder / f.name for f in self.files if (self.folder / f.name).exists()]

    def age_seconds(self) -> float:
        return (datetime.now(UTC) - datetime.fromisoformat(self.claimed_at)).total_seconds()


def processing_dir(landing_dir: Path) -> Path:
    return landing_dir / PROCESSING


def make_claim(files: list[tuple[Path, str, str]], landing_dir: Path, kind: str) -> Claim:
    """Move files (path, sha256, archive folder) into a new claim folder. Names are kept, made unique if two clash."""
    stamp = datetime.now(UTC)
    claim_id = f"{stamp:%Y%m%dT%H%M%S}-{uuid4().hex[:8]}"
    folder = processing_dir(landing_dir) / claim_id
    folder.mkdir(parents=True)
    claimed = []
    for path, sha256, archive_folder in files:
        name = path.name
        while (folder / name).exists():
            name = f"{sha256[:8]}-{name}"
        shutil.move(path, folder / name)
        claimed.append(ClaimedFile(name, sha256, archive_folder))
    claim = Claim(claim_id, folder, kind, tuple(claimed), stamp.isoformat())
    (folder / CLAIM_FILE).write_text(json.dumps({**asdict(claim), "folder": str(folder)}, indent=1))
    return claim


def read_claim(folder: Path) -> Claim | None:
    try:
        data = json.loads((folder / CLAIM_FILE).read_text())
    except (OSError, ValueError):
        return None
    return Claim(data["id"], folder, data["kind"], tuple(ClaimedFile(**f) for f in data["files"]),
                 data["claimed_at"])


def claims(landing_dir: Path) -> list[Claim]:
    found = [read_claim(folder) for folder in sorted(processing_dir(landing_dir).glob("*")) if folder.is_dir()]
    return [claim for claim in found if claim]


def find_claim(landing_dir: Path, claim_id: str) -> Claim | None:
    folder = processing_dir(landing_dir) / claim_id
    return read_claim(folder) if folder.is_dir() else None


def _remove(claim: Claim) -> None:
    (claim.folder / CLAIM_FILE).unlink(missing_ok=True)
    shutil.rmtree(claim.folder, ignore_errors=True)


def commit(claim: Claim, archive_dir: Path, run_id: str | None) -> list[Path]:
    """The claim's files were published: each becomes the current file of its kind."""
    archived = [archive_file(claim.folder / f.name, f.sha256, f.archive_folder, archive_dir, run_id)
                for f in claim.files if (claim.folder / f.name).exists()]
    _remove(claim)
    return archived


def refuse(claim: Claim, error: str, quarantine_dir: Path) -> list[Path]:
    quarantined = [quarantine_file(path, error, quarantine_dir, folder=claim.id) for path in claim.paths]
    _remove(claim)
    return quarantined


def release(claim: Claim, landing_dir: Path) -> list[Path]:
    """Put the claim's files back in the inbox (the next look takes them again, in a new run)."""
    released = []
    for path in claim.paths:
        target = landing_dir / path.name
        if target.exists():
            target = landing_dir / f"{claim.id}-{path.name}"
        shutil.move(path, target)
        released.append(target)
    _remove(claim)
    return released


@contextmanager
def _attempts(landing_dir: Path):
    path = processing_dir(landing_dir) / ATTEMPTS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        counts = json.loads(handle.read() or "{}")
        yield counts
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps(counts))


def count_attempt(claim: Claim, landing_dir: Path) -> int:
    """One more dead run for this claim's content; returns the most attempts any of its files has had."""
    with _attempts(landing_dir) as counts:
        for f in claim.files:
            counts[f.sha256] = counts.get(f.sha256, 0) + 1
        return max((counts[f.sha256] for f in claim.files), default=0)


def settle_failed_claim(claim: Claim, run_id: str, job: str, message: str, worker_died: bool,
                        settings: Settings) -> str:
    """The claim of a failed run: retried (its worker died; put back in the inbox, up to DELIVERY_ATTEMPTS times) or
    quarantined with the run's errors. Returns "retried" or "quarantined"."""
    if worker_died and count_attempt(claim, settings.landing_dir) < DELIVERY_ATTEMPTS:
        release(claim, settings.landing_dir)
        return "retried"
    refuse(claim, f"The delivery's run {run_id} ({job}) failed:\n\n{message}", settings.quarantine_dir)
    return "quarantined"
