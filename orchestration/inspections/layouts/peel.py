"""What the PEEL layout readers share: finding a report's force and cycle from its title, and reading one text (a
web page, a PDF's text or a press release) into a Report with the prose readers of layouts/prose.py."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from orchestration.inspections.layouts import prose
from orchestration.inspections.layouts.context import Context
from orchestration.inspections.records import Report, ReportParseError
from orchestration.inspections.report_text import report_lines

GRADE_NAMES = ("Outstanding", "Good", "Adequate", "Requires improvement", "Inadequate")
# "An inspection of <force>": the name ends in Police or Constabulary (Service), even where the title runs on into
# the next line or sentence ("... of Metropolitan Police Service March 2018 © HMICFRS 2018"), and where a PDF's text
# lost the "n" of "An" ("A inspection of")
INSPECTION_OF = (r"An?\s+inspection\s+of\s+(?:the\s+)?"
                 r"(?P<force>[A-Z](?:[\w&'-]|\s){0,60}?(?:Police|Constabulary)(?:\s+Service)?)")
EFFECTIVE = "How effective is the force at {}?"
# The questions of 2016 and 2017, kept by 2018/19 (and used by the grades table), with the phrases naming them
QUESTIONS_2016 = {
    EFFECTIVE.format("preventing crime, tackling anti-social behaviour and keeping people safe"): (
        "effectiveness", "preventing crime, tackling anti-social behaviour and keeping people safe",
        "preventing crime and tackling anti-social behaviour"),
    EFFECTIVE.format("investigating crime and reducing re-offending"): (
        "effectiveness", "investigating crime and reducing re-offending"),
    EFFECTIVE.format("protecting those who are vulnerable from harm, and supporting victims"): (
        "effectiveness", "protecting those who are vulnerable from harm, and supporting victims"),
    EFFECTIVE.format("tackling serious and organised crime"): ("effectiveness", "tackling serious and organised crime"),
    "To what extent does the force treat all of the people it serves with fairness and respect?": (
        "legitimacy", "treating all of the people it serves with fairness and respect"),
    "How well does the force ensure that its workforce behaves ethically and lawfully?": (
        "legitimacy", "ensuring its workforce behaves ethically and lawfully"),
    "To what extent does the force treat its workforce with fairness and respect?": (
        "legitimacy", "treating its workforce with fairness and respect"),
}


def questions_2016(*extra: tuple[str, ...]) -> list[prose.Graded]:
    """The 2016/17 questions; extra[i] adds phrases a layout's texts use for the i-th."""
    return [prose.question(pillar, text, *phrases, *more)
            for (text, (pillar, *phrases)), more in zip(QUESTIONS_2016.items(), extra, strict=True)]


# Between a page title's words and its year: a space, or a line break (a PDF's title page sets the year on the line
# after the title: "Durham PEEL" / "2018")
TITLE_YEAR_BREAK = r"(?:[ \t]+|[ \t]*\n[ \t]*)"


@dataclass(frozen=True)
class Title:
    force: str
    year: int  # the cycle's first year: 2014 ... 2018 (2018/19), 2021 (2021/22), 2023 (2023-25)


def find_title(raw: str, patterns: list[re.Pattern]) -> Title | None:
    """The first title line any pattern matches (each with groups force and year), in the text's opening (its lines
    cleaned: page numbers out, broken words joined)."""
    opening = "\n".join(report_lines(raw[:8000]))
    for pattern in patterns:
        if match := pattern.search(opening):
            year = match.group("year") or match.groupdict().get("year_")  # a pattern may have two places for it
            return Title(re.sub(r"\s+", " ", match.group("force")).strip(" .:–-"), int(year))
    return None


def force_named(path: Path, context: Context, title: Title) -> tuple[str, str]:
    """(force name, code): the title's name, or the longest known force name it contains ("the Metropolitan Police")."""
    name = re.sub(r"^the\s+", "", title.force, flags=re.IGNORECASE)
    if name.lower() in context.force_codes_by_name:
        return name, context.force_codes_by_name[name.lower()]
    known = [alias for alias in context.force_codes_by_name if re.search(rf"\b{re.escape(alias)}\b", name.lower())]
    if known:
        alias = max(known, key=len)
        return name, context.force_codes_by_name[alias]
    return name, context.force_code(path, name, "title")


def read_peel(raw: str, path: Path, context: Context, layout: str, programme: str, title: Title,
              graded: list[prose.Graded]) -> tuple[Report, str]:
    force_name, force_code = force_named(path, context, title)
    known = context.programme(path, programme, title.year)
    lines = report_lines(raw)
    dated = prose.page_date(raw)
    published_on, basis = (dated[0], dated[1]) if dated else (known.published_on, None)
    report = Report(source_file=path.name, force_name=force_name, programme=programme, year=title.year,
                    published_on=published_on, layout=layout, published_on_basis=basis)
    text = prose.paragraphs(lines)
    report.judgments = prose.judgments(text, graded)
    headings = {prose.normalise(h): item for item in graded for h in item.headings if item.question}

    def question_of(index: int) -> str | None:
        before = [headings[prose.normalise(line)] for line in lines[:index] if prose.normalise(line) in headings]
        return before[-1].question if before else None

    report.recommendations = prose.listed_points(lines, published_on, question_of)
    report.figures = prose.figures(text, force_code, known.figures_period_end)
    if not (report.judgments or report.recommendations or report.figures):
        # a page may carry only figures or points (its grades on another page), but one with none of them is not read
        raise ReportParseError(
            f"{path}: recognised as {layout} ({programme}, {force_name}) but nothing found: no grade (looked for a "
            f"heading followed by a grade alone on its line, and for sentences such as '<force> is good at <what>' "
            f"naming one of: {'; '.join(sorted({item.phrases[0] for item in graded}))}; grades "
            f"{', '.join(GRADE_NAMES)}), no recommendation or area for improvement, no quoted percentage")
    return report, force_code
