"""Reference data the inspection ingest needs at load time, read from the dbt seeds (their one home)."""

import csv
from dataclasses import dataclass
from datetime import date
from functools import cache

from orchestration.settings import DBT_PROJECT_DIR

SEEDS = DBT_PROJECT_DIR / "seeds"


def seed_rows(seed: str) -> list[dict[str, str]]:
    with open(SEEDS / f"{seed}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@cache
def force_codes_by_name() -> dict[str, str]:
    """Lower-case force name or alias -> ONS code, territorial forces only."""
    forces = {row["area_code"] for row in seed_rows("forces")}
    return {row["name_variant"].lower(): row["reporting_body_code"] for row in seed_rows("reporting_body_aliases")
            if row["reporting_body_code"] in forces}


@dataclass(frozen=True)
class Programme:
    cycle: str
    pillar: str
    published_on: date
    published_on_basis: str


@cache
def programmes() -> dict[tuple[str, int], Programme]:
    return {(row["programme"].lower(), int(row["year"])): Programme(
        row["cycle"], row["pillar"], date.fromisoformat(row["published_on"]), row["published_on_basis"])
        for row in seed_rows("inspection_programmes")}


def publication_dates() -> dict[tuple[str, int], date]:
    return {key: programme.published_on for key, programme in programmes().items()}


def cycle_year(cycle: str) -> int:
    """The year a cycle starts: "2018/19" -> 2018."""
    return int(cycle[:4])


@cache
def _scales() -> list[dict[str, str]]:
    return seed_rows("grade_scales")


def grades_for_cycle(cycle: str) -> list[str]:
    """The grades allowed in a cycle ("Adequate" only from 2021/22)."""
    year = cycle_year(cycle)
    return [row["grade"] for row in _scales()
            if int(row["first_cycle_year"]) <= year <= int(row["last_cycle_year"])]


def peel_grade_problem(row: dict[str, str]) -> str | None:
    """What is wrong with one row of a PEEL grades table, or None."""
    if row["pfa_code"] not in force_codes_by_name().values():
        return f"pfa_code '{row['pfa_code']}' is not one of the 43 force area codes"
    if not row["cycle"][:4].isdigit():
        return f"cycle '{row['cycle']}' is not a year or a year range like 2018/19"
    allowed = grades_for_cycle(row["cycle"])
    if row["grade"] not in allowed:
        return f"grade '{row['grade']}' is not on the {row['cycle']} scale (expected one of: {', '.join(allowed)})"
    return None
