"""Publication: readers never see a lock or a half-built file; a failed gate leaves the last publication as it was."""

import csv
import subprocess
import sys

import duckdb
from dagster import AssetKey

from orchestration.sources import SOURCES_BY_NAME
from tests.conftest import DATA_DIR

PUBLISH = AssetKey(["published", "forcestat_duckdb"])

# A separate process, as an analyst's would be (in one process DuckDB hands a second connect() the open database).
READER = r"""
import sys, duckdb
path = sys.argv[1]
def state(con):
    run = con.execute("SELECT dagster_run_id FROM publication").fetchone()[0]
    rows = con.execute("SELECT count(*) FROM force_rates").fetchone()[0]
    return f"{run} {rows}"
con = duckdb.connect(path, read_only=True)
print("open", state(con), flush=True)
sys.stdin.readline()                       # the pipeline publishes meanwhile
print("same-connection", state(con), flush=True)
con.close()
con = duckdb.connect(path, read_only=True)
print("new-connection", state(con), flush=True)
"""


def test_reader_keeps_working_during_publish_then_sees_new_data(refreshed, dagster_instance):
    settings, defs, _ = refreshed
    with duckdb.connect(str(settings.published_db), read_only=True) as con:
        published_run = con.execute("SELECT dagster_run_id FROM publication").fetchone()[0]
    reader = subprocess.Popen([sys.executable, "-c", READER, str(settings.published_db)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        opened = reader.stdout.readline().split()
        assert opened[:2] == ["open", published_run]
        # the reader holds the file open while the pipeline publishes again
        republish = defs.resolve_job_def("full_refresh").execute_in_process(asset_selection=[PUBLISH],
                                                                            instance=dagster_instance)
        assert republish.success
        out, err = reader.communicate("go\n", timeout=60)
    finally:
        reader.kill()
    same, new = [line.split() for line in out.splitlines()]
    assert same == ["same-connection", published_run, opened[2]], err
    assert new == ["new-connection", republish.run_id, opened[2]], err
    assert not settings.published_db.with_name(settings.published_db.name + ".new").exists()


def test_failing_expectation_blocks_publication_and_says_what_failed(refreshed, dagster_instance, tmp_path):
    settings, defs, _ = refreshed
    published_bytes = settings.published_db.read_bytes()
    spec = SOURCES_BY_NAME["census_2011_households"]
    with duckdb.connect(str(settings.build_db), read_only=True) as con:
        lancashire = {row[0] for row in con.execute(
            "SELECT \"LAD16CD\" FROM raw.ons_lad_pfa_lookup WHERE \"PFA16CD\" = 'E23000003'").fetchall()}
    # households of Lancashire's districts a thousand times too small: every dbt test still passes, but the
    # burglary rate leaves the plausible range the suite allows
    with open(DATA_DIR / spec.relative_path, newline="") as handle:
        rows = list(csv.reader(handle))
    for row in rows[1:]:
        if row[2] in lancashire:
            row[4] = str(int(row[4]) // 1000)
    bad = tmp_path / "households-shrunk.csv"
    with open(bad, "w", newline="") as handle:
        csv.writer(handle).writerows(rows)

    job = defs.resolve_job_def("full_refresh")
    try:
        result = job.execute_in_process(
            run_config={"ops": {"raw__census_2011_households": {"config": {"path": str(bad)}}}},
            raise_on_error=False, instance=dagster_instance,
        )
        assert not result.success
        evaluation = next(e.asset_check_evaluation_data for e in result.all_events
                          if e.event_type_value == "ASSET_CHECK_EVALUATION"
                          and e.asset_check_evaluation_data.check_name == "gx_force_rates")
        assert not evaluation.passed and evaluation.severity.value == "ERROR"
        failed = evaluation.metadata["failed_expectations"].value
        assert [(f["batch"], f["expectation"], f["severity"]) for f in failed if f["severity"] == "critical"] == [
            ("rate_bounds", "expect_table_row_count_to_equal", "critical")]
        bounds = next(f for f in failed if f["batch"] == "rate_bounds")
        assert bounds["failing_rows"] == 1 and '"measure": "domestic_burglary"' in bounds["sample"][0]
        assert evaluation.metadata["data_docs"].value.endswith("force_rates/index.html")
        assert not any(e.event_type_value == "STEP_START" and e.step_key.startswith("published")
                       for e in result.all_events)
        assert settings.published_db.read_bytes() == published_bytes
        # the rejected marts stay in the build database: a publication started by hand refuses them
        by_hand = job.execute_in_process(asset_selection=[PUBLISH], instance=dagster_instance, raise_on_error=False)
        assert not by_hand.success
        [failure] = [e for e in by_hand.all_events if e.event_type_value == "STEP_FAILURE"]
        message = failure.step_failure_data.error.cause.message if failure.step_failure_data.error.cause \
            else failure.step_failure_data.error.message
        assert "marts/force_rates:gx_force_rates failed on the latest marts/force_rates" in message
        assert settings.published_db.read_bytes() == published_bytes
    finally:
        # the marts in the build database were rebuilt from the bad file (and held back): rebuild them all
        assert job.execute_in_process(instance=dagster_instance).success
