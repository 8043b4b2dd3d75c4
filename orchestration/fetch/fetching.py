"""Fetching every source's new editions from its publisher into the landing zone, where the sensor, the gate and the
publication take over: the fetch has no ingest path of its own.

For each kind of delivery with a feed: list the editions its publisher holds now (conditional requests: a quiet
night costs a few small requests), note the newest (for the freshness checks), download the editions not fetched
before, and record each file's address, edition and sha256 (warehouse/fetch/). A publisher that fails or changed is
reported with its address and what was wrong, and the other sources are still fetched; nothing published changes.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from orchestration.publishers.feeds import Edition, Fetched, Place
from orchestration.publishers.http import Client, PublisherError
from orchestration.settings import Settings
from orchestration.warehouse.archive import archived_sha256s, embedded_sha256s
from orchestration.warehouse.fetched import fetched_editions, record_fetched, record_newest
from orchestration.warehouse.kinds import DeliveryKind


@dataclass
class SourceFetch:
    kind: str
    publisher: str
    listed: list[Edition] = field(default_factory=list)  # what the publisher holds now
    new: list[Edition] = field(default_factory=list)  # not fetched before (and within --since)
    files: list[Fetched] = field(default_factory=list)
    error: PublisherError | None = None
    requests: int = 0
    seconds: float = 0.0

    @property
    def landed(self) -> list[Fetched]:
        return [file for file in self.files if file.landed]

    def describe(self) -> str:
        if self.error:
            return f"{self.kind}: FAILED: {self.error}"
        newest = max((e.edition for e in self.listed), default="nothing")
        return (f"{self.kind}: {len(self.listed)} editions listed (newest {newest}), {len(self.new)} new, "
                f"{len(self.landed)} files landed, {len(self.files) - len(self.landed)} kept or held already; "
                f"{self.requests} requests, {self.seconds:.1f} s")


def fetch_kind(kind: DeliveryKind, settings: Settings, client: Client, place: Place, since: str | None = None,
               dry_run: bool = False, progress: Callable[[int], None] = lambda done: None) -> SourceFetch:
    """One source's fetch (since: only editions covering months from YYYY-MM on; dry_run: list, download nothing)."""
    report = SourceFetch(kind.name, kind.feed.publisher)
    started, requests = time.perf_counter(), client.requests
    try:
        report.listed = kind.feed.editions(client)
        newest = max(report.listed, key=lambda edition: edition.edition)
        record_newest(settings.fetch_dir, kind.name, newest.edition, newest.url)
        done = fetched_editions(settings.fetch_dir)
        report.new = [edition for edition in report.listed if (kind.name, edition.key, edition.edition) not in done
                      and (since is None or edition.period is None or edition.period >= since)]
        if report.new and not dry_run:
            report.files = kind.feed.fetch(client, report.new, place, progress)
            place.land_staged()
            # every file, and every edition that brought none (a month the archive holds no file of), so the next
            # fetch does not ask for it again
            with_files = {(f.edition.key, f.edition.edition) for f in report.files}
            record_fetched(settings.fetch_dir, [{
                "source": kind.name, "key": f.edition.key, "edition": f.edition.edition, "url": f.url,
                "file": f.path.name, "sha256": f.sha256, "bytes": f.bytes, "seconds": round(f.seconds, 3),
                "landed": f.landed} for f in report.files] + [{
                "source": kind.name, "key": e.key, "edition": e.edition, "url": e.url, "file": None, "sha256": None,
                "bytes": 0, "seconds": 0, "landed": False} for e in report.new if (e.key, e.edition) not in with_files])
    except PublisherError as error:
        report.error = error
        place.staged.clear()  # nothing of a failed fetch lands; its downloads go with the work folder
    report.requests, report.seconds = client.requests - requests, time.perf_counter() - started
    return report


@contextmanager
def place_for(settings: Settings) -> Iterator[Place]:
    """The landing zone and the archive of this warehouse, a work folder of this fetch's own (removed after it), and
    the content held: what the archive and the embedded files hold."""
    known = archived_sha256s(settings.archive_dir) | embedded_sha256s(settings.data_dir)
    settings.landing_dir.mkdir(parents=True, exist_ok=True)
    (settings.fetch_dir / "downloads").mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=settings.fetch_dir / "downloads"))
    try:
        yield Place(settings.landing_dir, settings.archive_dir, work, lambda sha256: sha256[:16] in known)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def client_for(settings: Settings) -> Client:
    return Client(settings.fetch_dir / "http")
