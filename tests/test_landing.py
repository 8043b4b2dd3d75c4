"""The landing zone through the real sensors and job: recognise, claim, run, archive or quarantine."""

import gzip
import os
import shutil
import time
import zipfile

import duckdb
import pytest
from dagster import (
    AssetKey,
    DagsterEventType,
    DagsterInstance,
    build_run_status_sensor_context,
    build_sensor_context,
)

from orchestration.deliveries import current_file
from orchestration.landing import KINDS, UnrecognisedFile, recognise
from orchestration.sources import SOURCES, SOURCES_BY_NAME
from orchestration.street import STREET
from tests.conftest import DATA_DIR
from tests.test_inspections import PDF, SEED


def test_every_kind_is_recognised_from_its_content(tmp_path):
    for spec in SOURCES:
        renamed = tmp_path / f"delivery{''.join((DATA_DIR / spec.relative_path).suffixes)}"
        shutil.copy(DATA_DIR / spec.relative_path, renamed)  # the name says nothing; the header does
        assert recognise(renamed).kind.name == spec.name
    assert recognise(SEED).kind.name == recognise(PDF).kind.name == "inspection_reports"
    street = tmp_path / "feed.csv.gz"
    shutil.copy(DATA_DIR / STREET.relative_path / "2014-07-lancashire-street.csv.gz", street)
    delivery = recognise(street)
    assert (delivery.kind.name, delivery.job_name, delivery.partition_key) == (
        "police_uk_street", "street_ingest", "lancashire|2014-07-01")
    unknown = tmp_path / "minutes.csv"
    unknown.write_text("date,item\n2014-01-01,budget\n")
    with pytest.raises(UnrecognisedFile) as error:
        recognise(unknown)
    assert all(kind.name in str(error.value) for kind in KINDS)


def settle(path):
    """Pretend the file has not changed for a minute."""
    past = time.time() - 60
    os.utime(path, (past, past))


def tick(sensor, instance, cursor=None):
    result = sensor(build_sensor_context(instance=instance, cursor=cursor))
    return result.run_requests or [], result.cursor


def finish(sensors, instance, run):
    """Let the run-status sensors react to a finished run, as the daemon would."""
    status = DagsterEventType.RUN_SUCCESS if run.success else DagsterEventType.RUN_FAILURE
    record = instance.get_records_for_run(run.run_id, of_type=status).records[0]
    context = build_run_status_sensor_context(
        sensor_name="landing", dagster_event=record.event_log_entry.dagster_event, dagster_instance=instance,
        dagster_run=instance.get_run_by_id(run.run_id))
    if run.success:
        sensors["landed_file_published"](context)
    else:
        sensors["run_failed"](context.for_run_failure())


@pytest.fixture
def landing(refreshed):
    settings, defs, _ = refreshed
    sensors = {s.name: s for s in defs.sensors}
    settings.landing_dir.mkdir(parents=True, exist_ok=True)
    with DagsterInstance.ephemeral() as instance:
        yield settings, defs, sensors, instance


def test_new_edition_is_waited_for_ingested_published_archived_and_taken_once(landing):
    settings, defs, sensors, instance = landing
    spec = SOURCES_BY_NAME["ons_pfa_population_mid2024"]
    landed = settings.landing_dir / "pfa-population.csv"
    landed.write_text((DATA_DIR / spec.relative_path).read_text().replace("Lancashire,1601645", "Lancashire,1601700"))
    settle(landed)

    requests, cursor = tick(sensors["landing_zone"], instance)
    assert requests == [] and landed.exists()  # first sight: not yet known to have stopped changing
    os.utime(landed)  # written to again since: it changed between ticks
    requests, cursor = tick(sensors["landing_zone"], instance, cursor)
    assert requests == [] and landed.exists()
    settle(landed)  # quiet from now on: the next tick sees the change, the one after takes it
    requests, cursor = tick(sensors["landing_zone"], instance, cursor)
    assert requests == [] and landed.exists()
    requests, cursor = tick(sensors["landing_zone"], instance, cursor)
    assert len(requests) == 1 and not landed.exists()
    request = requests[0]
    try:
        run = defs.resolve_job_def("full_refresh").execute_in_process(
            run_config=request.run_config, tags=request.tags, instance=instance)
        assert run.success
        finish(sensors, instance, run)
        delivered = current_file(spec.name, settings.archive_dir, DATA_DIR / spec.relative_path)
        assert delivered.parent.name == request.run_key[:16] and delivered.name == "pfa-population.csv"
        with duckdb.connect(str(settings.published_db), read_only=True) as con:
            assert con.execute("SELECT denominator FROM force_rates WHERE area_code = 'E23000003' AND "
                               "period_end = '2025-06-30' AND measure = 'robbery'").fetchone()[0] == 1601700

        # the same content again: archived as a duplicate, no second run
        shutil.copy(delivered, landed)
        settle(landed)
        _, cursor = tick(sensors["landing_zone"], instance)
        requests, _ = tick(sensors["landing_zone"], instance, cursor)
        assert requests == [] and not landed.exists()
        assert list((settings.archive_dir / "duplicates").glob("*/pfa-population.csv"))
    finally:
        shutil.rmtree(settings.archive_dir, ignore_errors=True)
        assert defs.resolve_job_def("full_refresh").execute_in_process(
            asset_selection=[AssetKey(["raw", spec.name])]).success


def test_truncated_delivery_is_quarantined_with_its_error_and_an_alert(landing):
    settings, defs, sensors, instance = landing
    published_bytes = settings.published_db.read_bytes()
    text = (DATA_DIR / "ons" / "rec-crime-pfa.csv").read_text()
    landed = settings.landing_dir / "rec-crime-pfa-cut.csv"
    landed.write_text(text[: len(text) // 3])
    settle(landed)
    _, cursor = tick(sensors["landing_zone"], instance)
    [request], _ = tick(sensors["landing_zone"], instance, cursor)
    run = defs.resolve_job_def("full_refresh").execute_in_process(
        run_config=request.run_config, tags=request.tags, instance=instance, raise_on_error=False)
    assert not run.success
    finish(sensors, instance, run)
    [quarantined] = settings.quarantine_dir.glob("*/rec-crime-pfa-cut.csv")
    error = quarantined.with_name(quarantined.name + ".error.txt").read_text()
    assert "step raw__ons_rolling_crime_pfa failed" in error and "line" in error
    assert settings.published_db.read_bytes() == published_bytes
    with duckdb.connect(str(settings.alerts_db), read_only=True) as con:
        assert con.execute("SELECT run_id, landed_file FROM alerts").fetchall()[-1][0] == run.run_id


def test_police_uk_zip_is_unpacked_into_one_delivery_per_street_file(landing):
    settings, _, sensors, instance = landing
    landed = settings.landing_dir / "police-uk-2014-02.zip"
    with zipfile.ZipFile(landed, "w") as archive:  # data.police.uk's layout: a folder per month
        for month in ("2014-01", "2014-02"):
            with open(DATA_DIR / STREET.relative_path / f"{month}-lancashire-street.csv.gz", "rb") as handle:
                archive.writestr(f"{month}/{month}-lancashire-street.csv", gzip.decompress(handle.read()))
        archive.writestr("2014-02/2014-02-lancashire-outcomes.csv", "Crime ID,Month\n")  # not ingested
        archive.writestr("2014-02/2014-02-btp-street.csv", "")  # not a territorial force
    settle(landed)
    _, cursor = tick(sensors["landing_zone"], instance)
    requests, cursor = tick(sensors["landing_zone"], instance, cursor)
    assert requests == [] and not landed.exists()
    unpacked = sorted(path.name for path in settings.landing_dir.glob("*.csv"))
    assert unpacked == ["2014-01-lancashire-street.csv", "2014-02-lancashire-street.csv"]
    assert list((settings.archive_dir / "police_uk_archives").glob("*/police-uk-2014-02.zip"))
    try:
        for name in unpacked:
            settle(settings.landing_dir / name)
        _, cursor = tick(sensors["landing_zone"], instance, cursor)
        requests, _ = tick(sensors["landing_zone"], instance, cursor)
        # the session warehouse holds these months from the embedded gzip files: same rows, other bytes
        assert sorted(request.partition_key for request in requests) == ["lancashire|2014-01-01",
                                                                         "lancashire|2014-02-01"]
    finally:
        shutil.rmtree(settings.landing_dir)
        shutil.rmtree(settings.archive_dir, ignore_errors=True)
        settings.landing_dir.mkdir()


def test_file_of_unknown_kind_is_quarantined_listing_the_kinds(landing):
    settings, _, sensors, instance = landing
    landed = settings.landing_dir / "minutes.csv"
    landed.write_text("date,item\n2014-01-01,budget\n")
    settle(landed)
    _, cursor = tick(sensors["landing_zone"], instance)
    requests, _ = tick(sensors["landing_zone"], instance, cursor)
    assert requests == []
    error = (settings.quarantine_dir / "minutes.csv.error.txt").read_text()
    assert "could be one of" in error and "home_office_prc_pfa" in error and "inspection_reports" in error
