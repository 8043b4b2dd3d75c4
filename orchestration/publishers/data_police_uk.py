"""data.police.uk: the months it holds, from its `crimes-street-dates` list, and the monthly archive zip.

The list names the months the publisher holds now (newest first; it keeps 36), each with the forces that have
stop-and-search data that month. The archive of the newest month, `/data/archive/<YYYY-MM>.zip`, holds all 36 months
as `<YYYY-MM>/<YYYY-MM>-<force>-street.csv`, `-outcomes.csv` and `-stop-and-search.csv`: one download brings every
month wanted. The zip is read member by member (never extracted whole), under the landing zone's size limits; a
month's street files go to the landing zone (unless their content is held already), its outcomes and stop-and-search
files to the archive, gzipped, for marts to come. A month the publisher no longer lists stays where it is.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import shutil
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from orchestration.publishers.feeds import Edition, Feed, Fetched, Place, land
from orchestration.publishers.http import Client, PublisherError
from orchestration.settings import ZIP_MEMBER_MAX_BYTES, publisher_url

MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
MEMBER = re.compile(r"(?:.*/)?(?P<month>\d{4}-\d{2})-(?P<force>[a-z-]+)-(?P<kind>street|outcomes|stop-and-search)\.csv")
KEPT = "police_uk_other"  # the archive folder of the outcomes and stop-and-search files, by month


class PoliceUkArchive(Feed):
    publisher = "data.police.uk"

    def __init__(self, source: str):
        self.source = source

    def describe(self) -> str:
        return (f"{self.publisher}: the months listed by {publisher_url(self.publisher)}/api/crimes-street-dates, "
                "from the newest monthly archive zip")

    def editions(self, client: Client) -> list[Edition]:
        base = publisher_url(self.publisher)
        url = f"{base}/api/crimes-street-dates"
        listed, _ = client.get_json(self.publisher, url)
        if not isinstance(listed, list) or not listed:
            raise PublisherError(self.publisher, url, f"expected a list of months, got {str(listed)[:120]!r}")
        months = []
        for entry in listed:
            if not isinstance(entry, dict) or "date" not in entry:
                keys = sorted(entry) if isinstance(entry, dict) else type(entry).__name__
                raise PublisherError(self.publisher, url, f"an entry without its \"date\" field (it has {keys}): the "
                                     "list's format changed")
            if not MONTH.fullmatch(str(entry["date"])):
                raise PublisherError(self.publisher, url, f"\"date\" is {entry['date']!r}, not a month YYYY-MM")
            months.append(entry["date"])
        newest = max(months)
        return [Edition(self.source, month, month, f"{base}/data/archive/{newest}.zip", f"{newest}.zip", month)
                for month in sorted(months)]

    def fetch(self, client: Client, editions: list[Edition], place: Place,
              progress: Callable[[int], None] = lambda done: None) -> list[Fetched]:
        if not editions:
            return []
        wanted = {edition.key: edition for edition in editions}
        newest = max(editions, key=lambda edition: edition.key)
        download = client.download(self.publisher, newest.url, place.work / newest.file_name, expect="zip")
        try:
            fetched = []
            with zipfile.ZipFile(download.path) as archive:
                for info in archive.infolist():
                    match = MEMBER.fullmatch(info.filename)
                    if info.is_dir() or not match or match["month"] not in wanted:
                        continue
                    if info.file_size > ZIP_MEMBER_MAX_BYTES:
                        raise PublisherError(self.publisher, newest.url, f"{info.filename} would be "
                                             f"{info.file_size:,} bytes unpacked, over the limit of "
                                             f"{ZIP_MEMBER_MAX_BYTES:,} (FORCESTAT_ZIP_MEMBER_MAX_BYTES)")
                    fetched.append(self._take(archive, info, match, wanted[match["month"]], download.url, place))
                    progress(1)
        finally:
            download.path.unlink(missing_ok=True)
        return fetched

    def _take(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, match: re.Match, edition: Edition, url: str,
              place: Place) -> Fetched:
        """One member: a street file staged for the landing zone (written in the work folder; it lands with the
        rest once the zip is read), another to the archive gzipped; a street file whose content is held already only
        recorded."""
        started = time.perf_counter()
        name = Path(info.filename).name
        unpacked = place.work / name
        digest = hashlib.sha256()
        with archive.open(info) as source, open(unpacked, "wb") as sink:
            while block := source.read(1 << 20):
                digest.update(block)
                sink.write(block)
        sha256 = digest.hexdigest()
        if match["kind"] != "street":
            target = place.archive / KEPT / match["month"] / f"{name}.gz"
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(unpacked, "rb") as source, gzip.open(target, "wb") as sink:
                shutil.copyfileobj(source, sink)
            unpacked.unlink()
            landed = False
        else:
            target, landed = land(unpacked, sha256, place)
        return Fetched(edition, f"{url}#{info.filename}", target, sha256, info.file_size,
                       time.perf_counter() - started, landed)
