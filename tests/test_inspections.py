"""Inspection records in the published warehouse: judgments from both sources, recommendations, figure checks;
and bad inspection input refused file by file."""

import shutil

import duckdb
import pytest

from orchestration.ingest import SourceFileError, load_source_file
from orchestration.inspections.loading import load_reports
from orchestration.sources import SOURCES_BY_NAME
from tests.conftest import DATA_DIR

REPORTS = DATA_DIR / "hmicfrs" / "reports"
SEED = REPORTS / "hmic-crime-inspection-2014-lancashire.txt"
PDF = DATA_DIR.parents[1] / "tests" / "fixtures" / "hmic-crime-inspection-2014-lancashire.pdf"


def test_lancashire_2014_grades_from_report_and_grades_table_agree(published):
    rows = published.execute(
        "SELECT question, source_kind, grade, sources_agree FROM inspection_judgments "
        "WHERE area_code = 'E23000003' AND cycle = '2014' AND pillar = 'effectiveness' ORDER BY question, source_kind"
    ).fetchall()
    questions = sorted({row[0] for row in rows})
    assert questions == ["How effective is the force at investigating offending?",
                         "How effective is the force at reducing crime and preventing offending?",
                         "How effective is the force at tackling anti-social behaviour?"]
    assert [(kind, grade, agree) for _, kind, grade, agree in rows] == [
        ("grades_table", "Good", True), ("report", "Good", True)] * 3


def test_every_peel_grade_is_published_with_its_rank(published):
    assert published.execute(
        "SELECT count(*) FROM inspection_judgments WHERE source_kind = 'grades_table'").fetchone()[0] == 321
    assert published.execute(
        "SELECT count(*) FROM inspection_judgments WHERE grade_rank IS NULL AND grade <> 'Not graded'"
    ).fetchone()[0] == 0
    # Lancashire's efficiency: Outstanding in 2015, Good in 2016
    assert published.execute(
        "SELECT previous_grade, grade, grade_change FROM inspection_judgments WHERE area_code = 'E23000003' "
        "AND cycle = '2016' AND pillar = 'efficiency'").fetchone() == ("Outstanding", "Good", "worse")


def test_recommendations_with_deadlines(published):
    rows = published.execute(
        "SELECT deadline_as_written, deadline_date, final_deadline_as_written, final_deadline_date, status "
        "FROM inspection_recommendations WHERE area_code = 'E23000003' ORDER BY recommendation_number"
    ).fetchall()
    assert [tuple(str(v) for v in row) for row in rows] == [
        ("immediately", "2014-11-27", "By January 2015", "2015-01-31", "None"),
        ("Within three months", "2015-02-27", "by March 2015", "2015-03-31", "None"),
    ]


def test_quoted_figures_beside_the_warehouse(published):
    quoted, warehouse, status = published.execute(
        "SELECT quoted_value, warehouse_value, check_status FROM report_figure_checks WHERE area_code = 'E23000003' "
        "AND measure = 'crime_excluding_fraud' AND unit = 'per_1000_population' AND period_end = '2014-06-30'"
    ).fetchone()
    assert quoted == 65.1 and warehouse == pytest.approx(65.1, abs=0.2)
    assert status in ("reproduced", "within_revision_tolerance")
    by_status = dict(published.execute(
        "SELECT check_status, count(*) FROM report_figure_checks GROUP BY ALL").fetchall())
    assert sum(by_status.values()) == 26  # every quoted figure is listed, none dropped
    assert by_status.get("differs", 0) == 0
    assert by_status["reproduced"] + by_status["within_revision_tolerance"] == 16  # 12 rates less ASB, 6 changes
    assert published.execute(
        "SELECT count(*) FROM report_figure_checks WHERE check_status = 'not_computable' "
        "AND not_computable_reason IS NULL").fetchone()[0] == 0


def test_a_bad_report_loads_nothing_and_leaves_the_other_reports(tmp_path):
    con = duckdb.connect(str(tmp_path / "build.duckdb"))
    good = tmp_path / "good.pdf"
    shutil.copy(PDF, good)
    unknown_force = tmp_path / "atlantis.txt"
    unknown_force.write_text(SEED.read_text(encoding="utf-8").replace("– Lancashire Constabulary", "– Atlantis"),
                             encoding="utf-8")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    loads, errors = load_reports(con, [good, unknown_force, broken])
    assert [load.path.name for load in loads] == ["good.pdf"]
    assert len(errors) == 2
    assert str(unknown_force) in errors[0] and "'Atlantis'" in errors[0]
    assert str(broken) in errors[1] and "not a readable PDF" in errors[1]
    assert con.execute("SELECT list(source_file) FROM raw.inspection_reports").fetchone()[0] == ["good.pdf"]
    assert con.execute("SELECT count(DISTINCT source_file) FROM raw.inspection_report_figures").fetchone()[0] == 1

    # the same file again changes nothing; a later bad edition of it leaves the good one in place
    assert load_reports(con, [good])[0][0].changed is False
    edition = tmp_path / "good.pdf"
    edition.write_bytes(PDF.read_bytes()[:3000])
    loads, errors = load_reports(con, [edition])
    assert loads == [] and "not a readable PDF" in errors[0]
    assert con.execute("SELECT count(*) FROM raw.inspection_report_judgments").fetchone()[0] == 3


def test_grade_not_on_its_cycle_scale_is_refused_with_its_line(tmp_path):
    spec = SOURCES_BY_NAME["hmicfrs_peel_grades"]
    lines = (DATA_DIR / spec.relative_path).read_text(encoding="utf-8").splitlines(keepends=True)
    line_number = next(n for n, line in enumerate(lines, 1) if ",2016,efficiency," in line)
    lines[line_number - 1] = lines[line_number - 1].replace(",Good,", ",Adequate,").replace(
        ",Requires improvement,", ",Adequate,").replace(",Outstanding,", ",Adequate,")
    bad = tmp_path / "peel_grades.csv"
    bad.write_text("".join(lines), encoding="utf-8")
    con = duckdb.connect(str(tmp_path / "build.duckdb"))
    with pytest.raises(SourceFileError) as error:
        load_source_file(con, spec, bad)
    assert f"{bad}: line {line_number}: grade 'Adequate' is not on the 2016 scale" in str(error.value)
    assert con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                       [spec.name]).fetchone()[0] == 0


def test_bad_report_through_dagster_leaves_publication_untouched(refreshed, tmp_path):
    settings, defs, _ = refreshed
    published_bytes = settings.published_db.read_bytes()
    bad = tmp_path / "atlantis.txt"
    bad.write_text(SEED.read_text(encoding="utf-8").replace("– Lancashire Constabulary", "– Atlantis"),
                   encoding="utf-8")
    result = defs.resolve_job_def("full_refresh").execute_in_process(
        run_config={"ops": {"inspection_reports": {"config": {"paths": [str(SEED), str(bad)]}}}},
        raise_on_error=False)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    assert failure.step_key == "inspection_reports" and str(bad) in str(failure.event_specific_data.error)
    assert settings.published_db.read_bytes() == published_bytes
