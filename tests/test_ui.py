"""The Dagster UI serves the code location: assets with groups, owners and descriptions, checks, the schedule
and the sensors, asked through its GraphQL API."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

QUERY = """{
  assetNodes { assetKey { path } groupName description owners { ... on TeamAssetOwner { team } }
               assetChecksOrError { ... on AssetChecks { checks { name blocking } } } }
  repositoriesOrError { ... on RepositoryConnection { nodes {
      schedules { name cronSchedule executionTimezone } sensors { name } } } }
}"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_webserver_lists_assets_checks_schedule_and_sensors(tmp_path):
    port = free_port()
    (tmp_path / ".dagster").mkdir()
    env = {**os.environ, "FORCESTAT_WAREHOUSE_DIR": str(tmp_path), "DAGSTER_HOME": str(tmp_path / ".dagster")}
    webserver = Path(sys.executable).parent / "dagster-webserver"
    # its own session, so it can be stopped with its children whatever signals the shell ignores
    server = subprocess.Popen([str(webserver), "-m", "orchestration.definitions", "-h", "127.0.0.1", "-p", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2).close()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "the webserver did not answer within 120 s"
                time.sleep(0.5)
        request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": QUERY}).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            data = json.loads(response.read())["data"]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()

    assets = {"/".join(node["assetKey"]["path"]): node for node in data["assetNodes"]}
    assert {node["groupName"] for node in assets.values()} == {
        "ingest", "reference", "staging", "intermediate", "marts", "publish"}
    assert all(node["description"] for node in assets.values())
    assert all(node["owners"] == [{"team": "forcestat"}] for node in assets.values())
    checks = {(key, check["name"]): check["blocking"] for key, node in assets.items()
              for check in node["assetChecksOrError"]["checks"]}
    assert checks[("marts/force_rates", "gx_force_rates")] is True
    assert checks[("raw/home_office_prc_pfa", "gx_raw_home_office_prc_pfa")] is True
    # freshness only warns: it must never hold back a publication
    assert checks[("raw/police_uk_street", "delivered_within_cadence")] is False
    [repository] = data["repositoriesOrError"]["nodes"]
    assert {"name": "nightly_full_refresh", "cronSchedule": "0 2 * * *",
            "executionTimezone": "Europe/London"} in repository["schedules"]
    assert {"name": "morning_freshness_checks", "cronSchedule": "0 7 * * *",
            "executionTimezone": "Europe/London"} in repository["schedules"]
    assert {sensor["name"] for sensor in repository["sensors"]} == {
        "landing_zone", "landed_file_published", "run_failed", "downstream_automation"}
