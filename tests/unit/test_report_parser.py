"""The report parser on the real seed report, on variations of it shaped like real PDF extractions, and on a PDF."""

import dataclasses
from datetime import date

import pytest

from orchestration.inspections.report_parser import ReportParseError, parse_report
from orchestration.inspections.report_text import ReportReadError
from tests.helpers import REPORT_PDF as PDF
from tests.helpers import SEED_REPORT as SEED
from tests.report_variants import VARIANTS

FORCES = {"lancashire constabulary": "E23000003", "lancashire": "E23000003"}


def parse(path):
    return parse_report(path, FORCES)  # the programmes of the seed inspection_programmes


def records(report):
    """Everything the parser extracts, as plain tuples."""
    return ([dataclasses.astuple(j) for j in report.judgments],
            [dataclasses.astuple(r) for r in report.recommendations],
            [dataclasses.astuple(f) for f in report.figures])


@pytest.fixture(scope="module")
def seed():
    return parse(SEED)


def test_seed_report_identity_and_judgments(seed):
    report, force_code = seed
    assert (force_code, report.programme, report.year, report.layout) == (
        "E23000003", "Crime inspection 2014", 2014, "crime_inspection_2014")
    assert [(j.question, j.grade, len(j.summary_points)) for j in report.judgments] == [
        ("How effective is the force at reducing crime and preventing offending?", "Good", 3),
        ("How effective is the force at investigating offending?", "Good", 3),
        ("How effective is the force at tackling anti-social behaviour?", "Good", 3),
    ]
    assert report.judgments[2].summary_points[0].startswith("Lancashire Constabulary has a strong commitment")


def test_seed_recommendations_with_deadlines(seed):
    report, _ = seed
    assert [(r.deadlines_as_written, r.deadline_dates) for r in report.recommendations] == [
        (("immediately", "By January 2015"), (date(2014, 11, 27), date(2015, 1, 31))),
        (("Within three months", "by March 2015"), (date(2015, 2, 27), date(2015, 3, 31))),
    ]
    assert report.recommendations[0].text.startswith("Lancashire Constabulary should review immediately")


def figure(report, label_start, area, unit, period_end=None):
    found = [f for f in report.figures if f.measure_label.lower().startswith(label_start) and f.area_code == area
             and f.unit == unit and (period_end is None or f.period_end == period_end)]
    assert len(found) == 1, (label_start, area, unit, found)
    return found[0]


def test_seed_rates_table(seed):
    report, _ = seed
    rates = [(f.measure, f.area_code, f.value, f.unit, f.period_end) for f in report.figures
             if f.unit.startswith("per_1000")]
    june, march = date(2014, 6, 30), date(2014, 3, 31)
    assert rates == [
        ("crime_excluding_fraud", "E23000003", 65.1, "per_1000_population", june),
        ("crime_excluding_fraud", "K04000001", 60.7, "per_1000_population", june),
        ("victim_based_crime", "E23000003", 59.9, "per_1000_population", june),
        ("victim_based_crime", "K04000001", 53.9, "per_1000_population", june),
        ("sexual_offences", "E23000003", 1.3, "per_1000_population", june),
        ("sexual_offences", "K04000001", 1.2, "per_1000_population", june),
        ("violence_with_injury", "E23000003", 7.4, "per_1000_population", june),
        ("violence_with_injury", "K04000001", 5.9, "per_1000_population", june),
        ("domestic_burglary", "E23000003", 7.7, "per_1000_households", june),
        ("domestic_burglary", "K04000001", 8.9, "per_1000_households", june),
        ("asb_incidents", "E23000003", 57.1, "per_1000_population", march),  # footnote: ASB is to March 2014
        ("asb_incidents", "K04000001", 36.8, "per_1000_population", march),
    ]


def test_seed_changes_and_other_figures(seed):
    report, _ = seed
    changes = [(f.measure, f.area_code, f.value, f.period_end, f.baseline_period_end) for f in report.figures
               if f.unit == "percent_change" and f.measure != "asb_incidents"]
    june14, june10, june13 = date(2014, 6, 30), date(2010, 6, 30), date(2013, 6, 30)
    assert changes == [
        ("crime_excluding_fraud", "E23000003", -8, june14, june10),
        ("crime_excluding_fraud", "K04000001", -16, june14, june10),
        ("victim_based_crime", "E23000003", -6, june14, june10),
        ("victim_based_crime", "K04000001", -16, june14, june10),
        ("crime_excluding_fraud", "E23000003", 4, june14, june13),
        ("crime_excluding_fraud", "K04000001", -1, june14, june13),
    ]
    satisfaction = [(f.area_code, f.value, f.plus_minus, f.period_end) for f in report.figures
                    if f.measure_label == "victim satisfaction rate"]
    assert satisfaction == [("E23000003", 82.3, 0.8, june14), ("K04000001", 85.0, 0.2, june14),
                            ("E23000003", 86.8, 0.6, june13)]
    assert figure(report, "detection rate", "E23000003", "percent").value == 29
    assert figure(report, "detection rate", "K04000001", "percent").value == 26
    assert figure(report, "anti-social behaviour incidents", "E23000003", "count").value == 83_840
    asb_change = figure(report, "anti-social behaviour incidents", "E23000003", "percent_change")
    assert (asb_change.value, asb_change.baseline_period_end) == (-7, date(2013, 3, 31))
    prolific = figure(report, "prolific offenders", "E23000003", "count")
    assert (prolific.value, prolific.period_end) == (221, date(2014, 7, 31))
    assert len(report.figures) == 26


@pytest.mark.parametrize("variant", VARIANTS)
def test_variants_of_extracted_text_give_the_same_records(seed, tmp_path, variant):
    text = VARIANTS[variant](SEED.read_text(encoding="utf-8"))
    assert text != SEED.read_text(encoding="utf-8")
    path = tmp_path / f"{variant}.txt"
    path.write_bytes(text.encode("utf-8"))
    report, force_code = parse(path)
    assert force_code == "E23000003"
    assert records(report) == records(seed[0])


def test_pdf_fixture_gives_the_same_records_as_its_text(seed):
    report, force_code = parse(PDF)
    assert (force_code, report.source_file) == ("E23000003", PDF.name)
    assert records(report) == records(seed[0])


def test_report_without_judgment_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "no-grades.txt"
    path.write_text(SEED.read_text(encoding="utf-8").replace("\nGood\n", "\n\n"), encoding="utf-8")
    with pytest.raises(ReportParseError, match=rf"{path}: no judgment found"):
        parse(path)


def test_unknown_force_is_refused_naming_the_file_and_the_name(tmp_path):
    path = tmp_path / "atlantis.txt"
    path.write_text(SEED.read_text(encoding="utf-8").replace("– Lancashire Constabulary", "– Atlantis Police"),
                    encoding="utf-8")
    with pytest.raises(ReportParseError, match=rf"{path}: running header names force 'Atlantis Police'"):
        parse(path)


def test_unreadable_pdf_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(PDF.read_bytes()[:2000])  # cut off: no cross-reference table, no pages
    with pytest.raises(ReportReadError, match=rf"{path}: not a readable PDF"):
        parse(path)


def test_the_date_the_text_gives_itself_is_its_publication_date(tmp_path, seed):
    """As in every layout: a page's own date, else the programme's (27 November 2014, assumed)."""
    report, _ = seed
    assert (report.published_on, report.published_on_basis) == (date(2014, 11, 27), None)
    path = tmp_path / "lancashire.txt"
    path.write_text("Published on 1 June 2014\n" + SEED.read_text(encoding="utf-8"), encoding="utf-8")
    dated, _ = parse(path)
    assert (dated.published_on, dated.published_on_basis) == (date(2014, 6, 1), "the page's 'Published on' date")
    assert dated.recommendations[0].deadline_dates[0] == date(2014, 6, 1)  # "immediately"
    assert records(dated)[0] == records(report)[0]
