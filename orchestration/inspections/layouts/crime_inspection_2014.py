"""The reader of HMIC's Crime inspection 2014 force reports (the text of their PDFs).

Reports of one programme follow one template, so the reader reads the template's phrases: the graded question
headings, "Summary" bullets ending in the grade, "Recommendations" bullets, the rates table, and the sentences in
which the Crime inspection 2014 reports quote their figures. Every figure keeps the sentence it came from.
"""

import re
from datetime import date
from pathlib import Path

from orchestration.inspections.layouts.context import Context
from orchestration.inspections.layouts.prose import page_date
from orchestration.inspections.records import (
    MONTH_YEAR,
    MONTHS,
    NUMBER,
    Figure,
    Judgment,
    QuotedNumber,
    Recommendation,
    Report,
    ReportParseError,
    deadlines,
    month_end,
    month_end_before,
    number,
)
from orchestration.inspections.report_text import find_running_header, flowing_text
from orchestration.warehouse.reference import ENGLAND_AND_WALES

NAME = "crime_inspection_2014"
DESCRIPTION = "HMIC Crime inspection 2014 force report (PDF or its text)"
LOOKS_FOR = "a running header such as 'Crime inspection 2014 – <force>' on its pages"
GRADES = ("Outstanding", "Good", "Requires improvement", "Inadequate")

# How the reports name what they measure -> the warehouse's measure codes (None: the warehouse has no such measure)
MEASURES = {
    "crime excluding fraud": "crime_excluding_fraud",
    "recorded crime (excluding fraud)": "crime_excluding_fraud",
    "victim-based crime": "victim_based_crime",
    "sexual offences": "sexual_offences",
    "violence with injury": "violence_with_injury",
    "burglary in a dwelling": "domestic_burglary",
    "anti-social behaviour incidents": "asb_incidents",
}


# --- judgments and recommendations -------------------------------------------------------------------------------

QUESTION = re.compile(r"How effective is the (?:force|constabulary) at [^?•]{5,120}\?")
SUMMARY = re.compile(r"Summary ((?:• .+?[.!] )+?)(" + "|".join(GRADES) + r")(?= |$)")
RECOMMENDATIONS = re.compile(r"Recommendations ((?:• .+?[.!] )+?)(?=Summary )")


def _bullets(block: str) -> tuple[str, ...]:
    return tuple(point.strip() for point in block.split("•") if point.strip())


def _question_before(text: str, position: int) -> str | None:
    questions = [match for match in QUESTION.finditer(text, 0, position)]
    # as written ("the constabulary"): staging gives both sources of a grade one wording (macro canonical_question)
    return re.sub(r"\s+", " ", questions[-1].group(0)) if questions else None


# --- figures -------------------------------------------------------------------------------------------------------

def _area(name: str, force_code: str) -> str:
    return ENGLAND_AND_WALES if "england and wales" in name.lower() else force_code


def _measure(label: str) -> str | None:
    label = re.sub(r"\s*\((?:i\.e\.|e\.g\.)[^)]*\)", "", label).strip().lower()
    return MEASURES.get(label)


def _sentence_at(text: str, start: int, end: int) -> str:
    sentence_start = text.rfind(". ", 0, start) + 2 if text.rfind(". ", 0, start) >= 0 else 0
    sentence_end = text.find(". ", end)
    return text[sentence_start: sentence_end + 1 if sentence_end >= 0 else len(text)].strip()


def _signed(amount: str, direction: str) -> QuotedNumber:
    falling = direction.lower() in ("reduced", "decreased", "reduction", "fell")
    return number(f"-{amount}" if falling else amount)


RATES_TABLE = re.compile(rf"(\d+) months to ({MONTH_YEAR}) .{{0,120}}?rate \(per 1,000 population\) "
                         r"England and Wales total rate \(per 1,000 population\) (?P<rows>.+?) (?=\*?Note that)")
RATES_ROW = re.compile(rf"([A-Z][A-Za-z -]+?)\*? ({NUMBER}) ({NUMBER})(?= |$)")
RATES_NOTE = re.compile(rf"Note that (.+?) data is for the (\d+) months to ({MONTH_YEAR})")
LONG_TERM = re.compile(rf"compared with the (\d+) months to ({MONTH_YEAR}), (.+?) in the (\d+) months to "
                       rf"({MONTH_YEAR}) (reduced|increased|decreased) by ({NUMBER}) percent in (.+?) compared with "
                       rf"an? (reduction|increase) of ({NUMBER}) percent across (?:all forces in )?England and Wales")
OVER_PERIOD = re.compile(rf"Over this period, (.+?) (reduced|increased|decreased) by ({NUMBER}) percent in (.+?), "
                         rf"compared with an? (reduction|increase) of ({NUMBER}) percent across England and Wales")
YEAR_ON_YEAR = re.compile(rf"During the (\d+) months prior to the end of ({MONTH_YEAR}), (.+?) in (.+?) "
                          rf"(reduced|increased|decreased) by ({NUMBER}) percent, compared with an? ({NUMBER}) "
                          rf"percent (reduction|increase) across England and Wales")
DETECTION = re.compile(rf"(\S+?)(?:'s)? detection rate \((?:for )?(.+?)\), for the (\d+) months to the end of "
                       rf"({MONTH_YEAR}), was ({NUMBER}) percent which was (?:higher|lower) (?:than )?the "
                       rf"({NUMBER}) percent for England and Wales")
SATISFACTION = re.compile(rf"In the (\d+) months to the end of ({MONTH_YEAR}), (.+?) had a victim satisfaction rate "
                          rf"of ({NUMBER}) percent \(± ?({NUMBER}) percent\) which is (?:higher|lower) than the "
                          rf"satisfaction rate in England and Wales of ({NUMBER}) percent \(± ?({NUMBER}) percent\)"
                          rf"(?:\. Its current rate is also (?:higher|lower) (?:than )?the ({NUMBER}) percent "
                          rf"\(± ?({NUMBER}) percent\) recorded for (.+?) in the previous year)?")
ASB_COUNT = re.compile(rf"In the (\d+) months to ({MONTH_YEAR}), (.+?) recorded ({NUMBER}) incidents of anti-social "
                       rf"behaviour\. This is an? (reduction|increase) of ({NUMBER}) percent against the previous "
                       rf"(\d+) months")
PROLIFIC = re.compile(r"(\S+(?: \S+)?) had (\d[\d,]*) prolific offenders as of (\d{1,2}) (\w+) (\d{4})")


def _figures(text: str, force_code: str) -> list[Figure]:
    figures: list[Figure] = []

    def add(label, area, value, unit, period_end, months, match, baseline=None, interval=None, held=True,
            quoted=None):
        """One figure; held=False for measures the warehouse does not hold (detection, satisfaction, ...)."""
        figures.append(Figure(
            measure_label=label, measure=_measure(label) if held else None,
            area_code=_area(area, force_code), value=float(value), decimals=value.decimals, unit=unit,
            period_end=period_end, period_months=months, baseline_period_end=baseline,
            plus_minus=None if interval is None else float(interval),
            quoted_text=quoted or _sentence_at(text, match.start(), match.end())))

    def add_changes(label, area, change, ew_change, period_end, months, match, baseline):
        """A change quoted for the force beside the same change for England and Wales."""
        add(label, area, change, "percent_change", period_end, months, match, baseline)
        add(label, "England and Wales", ew_change, "percent_change", period_end, months, match, baseline)

    table = RATES_TABLE.search(text)
    if table:
        months, period_end = int(table.group(1)), month_end(table.group(2))
        note = RATES_NOTE.search(text, table.end())
        note_text = text[table.end(): table.end() + 300].lower()  # the footnote under the table
        for row in RATES_ROW.finditer(table.group("rows")):
            label = row.group(1).strip()
            row_end, row_months = period_end, months
            if note and label.lower().startswith(note.group(1).strip().lower()):
                row_end, row_months = month_end(note.group(3)), int(note.group(2))
            unit = ("per_1000_households" if f"{label.lower()} is the rate per 1,000 households" in note_text
                    else "per_1000_population")
            quoted = f"Table, {table.group(1)} months to {table.group(2)}: {row.group(0)}"
            add(label, "force", number(row.group(2)), unit, row_end, row_months, table, quoted=quoted)
            add(label, "England and Wales", number(row.group(3)), unit, row_end, row_months, table, quoted=quoted)

    long_term_periods = None
    for match in LONG_TERM.finditer(text):
        baseline, period_end, months = month_end(match.group(2)), month_end(match.group(5)), int(match.group(4))
        long_term_periods = (baseline, period_end, months)
        label = match.group(3)
        add_changes(label, match.group(8), _signed(match.group(7), match.group(6)),
                    _signed(match.group(10), match.group(9)), period_end, months, match, baseline)
    for match in OVER_PERIOD.finditer(text):
        if long_term_periods is None:
            continue
        baseline, period_end, months = long_term_periods
        label = match.group(1)
        add_changes(label, match.group(4), _signed(match.group(3), match.group(2)),
                    _signed(match.group(6), match.group(5)), period_end, months, match, baseline)
    for match in YEAR_ON_YEAR.finditer(text):
        months, period_end = int(match.group(1)), month_end(match.group(2))
        baseline = month_end_before(period_end, months)
        label = match.group(3)
        add_changes(label, match.group(4), _signed(match.group(6), match.group(5)),
                    _signed(match.group(7), match.group(8)), period_end, months, match, baseline)
    for match in DETECTION.finditer(text):
        months, period_end = int(match.group(3)), month_end(match.group(4))
        label = f"detection rate ({match.group(2)})"
        add(label, match.group(1), number(match.group(5)), "percent", period_end, months, match, held=False)
        add(label, "England and Wales", number(match.group(6)), "percent", period_end, months, match, held=False)
    for match in SATISFACTION.finditer(text):
        months, period_end = int(match.group(1)), month_end(match.group(2))
        label = "victim satisfaction rate"
        add(label, match.group(3), number(match.group(4)), "percent", period_end, months, match,
            interval=number(match.group(5)), held=False)
        add(label, "England and Wales", number(match.group(6)), "percent", period_end, months, match,
            interval=number(match.group(7)), held=False)
        if match.group(8):
            previous = month_end_before(period_end, 12)
            add(label, match.group(10), number(match.group(8)), "percent", previous, months, match,
                interval=number(match.group(9)), held=False)
    for match in ASB_COUNT.finditer(text):
        months, period_end = int(match.group(1)), month_end(match.group(2))
        label = "anti-social behaviour incidents"
        add(label, match.group(3), number(match.group(4)), "count", period_end, months, match)
        previous = month_end_before(period_end, int(match.group(7)))
        add(label, match.group(3), _signed(match.group(6), match.group(5)), "percent_change", period_end, months,
            match, previous)
    for match in PROLIFIC.finditer(text):
        as_of = date(int(match.group(5)), MONTHS[match.group(4).lower()], int(match.group(3)))
        add("prolific offenders", match.group(1), number(match.group(2)), "count", as_of, None, match, held=False)
    return figures


def recognise(raw: str) -> bool:
    header = find_running_header(raw.replace("\r", "\n").split("\n"))
    return bool(header and "crime inspection" in header.group("programme").lower())


def read(raw: str, path: Path, context: Context) -> tuple[Report, str]:
    """(report, force code) of one Crime inspection 2014 report."""
    header = find_running_header(raw.replace("\r", "\n").split("\n"))
    force_name = header.group("force").strip()
    force_code = context.force_code(path, force_name, "running header")
    programme, year = header.group("programme"), int(header.group("year"))
    # the date the text gives itself, as every layout reads it; else the programme's (seed inspection_programmes)
    dated = page_date(raw)
    published_on, basis = dated if dated else (context.programme(path, programme, year).published_on, None)
    text = flowing_text(raw)
    report = Report(source_file=path.name, force_name=force_name, programme=programme, year=year,
                    published_on=published_on, layout=NAME, published_on_basis=basis)

    for match in SUMMARY.finditer(text):
        question = _question_before(text, match.start())
        if question is None:
            raise ReportParseError(f"{path}: a Summary graded '{match.group(2)}' (text position {match.start()}) "
                                   "follows no 'How effective is the force at ...?' heading")
        report.judgments.append(Judgment(question, match.group(2), _bullets(match.group(1))))
    if not report.judgments:
        raise ReportParseError(f"{path}: no judgment found: expected a 'Summary' list of points followed by one of "
                               f"{', '.join(GRADES)}")

    for match in RECOMMENDATIONS.finditer(text):
        question = _question_before(text, match.start())
        for point in _bullets(match.group(1)):
            written, dates = deadlines(point, published_on)
            report.recommendations.append(Recommendation(question=question, text=point,
                                                         deadlines_as_written=written, deadline_dates=dates))

    report.figures = _figures(text, force_code)
    return report, force_code
