"""A whole night with no person: `forcestat ui` with fetching on, pointed at the local publishers' server. The daemon's
editions sensor sees new editions, the fetch job lands them, the landing sensor, the gate and the publication take
over. Night 1: the publishers' current editions, data.police.uk's months backfilled. Night 2: a new month, a
re-issued Home Office edition (new file name, new address), a new population edition. Then a quiet night."""

import os
from datetime import date

import pytest
from dagster import DagsterRunStatus, RunsFilter

from orchestration.warehouse.alerts import read_alerts
from tests.daemon import running_ui, wait_for
from tests.helpers import published
from tests.publishers.server import ODS_TYPE, XLSX_TYPE, Publishers, environment, serve

POLL_SECONDS = 5


@pytest.fixture(scope="module")
def night(pristine, tmp_path_factory, home_office_files):
    publishers = Publishers(police_uk_latest="2014-01", nomis_latest=2022)
    february = publishers.street.pop("2014-02")
    publishers.attach("Police recorded crime open data: police force area tables", home_office_files["prc_earlier"],
                      ODS_TYPE)
    publishers.attach("Crime outcomes open data, year ending March 2025", home_office_files["outcomes"], XLSX_TYPE)
    server = serve(publishers)
    settings = {**environment(server), "FORCESTAT_FETCH_POLL_SECONDS": str(POLL_SECONDS),
                "FORCESTAT_HTTP_BACKOFF": "0.1"}
    try:
        with running_ui(pristine[1], tmp_path_factory.mktemp("night") / "warehouse", settings) as ui:
            yield {**ui, "publishers": publishers, "february": february, "base": settings["FORCESTAT_GOV_UK_URL"],
                   "prc_reissued": home_office_files["prc"]}
    finally:
        server.shutdown()
        server.server_close()


def sources(settings) -> dict[str, tuple]:
    """source|part -> (file, fetched from) of the current publication."""
    return {f"{source}|{key or ''}": (file, url) for source, key, file, url in published(
        settings, "SELECT source, partition_key, source_file, fetched_from FROM publication_sources")}


def settled(instance) -> bool:
    """Nothing queued or running, nothing waiting in the landing zone."""
    return not instance.get_run_records(filters=RunsFilter(statuses=[
        DagsterRunStatus.QUEUED, DagsterRunStatus.NOT_STARTED, DagsterRunStatus.STARTING, DagsterRunStatus.STARTED]))


def test_a_whole_night_of_new_editions_is_published_with_nobody_touching_the_landing_zone(night):
    settings, instance, publishers, base = night["settings"], night["instance"], night["publishers"], night["base"]
    archive = f"{base}/data/archive/2014-01.zip#2014-01/2014-01-kent-street.csv"
    wait_for(lambda: sources(settings).get("police_uk_street|kent|2014-01", (None, None))[1] == archive, 240,
             "the first night's backfill to be published")
    wait_for(lambda: "prc-pfa-mar2013-onwards-tables-220126.ods" == sources(settings)[
        "home_office_prc_pfa|"][0], 120, "the Home Office's current edition to be published")
    wait_for(lambda: sources(settings)["ons_population_series|"][0] == "nomis_NM_2002_1_mid2022.csv", 120,
             "Nomis' current edition to be published")
    wait_for(lambda: settled(instance), 120, "the first night's runs to end")
    first = sources(settings)
    assert first["home_office_prc_pfa|"][1].startswith(f"{base}/media/")
    # the outcomes workbook holds the rows the warehouse held: loaded, found the same, not published again
    assert first["home_office_outcomes|2024-25"] == ("outcomes_2024_25.csv.gz", None)
    assert list((settings.archive_dir / "duplicates").glob("*/prc-outcomes-open-data-mar2025-tables-240725.xlsx"))
    assert published(settings, "SELECT max(period_end) FROM force_rates WHERE crime_source = 'home_office_prc'") \
        == [(date(2025, 9, 30),)]  # the earlier edition's last quarter

    # night 2: a new month, a re-issue of the recorded crime table, a new population edition
    with publishers.lock:
        publishers.street["2014-02"] = night["february"]
        publishers.police_uk_latest = "2014-02"
        publishers.nomis_latest = 2023
    publishers.attach("Police recorded crime open data: police force area tables", night["prc_reissued"], ODS_TYPE)
    wait_for(lambda: sources(settings).get("police_uk_street|kent|2014-02", (None, None))[1] ==
             f"{base}/data/archive/2014-02.zip#2014-02/2014-02-kent-street.csv", 240, "February to be published")
    wait_for(lambda: sources(settings)["home_office_prc_pfa|"][0] == "prc-pfa-mar2013-onwards-tables-230426.ods",
             180, "the re-issued edition to be published")
    wait_for(lambda: sources(settings)["ons_population_series|"][0] == "nomis_NM_2002_1_mid2023.csv", 180,
             "the new population edition to be published")
    wait_for(lambda: settled(instance), 120, "the second night's runs to end")
    assert published(settings, "SELECT max(period_end) FROM force_rates WHERE crime_source = 'home_office_prc'") \
        == [(date(2025, 12, 31),)]
    assert not [alert for alert in read_alerts(settings.alerts_file) if alert["kind"] == "run_failed"]
    assert not [path for path in settings.landing_dir.glob("*") if path.is_file()]  # nobody touched it; all taken

    # a quiet night: the lists answer 304, nothing is downloaded, no run, no publication
    runs, publication, asked = len(instance.get_run_records()), os.readlink(settings.published_db), \
        len(publishers.log)
    wait_for(lambda: len(publishers.log) >= asked + 6, 60, "two more looks at the publishers")
    assert len(instance.get_run_records()) == runs and os.readlink(settings.published_db) == publication
    assert {status for _, status in publishers.log[asked:]} <= {304, 200}
    assert not [path for path, _ in publishers.log[asked:] if path.startswith(("/media/", "/store/", "/data/"))]
