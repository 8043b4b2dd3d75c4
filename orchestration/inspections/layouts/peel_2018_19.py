"""PEEL 2018/19: HMICFRS's integrated PEEL assessments, one inspection of all three pillars, on force pages
("Durham PEEL 2018") and in the report PDF ("PEEL: Police effectiveness, efficiency and legitimacy 2018/19 – An
inspection of <force>"). Each pillar is graded as a whole in prose ("remains outstanding in its effectiveness at
reducing crime and keeping people safe"), and its questions under their heading with the grade alone on the next
line, or in prose ("The constabulary is good at investigating crime"). Questions keep the 2016/17 wording, as the
grades table does."""

import re
from pathlib import Path

from orchestration.inspections.layouts.context import Context
from orchestration.inspections.layouts.peel import Title, find_title, read_peel
from orchestration.inspections.layouts.prose import question, whole
from orchestration.inspections.records import Report

NAME = "peel_2018_19"
DESCRIPTION = "HMICFRS PEEL 2018/19 integrated assessment (force pages or report)"
LOOKS_FOR = ("a title line '<force> PEEL 2018', or 'Police effectiveness, efficiency and legitimacy 2018/19' followed "
             "by 'An inspection of <force>'")
PROGRAMME = "PEEL 2018/19"
TITLES = [
    re.compile(r"^\s*(?P<force>[A-Z][\w &'-]+?) PEEL (?P<year>2018)\s*$", re.MULTILINE),
    re.compile(r"(?P<force>[A-Z][\w &'-]{2,80}?) PEEL (?P<year>2018)\b"),  # lost line breaks
    re.compile(r"effectiveness, efficiency and legitimacy (?P<year>2018)/19\s*[–:-]?\s*An inspection of (?:the )?"
               r"(?P<force>[A-Z][\w &'-]+?(?:Police|Constabulary|Service))", re.IGNORECASE),
]

_EFFECTIVE = "How effective is the force at {}?"
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
    question("effectiveness", _EFFECTIVE.format("preventing crime, tackling anti-social behaviour and keeping people "
                                                "safe"),
             "preventing crime, tackling anti-social behaviour and keeping people safe",
             "preventing crime and tackling anti-social behaviour"),
    question("effectiveness", _EFFECTIVE.format("investigating crime and reducing re-offending"),
             "investigating crime and reducing re-offending", "investigating crime"),
    question("effectiveness",
             _EFFECTIVE.format("protecting those who are vulnerable from harm, and supporting victims"),
             "protecting those who are vulnerable from harm, and supporting victims",
             "protecting vulnerable people and supporting victims", "protecting vulnerable people"),
    question("effectiveness", _EFFECTIVE.format("tackling serious and organised crime"),
             "tackling serious and organised crime"),
    question("efficiency", "How well does the force use its resources to meet the demand it faces?",
             "meeting current demands and using resources", "how it meets demand and uses resources"),
    question("efficiency", "How well is the force planning for the future?", "planning for the future",
             "the way it plans for the future"),
    question("legitimacy", "To what extent does the force treat all of the people it serves with fairness and respect?",
             "treating all of the people it serves with fairness and respect", "treating the public fairly"),
    question("legitimacy", "How well does the force ensure that its workforce behaves ethically and lawfully?",
             "ensuring its workforce behaves ethically and lawfully", "ethical and lawful workforce behaviour"),
    question("legitimacy", "To what extent does the force treat its workforce with fairness and respect?",
             "treating its workforce with fairness and respect", "treating the workforce fairly"),
]


def title(raw: str) -> Title | None:
    return find_title(raw, TITLES)


def recognise(raw: str) -> bool:
    return title(raw) is not None


def read(raw: str, path: Path, context: Context) -> tuple[Report, str]:
    return read_peel(raw, path, context, NAME, PROGRAMME, title(raw), GRADED)
