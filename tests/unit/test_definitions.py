"""The code location: what it declares, and that importing it does nothing but read."""

import json
import os
import subprocess
import sys

from dagster import AssetKey, AssetSelection

from orchestration.definitions import build_defs
from orchestration.landing.sensors import assets_of
from tests.helpers import settings_for


def test_assets_are_grouped_by_layer_described_owned_and_checked(tmp_path):
    defs = build_defs(settings_for(tmp_path))
    graph = defs.resolve_asset_graph()
    nodes = [graph.get(key) for key in graph.get_all_asset_keys()]
    assert {node.group_name for node in nodes} == {"fetch", "ingest", "reference", "staging", "intermediate", "marts",
                                                   "publish"}
    # each source its publisher serves is fetched by an asset upstream of its raw table
    for source in ("police_uk_street", "home_office_prc_pfa", "home_office_outcomes", "ons_population_series"):
        assert AssetKey(["fetch", source]) in graph.get(AssetKey(["raw", source])).parent_keys
    assert all(node.description for node in nodes) and all(node.owners == ["team:forcestat"] for node in nodes)
    # lineage runs raw -> staging -> intermediate -> marts -> published, and the gate's extra reads are deps
    publish = graph.get(AssetKey(["published", "forcestat_duckdb"]))
    assert AssetKey(["marts", "force_rates"]) in publish.parent_keys
    assert AssetKey(["raw", "home_office_prc_pfa"]) in graph.get(
        AssetKey(["staging", "stg_home_office__prc_pfa"])).parent_keys
    intermediate_parents = {key for node in nodes if node.key.path[0] == "intermediate" for key in node.parent_keys}
    assert not any(key.path[0] == "marts" for key in intermediate_parents)  # layers flow one way
    checks = {(key.asset_key.to_user_string(), key.name): key for key in graph.asset_check_keys}
    assert ("marts/force_rates", "gx_force_rates") in checks
    assert ("raw/home_office_prc_pfa", "gx_raw_home_office_prc_pfa") in checks
    assert ("raw/police_uk_street", "delivered_within_cadence") in checks
    assert any(asset == "marts/force_rates" and name.startswith("relationships") for asset, name in checks)
    specs = {(spec.asset_key.to_user_string(), spec.name): spec for check in defs.asset_checks
             for spec in check.check_specs}
    assert specs[("marts/force_rates", "gx_force_rates")].blocking
    assert not specs[("marts/crime_source_comparison", "gx_crime_source_comparison_warnings")].blocking
    assert {d.asset_key.to_user_string() for d in specs[("marts/force_rates", "gx_reconcile_population_totals")]
            .additional_deps} >= {"intermediate/int_area_denominators", "staging/stg_ons__population_series"}


def test_jobs_schedules_and_sensors(tmp_path):
    defs = build_defs(settings_for(tmp_path))
    job = defs.resolve_job_def("full_refresh")
    assert job.executor_def.name == "in_process"
    for name, cron in (("nightly_fetch", "0 1 * * *"), ("nightly_full_refresh", "0 2 * * *"),
                       ("morning_freshness_checks", "0 7 * * *")):
        schedule = defs.resolve_schedule_def(name)
        assert (schedule.cron_schedule, schedule.execution_timezone) == (cron, "Europe/London")
    assert {sensor.name for sensor in defs.sensors} == {"landing_zone", "run_failed", "publisher_editions"}
    # the fetch is a job of its own: the full refresh (and every delivery's run) never asks a publisher anything
    assert not any(key.path[0] == "fetch" for key in job.asset_layer.executable_asset_keys)
    assert {key.path[0] for key in defs.resolve_job_def("fetch_publishers").asset_layer.executable_asset_keys} == {
        "fetch"}
    # a street delivery runs the street feed's step and everything downstream, publication included
    selection = AssetSelection.assets(*assets_of("police_uk_street")).downstream().resolve(defs.resolve_asset_graph())
    assert {"raw/police_uk_street_months", "marts/street_crime_lsoa_monthly", "marts/force_rates",
            "published/forcestat_duckdb"} <= {key.to_user_string() for key in selection}
    assert AssetKey(["marts", "inspection_judgments"]) not in selection


IMPORT = """
import json, os, sys
before = dict(os.environ)
import orchestration.definitions
print(json.dumps({"changed": sorted(k for k in set(before) | set(os.environ) if before.get(k) != os.environ.get(k))}))
"""


def test_importing_the_code_location_creates_exports_and_runs_nothing(tmp_path):
    warehouse = tmp_path / "warehouse"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FORCESTAT_", "DAGSTER_HOME"))}
    result = subprocess.run([sys.executable, "-c", IMPORT], env={**env, "FORCESTAT_WAREHOUSE_DIR": str(warehouse)},
                            capture_output=True, text=True, check=True)
    assert json.loads(result.stdout.splitlines()[-1]) == {"changed": []}
    assert not warehouse.exists()
