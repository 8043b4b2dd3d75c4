"""Where delivered files go: claimed out of the inbox for one run, then archived (the newest archived file of a kind
is its current file) or quarantined with a readable error beside them.

Claimed and archived files keep their name inside a folder named after their content: <sha256[:16]>/<name>.
"""

import shutil
from pathlib import Path

PROCESSING = ".processing"  # inside the landing folder: claimed files waiting for their run


def archived_sha256s(archive_dir: Path) -> set[str]:
    """Content hashes (first 16 hex digits) of every archived delivery (kinds may be nested folders)."""
    return {path.parent.name for path in archive_dir.rglob("*") if path.is_file()}


def claim(path: Path, sha256: str) -> Path:
    """Move a ready file out of the inbox into landing/.processing, so no later tick takes it again."""
    target = path.parent / PROCESSING / sha256[:16] / path.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(path, target)
    return target


def archive(claimed: Path, kind: str, archive_dir: Path) -> Path:
    target = archive_dir / kind / claimed.parent.name / claimed.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(claimed, target)
    claimed.parent.rmdir()
    return target


def deliveries(kind: str, archive_dir: Path) -> list[Path]:
    """Archived deliveries of a kind, oldest first."""
    return sorted((archive_dir / kind).glob("*/*"), key=lambda path: path.stat().st_mtime)


def quarantine(path: Path, error: str, quarantine_dir: Path) -> Path:
    """Move a file into quarantine with <name>.error.txt beside it saying what was wrong."""
    claimed = path.parent.parent.name == PROCESSING
    target = quarantine_dir / (path.parent.name if claimed else "") / path.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(path, target)
    if claimed:
        path.parent.rmdir()
    target.with_name(target.name + ".error.txt").write_text(error.rstrip() + "\n", encoding="utf-8")
    return target


def current_file(kind: str, archive_dir: Path, embedded: Path) -> Path:
    """The file a source loads by default: its newest archived delivery, else the embedded sample file."""
    delivered = deliveries(kind, archive_dir)
    return delivered[-1] if delivered else embedded
