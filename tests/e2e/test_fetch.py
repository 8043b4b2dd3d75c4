"""Fetching the publishers' new editions, against a local server that answers as data.police.uk, GOV.UK and Nomis do
(tests/publishers/): what a fetch lands, what it records, and every fault a publisher can throw, each losing nothing
and saying what was wrong. The runs that load what was fetched are the landing zone's own (Daemonless here; the
daemon's whole night is tests/e2e/test_daemon_fetch.py)."""

from __future__ import annotations

import os

import pytest

from orchestration.deliveries import KINDS_BY_NAME
from orchestration.fetch.fetching import client_for, fetch_kind, place_for
from orchestration.publishers import http
from orchestration.warehouse.fetched import fetched, state
from tests.helpers import published
from tests.publishers import content
from tests.publishers.server import ODS_TYPE, XLSX_TYPE, Fault

STREET, PRC, OUTCOMES, POPULATION = "police_uk_street", "home_office_prc_pfa", "home_office_outcomes", \
    "ons_population_series"


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    """Retries and timeouts at test pace (the real ones wait seconds to a minute)."""
    monkeypatch.setattr(http, "HTTP_BACKOFF_SECONDS", 0.01)
    monkeypatch.setattr(http, "HTTP_TIMEOUT_SECONDS", (2.0, 5.0))


def fetch(settings, source, since=None, dry_run=False, progress=lambda done: None):
    client = client_for(settings)
    try:
        with place_for(settings) as place:
            return fetch_kind(KINDS_BY_NAME[source], settings, client, place, since, dry_run, progress)
    finally:
        client.close()


def landed(settings) -> list[str]:
    return sorted(path.name for path in settings.landing_dir.glob("*") if path.is_file())


def test_a_first_fetch_backfills_every_month_held_a_quiet_night_downloads_nothing_and_a_deleted_month_stays(
        warehouse, publishers):
    settings = warehouse.settings
    while_reading = []  # the landing zone's files after each member of the zip
    report = fetch(settings, STREET, progress=lambda done: while_reading.append(len(landed(settings))))
    assert report.error is None and len(report.listed) == 36  # the publisher keeps three years
    # every month listed is new; the zip of the newest holds two with files (all of them national)
    assert len(report.new) == 36 and {f.edition.key for f in report.files} == {"2014-01", "2014-02"}
    # Lancashire's January and February are held (embedded): recorded, not landed again
    lancashire = [f for f in report.files if "lancashire" in f.path.name]
    assert len(lancashire) == 2 and not any(f.landed for f in lancashire)
    assert len(landed(settings)) == 80 and len(report.landed) == 80
    # nothing lands while the zip is read; then every file at once, with one time, for the sensor to take in one look
    assert len(while_reading) > 80 and set(while_reading) == {0}
    assert len({path.stat().st_mtime for path in settings.landing_dir.glob("*") if path.is_file()}) == 1
    assert publishers.requests_to(r"/store/archive/2014-02\.zip") == [("/store/archive/2014-02.zip", 200)]
    runs = warehouse.take_landed()
    assert [run.success for run in runs] == [True]  # a backfill is one run
    kent = published(settings, "SELECT fetched_from, edition FROM publication_sources "
                               "WHERE partition_key = 'kent|2014-01'")
    base = os.environ["FORCESTAT_DATA_POLICE_UK_URL"]
    assert kent == [(f"{base}/data/archive/2014-02.zip#2014-01/2014-01-kent-street.csv", "2014-01")]
    assert published(settings, "SELECT fetched_from FROM publication_sources "
                               "WHERE partition_key = 'lancashire|2014-03'") == [(None,)]  # embedded, not fetched

    before = len(publishers.log)
    quiet = fetch(settings, STREET)
    assert (quiet.error, quiet.new, quiet.files) == (None, [], [])
    assert publishers.log[before:] == [("/api/crimes-street-dates", 304)]  # one small request, answered 304
    assert warehouse.take_landed() == []

    # three years on, January 2014 has left the publisher's list; nothing is removed here, nothing fetched again
    held = published(settings, "SELECT count(*) FROM publication_sources WHERE partition_key LIKE '%|2014-01'")
    publishers.police_uk_latest = "2017-01"
    later = fetch(settings, STREET)
    assert "2014-01" not in {e.key for e in later.listed} and "2014-02" in {e.key for e in later.listed}
    assert later.error is None and later.landed == [] and warehouse.take_landed() == []
    assert published(settings, "SELECT count(*) FROM publication_sources WHERE partition_key LIKE '%|2014-01'") \
        == held
    assert list((settings.archive_dir / STREET / "kent" / "2014-01").glob("*/2014-01-kent-street.csv"))


def test_the_embedded_month_delivered_again_is_not_loaded_or_published_again(warehouse, publishers):
    from tests.helpers import DATA_DIR, plain_copy

    settings = warehouse.settings
    before = published(settings, "SELECT published_at FROM publication")
    plain_copy(DATA_DIR / "police-uk" / "street" / "2014-03-lancashire-street.csv.gz", settings.landing_dir)
    assert warehouse.take_landed() == []  # no run: the content is the embedded file's (unzipped)
    assert list((settings.archive_dir / "duplicates").glob("*/2014-03-lancashire-street.csv"))
    assert published(settings, "SELECT published_at FROM publication") == before


def test_the_home_office_files_are_found_by_name_on_the_page_and_the_alternate_file_is_not(
        warehouse, publishers, home_office_files, tmp_path):
    settings = warehouse.settings
    alternate = tmp_path / "prc-outcomes-alternate-open-data-mar2025-tables-240725.ods"
    alternate.write_bytes(home_office_files["prc"].read_bytes())
    publishers.attach("Alternate outcomes (double counts with the main file)", alternate, ODS_TYPE)
    publishers.attach("Crime outcomes open data, year ending March 2025", home_office_files["outcomes"], XLSX_TYPE)
    publishers.attach("Police recorded crime: police force area", home_office_files["prc"], ODS_TYPE)
    outcomes = fetch(settings, OUTCOMES)
    assert [(e.key, e.edition) for e in outcomes.listed] == [("2024/25", "2025-07-24")]
    assert landed(settings) == ["prc-outcomes-open-data-mar2025-tables-240725.xlsx"]
    prc = fetch(settings, PRC)
    assert [e.edition for e in prc.listed] == ["2026-04-23"]
    assert not publishers.requests_to("alternate")
    # both hold the rows the warehouse holds already (the embedded CSVs): loaded, found the same, not published
    before = published(settings, "SELECT published_at FROM publication")
    runs = warehouse.take_landed()
    assert len(runs) == 2 and all(run.success for run in runs)
    assert published(settings, "SELECT published_at FROM publication") == before
    assert sorted(p.name for p in (settings.archive_dir / "duplicates").glob("*/prc-*")) == [
        "prc-outcomes-open-data-mar2025-tables-240725.xlsx", "prc-pfa-mar2013-onwards-tables-230426.ods"]
    assert fetch(settings, PRC).new == []  # the same edition is not fetched twice


def test_nomis_pages_are_joined_into_one_edition(warehouse, publishers, monkeypatch):
    from orchestration.publishers import nomis

    settings = warehouse.settings
    publishers.page_rows = 5_000  # a smaller limit than Nomis' 25,000, so the real extract takes several pages
    monkeypatch.setattr(nomis, "PAGE_ROWS", 5_000)
    report = fetch(settings, POPULATION)
    assert report.error is None and [e.edition for e in report.listed] == ["mid-2023"]
    [file] = report.files
    lines = file.path.read_text().splitlines()
    assert lines[0] == "geography_code,geography_name,date,value,Measure"
    served = [row for row in content.nomis_rows(2023) if row["GEOGRAPHY_TYPE"] in ("TYPE424", "TYPE499")]
    assert len(lines) - 1 == len(served) > 5_000  # every row, from several pages
    assert len(publishers.requests_to(r"NM_2002_1.data.csv.*recordoffset")) == len(served) // 5_000 + 1
    assert state(settings.fetch_dir)[POPULATION]["newest"] == "mid-2023"


FAULTS = [
    ("500 then success", Fault(r"/api/crimes-street-dates", "status", times=2, status=500), None),
    ("a timeout", Fault(r"/api/crimes-street-dates", "timeout", seconds=6), None),
    ("429 with Retry-After", Fault(r"/api/crimes-street-dates", "status", status=429, retry_after=1), None),
    ("a truncated body", Fault(r"/store/archive/", "truncate"), None),
    ("status 200 with an HTML page", Fault(r"/store/archive/", "html"), None),
    ("5xx on every try", Fault(r"/api/crimes-street-dates", "status", times=99, status=503),
     "answered HTTP 503"),
    ("a renamed JSON field", Fault(r"/api/crimes-street-dates", "rename", times=99, rename=("date", "month")),
     'an entry without its "date" field'),
    ("an HTML page every time", Fault(r"/store/archive/", "html", times=99), "an HTML page arrived where a zip"),
]


@pytest.mark.parametrize("case, fault, error", FAULTS, ids=[case for case, *_ in FAULTS])
def test_a_publisher_that_fails_loses_nothing_and_says_what_was_wrong(warehouse, publishers, case, fault, error):
    settings = warehouse.settings
    publishers.police_uk_latest = "2014-01"
    publishers.faults.append(fault)
    report = fetch(settings, STREET)
    if error is None:  # retried: the fetch gets through
        assert report.error is None and len(report.landed) == 40, case
        assert not list(settings.fetch_dir.glob("downloads/*/*"))  # no partial file left
        return
    assert report.error is not None and error in str(report.error), str(report.error)
    assert report.error.publisher == "data.police.uk" and "127.0.0.1" in report.error.url
    assert landed(settings) == [] and fetched(settings.fetch_dir) == []  # nothing landed, nothing recorded
    publishers.faults.clear()  # the publisher recovers: the next fetch brings the month
    assert len(fetch(settings, STREET).landed) == 40


def test_a_page_without_the_attachment_is_a_publisher_that_changed(warehouse, publishers, home_office_files):
    settings = warehouse.settings
    publishers.attach("Police recorded crime: police force area", home_office_files["prc"], ODS_TYPE)
    publishers.withdraw(home_office_files["prc"].name)
    report = fetch(settings, PRC)
    assert "no attachment named like" in str(report.error) and "GOV.UK" in str(report.error)
    assert landed(settings) == []
