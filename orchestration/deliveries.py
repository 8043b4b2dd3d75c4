"""Every kind of delivery the warehouse takes, in one list, and what is asked of the list as a whole: which kind a
landed file is (or why it is none), which kind a container's files are, which kind has a name.

A file is tried against each kind in turn; the first that recognises it wins. When none does, the refusal names what
an operator can act on: "the file is empty", the one column that differs from the closest kind, the force or month
that is not valid, the report layouts looked for; only when nothing comes close is every kind listed.
"""

from __future__ import annotations

from pathlib import Path

from orchestration.inspections.delivery import INSPECTION_REPORTS
from orchestration.sources.delivery import SOURCE_KINDS
from orchestration.street.delivery import STREET_FEED
from orchestration.warehouse.kinds import DeliveryKind, Miss, Recognised, Unrecognised

KINDS: tuple[DeliveryKind, ...] = (*SOURCE_KINDS, STREET_FEED, INSPECTION_REPORTS)
KINDS_BY_NAME = {kind.name: kind for kind in KINDS}
# a file this close to a kind (share of its columns) is refused with what differs from that kind
NEAR_MISS = 0.5


def kinds_described() -> list[str]:
    return [kind.describe() for kind in KINDS]


def _every_kind(path: Path) -> str:
    return (f"{path}: a '{path.suffix or 'no suffix'}' file that is none of the kinds the warehouse ingests:\n"
            + "\n".join(f"  - {line}" for line in kinds_described()))


def recognise(path: Path) -> Recognised:
    if path.stat().st_size == 0:
        raise Unrecognised(f"{path}: the file is empty")
    closest = None
    for kind in KINDS:
        found = kind.recognise(path)
        if isinstance(found, Recognised):
            return found
        if isinstance(found, Miss) and (closest is None or found.closeness > closest.closeness):
            closest = found
    raise Unrecognised(closest.why if closest and closest.closeness >= NEAR_MISS else _every_kind(path))


def container_members(path: Path) -> list[str] | None:
    """The member files to take out of a container (a data.police.uk zip), None when the file is no container."""
    for kind in KINDS:
        members = kind.members(path)
        if members is not None:
            return members
    return None
