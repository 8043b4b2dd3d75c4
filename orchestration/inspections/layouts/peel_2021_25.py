"""PEEL 2021/22 and PEEL 2023-2025: HMICFRS's reports of graded areas of policing on the five-point scale
(outstanding, good, adequate, requires improvement, inadequate), read from the report (each area's heading with its
grade alone on the next line, or "<force> is good at <area>") and from its press release ("found the force was
'inadequate' in three areas – responding to the public, investigating crime and managing offenders"; "the areas
requiring improvement are ..."). An area is the judgment's pillar; the press releases' short names ("treatment of
the public", "good use of resources") are read as the framework's areas. Counts alone ("good in two areas") name no
area and grade nothing."""

import re
from pathlib import Path

from orchestration.inspections.layouts.context import Context
from orchestration.inspections.layouts.peel import INSPECTION_OF, Title, find_title, read_peel
from orchestration.inspections.layouts.prose import Graded, whole
from orchestration.inspections.records import Report

NAME = "peel_2021_25"
DESCRIPTION = "HMICFRS PEEL 2021/22 or PEEL 2023-2025 force report (graded areas), or its press release"
LOOKS_FOR = ("a title 'PEEL 2021/22 – An inspection of <force>' or 'PEEL 2023–2025: An inspection of <force>' "
             "(also 2023-25), or 'assessed how good <force> is in <n> areas of policing' with the PEEL Assessment "
             "Framework 2021/22 or 2023–2025")
PROGRAMMES = {2021: "PEEL 2021/22", 2023: "PEEL 2023-25"}
TITLES = [
    re.compile(rf"PEEL\s+(?P<year>2021)/22\s*[–:-]+\s*{INSPECTION_OF}"),
    re.compile(rf"PEEL\s+(?P<year>2023)\s*[–-]?\s*(?:20)?25\s*[–:-]+\s*{INSPECTION_OF}"),
    re.compile(r"assessed how good (?P<force>[A-Z][^\n]+?) is in \w+ areas of policing[\s\S]{0,4000}?"
               r"PEEL (?:Assessment Framework )?(?P<year>2021|2023)"),
]


def _area(name: str, *phrases: str) -> Graded:
    return whole(name.lower(), name.lower(), *phrases, headings=(name,))


GRADED_BY_CYCLE = {
    2021: [
        _area("Engaging with and treating the public with fairness and respect", "treatment of the public",
              "treating people fairly and with respect", "treating the public fairly", "treating people fairly"),
        _area("Preventing crime and anti-social behaviour", "preventing crime",
              "preventing crime and tackling anti-social behaviour"),
        _area("Responding to the public", "responds to the public", "how it responds to the public"),
        _area("Investigating crime", "investigates crime", "how it investigates crime"),
        _area("Protecting vulnerable people", "protects vulnerable people"),
        _area("Managing offenders and suspects", "managing offenders", "manages offenders and suspects",
              "managing its offenders and suspects"),
        _area("Disrupting serious organised crime", "tackling serious and organised crime"),
        _area("Building, supporting and protecting the workforce", "developing a positive workplace",
              "supporting and protecting the workforce"),
        _area("Strategic planning, organisational management and value for money", "good use of resources",
              "using resources well", "use of resources"),
        _area("Recording data about crime", "recording crime", "crime recording", "crime data integrity",
              "crime data accuracy"),
    ],
    2023: [
        _area("Police powers and public treatment", "treatment of the public",
              "treating the public fairly, appropriately and respectfully",
              "police powers and treating the public fairly and respectfully"),
        _area("Preventing crime and anti-social behaviour", "preventing crime", "preventing and deterring crime",
              "preventing and deterring crime and anti-social behaviour, and reducing vulnerability",
              "preventing and deterring crime, antisocial behaviour and vulnerability"),
        _area("Responding to the public", "responds to the public", "how it responds to the public"),
        _area("Investigating crime", "investigates crime", "how it investigates crime"),
        _area("Protecting vulnerable people", "protects vulnerable people"),
        _area("Managing offenders and suspects", "managing offenders", "manages offenders and suspects"),
        _area("Building, supporting and protecting the workforce", "building, supporting, and protecting the workforce",
              "supporting and protecting the workforce"),
        _area("Leadership and force management", "leadership and force management"),
        _area("Recording data about crime", "recording crime", "crime recording"),
    ],
}


def title(raw: str) -> Title | None:
    return find_title(raw, TITLES)


def recognise(raw: str) -> bool:
    return title(raw) is not None


def read(raw: str, path: Path, context: Context) -> tuple[Report, str]:
    found = title(raw)
    return read_peel(raw, path, context, NAME, PROGRAMMES[found.year], found, GRADED_BY_CYCLE[found.year])
