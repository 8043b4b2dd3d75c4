"""PEEL 2014: HMIC's force pages and assessments ("Lancashire 2014", "Merseyside PEEL 2014"). Effectiveness was
graded on three questions and efficiency as a whole, in prose ("the force is good at reducing crime and preventing
offending"; "the efficiency with which the force carries out its responsibilities is outstanding"); legitimacy was
not graded. Changes in crime are quoted "over the past four years": to the 12 months to June 2014."""

import re
from pathlib import Path

from orchestration.inspections.layouts.context import Context
from orchestration.inspections.layouts.peel import TITLE_YEAR_BREAK, Title, find_title, read_peel
from orchestration.inspections.layouts.prose import question, whole
from orchestration.inspections.records import Report

NAME = "peel_2014"
DESCRIPTION = "HMIC PEEL 2014 force page or assessment (web page text or PDF)"
LOOKS_FOR = "a title line '<force> 2014' or '<force> PEEL 2014' and the word PEEL in the opening"
PROGRAMME = "PEEL 2014"
TITLES = [re.compile(rf"^[ \t]*(?P<force>[A-Z][\w &'-]+?)(?:[ \t]+PEEL)?{TITLE_YEAR_BREAK}(?P<year>2014)[ \t]*$",
                     re.MULTILINE),
          # the title run into the text around it (lost line breaks): the force is the known name it contains
          re.compile(r"(?P<force>[A-Z][\w &'-]{2,80}?) (?:PEEL (?P<year>2014)\b|(?P<year_>2014) Read more about)")]

_EFFECTIVE = "How effective is the force at {}?"
GRADED = [
    question("effectiveness", _EFFECTIVE.format("reducing crime and preventing offending"),
             "reducing crime and preventing offending"),
    question("effectiveness", _EFFECTIVE.format("investigating offending"), "investigating offending",
             "investigating crime", "the way it investigates offending"),
    question("effectiveness", _EFFECTIVE.format("tackling anti-social behaviour"), "tackling anti-social behaviour"),
    whole("efficiency", "the efficiency with which the force carries out its responsibilities",
          "the efficiency with which the constabulary carries out its responsibilities"),
]


def title(raw: str) -> Title | None:
    return find_title(raw, TITLES) if "PEEL" in raw[:6000] else None


def recognise(raw: str) -> bool:
    return title(raw) is not None


def read(raw: str, path: Path, context: Context) -> tuple[Report, str]:
    return read_peel(raw, path, context, NAME, PROGRAMME, title(raw), GRADED)
