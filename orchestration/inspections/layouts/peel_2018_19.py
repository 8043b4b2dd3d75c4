"""PEEL 2018/19: HMICFRS's integrated PEEL assessments, one inspection of all three pillars, on force pages
("Durham PEEL 2018") and in the report PDF ("PEEL: Police effectiveness, efficiency and legitimacy 2018/19 – An
inspection of <force>"). Each pillar is graded as a whole in prose ("remains outstanding in its effectiveness at
reducing crime and keeping people safe"), and its questions under their heading with the grade alone on the next
line, or in prose ("The constabulary is good at investigating crime"). Questions keep the 2016/17 wording, as the
grades table does."""

import re
from pathlib import Path

from orchestration.inspections.layouts.context import Context
from orchestration.inspections.layouts.peel import (
    INSPECTION_OF,
    TITLE_YEAR_BREAK,
    Title,
    find_title,
    questions_2016,
    read_peel,
)
from orchestration.inspections.layouts.prose import question, whole
from orchestration.inspections.records import Report

NAME = "peel_2018_19"
DESCRIPTION = "HMICFRS PEEL 2018/19 integrated assessment (force pages or report)"
LOOKS_FOR = ("a title line '<force> PEEL 2018', or 'Police effectiveness, efficiency and legitimacy 2018/19' followed "
             "by 'An inspection of <force>'")
PROGRAMME = "PEEL 2018/19"
TITLES = [
    re.compile(rf"^[ \t]*(?P<force>[A-Z][\w &'-]+?)[ \t]+PEEL{TITLE_YEAR_BREAK}(?P<year>2018)[ \t]*$", re.MULTILINE),
    re.compile(r"(?P<force>[A-Z][\w &'-]{2,80}?) PEEL (?P<year>2018)\b"),  # lost line breaks
    re.compile(r"(?i:effectiveness,\s+efficiency\s+and\s+legitimacy)\s+(?P<year>2018)/19\s*[–:-]?\s*" + INSPECTION_OF),
]

GRADED = [
    whole("effectiveness", "reducing crime and keeping people safe",
          "effectively reducing crime and keeping people safe",
          "its effectiveness at reducing crime and keeping people safe",
          headings=("How effectively does the force reduce crime and keep people safe?",)),
    whole("efficiency", "operating efficiently and providing sustainable services",
          "how efficiently it operates and how sustainable its services are",
          "how efficiently it keeps people safe and reduces crime",
          "the efficiency of its operation and the sustainability of its services",
          headings=("How efficiently does the force operate and how sustainable are its services?",
                    "How efficiently does the force operate and how sustainable are its services to the public?")),
    whole("legitimacy", "how legitimately it keeps people safe and reduces crime",
          "how it treats the public and its workforce", "how legitimately it treats the public and its workforce",
          headings=("How legitimately does the force treat the public and its workforce?",)),
    # the 2016/17 questions, named in 2018/19's prose by the components of the report
    *questions_2016(
        (), ("investigating crime",),
        ("protecting vulnerable people and supporting victims", "protecting vulnerable people"), (),
        ("treating the public fairly",), ("ethical and lawful workforce behaviour",),
        ("treating the workforce fairly",)),
    question("efficiency", "How well does the force use its resources to meet the demand it faces?",
             "meeting current demands and using resources", "how it meets demand and uses resources"),
    question("efficiency", "How well is the force planning for the future?", "planning for the future",
             "the way it plans for the future"),
]


def title(raw: str) -> Title | None:
    return find_title(raw, TITLES)


def recognise(raw: str) -> bool:
    return title(raw) is not None


def read(raw: str, path: Path, context: Context) -> tuple[Report, str]:
    return read_peel(raw, path, context, NAME, PROGRAMME, title(raw), GRADED)
