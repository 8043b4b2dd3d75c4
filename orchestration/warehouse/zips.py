"""Unpacking named members of a zip safely: by their base name (a member path can never leave the target folder), and
nothing at all when a member or the whole is larger than the limits.

The sizes are checked from the zip's directory before anything is written, and counted again while writing, so a
member whose directory entry lies is stopped at the limit and its partial file removed.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from orchestration.warehouse.kinds import Unrecognised


def unpack(path: Path, names: list[str], target_dir: Path, member_limit: int, total_limit: int) -> list[Path]:
    with zipfile.ZipFile(path) as archive:
        members = [archive.getinfo(name) for name in names]
        too_big = [m for m in members if m.file_size > member_limit]
        if too_big:
            raise Unrecognised(f"{path}: refused without unpacking: {too_big[0].filename} would be "
                               f"{too_big[0].file_size:,} bytes unpacked, over the limit of {member_limit:,} "
                               "(FORCESTAT_ZIP_MEMBER_MAX_BYTES)")
        total = sum(m.file_size for m in members)
        if total > total_limit:
            raise Unrecognised(f"{path}: refused without unpacking: its files would be {total:,} bytes unpacked, "
                               f"over the limit of {total_limit:,} (FORCESTAT_ZIP_TOTAL_MAX_BYTES)")
        target_dir.mkdir(parents=True, exist_ok=True)
        unpacked: list[Path] = []
        try:
            for member in members:
                target = target_dir / Path(member.filename).name
                written = 0
                with archive.open(member) as source, open(target, "wb") as sink:
                    unpacked.append(target)
                    while block := source.read(1 << 20):
                        written += len(block)
                        if written > member_limit:
                            raise Unrecognised(f"{path}: refused: {member.filename} unpacks to more than "
                                               f"{member_limit:,} bytes although its directory says "
                                               f"{member.file_size:,}")
                        sink.write(block)
        except BaseException:
            for partial in unpacked:
                partial.unlink(missing_ok=True)
            raise
    return unpacked
