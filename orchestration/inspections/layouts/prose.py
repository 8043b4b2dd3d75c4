"""Reading the PEEL layouts, which state their grades in prose and in headings rather than in one template.

HMIC/HMICFRS wrote its PEEL judgments in a few recurring shapes, on web pages, in PDFs and in press releases:

- a heading (a question such as "How effective is the force at investigating crime ...?", or an area such as
  "Investigating crime") followed by a line holding only the grade ("Requires improvement");
- "<the force> is good at <what>" / "requires improvement in <what>" / "is 'inadequate' in three areas - <what>";
- "<what> is outstanding" ("the efficiency with which the force carries out its responsibilities is outstanding").

A layout lists what it grades (`Graded`: a pillar, a question or None for the pillar or area as a whole, and the
phrases that name it in prose); the functions here find the grades, the recommendations, causes of concern and areas
for improvement under their headings, the figures quoted in sentences, and the date the page gives. Sentences about
an earlier cycle ("In 2016, we judged ...", "carried over") grade nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from orchestration.inspections.records import (
    MONTH_YEAR,
    MONTHS,
    NUMBER,
    Figure,
    Judgment,
    Recommendation,
    deadlines,
    month_end,
    number,
)
from orchestration.warehouse.reference import ENGLAND_AND_WALES

GRADE_WORDS = {"outstanding": "Outstanding", "good": "Good", "adequate": "Adequate",
               "requires improvement": "Requires improvement", "require improvement": "Requires improvement",
               "inadequate": "Inadequate"}
_GRADE = r"(?:outstanding|good|adequate|inadequate|requires? improvement)"
_Q = r"['‘’\"]?"  # grades are often quoted: 'good'
# "is good at X", "was 'inadequate' in three areas - X", "requires improvement in X", "remains outstanding in X",
# "has a good approach to X", and the items of a list after one of them: "..., good at Y and good at Z"
GRADE_AT = re.compile(
    rf"(?:(?:\b(?:is|are|was|remains|be|been|as|graded|(?:has|had) an?)\s+|(?<=, )|(?<=\band )){_Q}"
    rf"(?P<grade>outstanding|good|adequate|inadequate){_Q}|{_Q}(?P<ri>requires? improvement){_Q})"
    rf"\s+(?:approach\s+to|at|in|for)\s+(?P<what>.+?)"
    rf"(?=[.;:!?]|,?\s+(?:and\s+)?(?:is\s+|it\s+is\s+)?{_Q}{_GRADE}{_Q}\s+(?:at|in)\b|$)",
    re.IGNORECASE)
# "<what> is outstanding.", "<what> requires improvement;" - the grade closes the clause
WHAT_IS = re.compile(rf"(?P<what>[^.;:!?]{{8,240}}?)\s+(?:(?:is|remains)(?:\s+judged\s+to\s+be)?\s+"
                     rf"{_Q}(?P<grade>{_GRADE}){_Q}|(?P<ri>requires improvement))\s*(?=[.;]|$)",
                     re.IGNORECASE)
# "the areas requiring improvement are X; Y and Z", "the inadequate areas included X, Y and Z"
AREAS_GRADED = re.compile(r"\b(?:areas? (?:requiring|that require|needing) improvement|"
                          r"(?P<grade>outstanding|good|adequate|inadequate) areas?) "
                          r"(?:are|is|were|was|include|includes|included)\s+(?P<what>[^.]+)", re.IGNORECASE)
HISTORICAL = re.compile(r"\b(?:in|since) (?:19|20)\d\d(?:/\d\d)?,? (?:we|HMIC|HMICFRS|the inspectorate) "
                        r"(?:judged|found|graded|assessed)|\blast year\b|\bcarried over\b|\bstill stands?\b|"
                        r"\bpreviously\b|\bprevious (?:year|inspection|PEEL)|\bwe judged\b", re.IGNORECASE)


@dataclass(frozen=True)
class Graded:
    """One thing a layout grades: a question of a pillar, or (question None) the pillar or area as a whole."""

    pillar: str
    question: str | None
    phrases: tuple[str, ...]  # lower case, as the prose names it ("investigating offending")
    headings: tuple[str, ...] = ()  # lines that head its section ("How effective is the force at ...?")


def question(pillar: str, text: str, *phrases: str) -> Graded:
    """A graded question: its own text heads its section."""
    return Graded(pillar, text, phrases, (text,))


def whole(pillar: str, *phrases: str, headings: tuple[str, ...] = ()) -> Graded:
    """A pillar (or area) graded as a whole."""
    return Graded(pillar, None, phrases, headings)


def normalise(line: str) -> str:
    return re.sub(r"\s+", " ", line.replace("’", "'").replace("‘", "'")).strip().rstrip(":").lower()


WRAPPED_LINE = 40  # characters: a line at least this long without a full stop is a paragraph's wrapped line


def paragraphs(lines: list[str]) -> str:
    """The lines as paragraphs, one a line. A line that does not end a sentence continues on the next (a PDF's
    wrapped line) when the next starts in lower case or when it is long (a title or a heading is short, or ends in
    '?'); any other line break ends a title or paragraph."""
    joined: list[str] = []
    previous = ""
    for line in (line.strip() for line in lines):
        if not line:
            continue
        if joined and not re.search(r"[.!?:\"']$", previous) and (
                re.match(r"[a-z(]", line) or len(previous) >= WRAPPED_LINE):
            joined[-1] += " " + line
        else:
            joined.append(line)
        previous = line
    return "\n".join(re.sub(r"\s+", " ", paragraph) for paragraph in joined)


def sentences(text: str) -> list[str]:
    """Sentences of a flowing text (a bullet or a line break ends one too)."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z'‘\"“(•-])|\s*•\s*|\n+", text)
    return [part.strip() for part in parts if part and part.strip()]


def _found_in(what: str, graded: list[Graded]) -> list[Graded]:
    """Everything named in a phrase, longest names first and not counted twice ("preventing crime and tackling
    anti-social behaviour" is one area, not also "preventing crime")."""
    what = normalise(what)
    names = sorted(((phrase, item) for item in graded for phrase in item.phrases), key=lambda pair: -len(pair[0]))
    found, taken = [], []
    for phrase, item in names:
        for match in re.finditer(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", what):
            span = range(match.start(), match.end())
            if any(set(span) & set(other) for other in taken):
                continue
            taken.append(span)
            if item not in found:
                found.append(item)
    return found


def _clause(sentence: str, match: re.Match) -> str:
    """The clause of a sentence a grade was found in (a list of clauses joined by ';' quotes only its own)."""
    start = sentence.rfind("; ", 0, match.start()) + 1
    end = sentence.find("; ", match.end())
    return sentence[start: end if end >= 0 else len(sentence)].strip(" ;")


def grades_in_prose(text: str, graded: list[Graded]) -> list[tuple[Graded, str, str]]:
    """(what, grade, clause) for every grade stated in a sentence about the current cycle."""
    found = []
    for sentence in sentences(text):
        if HISTORICAL.search(sentence):
            continue
        for pattern in (GRADE_AT, WHAT_IS, AREAS_GRADED):
            for match in pattern.finditer(sentence):
                named = match.groupdict().get("grade") or match.groupdict().get("ri") or "requires improvement"
                found += [(item, GRADE_WORDS[named.lower()], _clause(sentence, match))
                          for item in _found_in(match.group("what"), graded)]
    return found


HEADING_GRADE = (r"\s+(?:Last updated \d\d/\d\d/\d{4}\s+)?(?:\d{1,2}\s+)?"
                 r"(?P<grade>Outstanding|Good|Adequate|Requires improvement|Inadequate)(?=\s*(?:$|\n|[A-Z]))")


def grades_under_headings(text: str, graded: list[Graded]) -> list[tuple[Graded, str, str]]:
    """(what, grade, heading) where a heading is followed by its grade alone (on the next line, or, where the line
    breaks were lost, as the next word, capitalised, before the next sentence); a "Last updated" date or a question
    number may come between."""
    found = []
    for item in graded:
        for heading in item.headings:
            pattern = rf"(?i:{re.escape(heading.rstrip(':'))}):?" + HEADING_GRADE
            for match in re.finditer(pattern, text):
                found.append((item, GRADE_WORDS[match.group("grade").lower()], heading))
    return found


def judgments(text: str, graded: list[Graded]) -> list[Judgment]:
    """One judgment per graded thing: a grade under its heading first, else the first stated in prose."""
    first: dict[Graded, tuple[str, str]] = {}
    for item, grade, where in grades_under_headings(text, graded) + grades_in_prose(text, graded):
        first.setdefault(item, (grade, where))
    return [Judgment(item.question, grade, (where,), item.pillar) for item, (grade, where) in first.items()]


# --- recommendations, causes of concern, areas for improvement -----------------------------------------------------

LIST_HEADINGS = {"recommendation": "recommendation", "recommendations": "recommendation",
                 "cause of concern": "cause_of_concern", "causes of concern": "cause_of_concern",
                 "causes for concern": "cause_of_concern", "area for improvement": "area_for_improvement",
                 "areas for improvement": "area_for_improvement"}
BULLET = re.compile(r"^\s*(?:[-•*–]|\d{1,2}[.)])\s+")
SHOULD = re.compile(r"\b(?:should|must|needs? to|we recommend)\b", re.IGNORECASE)


def _list_heading(line: str) -> str | None:
    return LIST_HEADINGS.get(re.sub(r"\s+\d+$", "", normalise(line)))  # "Area for improvement 1"


def listed_points(lines: list[str], published_on: date, question_of) -> list[Recommendation]:
    """The points under "Areas for improvement", "Cause of concern" and "Recommendations" headings: bullets (after a
    lead-in such as "Within three months, the force should:", each bullet with it), or, where a heading has no
    bullets, lines saying what the force should do (a cause of concern: its first line, the concern itself);
    question_of(index) names the question the heading is under. The first line that is none of these ends the list."""
    points: list[Recommendation] = []
    kind, current, start, bulleted, lead, before = None, [], 0, False, "", 0

    def close():
        nonlocal current
        if kind and current:
            text = re.sub(r"\s+", " ", " ".join(current)).strip().rstrip(";")
            written, dates = deadlines(text, published_on)
            points.append(Recommendation(question_of(start), text, written, dates, kind))
        current = []

    for index, line in enumerate(lines):
        text = line.strip()
        heading = _list_heading(text)
        if heading:
            close()
            kind, start, bulleted, lead, before = heading, index, False, "", len(points)
        elif kind is None or not text:
            continue
        elif BULLET.match(text):
            close()
            current, bulleted = [lead, BULLET.sub("", text)], True
        elif current and not re.match(r"[A-Z]", text):
            current.append(text)  # a point broken over lines
        elif text.endswith(":") and SHOULD.search(text) and not bulleted:
            close()
            lead = text
        elif not bulleted and (SHOULD.search(text) or (
                kind == "cause_of_concern" and len(points) == before and not current)):
            close()
            current = [text]
        else:
            close()
            kind = None
    close()
    return points


# --- figures -------------------------------------------------------------------------------------------------------

WORD_COUNTS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
               "ten": 10}
# labels the warehouse holds: how the prose names a crime measure -> measure code
CRIME_MEASURES = {"crime": "crime_excluding_fraud", "recorded crime": "crime_excluding_fraud",
                  "victim-based crime": "victim_based_crime", "anti-social behaviour": "asb_incidents"}
CHANGE_OVER_YEARS = re.compile(
    rf"(?P<value>{NUMBER}) ?(?:percent|per cent|%) (?P<direction>reduction|decrease|fall|increase|rise) in "
    r"(?P<label>recorded crime|victim-based crime|crime|anti-social behaviour)(?: in (?P<area>[A-Z][\w -]+?))? "
    r"over the (?:past|last) (?P<years>\w+) years", re.IGNORECASE)
PERCENT = re.compile(rf"(?P<value>{NUMBER}) ?(?:percent|per cent|%)(?P<label>(?: [a-z][\w'-]*){{0,7}})")
PLUS_MINUS = re.compile(rf"\((?:with a confidence interval of )?(?:±|\+/-) ?(?P<interval>{NUMBER}) ?(?:percent|%)")
PERIOD_MONTHS_TO = re.compile(rf"\b(?P<months>\d+) months to (?:the end of )?(?P<end>{MONTH_YEAR})")
PERIOD_YEAR_ENDING = re.compile(rf"\byear ending (?:\d{{1,2}} )?(?P<end>{MONTH_YEAR})")
PERIOD_DATES = re.compile(r"\bfrom \d{1,2} \w+(?: \d{4})? to (?P<day>\d{1,2}) (?P<month>\w+) (?P<year>\d{4})")


def _period(sentence: str) -> tuple[date | None, int | None]:
    if match := PERIOD_MONTHS_TO.search(sentence):
        return month_end(match.group("end")), int(match.group("months"))
    if match := PERIOD_YEAR_ENDING.search(sentence):
        return month_end(match.group("end")), 12
    if (match := PERIOD_DATES.search(sentence)) and match.group("month").lower() in MONTHS:
        return date(int(match.group("year")), MONTHS[match.group("month").lower()], int(match.group("day"))), None
    return None, None


LABEL_STOP = {"in", "for", "compared", "during", "over", "than", "and", "which", "this", "the", "with", "of", "was",
              "is", "at", "by", "to", "a", "an", "were", "are", "had", "has", "that", "as", "on"}


def _label(sentence: str, match: re.Match, after_interval: re.Match | None = None) -> str:
    """What a percentage is of: the words after it ("of its 999 calls within 10 seconds") - after its margin of
    error where it has one ("82.3 percent (± 0.8 percent) were satisfied") - or, when those only give its period,
    the words before it ("an overall satisfaction rate of 84.4 percent")."""
    after = match.group("label").strip()
    if after_interval:
        words = re.match(r"\)?((?: [a-z][\w'-]*){0,7})", sentence[after_interval.end():])
        after = words.group(1).split() if words else []
        while after and after[-1].lower() in LABEL_STOP:
            after.pop()
        after = " ".join(after)
    if after and after.split()[0] not in LABEL_STOP - {"of", "had", "were", "was"}:
        return after
    before = re.split(r"[,.;:()]", sentence[:match.start()])[-1].split()[-7:]
    while before and before[-1].lower() in LABEL_STOP:
        before.pop()
    while before and before[0].lower() in LABEL_STOP:
        before.pop(0)
    return " ".join(before) or "percentage"


def figures(text: str, force_code: str, figures_period_end: date | None) -> list[Figure]:
    """Quoted percentages with their period and unit. A change in crime "over the past four years" is a change
    to the programme's figures period (seed inspection_programmes) from the same period that many years before;
    any other percentage is kept as quoted (the warehouse holds no such measure: not computable)."""
    found: list[Figure] = []
    for sentence in sentences(text):
        changes = list(CHANGE_OVER_YEARS.finditer(sentence))
        for match in changes:
            value = number(match.group("value"))
            if match.group("direction").lower() in ("reduction", "decrease", "fall"):
                value = number(f"-{match.group('value')}")
            years = WORD_COUNTS.get(match.group("years").lower()) or int(match.group("years"))
            baseline = (date(figures_period_end.year - years, figures_period_end.month, figures_period_end.day)
                        if figures_period_end else None)
            area = ENGLAND_AND_WALES if "england and wales" in (match.group("area") or "").lower() else force_code
            found.append(Figure(match.group("label").lower(), CRIME_MEASURES.get(match.group("label").lower()),
                                area, float(value), value.decimals, "percent_change", figures_period_end,
                                12 if figures_period_end else None, baseline, None, sentence))
        # a margin of error ("82.3 percent (± 0.8 percent)") belongs to the figure before it, never a figure itself
        taken = [range(m.start(), m.end()) for m in changes] + \
            [range(m.start(), m.end()) for m in PLUS_MINUS.finditer(sentence)]
        period_end, months = _period(sentence)
        for match in PERCENT.finditer(sentence):
            if any(match.start() in span for span in taken):
                continue
            value = number(match.group("value"))
            interval = PLUS_MINUS.match(sentence, match.end() + 1) or PLUS_MINUS.match(sentence, match.end())
            label = _label(sentence, match, after_interval=interval)
            found.append(Figure(label, None, force_code, float(value), value.decimals, "percent", period_end, months,
                                None, float(interval.group("interval")) if interval else None, sentence))
    return found


# --- the page's own date -------------------------------------------------------------------------------------------

PAGE_DATES = (
    (re.compile(r"Last updated (?P<d>\d{2})/(?P<m>\d{2})/(?P<y>\d{4})"), "the page's 'Last updated' date"),
    (re.compile(r"Published on:? (?P<d>\d{1,2}) (?P<month>[A-Z][a-z]+) (?P<y>\d{4})"),
     "the page's 'Published on' date"),
    (re.compile(r"^\s*date (?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b", re.MULTILINE), "the press release's date line"),
)


def page_date(raw: str) -> tuple[date, str] | None:
    """The date the text gives itself, and which kind of date it is, when it gives one."""
    for pattern, basis in PAGE_DATES:
        if match := pattern.search(raw):
            month = MONTHS[match.group("month").lower()] if "month" in match.groupdict() else int(match.group("m"))
            return date(int(match.group("y")), month, int(match.group("d"))), basis
    return None
