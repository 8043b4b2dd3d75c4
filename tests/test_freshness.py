"""Freshness checks warn when a source has delivered nothing new for longer than its cadence, and never block."""

from datetime import datetime, timedelta, timezone

import duckdb
from dagster import AssetCheckSeverity, DagsterInstance

from orchestration.definitions import build_defs
from orchestration.ingest import LOADS_TABLE, ensure_raw_schema
from tests.conftest import make_settings


def test_stale_source_warns_fresh_one_passes_never_loaded_says_so(tmp_path):
    settings = make_settings(tmp_path)
    defs = build_defs(settings)
    now = datetime.now(timezone.utc)
    with duckdb.connect(str(settings.build_db)) as con:
        ensure_raw_schema(con)
        con.executemany(f"INSERT INTO {LOADS_TABLE} VALUES (?, 'f.csv', 'sha', 1, ?, ?)", [
            ["home_office_prc_pfa", now - timedelta(days=400), None],  # an old edition...
            ["home_office_prc_pfa", now - timedelta(days=130), None],  # ...and the newest, past 100 days
            ["police_uk_street", now - timedelta(days=20), "lancashire|2014-01-01"],  # within 45 days
        ])
    with DagsterInstance.ephemeral() as instance:
        result = defs.resolve_job_def("freshness_checks").execute_in_process(instance=instance)
    assert result.success  # a warning is not a failure
    evaluations = {e.asset_check_evaluation_data.asset_key.to_user_string(): e.asset_check_evaluation_data
                   for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"}
    prc = evaluations["raw/home_office_prc_pfa"]
    assert not prc.passed and prc.severity == AssetCheckSeverity.WARN
    assert prc.description == "last new home_office_prc_pfa content loaded 130 days ago (cadence 100 days)"
    assert evaluations["raw/police_uk_street"].passed
    population = evaluations["raw/ons_mye4_population"]
    assert not population.passed and population.description == "no ons_mye4_population file has been loaded yet"
    # sources without a cadence (census, lookups, reference lists) have no freshness check
    assert "raw/census_2011_households" not in evaluations
