"""What a report reader extracts from one report, whatever its layout: the report's identity, its graded judgments,
its recommendations (with causes of concern and areas for improvement) and the figures it quotes."""

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTH_YEAR = r"(?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4}"
NUMBER = r"\d[\d,]*(?:\.\d+)?"


class ReportParseError(ValueError):
    """A report no reader can read: the message names the file and what was not found where."""


@dataclass(frozen=True)
class Judgment:
    question: str | None  # None: the grade of the pillar (or, from 2021/22, of the area) as a whole
    grade: str
    summary_points: tuple[str, ...]
    pillar: str | None = None  # None: the programme's pillar (seed inspection_programmes)


@dataclass(frozen=True)
class Recommendation:
    question: str | None
    text: str
    deadlines_as_written: tuple[str, ...]
    deadline_dates: tuple[date, ...]
    kind: str = "recommendation"  # recommendation, cause_of_concern, area_for_improvement


@dataclass(frozen=True)
class Figure:
    measure_label: str
    measure: str | None
    area_code: str
    value: float
    decimals: int  # as printed: the report's rounding
    unit: str  # per_1000_population, per_1000_households, percent, percent_change, count
    period_end: date | None  # last day of the period (or the date of a stock count)
    period_months: int | None
    baseline_period_end: date | None  # for a change: the end of the period compared with
    plus_minus: float | None  # published +/- interval, for survey measures
    quoted_text: str


@dataclass
class Report:
    source_file: str
    force_name: str
    programme: str
    year: int
    published_on: date
    layout: str = "crime_inspection_2014"
    published_on_basis: str | None = None  # None: the programme's date and basis (seed inspection_programmes)
    judgments: list[Judgment] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


def month_end(text: str) -> date:
    month, year = text.split()
    year_number, month_number = int(year), MONTHS[month.lower()]
    return date(year_number, month_number, calendar.monthrange(year_number, month_number)[1])


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_end_before(period_end: date, months: int) -> date:
    """The end of the period of the same length just before (12 months before June 2014 -> 30 June 2013)."""
    earlier = add_months(period_end, -months)
    return date(earlier.year, earlier.month, calendar.monthrange(earlier.year, earlier.month)[1])


class QuotedNumber(float):
    """A number as the report prints it: its value, and the decimals it was rounded to ("85.0" -> 1)."""

    decimals: int

    def __new__(cls, text: str) -> "QuotedNumber":
        quoted = super().__new__(cls, float(text.replace(",", "")))
        quoted.decimals = len(text.split(".")[1]) if "." in text else 0
        return quoted


def number(text: str) -> QuotedNumber:
    return QuotedNumber(text)


DEADLINE = re.compile(r"\b(immediately|[Ww]ithin (?:one|two|three|four|six|nine|twelve|\d+) months?|"
                      rf"[Bb]y (?:the end of )?{MONTH_YEAR})\b")
WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "six": 6, "nine": 9, "twelve": 12}


def deadline_date(as_written: str, published_on: date) -> date:
    """Relative deadlines count from the report's publication date; "by March 2015" means the end of March."""
    text = as_written.lower()
    if text == "immediately":
        return published_on
    if text.startswith("within"):
        count = text.split()[1]
        return add_months(published_on, WORD_NUMBERS.get(count) or int(count))
    return month_end(re.search(MONTH_YEAR, as_written).group(0))


def deadlines(text: str, published_on: date) -> tuple[tuple[str, ...], tuple[date, ...]]:
    written = tuple(m.group(1) for m in DEADLINE.finditer(text))
    return written, tuple(deadline_date(w, published_on) for w in written)
