"""Taking settled files out of the inbox: a container's files out of it, then for each file what kind it is, whether
its content is new, and where it goes (a claim, the archive's duplicates, the files not ingested, or quarantine).

Nothing here names a kind: the list of kinds (orchestration/deliveries.py) says what a file is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from orchestration.deliveries import container_members, recognise
from orchestration.landing.claims import processing_dir
from orchestration.settings import ZIP_MEMBER_MAX_BYTES, ZIP_TOTAL_MAX_BYTES, Settings
from orchestration.warehouse.archive import DUPLICATES, archive_file, refuse_file
from orchestration.warehouse.files import file_sha256
from orchestration.warehouse.kinds import NOT_INGESTED, Unrecognised
from orchestration.warehouse.zips import unpack

UNPACKED = "unpacked-"  # a container's members, in .processing/ while one look of the sensor takes them
CONTAINERS = "containers"  # where an unpacked container is archived


@dataclass(frozen=True)
class Taken:
    kind: str  # the delivery kind's name
    path: Path
    sha256: str
    archive_folder: str


def expand(path: Path, known: set[str], settings: Settings, log: Callable[[str], None]) -> list[Path]:
    """The file itself; or, for a container, its members unpacked into .processing/ (the container is archived)."""
    try:
        names = container_members(path)
        if names is None:
            return [path]
        sha256 = file_sha256(path)
        if sha256[:16] in known:
            log(f"{path.name}: this content was delivered before; archived as a duplicate")
            archive_file(path, sha256, DUPLICATES, settings.archive_dir, None)
            return []
        target = processing_dir(settings.landing_dir) / f"{UNPACKED}{sha256[:16]}"
        members = unpack(path, names, target, ZIP_MEMBER_MAX_BYTES, ZIP_TOTAL_MAX_BYTES)
    except Unrecognised as error:
        log(str(error))
        refuse_file(path, str(error), settings.quarantine_dir, settings.alerts_file)
        return []
    archive_file(path, sha256, CONTAINERS, settings.archive_dir, None)
    log(f"{path.name}: unpacked {len(members)} files")
    return members


def take(path: Path, known: set[str], settings: Settings, log: Callable[[str], None]) -> Taken | None:
    """What one settled file is, when it is to be claimed; None when it was dealt with here."""
    try:
        recognised = recognise(path)
    except Unrecognised as error:
        log(str(error))
        refuse_file(path, str(error), settings.quarantine_dir, settings.alerts_file)
        return None
    sha256 = file_sha256(path)
    if sha256[:16] in known:
        log(f"{path.name}: this content was delivered before; archived as a duplicate")
        archive_file(path, sha256, DUPLICATES, settings.archive_dir, None)
        return None
    if recognised.kind == NOT_INGESTED:
        log(f"{path.name}: {recognised.note}; archived as not ingested")
        archive_file(path, sha256, NOT_INGESTED, settings.archive_dir, None)
        return None
    return Taken(recognised.kind, path, sha256, recognised.archive_folder)
