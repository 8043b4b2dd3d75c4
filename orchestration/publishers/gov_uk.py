"""GOV.UK: a page's attachments, from the Content API (`/api/content/<path of the page>`), matched by file name.

Attachments carry no date of their own: a new edition is a new attachment (a new address and a file name ending in
its publication date, DDMMYY), never a fixed file address. The page is asked for conditionally, so a quiet night is
one small request answered 304. A page whose attachment list is missing, or holds no file named as expected, is a
publisher that changed: the refusal says what it found instead.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import datetime

from orchestration.publishers.feeds import Edition, Feed, Fetched, Place, land
from orchestration.publishers.http import Client, PublisherError
from orchestration.settings import publisher_url


class GovUkAttachments(Feed):
    publisher = "GOV.UK"

    def __init__(self, source: str, page: str, file_name: str, part: Callable[[re.Match], str | None] = lambda m: None,
                 period: Callable[[re.Match], str | None] = lambda m: None):
        """file_name: a regular expression of the attachments' names, whose group "date" is the DDMMYY they end in;
        part and period tell from the name which part of the source a file is and the last month it covers."""
        self.source, self.page, self.file_name = source, page, re.compile(file_name)
        self.part, self.period = part, period

    def describe(self) -> str:
        return f"GOV.UK: the attachments of {self.page} named like {self.file_name.pattern}"

    def editions(self, client: Client) -> list[Edition]:
        url = f"{publisher_url(self.publisher)}/api/content{self.page}"
        item, _ = client.get_json(self.publisher, url)
        attachments = item.get("details", {}).get("attachments") if isinstance(item, dict) else None
        if not isinstance(attachments, list):
            found = sorted(item.get("details", {})) if isinstance(item, dict) else type(item).__name__
            raise PublisherError(self.publisher, url, f"the content item has no details.attachments list (details "
                                 f"holds {found}): the Content API's format changed")
        newest: dict[str | None, Edition] = {}
        names = []
        for attachment in attachments:
            if not isinstance(attachment, dict) or "url" not in attachment:
                raise PublisherError(self.publisher, url, f"an attachment without its \"url\" (it has "
                                     f"{sorted(attachment) if isinstance(attachment, dict) else attachment!r})")
            name = attachment.get("filename") or attachment["url"].rsplit("/", 1)[-1]
            names.append(name)
            match = self.file_name.fullmatch(name)
            if not match:
                continue
            published = datetime.strptime(match["date"], "%d%m%y").date().isoformat()
            edition = Edition(self.source, self.part(match), published, attachment["url"], name, self.period(match))
            held = newest.get(edition.key)
            if held is None or held.edition < edition.edition:
                newest[edition.key] = edition
        if not newest:
            raise PublisherError(self.publisher, url, f"no attachment named like {self.file_name.pattern!r} among "
                                 f"the {len(names)} it lists: {names[:12]}")
        return sorted(newest.values(), key=lambda edition: (edition.key or "", edition.edition))

    def fetch(self, client: Client, editions: list[Edition], place: Place,
              progress: Callable[[int], None] = lambda done: None) -> list[Fetched]:
        fetched = []
        for edition in editions:
            started = time.perf_counter()
            download = client.download(self.publisher, edition.url, place.work / edition.file_name, expect="zip")
            path, landed = land(download.path, download.sha256, place)
            fetched.append(Fetched(edition, edition.url, path, download.sha256, download.bytes,
                                   time.perf_counter() - started, landed))
            progress(1)
        return fetched
