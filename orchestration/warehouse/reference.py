"""Reference data the loaders need before dbt runs, read from the dbt seeds (their one home): the forces, the names
publishers give them, and England and Wales."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from orchestration.settings import SEEDS_DIR

ENGLAND_AND_WALES = "K04000001"


def seed_rows(seed: str) -> list[dict[str, str]]:
    with open(SEEDS_DIR / f"{seed}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True, order=True)
class Force:
    area_code: str  # ONS police force area code
    name: str  # short name ("Devon and Cornwall")
    full_name: str  # the force's own name ("Devon and Cornwall Police")
    data_police_uk_id: str  # data.police.uk's force id, as in its file names ("devon-and-cornwall")


@cache
def forces() -> tuple[Force, ...]:
    """The 43 territorial forces of England and Wales."""
    return tuple(Force(row["area_code"], row["force_name"], row["force_full_name"], row["data_police_uk_id"])
                 for row in seed_rows("forces"))


@cache
def forces_by_code() -> dict[str, Force]:
    return {force.area_code: force for force in forces()}


@cache
def forces_by_police_uk_id() -> dict[str, Force]:
    return {force.data_police_uk_id: force for force in forces()}


@cache
def force_codes_by_name() -> dict[str, str]:
    """Every spelling of a territorial force seen in the sources, lower case -> ONS code (seed reporting_body_aliases:
    "Devon & Cornwall Police", "London, City of", "Hampshire and Isle of Wight Constabulary", ...)."""
    codes = set(forces_by_code())
    return {row["name_variant"].lower(): row["reporting_body_code"] for row in seed_rows("reporting_body_aliases")
            if row["reporting_body_code"] in codes}


def force_named(name: str) -> Force | None:
    code = force_codes_by_name().get(name.strip().lower())
    return forces_by_code()[code] if code else None
