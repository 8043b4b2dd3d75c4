"""The fetch, against the local publishers' server (tests/publishers/): on a freshly refreshed warehouse,
- the backfill of every month data.police.uk holds (the real national January and February 2014, and Lancashire's
  March to October, held already): files, rows and bytes a second, and the seconds from the fetch's start to the
  months' publication (the landing sensor's look and the run, in this process);
- the Home Office's current recorded crime ODS and outcomes XLSX, and Nomis' population pages: seconds each, to
  the landing zone and through their runs;
- a quiet night: every source's lists asked again, nothing new: requests, seconds, nothing downloaded;
beside bare Python reading the same zip's street files.

Usage: python tests/benchmarks/fetch_publishers.py
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT))

from tests.helpers import Daemonless, settings_for  # noqa: E402
from tests.publishers.server import (  # noqa: E402
    ODS_TYPE,
    XLSX_TYPE,
    Publishers,
    environment,
    home_office_editions,
    serve,
)


def rows_of(paths: list[Path]) -> int:
    return sum(path.read_bytes().count(b"\n") - 1 for path in paths)


def main() -> None:
    from orchestration.cli.refresh import refresh
    from orchestration.definitions import build_defs
    from orchestration.deliveries import KINDS_BY_NAME
    from orchestration.fetch.fetching import client_for, fetch_kind, place_for
    from orchestration.operations.instance import open_instance

    folder = Path(tempfile.mkdtemp(prefix="forcestat-fetch-bench-"))
    publishers = Publishers(police_uk_latest="2014-10")
    files = home_office_editions(folder / "home-office")
    publishers.attach("Police recorded crime open data: police force area tables", files["prc"], ODS_TYPE)
    publishers.attach("Crime outcomes open data, year ending March 2025", files["outcomes"], XLSX_TYPE)
    server = serve(publishers)
    os.environ.update(environment(server))
    settings = settings_for(folder / "warehouse")
    assert refresh(settings) == 0
    archive = publishers.archive("2014-10")
    print(f"\nthe publisher's archive 2014-10.zip: {len(archive) / 1e6:.1f} MB")

    warehouse = Daemonless(settings, build_defs(settings), open_instance(settings))
    for source in ("police_uk_street", "home_office_prc_pfa", "home_office_outcomes", "ons_population_series"):
        client = client_for(settings)
        publication = os.readlink(settings.published_db)
        started = time.perf_counter()
        with place_for(settings) as place:
            report = fetch_kind(KINDS_BY_NAME[source], settings, client, place)
        fetched = time.perf_counter() - started
        assert report.error is None, report.error
        landed = [f.path for f in report.landed]
        rows = None if source.startswith("home_office") else rows_of(landed)  # workbooks are not text
        size = sum(f.bytes for f in report.files)
        runs = warehouse.take_landed()
        published = time.perf_counter() - started
        assert all(run.success for run in runs), source
        rate = f", {len(landed) / fetched:.1f} files/s, {rows / fetched:,.0f} rows/s" if rows else ""
        outcome = ("published" if os.readlink(settings.published_db) != publication else
                   "found to hold the rows held already, not republished")
        print(f"{source:<22} {len(report.new):>3} editions new, {len(report.files):>3} files ({len(landed)} landed, "
              f"{size / 1e6:.1f} MB) fetched in {fetched:5.1f} s{rate}; {outcome} {published:5.1f} s after the "
              f"fetch began ({len(runs)} runs); {report.requests} requests")

    requests_before = len(publishers.log)
    started = time.perf_counter()
    client = client_for(settings)
    with place_for(settings) as place:
        quiet = [fetch_kind(KINDS_BY_NAME[source], settings, client, place) for source in
                 ("police_uk_street", "home_office_prc_pfa", "home_office_outcomes", "ons_population_series")]
    seconds = time.perf_counter() - started
    asked = publishers.log[requests_before:]
    assert not any(report.new for report in quiet) and not any(report.files for report in quiet)
    print(f"quiet night: {len(asked)} requests ({sum(status == 304 for _, status in asked)} answered 304, "
          f"{sum(len(p) for p, _ in asked)} characters of addresses), nothing downloaded, {seconds:.2f} s")

    started = time.perf_counter()
    with zipfile.ZipFile(io.BytesIO(archive)) as bare:
        members = [bare.read(info) for info in bare.infolist() if info.filename.endswith("-street.csv")]
    print(f"bare Python: the zip's {len(members)} street files read in {time.perf_counter() - started:.1f} s")
    server.shutdown()


if __name__ == "__main__":
    main()
