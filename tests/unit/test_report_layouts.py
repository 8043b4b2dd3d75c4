"""The PEEL layout readers on real HMIC/HMICFRS texts (tests/fixtures/inspections, sources in its README): each text
recognised by its layout, its judgments, points and figures; the same records from the same text damaged as PDF
extraction damages it; the grades agreeing with the PEEL grades table; unknown texts refused with the layouts."""

import csv
import re
from datetime import date
from pathlib import Path

import pytest

from orchestration.inspections.layouts import LAYOUTS, layout_of
from orchestration.inspections.records import ReportParseError
from orchestration.inspections.report_parser import parse_report
from orchestration.inspections.report_text import report_lines
from orchestration.settings import PROJECT_ROOT
from orchestration.warehouse.reference import force_codes_by_name
from tests.report_variants import hyphenate, rewrap, windows_and_ascii

FIXTURES = Path(__file__).parents[1] / "fixtures" / "inspections"
GRADES_TABLE = PROJECT_ROOT / "warehouse" / "data" / "hmicfrs" / "peel_grades.csv"
EFFECTIVE = "How effective is the force at {}?"
SOC = EFFECTIVE.format("tackling serious and organised crime")
INVESTIGATING = EFFECTIVE.format("investigating crime and reducing re-offending")
VULNERABLE = EFFECTIVE.format("protecting those who are vulnerable from harm, and supporting victims")
PREVENTING = EFFECTIVE.format("preventing crime, tackling anti-social behaviour and keeping people safe")
QUESTIONS_2014 = [EFFECTIVE.format(q) for q in ("reducing crime and preventing offending", "investigating offending",
                                                 "tackling anti-social behaviour")]
GOOD, OUTSTANDING, RI, INADEQUATE = "Good", "Outstanding", "Requires improvement", "Inadequate"

# file -> (area code, programme, [(pillar, question, grade), ...]) as each text states them
EXPECTED = {
    "peel_2014/bedfordshire-overview.txt": ("E23000026", "PEEL 2014", [
        ("effectiveness", QUESTIONS_2014[2], GOOD), ("effectiveness", QUESTIONS_2014[0], RI),
        ("effectiveness", QUESTIONS_2014[1], RI), ("efficiency", None, RI)]),
    "peel_2014/cambridgeshire-effectiveness.txt": ("E23000023", "PEEL 2014", []),  # its grades are on the overview
    "peel_2014/cambridgeshire-overview.txt": ("E23000023", "PEEL 2014", [
        *[("effectiveness", q, GOOD) for q in QUESTIONS_2014], ("efficiency", None, GOOD)]),
    "peel_2014/lancashire-overview.txt": ("E23000003", "PEEL 2014", [
        *[("effectiveness", q, GOOD) for q in QUESTIONS_2014], ("efficiency", None, OUTSTANDING)]),
    "peel_2014/merseyside-effectiveness.txt": ("E23000004", "PEEL 2014", [
        ("effectiveness", q, GOOD) for q in QUESTIONS_2014]),
    "peel_2015_2017/cumbria-2017-effectiveness.txt": ("E23000002", "PEEL 2017", [
        ("effectiveness", INVESTIGATING, GOOD)]),
    "peel_2015_2017/durham-2016-overview.txt": ("E23000008", "PEEL 2016", [
        ("effectiveness", None, OUTSTANDING), ("efficiency", None, OUTSTANDING), ("legitimacy", None, GOOD),
        ("effectiveness", SOC, OUTSTANDING)]),
    "peel_2015_2017/greater-manchester-2016-overview.txt": ("E23000005", "PEEL 2016", [
        ("effectiveness", None, GOOD), ("efficiency", None, GOOD), ("legitimacy", None, GOOD),
        ("effectiveness", PREVENTING, GOOD), ("effectiveness", SOC, OUTSTANDING)]),
    "peel_2015_2017/lancashire-2015-effectiveness.txt": ("E23000003", "PEEL 2015", [
        ("effectiveness", EFFECTIVE.format("preventing crime and anti-social behaviour, and keeping people safe"),
         GOOD),
        ("effectiveness", EFFECTIVE.format("investigating crime and managing offenders"), GOOD)]),
    "peel_2015_2017/sussex-2017-efficiency.txt": ("E23000033", "PEEL 2017", [
        ("efficiency", None, GOOD), ("efficiency", "understanding of demand", GOOD),
        ("efficiency", "use of resources to manage demand", RI), ("efficiency", "planning for future demand", GOOD)]),
    "peel_2018_19/cumbria-effectiveness.txt": ("E23000002", "PEEL 2018/19", [
        ("effectiveness", None, GOOD), ("effectiveness", VULNERABLE, GOOD)]),
    "peel_2018_19/cumbria-legitimacy.txt": ("E23000002", "PEEL 2018/19", [
        ("legitimacy", "To what extent does the force treat all of the people it serves with fairness and respect?",
         GOOD)]),
    "peel_2018_19/durham-effectiveness.txt": ("E23000008", "PEEL 2018/19", [
        ("effectiveness", None, OUTSTANDING), ("effectiveness", INVESTIGATING, GOOD),
        ("effectiveness", VULNERABLE, GOOD)]),
    "peel_2018_19/durham-legitimacy.txt": ("E23000008", "PEEL 2018/19", [("legitimacy", None, GOOD)]),
    "peel_2018_19/dyfed-powys-effectiveness.txt": ("W15000004", "PEEL 2018/19", [
        ("effectiveness", PREVENTING, RI), ("effectiveness", None, GOOD)]),
    "peel_2018_19/south-wales-effectiveness.txt": ("W15000003", "PEEL 2018/19", [
        ("effectiveness", None, GOOD), ("effectiveness", PREVENTING, GOOD), ("effectiveness", INVESTIGATING, GOOD),
        ("effectiveness", SOC, GOOD)]),
    "peel_2018_19/greater-manchester-efficiency.txt": ("E23000005", "PEEL 2018/19", [
        ("efficiency", None, RI),
        ("efficiency", "How well does the force use its resources to meet the demand it faces?", RI),
        ("efficiency", "How well is the force planning for the future?", RI)]),
    "peel_2018_19/warwickshire-effectiveness.txt": ("E23000017", "PEEL 2018/19", [
        ("effectiveness", PREVENTING, GOOD), ("effectiveness", VULNERABLE, GOOD), ("effectiveness", SOC, GOOD)]),
    "peel_2018_19/west-yorkshire-effectiveness.txt": ("E23000010", "PEEL 2018/19", [
        ("effectiveness", INVESTIGATING, RI), ("effectiveness", None, GOOD), ("effectiveness", VULNERABLE, GOOD)]),
    "peel_2021_25/devon-and-cornwall-2023-25-press-release.txt": ("E23000035", "PEEL 2023-25", [
        ("preventing crime and anti-social behaviour", None, GOOD)]),
    "peel_2021_25/devon-and-cornwall-2021-22-press-release.txt": ("E23000035", "PEEL 2021/22", [
        ("recording data about crime", None, INADEQUATE), ("responding to the public", None, INADEQUATE),
        ("managing offenders and suspects", None, INADEQUATE)]),
    "peel_2021_25/durham-2023-25-press-release.txt": ("E23000008", "PEEL 2023-25", [
        ("preventing crime and anti-social behaviour", None, GOOD)]),
    "peel_2021_25/kent-2021-22-press-release.txt": ("E23000032", "PEEL 2021/22", [
        ("managing offenders and suspects", None, RI), ("investigating crime", None, RI),
        ("responding to the public", None, RI), ("recording data about crime", None, OUTSTANDING),
        ("preventing crime and anti-social behaviour", None, GOOD),
        ("engaging with and treating the public with fairness and respect", None, GOOD)]),
    "peel_2021_25/staffordshire-2021-22-press-release.txt": ("E23000015", "PEEL 2021/22", [
        ("responding to the public", None, INADEQUATE), ("investigating crime", None, INADEQUATE),
        ("managing offenders and suspects", None, INADEQUATE),
        ("building, supporting and protecting the workforce", None, RI), ("protecting vulnerable people", None, RI),
        ("recording data about crime", None, RI),
        ("engaging with and treating the public with fairness and respect", None, RI),
        ("strategic planning, organisational management and value for money", None, RI)]),
}


def read(path: Path):
    return parse_report(path, force_codes_by_name())


def judged(report) -> list[tuple]:
    return [(j.pillar, j.question, j.grade) for j in report.judgments]


def test_every_fixture_is_expected_and_every_layout_has_two_forces():
    assert sorted(str(p.relative_to(FIXTURES)) for p in FIXTURES.rglob("*.txt")) == sorted(EXPECTED)
    for layout in LAYOUTS[1:]:  # the Crime inspection 2014 reader has its own tests (test_report_parser.py)
        forces = {code for name, (code, _, grades) in EXPECTED.items() if name.startswith(layout.NAME + "/")
                  and grades}
        assert len(forces) >= 2, layout.NAME


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_text_is_read_by_its_layout(name):
    code, programme, grades = EXPECTED[name]
    path = FIXTURES / name
    assert layout_of(path.read_text(encoding="utf-8")).NAME == name.split("/")[0]
    report, force_code = read(path)
    assert (force_code, report.programme, report.layout) == (code, programme, name.split("/")[0])
    assert judged(report) == grades


def grades_table() -> dict[tuple, str]:
    with open(GRADES_TABLE, encoding="utf-8", newline="") as handle:
        return {(row["pfa_code"], row["cycle"], row["pillar"], row["question"]
                 if row["question"] else None): row["grade"] for row in csv.DictReader(handle)}


CYCLES = {"PEEL 2014": "2014", "PEEL 2015": "2015", "PEEL 2016": "2016", "PEEL 2017": "2017",
          "PEEL 2018/19": "2018/19", "PEEL 2021/22": "2021/22", "PEEL 2023-25": "2023-25"}


def test_texts_and_grades_table_agree_where_both_grade():
    table, compared = grades_table(), 0
    for name, (code, programme, grades) in EXPECTED.items():
        for pillar, question, grade in grades:
            in_table = table.get((code, CYCLES[programme], pillar, question))
            if in_table is not None:
                compared += 1
                assert in_table == grade, (name, pillar, question)
    assert compared >= 25


def test_grades_table_areas_are_the_layout_areas_and_grades_on_their_scale():
    from orchestration.inspections.layouts.peel_2021_25 import GRADED_BY_CYCLE
    four, five = {GOOD, OUTSTANDING, RI, INADEQUATE, "Not graded"}, {GOOD, OUTSTANDING, RI, INADEQUATE, "Adequate",
                                                                      "Not graded"}
    with open(GRADES_TABLE, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        assert row["grade"] in (five if row["cycle"] >= "2021" else four), row
        assert re.match(r"https?://", row["source"]), row
        if row["cycle"] >= "2021":
            areas = {item.pillar for item in GRADED_BY_CYCLE[int(row["cycle"][:4])]}
            assert row["pillar"] in areas, row
    assert len({row["pfa_code"] for row in rows if row["cycle"] == "2016"}) == 43


def test_points_under_their_headings_with_their_question():
    report, _ = read(FIXTURES / "peel_2018_19/greater-manchester-efficiency.txt")
    assert [(r.kind, r.question, r.text[:40]) for r in report.recommendations] == [
        ("area_for_improvement", "How well does the force use its resources to meet the demand it faces?",
         "The force should further improve its ana"),
        ("area_for_improvement", "How well does the force use its resources to meet the demand it faces?",
         "The force should improve data sharing ar"),
        ("area_for_improvement", "How well does the force use its resources to meet the demand it faces?",
         "The force should ensure that changes to ")]
    report, _ = read(FIXTURES / "peel_2018_19/dyfed-powys-effectiveness.txt")
    assert [(r.kind, r.question) for r in report.recommendations] == [("area_for_improvement", PREVENTING)] * 4
    report, _ = read(FIXTURES / "peel_2015_2017/cumbria-2017-effectiveness.txt")
    [point] = report.recommendations
    assert (point.kind, point.question) == ("area_for_improvement", INVESTIGATING)
    assert point.text.startswith("The constabulary should ensure that investigations of relatively complex offences")


def test_figures_with_their_period_and_unit():
    report, _ = read(FIXTURES / "peel_2014/cambridgeshire-effectiveness.txt")
    [change] = report.figures
    assert (change.measure, change.area_code, change.value, change.unit, change.period_end,
            change.baseline_period_end) == ("crime_excluding_fraud", "E23000023", -22, "percent_change",
                                            date(2014, 6, 30), date(2010, 6, 30))
    report, _ = read(FIXTURES / "peel_2018_19/west-yorkshire-effectiveness.txt")
    [satisfaction] = report.figures
    assert (satisfaction.value, satisfaction.decimals, satisfaction.unit, satisfaction.measure,
            satisfaction.period_end, satisfaction.period_months) == (84.4, 1, "percent", None, date(2018, 4, 30), 12)
    assert "satisfaction rate" in satisfaction.measure_label
    report, _ = read(FIXTURES / "peel_2018_19/durham-legitimacy.txt")
    assert [(f.value, f.measure_label) for f in report.figures] == [(94, "had reasonable grounds recorded")]


def test_the_page_date_is_the_publication_date_when_given():
    report, _ = read(FIXTURES / "peel_2018_19/durham-effectiveness.txt")
    assert (report.published_on, report.published_on_basis) == (date(2019, 5, 2), "the page's 'Last updated' date")
    report, _ = read(FIXTURES / "peel_2014/lancashire-overview.txt")
    assert report.published_on == date(2014, 11, 27) and report.published_on_basis is None  # the programme's


# --- extraction damage ---------------------------------------------------------------------------------------------

def page_numbers(text: str, lines_per_page: int = 9) -> str:
    lines = text.split("\n")
    return "\n".join(line for start in range(0, len(lines), lines_per_page)
                     for line in lines[start:start + lines_per_page] + ["", str(start // lines_per_page + 1), ""])


def lost_line_breaks(text: str) -> str:
    return " ".join(text.split())


DAMAGE = {
    "page-numbers": page_numbers,
    "rewrapped": rewrap,
    "hyphenated": lambda text: hyphenate(text, every=3),
    "lost-line-breaks": lost_line_breaks,
    "crlf-ascii": windows_and_ascii,
    "all-at-once": lambda text: windows_and_ascii(page_numbers(hyphenate(rewrap(text), every=3))),
}


@pytest.mark.parametrize("damage", DAMAGE)
@pytest.mark.parametrize("name", sorted(name for name, (_, _, grades) in EXPECTED.items() if grades))
def test_damaged_text_gives_the_same_judgments(tmp_path, name, damage):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    damaged = DAMAGE[damage](text)
    path = tmp_path / Path(name).name
    path.write_bytes(damaged.encode("utf-8"))
    report, code = read(path)
    assert (code, judged(report)) == (EXPECTED[name][0], EXPECTED[name][2])


def test_footnote_number_fused_to_a_year_is_dropped():
    assert report_lines("In 20162, we judged it as good at tackling serious and organised crime (20,162 crimes).") == [
        "In 2016, we judged it as good at tackling serious and organised crime (20,162 crimes)."]


def test_fused_footnote_does_not_make_an_earlier_judgment_current(tmp_path):
    """West Yorkshire's page recalls 'In 2016, we judged it as good at tackling serious and organised crime': with
    the footnote fused to the year, the sentence must still read as about 2016, not as a 2018/19 grade."""
    text = (FIXTURES / "peel_2018_19/west-yorkshire-effectiveness.txt").read_text(encoding="utf-8")
    assert "In 2016, we judged it as good at tackling serious and organised crime" in text
    path = tmp_path / "west-yorkshire.txt"
    path.write_text(text.replace("In 2016, we judged", "In 20163, we judged"), encoding="utf-8")
    report, _ = read(path)
    assert SOC not in [j.question for j in report.judgments]


def test_unknown_layout_is_refused_listing_the_layouts_and_what_each_looks_for(tmp_path):
    path = tmp_path / "minutes.txt"
    path.write_text("Minutes of the police and crime panel, 3 March 2017.\nThe force is good at many things.\n",
                    encoding="utf-8")
    with pytest.raises(ReportParseError) as error:
        read(path)
    message = str(error.value)
    assert message.startswith(f"{path}: not an inspection report layout the readers know")
    assert all(layout.NAME in message and layout.LOOKS_FOR in message for layout in LAYOUTS)


def test_recognised_text_with_nothing_in_it_is_refused_saying_what_was_looked_for(tmp_path):
    path = tmp_path / "empty-page.txt"
    path.write_text("Kent Police needs to improve\nPEEL 2021/22 – An inspection of Kent Police\nGet the report\n",
                    encoding="utf-8")
    with pytest.raises(ReportParseError, match=rf"{path}: recognised as peel_2021_25 \(PEEL 2021/22, Kent Police\) "
                                               "but nothing found: no grade"):
        read(path)


def test_unknown_force_in_a_title_is_refused_naming_it(tmp_path):
    path = tmp_path / "atlantis.txt"
    path.write_text((FIXTURES / "peel_2018_19/durham-legitimacy.txt").read_text(encoding="utf-8")
                    .replace("Durham PEEL 2018", "Atlantis PEEL 2018"), encoding="utf-8")
    with pytest.raises(ReportParseError, match=rf"{path}: title names force 'Atlantis'"):
        read(path)


def test_the_landing_zone_recognises_every_layout_by_content(tmp_path):
    from orchestration.deliveries import recognise
    from orchestration.warehouse.kinds import Unrecognised

    for name in EXPECTED:
        recognised = recognise(FIXTURES / name)
        assert (recognised.kind, recognised.label) == ("inspection_reports",
                                                       f"inspection report ({name.split('/')[0]})")
    minutes = tmp_path / "minutes.txt"
    minutes.write_text("Minutes of the police and crime panel.\n", encoding="utf-8")
    with pytest.raises(Unrecognised, match="not an inspection report layout the readers know. Supported layouts:"):
        recognise(minutes)


def test_report_command_prints_what_it_read_and_loads_nothing(tmp_path, capsys):
    import json

    from orchestration.cli.main import main

    unreadable = tmp_path / "minutes.txt"
    unreadable.write_text("Minutes of the police and crime panel.\n", encoding="utf-8")
    kent = FIXTURES / "peel_2021_25/kent-2021-22-press-release.txt"
    before = {p: p.stat().st_mtime for p in tmp_path.iterdir()}
    assert main(["report", str(kent), str(unreadable)]) == 1
    read, refused = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (read["layout"], read["area_code"], read["programme"], read["cycle"]) == (
        "peel_2021_25", "E23000032", "PEEL 2021/22", "2021/22")
    assert [(j["pillar"], j["grade"]) for j in read["judgments"]][3] == ("recording data about crime", OUTSTANDING)
    assert refused["error"].startswith(f"{unreadable}: not an inspection report layout")
    assert [layout["layout"] for layout in refused["supported_layouts"]] == [layout.NAME for layout in LAYOUTS]
    assert {p: p.stat().st_mtime for p in tmp_path.iterdir()} == before  # nothing written beside the files
    assert main(["report", str(kent)]) == 0


def test_points_of_each_kind_with_lead_ins_and_deadlines():
    """The shapes of the 2021/22 reports' sections (a heading, its grade alone, then the lists), with a
    recommendation's lead-in carrying its deadline to each bullet."""
    from orchestration.inspections.layouts.prose import listed_points

    lines = ["Investigating crime", "Requires improvement", "Areas for improvement",
             "The force should make sure that investigations are supervised.",
             "The force should make sure that victims are updated", "within 28 days.",
             "Cause of concern", "The force isn't answering 999 calls quickly enough.", "It has too few call handlers.",
             "Recommendations", "Within three months, the force should:", "• review its call handling;",
             "• and by March 2023 publish its plan.", "This is narrative."]
    points = listed_points(lines, date(2022, 9, 22), lambda index: None)
    assert [(p.kind, p.text, p.deadline_dates) for p in points] == [
        ("area_for_improvement", "The force should make sure that investigations are supervised.", ()),
        ("area_for_improvement", "The force should make sure that victims are updated within 28 days.", ()),
        ("cause_of_concern", "The force isn't answering 999 calls quickly enough.", ()),
        ("recommendation", "Within three months, the force should: review its call handling",
         (date(2022, 12, 22),)),
        ("recommendation", "Within three months, the force should: and by March 2023 publish its plan.",
         (date(2022, 12, 22), date(2023, 3, 31)))]


@pytest.mark.parametrize("name", sorted(name for name, (_, _, grades) in EXPECTED.items() if grades))
def test_the_text_typeset_as_a_pdf_gives_the_same_judgments(tmp_path, name):
    """Each text typeset on narrow A5 pages with page numbers, read back from the PDF's text layer: lines wrapped
    mid-sentence and page numbers between them, as in HMICFRS's PDFs."""
    from fpdf import FPDF

    class Pages(FPDF):
        def footer(self):
            self.set_y(-12)
            self.set_font("DejaVu", size=8)
            self.cell(0, 6, str(self.page_no()), align="C")

    pdf = Pages(format=(148, 210))  # A5, in mm
    pdf.add_font("DejaVu", fname="/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf.add_page()
    pdf.set_font("DejaVu", size=10)
    for line in (FIXTURES / name).read_text(encoding="utf-8").split("\n"):
        pdf.multi_cell(0, 5, line.rstrip() or " ", new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / (Path(name).stem + ".pdf")
    pdf.output(str(path))
    report, code = read(path)
    assert (code, judged(report)) == (EXPECTED[name][0], EXPECTED[name][2])


# --- titles and figures as PDFs extract them -----------------------------------------------------------------------

@pytest.mark.parametrize("name, title, as_extracted", [
    # "An" lost its "n"
    ("peel_2021_25/kent-2021-22-press-release.txt", "PEEL 2021/22 – An inspection of Kent Police",
     "PEEL 2021/22 – A inspection of Kent Police"),
    # a report's title page: the year on the line after the title, then "A inspection of"
    ("peel_2015_2017/durham-2016-overview.txt", "Durham 2016",
     "PEEL: Police effectiveness\n2016\nA inspection of Durham Constabulary"),
    ("peel_2018_19/greater-manchester-efficiency.txt", "Greater Manchester PEEL 2018",
     "Police effectiveness, efficiency and legitimacy\n2018/19 – A inspection of Greater Manchester Police"),
    # a page title with its year on the next line
    ("peel_2018_19/greater-manchester-efficiency.txt", "Greater Manchester PEEL 2018", "Greater Manchester PEEL\n2018"),
    ("peel_2014/cambridgeshire-overview.txt", "Cambridgeshire 2014", "Cambridgeshire\n2014"),
    ("peel_2015_2017/durham-2016-overview.txt", "Durham 2016", "Durham PEEL\n2016"),
])
def test_titles_as_pdfs_extract_them_are_recognised(tmp_path, name, title, as_extracted):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    assert title in text
    path = tmp_path / Path(name).name
    path.write_text(text.replace(title, as_extracted, 1), encoding="utf-8")
    assert layout_of(path.read_text(encoding="utf-8")).NAME == name.split("/")[0]
    report, code = read(path)
    assert (code, report.programme, judged(report)) == (EXPECTED[name][0], EXPECTED[name][1], EXPECTED[name][2])


def test_a_margin_of_error_is_the_figures_plus_minus_never_a_figure(tmp_path):
    """West Yorkshire's satisfaction rate as the 2014 reports print one ("82.3 percent (± 0.8 percent)"), also with
    the interval as PDF text gives it (+/-, no space, a % sign): one figure, with its interval."""
    text = (FIXTURES / "peel_2018_19/west-yorkshire-effectiveness.txt").read_text(encoding="utf-8")
    quoted = "an overall satisfaction rate of 84.4 percent in the 12 months to April 2018/19."
    assert quoted in text
    for interval in ("(± 0.8 percent)", "(+/-0.8 percent)", "(±0.8%)"):
        path = tmp_path / "west-yorkshire.txt"
        path.write_text(text.replace(quoted, quoted.replace("84.4 percent", f"84.4 percent {interval}")),
                        encoding="utf-8")
        report, _ = read(path)
        assert [(f.value, f.plus_minus, f.unit) for f in report.figures] == [(84.4, 0.8, "percent")], interval
        assert "satisfaction rate" in report.figures[0].measure_label


def test_grades_read_from_another_page_than_their_cycles_are_the_checked_ones():
    """Cheshire 2014's overview page carries Bedfordshire's effectiveness sentence word for word ("requires
    improvement in reducing crime ... in the way it investigates offending"); Cheshire's own effectiveness page says it
    is good at all three questions, and the table follows that page. A grade read from a later cycle's page stands only
    where that page states the earlier judgment ("In 2016 we judged it to be good at tackling serious and organised
    crime"); the other two such rows were re-read from their own cycle's page (warehouse/data/README.md)."""
    with open(GRADES_TABLE, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    cheshire = {row["question"]: (row["grade"], row["source"]) for row in rows
                if (row["pfa_code"], row["cycle"], row["pillar"]) == ("E23000006", "2014", "effectiveness")}
    assert set(cheshire.values()) == {
        (GOOD, "http://www.justiceinspectorates.gov.uk/hmicfrs/peel-assessments/peel-2014/cheshire/effectiveness")}
    assert len(cheshire) == 3

    def page_year(source: str) -> int | None:
        found = re.search(r"peel-(\d{4})/", source)
        return int(found.group(1)) if found else None

    later = {(row["force_name"], row["cycle"], row["question"]) for row in rows
             if (page_year(row["source"]) or 0) > int(row["cycle"][:4])}
    assert later == {("Dyfed-Powys", "2016", SOC), ("Merseyside", "2016", SOC), ("Essex", "2017", SOC)}
