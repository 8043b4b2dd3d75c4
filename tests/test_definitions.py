"""The code location loads and declares what the UI and the scheduler rely on."""

from dagster import AssetKey

from orchestration.definitions import FULL_REFRESH_JOB, build_defs
from orchestration.sources import SOURCES
from tests.conftest import make_settings


def test_definitions_load_with_layers_checks_job_and_schedule(tmp_path):
    defs = build_defs(make_settings(tmp_path))
    keys = {key.to_user_string() for key in defs.resolve_all_asset_keys()}
    assert {f"raw/{spec.name}" for spec in SOURCES} <= keys
    assert {"marts/force_rates", "marts/force_change", "marts/crime_source_comparison", "marts/areas",
            "published/forcestat_duckdb"} <= keys

    graph = defs.resolve_asset_graph()
    publish = graph.get(AssetKey(["published", "forcestat_duckdb"]))
    assert AssetKey(["marts", "force_rates"]) in publish.parent_keys
    # dbt sources are tied to the ingest assets, so lineage runs raw -> staging
    staging = graph.get(AssetKey(["staging", "stg_home_office__prc_pfa"]))
    assert AssetKey(["raw", "home_office_prc_pfa"]) in staging.parent_keys

    check_keys = {(key.asset_key.to_user_string(), key.name) for key in graph.asset_check_keys}
    assert ("marts/force_rates", "gx_force_rates") in check_keys
    assert any(asset == "marts/force_rates" and name.startswith("not_null") for asset, name in check_keys)

    job = defs.resolve_job_def(FULL_REFRESH_JOB)
    assert job.executor_def.name == "in_process"
    schedule = defs.resolve_schedule_def("nightly_full_refresh")
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("0 2 * * *", "Europe/London")
    assert schedule.job_name == FULL_REFRESH_JOB


def test_street_feed_is_partitioned_by_force_and_month_and_followed_by_automation(tmp_path):
    defs = build_defs(make_settings(tmp_path))
    graph = defs.resolve_asset_graph()
    street = graph.get(AssetKey(["raw", "police_uk_street"]))
    assert street.partitions_def.partition_dimension_names == ["force", "month"]
    forces = street.partitions_def.get_partitions_def_for_dimension("force").get_partition_keys()
    assert len(forces) == 43 and "lancashire" in forces
    # the nightly job leaves the partitioned feed out (its months come one run each), the street job takes only it
    street_key = AssetKey(["raw", "police_uk_street"])
    assert street_key not in defs.resolve_job_def(FULL_REFRESH_JOB).asset_layer.selected_asset_keys
    assert defs.resolve_job_def("street_ingest").asset_layer.selected_asset_keys == {street_key}
    # everything downstream of raw data follows it on its own; raw data and the reference seeds do not
    for key in ("marts/street_crime_monthly", "marts/force_rates", "staging/stg_police_uk__street",
                "published/forcestat_duckdb"):
        assert graph.get(AssetKey(key.split("/"))).automation_condition is not None, key
    assert street.automation_condition is None
    assert graph.get(AssetKey(["reference", "forces"])).automation_condition is None
