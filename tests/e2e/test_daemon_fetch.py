"""Nights with no person: `forcestat ui` with fetching on, pointed at the local publishers' server, on a warehouse
that holds the publishers' previous editions (the recorded crime table a quarter short, the population series to
mid-2022: tests/publishers/content.py). The daemon's editions sensor sees what is new, the fetch job lands it, the
landing sensor, the gate and the publication take over. Night 1: data.police.uk's months backfilled, a re-issued
Home Office table (new file name, new address), a new population edition. Night 2: a new month. Then a quiet night,
and in the morning the UI is stopped while a delivery is claimed."""

import os
import signal
import time
from datetime import date

import pytest
from dagster import DagsterRunStatus, RunsFilter

from orchestration.cli.refresh import refresh
from orchestration.landing.claims import claims
from orchestration.landing.sensors import DELIVERY_TAG
from orchestration.operations.launcher import process_alive
from orchestration.settings import Settings
from orchestration.warehouse.alerts import read_alerts
from tests.daemon import descendants, running_ui, wait_for
from tests.helpers import NATIONAL, published, text_of
from tests.publishers.content import earlier_data
from tests.publishers.server import ODS_TYPE, Publishers, environment, serve

POLL_SECONDS = 2
RUNNING = [DagsterRunStatus.QUEUED, DagsterRunStatus.NOT_STARTED, DagsterRunStatus.STARTING, DagsterRunStatus.STARTED]


@pytest.fixture(scope="module")
def nights(tmp_path_factory, home_office_files):
    folder = tmp_path_factory.mktemp("nights")
    data = earlier_data(folder / "data")
    assert refresh(Settings.for_warehouse(folder / "warehouse", data)) == 0  # yesterday's publication
    publishers = Publishers(police_uk_latest="2014-01", nomis_latest=2023)
    february = publishers.street.pop("2014-02")
    publishers.attach("Police recorded crime open data: police force area tables", home_office_files["prc"],
                      ODS_TYPE)
    server = serve(publishers)
    settings = {**environment(server), "FORCESTAT_FETCH_POLL_SECONDS": str(POLL_SECONDS),
                "FORCESTAT_HTTP_BACKOFF": "0.1"}
    try:
        with running_ui(None, folder / "warehouse", settings, data_dir=data) as ui:
            yield {**ui, "publishers": publishers, "february": february, "base": settings["FORCESTAT_GOV_UK_URL"]}
    finally:
        server.shutdown()
        server.server_close()


def sources(settings) -> dict[str, tuple]:
    """source|part -> (file, fetched from) of the current publication."""
    return {f"{source}|{key or ''}": (file, url) for source, key, file, url in published(
        settings, "SELECT source, partition_key, source_file, fetched_from FROM publication_sources")}


def settled(instance) -> bool:
    """Nothing queued or running."""
    return not instance.get_run_records(filters=RunsFilter(statuses=RUNNING))


def runs_of(instance, prefix: str) -> list:
    """The runs that took files named so."""
    return [record for record in instance.get_run_records()
            if prefix in record.dagster_run.tags.get(DELIVERY_TAG, "")]


def latest_period(settings) -> date:
    return published(settings, "SELECT max(period_end) FROM force_rates WHERE crime_source = 'home_office_prc'")[0][0]


def dividing_by_mid_2023(settings) -> int:
    return published(settings, "SELECT count(*) FROM force_rates WHERE denominator_kind = 'population' AND "
                               "denominator_mid_year = 2023")[0][0]


def test_nights_of_new_editions_are_published_with_nobody_touching_the_landing_zone_and_a_stop_loses_nothing(
        nights, tmp_path):
    settings, instance, publishers, base = nights["settings"], nights["instance"], nights["publishers"], \
        nights["base"]
    assert latest_period(settings) == date(2025, 9, 30)  # yesterday's table: a quarter short
    assert dividing_by_mid_2023(settings) == 0  # yesterday's population series: to mid-2022
    # night 1: the backfill, the re-issued table, the new population edition
    kent = f"{base}/data/archive/2014-01.zip#2014-01/2014-01-kent-street.csv"
    wait_for(lambda: sources(settings).get("police_uk_street|kent|2014-01", (None, None))[1] == kent, 300,
             "the backfill to be published")
    wait_for(lambda: sources(settings)["home_office_prc_pfa|"][0] == "prc-pfa-mar2013-onwards-tables-230426.ods",
             240, "the re-issued table to be published")
    wait_for(lambda: sources(settings)["ons_population_series|"][0] == "nomis_NM_2002_1_mid2023.csv", 240,
             "the new population edition to be published")
    wait_for(lambda: settled(instance), 120, "the night's runs to end")
    night = sources(settings)
    assert night["home_office_prc_pfa|"][1].startswith(f"{base}/media/")
    assert night["ons_population_series|"][1] == f"{base}/api/v01/dataset/NM_2002_1.data.csv"
    assert latest_period(settings) == date(2025, 12, 31)
    assert dividing_by_mid_2023(settings) > 0
    assert len([key for key in night if key.startswith("police_uk_street|") and key.endswith("|2014-01")]) == 41

    # night 2: a new month
    with publishers.lock:
        publishers.street["2014-02"] = nights["february"]
        publishers.police_uk_latest = "2014-02"
    wait_for(lambda: sources(settings).get("police_uk_street|kent|2014-02", (None, None))[1] ==
             f"{base}/data/archive/2014-02.zip#2014-02/2014-02-kent-street.csv", 240, "February to be published")
    wait_for(lambda: settled(instance), 120, "the second night's runs to end")
    assert len(runs_of(instance, "2014-01-")) == 1 and len(runs_of(instance, "2014-02-")) == 1  # a month, one run
    assert not [alert for alert in read_alerts(settings.alerts_file) if alert["kind"] == "run_failed"]
    assert not [path for path in settings.landing_dir.glob("*") if path.is_file()]  # nobody touched it; all taken

    # a quiet night: the lists answer 304, nothing is downloaded, no run, no publication
    runs, publication, asked = len(instance.get_run_records()), os.readlink(settings.published_db), \
        len(publishers.log)
    wait_for(lambda: len(publishers.log) >= asked + 6, 60, "two more looks at the publishers")
    assert len(instance.get_run_records()) == runs and os.readlink(settings.published_db) == publication
    assert not [path for path, _ in publishers.log[asked:] if path.startswith(("/media/", "/store/", "/data/"))]
    assert {status for path, status in publishers.log[asked:] if not path.startswith("/api/v01/")} == {304}

    # the morning: the UI is stopped (SIGTERM, as a service manager stops it) while a late correction is claimed. It
    # stops within ten seconds, the file waits unclaimed in the landing zone for the next start, and nothing it
    # started is left.
    process = nights["process"]
    correction = tmp_path / "2014-02-cumbria-street.csv"
    correction.write_text("".join(text_of(NATIONAL / "2014-02" / f"{correction.name}.gz").splitlines(True)[:-1]))
    os.replace(correction, settings.landing_dir / correction.name)
    wait_for(lambda: claims(settings.landing_dir), 60, "the correction to be claimed")
    processes = descendants(process.pid)  # its webserver, daemon, code server, site server, run workers
    assert any(" code-server start " in command for command in processes.values()), processes
    stopping = time.monotonic()
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=15)
    assert time.monotonic() - stopping < 10 and process.returncode == 0
    assert not claims(settings.landing_dir) and (settings.landing_dir / correction.name).exists()
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)  # nothing of its process group is left
    # nor anything it started in groups of their own (the code server's own process among them)
    assert wait_for(lambda: not [pid for pid in processes if process_alive(pid)], 10, "its processes to end")
