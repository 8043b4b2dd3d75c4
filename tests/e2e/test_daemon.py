"""The real thing, as an operator runs it: `forcestat ui` (the Dagster webserver, the daemon with its sensors, queue
and run monitoring, and the site server) on a warehouse, files dropped into its landing zone, run workers killed.
Nothing here plays the daemon's part: every run is created, queued, launched, monitored and followed up by it."""

import json
import os
import shutil
import signal
import subprocess
import urllib.request
from pathlib import Path

import pytest
from dagster import DagsterEventType, DagsterRunStatus, RunsFilter

from orchestration.landing.claims import claims
from orchestration.operations.launcher import worker_pid
from orchestration.settings import BIN_DIR
from orchestration.warehouse.alerts import read_alerts
from tests.daemon import answers, descendants, free_port, parent_of, running_ui, started_at, wait_for
from tests.helpers import DATA_DIR, NATIONAL, csv_rows, plain_copy, published, text_of

QUERY = """{
  assetNodes { assetKey { path } groupName description owners { ... on TeamAssetOwner { team } }
               assetChecksOrError { ... on AssetChecks { checks { name blocking } } } }
  repositoriesOrError { ... on RepositoryConnection { nodes {
      schedules { name cronSchedule executionTimezone } sensors { name } } } }
}"""


@pytest.fixture(scope="module")
def ui(pristine):
    """`forcestat ui` on a copy of the refreshed warehouse, in the folder whose path its dbt state was prepared for
    (conftest.py), so that the run workers' server does not parse the project again."""
    with running_ui(pristine[1], pristine[0]) as running:
        yield running


def graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": query}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())["data"]


def test_the_ui_serves_the_code_location(ui):
    data = graphql(ui["port"], QUERY)
    assets = {"/".join(node["assetKey"]["path"]): node for node in data["assetNodes"]}
    assert {node["groupName"] for node in assets.values()} == {
        "fetch", "ingest", "reference", "staging", "intermediate", "marts", "publish"}
    assert all(node["description"] for node in assets.values())
    checks = {(key, check["name"]): check["blocking"] for key, node in assets.items()
              for check in node["assetChecksOrError"]["checks"]}
    assert checks[("marts/force_rates", "gx_force_rates")] is True
    assert checks[("raw/home_office_prc_pfa", "gx_raw_home_office_prc_pfa")] is True
    assert checks[("marts/crime_source_comparison", "gx_crime_source_comparison_warnings")] is False
    assert checks[("raw/police_uk_street", "delivered_within_cadence")] is False
    [repository] = data["repositoriesOrError"]["nodes"]
    assert {"name": "nightly_full_refresh", "cronSchedule": "0 2 * * *",
            "executionTimezone": "Europe/London"} in repository["schedules"]
    assert {sensor["name"] for sensor in repository["sensors"]} == {"landing_zone", "run_failed",
                                                                    "publisher_editions"}
    assert answers(f"http://127.0.0.1:{ui['site_port']}/")  # the site server, which check metadata links to


def test_the_webserver_and_the_daemon_share_one_code_server(ui):
    """Each started its own before, and the daemon replaced its own every minute (a new process loading the code
    location: seconds of CPU)."""
    processes = descendants(ui["process"].pid).values()
    assert len([command for command in processes if " api grpc " in command]) == 1, processes
    assert len([command for command in processes if " code-server start " in command]) == 1, processes
    locations = graphql(ui["port"], "{ workspaceOrError { ... on Workspace { locationEntries { name "
                                    "locationOrLoadError { __typename } } } } }")["workspaceOrError"]["locationEntries"]
    assert locations == [{"name": "orchestration.definitions",
                          "locationOrLoadError": {"__typename": "RepositoryLocation"}}]


def test_the_run_workers_server_starts_with_the_daemon_before_any_run(ui):
    """The daemon starts it as it starts (orchestration/operations/daemon.py): the UI's first run is forked at once
    instead of waiting for the server's imports and parse."""
    processes = descendants(ui["process"].pid)
    [daemon] = [pid for pid, command in processes.items() if "-m orchestration.operations.daemon " in command]
    [server] = [pid for pid, command in processes.items()
                if command.endswith("-m orchestration.operations.run_worker") and parent_of(pid) == daemon]
    created = [record.create_timestamp.timestamp() for record in ui["instance"].get_run_records()]
    # before the first run created since the daemon started (the warehouse's copy holds its refresh's run)
    assert started_at(server) < min((at for at in created if at > started_at(daemon)), default=float("inf"))


def test_the_sensors_look_as_often_as_their_interval_asks(ui):
    """QUICK asks for a look every second: Dagster's daemon, left to itself, looks at its sensors every 5 s at the
    most (orchestration/operations/daemon.py)."""
    query = """{ sensorOrError(sensorSelector: {repositoryLocationName: "orchestration.definitions",
                 repositoryName: "__repository__", sensorName: "landing_zone"}) {
                 ... on Sensor { sensorState { ticks(limit: 6) { timestamp } } } } }"""

    def ticks():
        found = graphql(ui["port"], query)["sensorOrError"]["sensorState"]["ticks"]
        return sorted(tick["timestamp"] for tick in found) if len(found) == 6 else None

    times = wait_for(ticks, 60, "six looks at the landing zone")
    assert max(later - earlier for earlier, later in zip(times, times[1:], strict=False)) < 3, times


def test_a_second_ui_on_a_taken_port_fails_loudly(ui):
    second = subprocess.run([str(BIN_DIR / "forcestat"), "ui", "--port", str(ui["port"]), "--site-port",
                             str(free_port())], env=ui["env"], capture_output=True, text=True, timeout=60)
    assert second.returncode == 2 and f"port {ui['port']} (UI) is already in use" in second.stderr


def delivery_runs(instance, name: str) -> list:
    """Runs of deliveries that included a file of this name, newest first."""
    return [r.dagster_run for r in instance.get_run_records(filters=RunsFilter(tags={}), limit=50)
            if name in r.dagster_run.tags.get("forcestat/delivery", "")]


def force_month_published(settings, key: str):
    return published(settings, "SELECT rows FROM publication_sources WHERE partition_key = ?", [key])


def drop(settings, path: Path):
    """Copy a file into the landing zone the way a careful sync does: under a dot name, then renamed."""
    partial = settings.landing_dir / f".{path.name}.part"
    shutil.copy(path, partial)
    partial.rename(settings.landing_dir / path.name)


def test_deliveries_through_the_daemon(ui, tmp_path):
    settings, instance = ui["settings"], ui["instance"]
    earlier = len(read_alerts(settings.alerts_file))  # the module's other tests may have raised some
    # a bad edition (a misspelt force) and a good street month, dropped together
    prc = text_of(DATA_DIR / "home-office" / "prc-pfa-mar2013-onwards-tables.csv.gz")
    bad = tmp_path / "prc-misspelt.csv"
    bad.write_text(prc.replace(",Lancashire,", ",Lancashrie,", 1))
    kent = plain_copy(NATIONAL / "2014-01" / "2014-01-kent-street.csv.gz", tmp_path)
    drop(settings, bad)
    drop(settings, kent)
    wait_for(lambda: force_month_published(settings, "kent|2014-01"), 150, "Kent's January to be published")
    assert force_month_published(settings, "kent|2014-01") == [(csv_rows(kent),)]
    assert published(settings, "SELECT sum(incident_count) FROM street_crime_monthly WHERE area_code = 'E23000032' "
                               "AND month = '2014-01-01'") == [(csv_rows(kent),)]
    # the site server shows the new publication: Kent's profile now has January's anti-social behaviour
    def site_publication():
        with urllib.request.urlopen(f"http://127.0.0.1:{ui['site_port']}/site.json", timeout=5) as response:
            return json.loads(response.read())["publication"]

    wait_for(lambda: site_publication() == Path(os.readlink(settings.published_db)).parent.name, 60,
             "the site to be rebuilt from the new publication")
    with urllib.request.urlopen(f"http://127.0.0.1:{ui['site_port']}/data/areas/E23000032.js", timeout=5) as page:
        assert '"2014-01-01"' in page.read().decode()
    [quarantined] = wait_for(lambda: list(settings.quarantine_dir.glob("*/prc-misspelt.csv")), 60,
                             "the bad edition to be quarantined")
    assert "Lancashrie" in quarantined.with_name("prc-misspelt.csv.error.txt").read_text()
    wait_for(lambda: len(read_alerts(settings.alerts_file)) > earlier, 30, "the alert")
    [alert] = read_alerts(settings.alerts_file)[earlier:]
    assert alert["kind"] == "run_failed" and "prc-misspelt.csv" in alert["file"] and "Lancashrie" in alert["message"]

    # the same bad file dropped again is processed again (a new run, a new alert), not skipped
    quarantined.rename(settings.landing_dir / "prc-misspelt.csv")
    wait_for(lambda: len(read_alerts(settings.alerts_file)) == earlier + 2, 120, "the second attempt's alert")
    assert len({a["run_id"] for a in read_alerts(settings.alerts_file)[earlier:]}) == 2
    assert len(delivery_runs(instance, "prc-misspelt.csv")) == 2


def killed_run(settings, instance, name: str, until_step: str | None = None):
    """Wait for the run of a delivery of this file to start (and reach a step), then kill its worker with SIGKILL."""
    def running():
        runs = [r for r in delivery_runs(instance, name) if r.status == DagsterRunStatus.STARTED]
        if not runs:
            return None
        run = runs[0]
        pid = worker_pid(instance, run.run_id)
        if pid is None:
            return None
        if until_step and not any(e.dagster_event and e.dagster_event.step_key == until_step for e in
                                  instance.all_logs(run.run_id, of_type=DagsterEventType.STEP_START)):
            return None
        return run, pid

    run, pid = wait_for(running, 150, f"the run of {name} to start" + (f" {until_step}" if until_step else ""),
                        interval=0.05)
    os.kill(pid, signal.SIGKILL)
    return run


def test_a_killed_run_fails_by_itself_and_its_delivery_is_run_again(ui, tmp_path):
    settings, instance = ui["settings"], ui["instance"]
    surrey = plain_copy(NATIONAL / "2014-01" / "2014-01-surrey-street.csv.gz", tmp_path)
    drop(settings, surrey)
    killed = killed_run(settings, instance, surrey.name)
    wait_for(lambda: force_month_published(settings, "surrey|2014-01"), 180, "Surrey's January to be published")
    assert instance.get_run_by_id(killed.run_id).status == DagsterRunStatus.FAILURE  # run monitoring, not a person
    wait_for(lambda: [r.status for r in delivery_runs(instance, surrey.name)][:2] == [
        DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE], 60, "the second run to succeed")
    assert not claims(settings.landing_dir)


def test_a_run_killed_while_publishing_leaves_the_publication_and_the_next_one_succeeds(ui, tmp_path):
    settings, instance = ui["settings"], ui["instance"]
    before = os.readlink(settings.published_db)
    sussex = plain_copy(NATIONAL / "2014-01" / "2014-01-sussex-street.csv.gz", tmp_path)
    drop(settings, sussex)
    killed_run(settings, instance, sussex.name, until_step="published__forcestat_duckdb")
    assert published(settings, "SELECT count(*) FROM force_rates")[0][0] > 0  # the last publication still opens
    wait_for(lambda: force_month_published(settings, "sussex|2014-01"), 180, "Sussex's January to be published")
    assert os.readlink(settings.published_db) != before
    assert not list(settings.publications_dir.glob("*.tmp"))
