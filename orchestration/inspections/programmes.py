"""The inspection programmes the report readers know (seed inspection_programmes): each programme's cycle and pillar,
the publication date relative deadlines ("within three months") count from, and the period a quoted figure refers to
when its sentence names none ("over the past four years")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from orchestration.warehouse.reference import seed_rows


@dataclass(frozen=True)
class Programme:
    cycle: str
    pillar: str
    published_on: date
    published_on_basis: str
    figures_period_end: date | None = None


@cache
def programmes() -> dict[tuple[str, int], Programme]:
    """(lower-case programme, year) -> Programme."""
    return {(row["programme"].lower(), int(row["year"])): Programme(
        row["cycle"], row["pillar"], date.fromisoformat(row["published_on"]), row["published_on_basis"],
        date.fromisoformat(row["figures_period_end"]) if row.get("figures_period_end") else None)
        for row in seed_rows("inspection_programmes")}
