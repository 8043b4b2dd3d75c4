"""PEEL 2015, 2016 and 2017: HMIC's pillar reports and force pages (effectiveness, efficiency, legitimacy,
leadership), each pillar graded on questions ("How effective is the force at investigating crime and reducing
re-offending?") and as a whole ("The extent to which the constabulary is effective at keeping people safe and
reducing crime is outstanding"). The question wording changed in 2016; both wordings are read."""

import re
from pathlib import Path

from orchestration.inspections.layouts.context import Context
from orchestration.inspections.layouts.peel import (
    EFFECTIVE,
    INSPECTION_OF,
    TITLE_YEAR_BREAK,
    Title,
    find_title,
    questions_2016,
    read_peel,
)
from orchestration.inspections.layouts.prose import question, whole
from orchestration.inspections.records import Report

NAME = "peel_2015_2017"
DESCRIPTION = "HMIC PEEL 2015-2017 pillar report or force page (effectiveness, efficiency, legitimacy, leadership)"
LOOKS_FOR = ("a title line '<force> 2015|2016|2017' or '<force> PEEL 2016' with the word PEEL, or a report title "
             "'PEEL: Police effectiveness 2016 – An inspection of <force>'")
TITLES = [
    re.compile(r"PEEL:?\s+Police\s+(?i:effectiveness|efficiency|legitimacy|leadership)\s+(?P<year>2015|2016|2017)"
               r"\s*[–:-]?\s*" + INSPECTION_OF),
    re.compile(rf"^[ \t]*(?P<force>[A-Z][\w &'-]+?)(?:[ \t]+PEEL)?{TITLE_YEAR_BREAK}(?P<year>2015|2016|2017)[ \t]*$",
               re.MULTILINE),
    # lost line breaks
    re.compile(r"(?P<force>[A-Z][\w &'-]{2,80}?) "
               r"(?:PEEL (?P<year>2015|2016|2017)\b|(?P<year_>2015|2016|2017) Read more)"),
]

_KEEPING_SAFE = "at keeping people safe and reducing crime"
GRADED = [
    whole("effectiveness", f"effective {_KEEPING_SAFE}", f"effectiveness {_KEEPING_SAFE}",
          headings=("How effective is the force at keeping people safe and reducing crime?",)),
    whole("efficiency", f"efficient {_KEEPING_SAFE}", f"efficiency {_KEEPING_SAFE}",
          "the efficiency with which it keeps people safe and reduces crime",
          headings=("How efficient is the force at keeping people safe and reducing crime?",)),
    whole("legitimacy", f"legitimate {_KEEPING_SAFE}", f"legitimacy {_KEEPING_SAFE}",
          headings=("How legitimate is the force at keeping people safe and reducing crime?",)),
    # 2015 wording
    question("effectiveness", EFFECTIVE.format("preventing crime and anti-social behaviour, and keeping people safe"),
             "preventing crime and anti-social behaviour, and keeping people safe"),
    question("effectiveness", EFFECTIVE.format("investigating crime and managing offenders"),
             "investigating crime and managing offenders"),
    question("effectiveness",
             EFFECTIVE.format("protecting from harm those who are vulnerable, and supporting victims"),
             "protecting from harm those who are vulnerable, and supporting victims"),
    # 2016 and 2017 efficiency, named as the grades table names them
    question("efficiency", "understanding of demand", "understanding of demand"),
    question("efficiency", "use of resources to manage demand", "use of resources to manage demand"),
    question("efficiency", "planning for future demand", "planning for future demand"),
    # 2016 and 2017 wording
    *questions_2016(
        (), ("how it investigates crime and reduces re-offending",),
        ("how it protects those who are vulnerable from harm, and supports victims",),
        ("how it tackles serious and organised crime",),
        ("treat all of the people it serves with fairness and respect",),
        ("ensuring that its workforce behaves ethically and lawfully",),
        ("treat its workforce with fairness and respect",)),
]


def title(raw: str) -> Title | None:
    return find_title(raw, TITLES) if "PEEL" in raw[:6000] else None


def recognise(raw: str) -> bool:
    return title(raw) is not None


def read(raw: str, path: Path, context: Context) -> tuple[Report, str]:
    found = title(raw)
    return read_peel(raw, path, context, NAME, f"PEEL {found.year}", found, GRADED)
