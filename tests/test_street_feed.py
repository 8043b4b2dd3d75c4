"""The data.police.uk street feed end to end through the real sensors, jobs and automation: months dropped into the
landing zone one at a time, each ingested as its own partition, carried downstream by the automation sensor through
the quality gate into the published file."""

import csv
import gzip
import shutil
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance, build_sensor_context

from orchestration.refresh import refresh
from orchestration.settings import Settings
from orchestration.street import STREET
from tests.conftest import DATA_DIR
from tests.test_landing import finish, settle, tick

STREET_DIR = DATA_DIR / STREET.relative_path
MONTHS = [f"2014-{month:02d}" for month in range(1, 11)]


def delivered_file(month: str, target_dir) -> Path:
    """A month as data.police.uk delivers it: plain CSV (the embedded copies are gzipped)."""
    target = target_dir / f"{month}-lancashire-street.csv"
    with gzip.open(STREET_DIR / f"{month}-lancashire-street.csv.gz", "rb") as source, open(target, "wb") as sink:
        shutil.copyfileobj(source, sink)
    return target


def relabelled(month: str, as_month: str, target_dir) -> Path:
    """A real month's rows relabelled as another month: a delivery no other test makes."""
    target = target_dir / f"{as_month}-lancashire-street.csv"
    with gzip.open(STREET_DIR / f"{month}-lancashire-street.csv.gz", "rt", newline="") as source:
        target.write_text(source.read().replace(f",{month},", f",{as_month},"))
    return target


def automate(defs, instance, cursor):
    """Tick the declarative-automation sensor and run what it requests, as the daemon would, until it rests."""
    sensor = defs.get_sensor_def("downstream_automation")
    runs = []
    for _ in range(4):
        tick_data = sensor.evaluate_tick(build_sensor_context(instance=instance, definitions=defs, cursor=cursor))
        cursor = tick_data.cursor
        if not tick_data.run_requests:
            return runs, cursor
        for request in tick_data.run_requests:
            run = defs.resolve_implicit_global_asset_job_def().execute_in_process(
                asset_selection=list(request.asset_selection), tags=request.tags, instance=instance,
                raise_on_error=False)
            runs.append(run)
    raise AssertionError("the automation sensor kept requesting runs")


def materialized(run) -> list[str]:
    return sorted(event.asset_key.to_user_string() for event in run.get_asset_materialization_events())


@pytest.fixture(scope="module")
def empty_feed(tmp_path_factory):
    """A published warehouse of the embedded data without any street month."""
    from orchestration.definitions import build_defs

    data_dir = tmp_path_factory.mktemp("data")
    for entry in DATA_DIR.iterdir():
        if entry.name != STREET.relative_path.split("/")[0]:
            (data_dir / entry.name).symlink_to(entry)
    settings = Settings.for_warehouse(tmp_path_factory.mktemp("warehouse"), data_dir=data_dir)
    defs = build_defs(settings)
    sensors = {s.name: s for s in defs.sensors}
    settings.landing_dir.mkdir(parents=True, exist_ok=True)
    with DagsterInstance.ephemeral() as instance:
        outcome = refresh(defs, instance, settings)
        assert outcome.success and outcome.street_runs == []
        # the running daemon has ticked the automation sensor since: its first tick only takes stock
        runs, cursor = automate(defs, instance, None)
        assert runs == []
        sensors["automation_cursor"] = cursor
        yield settings, defs, sensors, instance


def published(settings, query):
    with duckdb.connect(str(settings.published_db), read_only=True) as con:
        return con.execute(query).fetchall()


def test_ten_months_dropped_one_at_a_time_are_ten_ingests_and_published(empty_feed, tmp_path):
    settings, defs, sensors, instance = empty_feed
    landing_cursor, automation_cursor = None, sensors["automation_cursor"]
    for month in MONTHS:
        landed = delivered_file(month, settings.landing_dir)
        settle(landed)
        _, landing_cursor = tick(sensors["landing_zone"], instance, landing_cursor)
        [request], landing_cursor = tick(sensors["landing_zone"], instance, landing_cursor)
        assert request.job_name == "street_ingest" and request.partition_key == f"lancashire|{month}-01"
        ingest = defs.resolve_job_def(request.job_name).execute_in_process(
            partition_key=request.partition_key, run_config=request.run_config, tags=request.tags, instance=instance)
        assert materialized(ingest) == ["raw/police_uk_street"]  # one partition, nothing downstream
        finish(sensors, instance, ingest)
        downstream, automation_cursor = automate(defs, instance, automation_cursor)
        assert downstream and all(run.success for run in downstream)
        assert "published/forcestat_duckdb" in materialized(downstream[-1])  # after the gate passed
        # published incrementally: only the new month's rows were written into the copy of the published file
        [publish] = [e for e in downstream[-1].get_asset_materialization_events()
                     if e.asset_key.to_user_string() == "published/forcestat_duckdb"]
        replaced = publish.materialization.metadata["incremental_rows_replaced"].value
        assert replaced["street_crime_monthly"] == published(
            settings, f"SELECT count(*) FROM street_crime_monthly WHERE month = '{month}-01'")[0][0]
    sensors["automation_cursor"] = automation_cursor

    loads = published(settings, "SELECT partition_key, rows FROM publication_sources WHERE source = 'police_uk_street' "
                                "ORDER BY partition_key")
    assert [key for key, _ in loads] == [f"lancashire|{month}-01" for month in MONTHS]
    for (_, rows), month in zip(loads, MONTHS):  # each ingest loaded exactly its own month's file
        with gzip.open(STREET_DIR / f"{month}-lancashire-street.csv.gz", "rt") as handle:
            assert rows == sum(1 for _ in handle) - 1
    assert published(settings, """SELECT sum(incident_count) FROM street_crime_monthly
                                  WHERE area_code = 'E23000003' AND crime_type = 'Anti-social behaviour'
                                  AND month BETWEEN '2014-01-01' AND '2014-06-01'""") == [(36972,)]
    assert published(settings, "SELECT sum(incident_count) FROM street_crime_lsoa_monthly") == \
        published(settings, "SELECT sum(incident_count) FROM street_crime_monthly")
    # ten months are not twelve: no 12-month ASB rate yet
    assert published(settings, "SELECT count(*) FROM force_rates WHERE measure = 'asb_incidents'") == [(0,)]


def test_truncated_month_is_quarantined_naming_the_line_and_the_next_good_file_still_goes_in(empty_feed):
    settings, defs, sensors, instance = empty_feed
    published_bytes = settings.published_db.read_bytes()
    good = relabelled("2014-03", "2014-12", settings.landing_dir.parent)
    text = good.read_text()
    cut = settings.landing_dir / "2014-12-lancashire-street-cut.csv"
    cut.write_text(text[: len(text) // 2])  # a copy stopped mid-row, as an interrupted transfer leaves it
    settle(cut)
    _, cursor = tick(sensors["landing_zone"], instance)
    [request], cursor = tick(sensors["landing_zone"], instance, cursor)
    run = defs.resolve_job_def(request.job_name).execute_in_process(
        partition_key=request.partition_key, run_config=request.run_config, tags=request.tags, instance=instance,
        raise_on_error=False)
    assert not run.success
    finish(sensors, instance, run)
    [quarantined] = settings.quarantine_dir.glob("*/2014-12-lancashire-street-cut.csv")
    error = quarantined.with_name(quarantined.name + ".error.txt").read_text()
    cut_line = text[: len(text) // 2].count("\n") + 1
    assert f"Line: {cut_line}" in error and "Expected Number of Columns: 12" in error
    assert settings.published_db.read_bytes() == published_bytes

    # the next good file is ingested as usual
    shutil.move(good, settings.landing_dir / good.name)
    settle(settings.landing_dir / good.name)
    _, cursor = tick(sensors["landing_zone"], instance, cursor)
    [request], _ = tick(sensors["landing_zone"], instance, cursor)
    assert request.partition_key == "lancashire|2014-12-01"
    assert defs.resolve_job_def(request.job_name).execute_in_process(
        partition_key=request.partition_key, run_config=request.run_config, tags=request.tags,
        instance=instance).success


def test_same_month_dropped_twice_is_ingested_once(empty_feed):
    settings, defs, sensors, instance = empty_feed
    requests = []
    for _ in ("first copy", "second copy"):
        landed = relabelled("2014-05", "2014-11", settings.landing_dir)
        settle(landed)
        _, cursor = tick(sensors["landing_zone"], instance)
        new, _ = tick(sensors["landing_zone"], instance, cursor)
        for request in new:
            run = defs.resolve_job_def(request.job_name).execute_in_process(
                partition_key=request.partition_key, run_config=request.run_config, tags=request.tags,
                instance=instance)
            finish(sensors, instance, run)
        requests += new
        assert not landed.exists()
    assert [request.partition_key for request in requests] == ["lancashire|2014-11-01"]
    assert len(list((settings.archive_dir / "duplicates").glob("*/2014-11-lancashire-street.csv"))) == 1
    with duckdb.connect(str(settings.build_db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM raw._loads WHERE partition_key = 'lancashire|2014-11-01'"
                           ).fetchone() == (1,)


def asb_in(path: Path) -> int:
    with open(path, newline="") as handle:
        return sum(1 for row in csv.DictReader(handle) if row["Crime type"] == "Anti-social behaviour")


def test_asb_rate_appears_once_twelve_months_are_held_and_only_for_that_force(empty_feed, tmp_path):
    settings, defs, sensors, instance = empty_feed
    # January to October as delivered, November and December made from May and June (no real ones are held)
    files = [delivered_file(month, tmp_path) for month in MONTHS]
    files += [relabelled("2014-05", "2014-11", tmp_path), relabelled("2014-06", "2014-12", tmp_path)]
    job = defs.resolve_job_def("street_ingest")
    for path in files:  # a month already loaded with this content is a no-op
        assert job.execute_in_process(partition_key=f"lancashire|{path.name[:7]}-01", instance=instance,
                                      run_config={"ops": {"raw__police_uk_street": {"config": {"path": str(path)}}}}
                                      ).success
    downstream, sensors["automation_cursor"] = automate(defs, instance, sensors["automation_cursor"])
    assert downstream and all(run.success for run in downstream)

    rows = published(settings, """SELECT area_code, period_start, period_end, offences, denominator_mid_year,
                                         rate_per_1000, ew_rate_per_1000, region_rate_per_1000, crime_source
                                  FROM force_rates WHERE measure = 'asb_incidents'""")
    [(area, start, end, incidents, mid_year, rate, ew_rate, region_rate, source)] = rows
    assert (area, str(start), str(end), source) == ("E23000003", "2014-01-01", "2014-12-31", "police_uk_street")
    assert incidents == sum(asb_in(path) for path in files)
    population = published(settings, "SELECT denominator FROM force_rates WHERE area_code = 'E23000003' AND "
                                     "period_end = '2014-12-31' AND measure = 'crime_excluding_fraud'")[0][0]
    assert mid_year == 2014 and rate == pytest.approx(1000 * incidents / population)
    # one force of 43 (and of the North West's five): no England and Wales or regional ASB figure
    assert ew_rate is None and region_rate is None
