"""Inspection records in the published warehouse: judgments from both sources, recommendations, quoted figures
beside the warehouse's; a report that cannot be read is refused without touching the publication."""

import pytest

from tests.helpers import SEED_REPORT, publication_target, published


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
                                        "'grades_table'") == [(321,)]
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
