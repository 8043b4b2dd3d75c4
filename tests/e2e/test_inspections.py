"""Inspection records in the published warehouse: judgments from both sources, recommendations, quoted figures
beside the warehouse's; real texts of every PEEL layout delivered through the landing zone; a report that cannot be
read is refused without touching the publication."""

from pathlib import Path

import duckdb
import pytest

from tests.helpers import SEED_REPORT, publication_target, published

FIXTURES = Path(__file__).parents[1] / "fixtures" / "inspections"
# two forces' texts (at least) of each PEEL layout; the Crime inspection 2014 report is embedded
PEEL_TEXTS = ["peel_2014/cambridgeshire-overview.txt", "peel_2014/cambridgeshire-effectiveness.txt",
              "peel_2014/lancashire-overview.txt",
              "peel_2015_2017/durham-2016-overview.txt", "peel_2015_2017/sussex-2017-efficiency.txt",
              "peel_2018_19/greater-manchester-efficiency.txt", "peel_2018_19/west-yorkshire-effectiveness.txt",
              "peel_2021_25/kent-2021-22-press-release.txt",
              "peel_2021_25/devon-and-cornwall-2021-22-press-release.txt",
              "peel_2021_25/durham-2023-25-press-release.txt",
              "peel_2021_25/devon-and-cornwall-2023-25-press-release.txt"]


def test_lancashire_2014_grades_from_report_and_grades_table_agree(snapshot_settings):
    rows = published(snapshot_settings,
                     "SELECT question, source_kind, grade, sources_agree FROM inspection_judgments WHERE area_code = "
                     "'E23000003' AND cycle = '2014' AND pillar = 'effectiveness' ORDER BY question, source_kind")
    assert sorted({row[0] for row in rows}) == [
        "How effective is the force at investigating offending?",
        "How effective is the force at reducing crime and preventing offending?",
        "How effective is the force at tackling anti-social behaviour?"]
    assert [(kind, grade, agree) for _, kind, grade, agree in rows] == [("grades_table", "Good", True),
                                                                       ("report", "Good", True)] * 3


def test_peel_grades_with_rank_and_change(snapshot_settings):
    assert published(snapshot_settings, "SELECT count(*) FROM inspection_judgments WHERE source_kind = "
                                        "'grades_table'") == [(819,)]
    assert published(snapshot_settings, "SELECT cycle, count(DISTINCT area_code) FROM inspection_judgments WHERE "
                                        "source_kind = 'grades_table' AND cycle IN ('2016', '2017') GROUP BY cycle "
                                        "ORDER BY cycle") == [("2016", 43), ("2017", 43)]
    assert published(snapshot_settings, "SELECT previous_grade, grade, grade_change FROM inspection_judgments "
                                        "WHERE area_code = 'E23000003' AND cycle = '2016' AND pillar = 'efficiency'"
                     ) == [("Outstanding", "Good", "worse")]


def test_recommendations_with_deadlines(snapshot_settings):
    rows = published(snapshot_settings, "SELECT deadline_as_written, deadline_date, final_deadline_as_written, "
                                        "final_deadline_date FROM inspection_recommendations ORDER BY "
                                        "recommendation_number")
    assert [tuple(str(v) for v in row) for row in rows] == [
        ("immediately", "2014-11-27", "By January 2015", "2015-01-31"),
        ("Within three months", "2015-02-27", "by March 2015", "2015-03-31")]


def test_quoted_figures_beside_the_warehouse(snapshot_settings):
    quoted, warehouse_value, status = published(
        snapshot_settings, "SELECT quoted_value, warehouse_value, check_status FROM report_figure_checks WHERE "
        "area_code = 'E23000003' AND measure = 'crime_excluding_fraud' AND unit = 'per_1000_population' AND "
        "period_end = '2014-06-30'")[0]
    assert quoted == 65.1 and warehouse_value == pytest.approx(65.1, abs=0.2)
    by_status = dict(published(snapshot_settings, "SELECT check_status, count(*) FROM report_figure_checks "
                                                  "GROUP BY ALL"))
    assert sum(by_status.values()) == 26 and by_status.get("differs", 0) == 0
    assert by_status["reproduced"] + by_status["within_revision_tolerance"] == 16


def test_real_texts_of_every_peel_layout_through_the_landing_zone(warehouse):
    [run] = warehouse.deliver(*(FIXTURES / name for name in PEEL_TEXTS))
    assert run.success
    settings = warehouse.settings
    by_cycle = published(settings, """
        SELECT cycle, grade_scale, count(*), count(DISTINCT area_code), count(other_source_grade),
               count(*) FILTER (WHERE sources_agree)
        FROM inspection_judgments WHERE source_kind = 'report' GROUP BY ALL ORDER BY cycle""")
    assert by_cycle == [
        # cycle, scale, judgments, forces, also in the grades table, agreeing
        ("2014", "four_tier", 11, 2, 11, 11),  # Lancashire: the Crime inspection 2014 report and the PEEL page
        ("2016", "four_tier", 4, 1, 3, 3),
        ("2017", "four_tier", 4, 1, 4, 4),
        ("2018/19", "four_tier", 6, 2, 4, 4),
        ("2021/22", "five_tier", 9, 2, 9, 9),
        ("2023-25", "five_tier", 2, 2, 1, 1),
    ]
    assert published(settings, "SELECT area_name, pillar, grade, grade_rank FROM inspection_judgments WHERE "
                                "source_kind = 'report' AND cycle = '2021/22' AND area_code = 'E23000032' AND "
                                "pillar = 'recording data about crime'") == [("Kent", "recording data about crime",
                                                                              "Outstanding", 1)]
    points = published(settings, "SELECT kind, cycle, question, report_published_on FROM inspection_recommendations "
                                 "WHERE report_file = 'greater-manchester-efficiency.txt'")
    assert {tuple(map(str, point)) for point in points} == {
        ("area_for_improvement", "2018/19", "How well does the force use its resources to meet the demand it faces?",
         "2019-05-02")} and len(points) == 3
    quoted, warehouse_value, status, period = published(settings, """
        SELECT quoted_value, warehouse_value, check_status, baseline_period_end || ' to ' || period_end
        FROM report_figure_checks WHERE report_file = 'cambridgeshire-effectiveness.txt'""")[0]
    assert (quoted, status, period) == (-22, "reproduced", "2010-06-30 to 2014-06-30")
    assert warehouse_value == pytest.approx(-21.9, abs=0.05)
    reasons = published(settings, "SELECT quoted_value, check_status, not_computable_reason FROM report_figure_checks "
                                  "WHERE report_file = 'west-yorkshire-effectiveness.txt'")
    assert reasons == [(84.4, "not_computable", 'the warehouse holds no measure "force achieving an overall '
                                                'satisfaction rate"')]


def test_an_unreadable_report_is_quarantined_and_the_publication_stays(warehouse, tmp_path):
    before = publication_target(warehouse.settings)
    bad = tmp_path / "atlantis.txt"
    bad.write_text(SEED_REPORT.read_text(encoding="utf-8").replace("– Lancashire Constabulary", "– Atlantis"),
                   encoding="utf-8")
    [run] = warehouse.deliver(bad)
    assert not run.success
    [quarantined] = warehouse.settings.quarantine_dir.glob("*/atlantis.txt")
    error = quarantined.with_name("atlantis.txt.error.txt").read_text()
    assert "running header names force 'Atlantis'" in error and str(quarantined) in error
    assert publication_target(warehouse.settings) == before


def test_two_sources_that_disagree_are_both_kept_the_inspectorates_page_preferred_and_the_gate_warns(warehouse,
                                                                                                     tmp_path):
    """Cheshire's 2014 overview page carries Bedfordshire's effectiveness sentence word for word ("requires improvement
    in reducing crime ... in the way it investigates offending"); Cheshire's own effectiveness page, which the grades
    table cites, says good. Delivered as a report, that page's grades are kept beside the table's, neither source
    agrees, the history takes the inspectorate's page for the force, and the gate warns without blocking."""
    from orchestration.gate.resource import Gate
    from orchestration.gate.suites import load_suites

    page = (FIXTURES / "peel_2014/bedfordshire-overview.txt").read_text(encoding="utf-8")
    page = page.replace("Bedfordshire Police", "Cheshire Constabulary").replace("Bedfordshire", "Cheshire").replace(
        "carries out its responsibilities requires improvement", "carries out its responsibilities is good")
    (tmp_path / "cheshire-overview.txt").write_text(page, encoding="utf-8")
    [run] = warehouse.deliver(tmp_path / "cheshire-overview.txt")
    assert run.success
    rows = published(warehouse.settings, """SELECT question, source_kind, grade, other_source_grade, sources_agree,
        preferred_source FROM inspection_judgments WHERE area_code = 'E23000006' AND cycle = '2014'
        AND pillar = 'effectiveness' ORDER BY question, source_kind""")
    good, ri = "Good", "Requires improvement"
    assert [row[1:] for row in rows] == [
        ("grades_table", good, ri, False, True), ("report", ri, good, False, False),  # investigating offending
        ("grades_table", good, ri, False, True), ("report", ri, good, False, False),  # reducing crime
        ("grades_table", good, good, True, True), ("report", good, good, True, False)]  # anti-social behaviour
    [suite] = [s for s in load_suites() if s.name == "inspection_judgments"]
    gate = Gate(data_docs_dir=str(tmp_path / "docs"), data_docs_url="http://x")
    with duckdb.connect(str(warehouse.settings.build_db)) as con:
        outcome = gate.evaluate(con, suite)
    [warning] = outcome.failed_of("warning")
    assert warning["column"] == "sources_agree" and warning["failing_rows"] == 4
    assert not outcome.failed_of("critical")


def test_a_rate_whose_denominator_is_later_than_the_report_names_both_causes(warehouse, tmp_path):
    """The seed report dated (as a page dates itself) before the mid-2013 population estimates were first published:
    no estimate of its time is held, so a rate that differs has two causes, the crime tables' later revisions and the
    population vintage, and says both; the burglary rates keep the 2011 Census of the report's time."""
    text = SEED_REPORT.read_text(encoding="utf-8")
    (tmp_path / "lancashire-june-2014.txt").write_text("Published on 1 June 2014\n" + text, encoding="utf-8")
    [run] = warehouse.deliver(tmp_path / "lancashire-june-2014.txt")
    assert run.success
    rows = {row[0]: row[1:] for row in published(warehouse.settings, """SELECT measure, denominator_vintage,
        denominator_basis, check_status, difference_reason FROM report_figure_checks
        WHERE report_file = 'lancashire-june-2014.txt' AND area_code = 'E23000003' AND unit LIKE 'per_1000_%'
        AND measure <> 'asb_incidents'""")}
    vintage, basis, status, reason = rows["crime_excluding_fraud"]
    assert (vintage, status) == ("mye_2021_census_rebased", "within_revision_tolerance")
    assert basis.startswith("no vintage held from before the report")
    assert reason.startswith("two causes: later crime revisions (") and "and the population vintage (" in reason
    assert "ONS mid-2013 population estimate, series rebased on Census 2021" in reason
    assert rows["domestic_burglary"][:2] == ("census_2011", "the newest vintage held that was published before the "
                                                            "report")
    [(seed_reason,)] = published(warehouse.settings, """SELECT difference_reason FROM report_figure_checks
        WHERE report_file = 'hmic-crime-inspection-2014-lancashire.txt' AND area_code = 'E23000003'
        AND measure = 'crime_excluding_fraud' AND unit = 'per_1000_population'""")
    assert seed_reason.startswith("later crime revisions (") and "population vintage" not in seed_reason
    assert "the denominator is one of the report's time (the ONS mid-2013 population estimate as first published" \
        in seed_reason
