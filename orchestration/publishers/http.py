"""Talking to a publisher over HTTP the way a good citizen does, and trusting nothing it sends until it is checked.

- Every request has timeouts; a connection error or a 429/5xx answer is retried by urllib3's Retry, with exponential
  backoff and the publisher's own Retry-After when it gives one; every host is paced at data.police.uk's published
  limit (15 requests a second, bursts of 30).
- The lists of editions are asked for conditionally (ETag / Last-Modified from the previous answer, kept in
  warehouse/fetch/http/): a quiet night costs a few small requests answered 304. A file is downloaded only when the
  lists show an edition not fetched before.
- A download streams to a temporary name beside its target, is checked (the whole length the publisher announced,
  the kind of file expected: an HTML error page served with status 200 is refused, a zip must open) and only then
  moved into place, with its sha256. A download that fails its checks is tried again (tenacity), then refused with
  the publisher, the address and what was wrong.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from orchestration.settings import (
    HTTP_BACKOFF_SECONDS,
    HTTP_RETRIES,
    HTTP_TIMEOUT_SECONDS,
    REQUEST_BURST,
    REQUESTS_PER_SECOND,
)

USER_AGENT = "forcestat (open warehouse of police statistics; nightly fetch of new editions)"
ZIP_MAGIC = b"PK\x03\x04"  # zip, and the ODS and XLSX workbooks, which are zips


class PublisherError(RuntimeError):
    """A publisher that failed or changed: the message names the publisher, the address and what was wrong."""

    def __init__(self, publisher: str, url: str, what: str):
        self.publisher, self.url, self.what = publisher, url, what
        super().__init__(f"{publisher}: {url}: {what}")


class BadDownload(PublisherError):
    """A download that arrived but cannot be trusted (cut short, not the kind of file expected): tried again."""


class RateLimiter:
    """A token bucket: `rate` requests a second on average, at most `burst` at once."""

    def __init__(self, rate: float, burst: int):
        self.rate, self.burst = rate, burst
        self.tokens, self.updated = float(burst), time.monotonic()
        self.lock = threading.Lock()

    def wait(self) -> None:
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
            self.updated = now
            if self.tokens < 1:
                time.sleep((1 - self.tokens) / self.rate)
                self.tokens, self.updated = 1.0, time.monotonic()
            self.tokens -= 1


@dataclass(frozen=True)
class Download:
    url: str
    path: Path
    sha256: str
    bytes: int
    seconds: float


class Client:
    """One fetch's connection to the publishers. `requests` counts what went over the wire (retries included).
    (requests, urllib3 and tenacity are imported here, not with the module: asking what changed since the last
    publication reads the sources' specs, and must stay fast.)"""

    def __init__(self, cache_dir: Path):
        import requests
        from requests.adapters import HTTPAdapter
        from urllib3.util.retry import Retry

        self.cache_dir = cache_dir
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        retries = Retry(total=HTTP_RETRIES, backoff_factor=HTTP_BACKOFF_SECONDS, backoff_max=60,
                        status_forcelist=(429, 500, 502, 503, 504), allowed_methods=frozenset({"GET", "HEAD"}),
                        respect_retry_after_header=True, raise_on_status=False)
        adapter = HTTPAdapter(max_retries=retries)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.limiter = RateLimiter(REQUESTS_PER_SECOND, REQUEST_BURST)
        self.requests = 0

    def close(self) -> None:
        self.session.close()

    def _get(self, publisher: str, url: str, params: dict | None = None, headers: dict | None = None,
             stream: bool = False):
        import requests

        self.limiter.wait()
        try:
            response = self.session.get(url, params=params, headers=headers, timeout=HTTP_TIMEOUT_SECONDS,
                                        stream=stream)
        except requests.RequestException as error:
            self.requests += 1 + HTTP_RETRIES
            raise PublisherError(publisher, url, f"no answer after {HTTP_RETRIES + 1} attempts: "
                                 f"{type(error).__name__}: {error}") from None
        history = getattr(response.raw, "retries", None)
        self.requests += 1 + (len(history.history) if history else 0)
        if response.status_code not in (200, 304):
            response.close()
            raise PublisherError(publisher, response.url, f"answered HTTP {response.status_code} "
                                 f"{response.reason} (after {len(history.history) if history else 0} retries)")
        return response

    # -- conditional requests: what the publisher said last time, and its validators
    def _cached(self, key: str) -> dict:
        path = self.cache_dir / f"{hashlib.sha1(key.encode()).hexdigest()}.json"
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError):
            return {}

    def _remember(self, key: str, entry: dict) -> None:
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        path = self.cache_dir / f"{hashlib.sha1(key.encode()).hexdigest()}.json"
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(entry))
        os.replace(temporary, path)

    @staticmethod
    def _conditions(cached: dict) -> dict:
        headers = {}
        if cached.get("etag"):
            headers["If-None-Match"] = cached["etag"]
        if cached.get("last_modified"):
            headers["If-Modified-Since"] = cached["last_modified"]
        return headers

    def get_json(self, publisher: str, url: str, params: dict | None = None) -> tuple[object, bool]:
        """The JSON a publisher serves at url, and whether it changed since the last fetch (304: it did not)."""
        key = url + json.dumps(params or {}, sort_keys=True)
        cached = self._cached(key)
        response = self._get(publisher, url, params, self._conditions(cached) if "body" in cached else None)
        if response.status_code == 304:
            return json.loads(cached["body"]), False
        try:
            data = response.json()
        except ValueError:
            raise PublisherError(publisher, response.url, f"did not answer JSON (content type "
                                 f"{response.headers.get('Content-Type')!r}, starting "
                                 f"{response.text[:80]!r})") from None
        self._remember(key, {"url": response.url, "etag": response.headers.get("ETag"),
                             "last_modified": response.headers.get("Last-Modified"), "body": response.text})
        return data, True

    def get_text(self, publisher: str, url: str, params: dict | None = None) -> str:
        response = self._get(publisher, url, params)
        text = response.text
        if text.lstrip()[:1] == "<":
            raise PublisherError(publisher, response.url, f"answered an HTML page where data were expected: "
                                 f"{text.strip()[:80]!r}")
        return text

    def download(self, publisher: str, url: str, target: Path, expect: str) -> Download:
        """The file at url as target (expect: "zip" for zips and workbooks, "csv"), tried again when it arrives
        damaged."""
        from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_exponential

        attempt = retry(retry=retry_if_exception_type(BadDownload), stop=stop_after_attempt(HTTP_RETRIES),
                        wait=wait_exponential(multiplier=HTTP_BACKOFF_SECONDS, max=60), reraise=True)
        return attempt(self._download_once)(publisher, url, target, expect)

    def _download_once(self, publisher: str, url: str, target: Path, expect: str) -> Download:
        import requests

        started = time.perf_counter()
        response = self._get(publisher, url, stream=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        digest, written = hashlib.sha256(), 0
        try:
            with response, open(partial, "wb") as sink:
                for block in response.iter_content(1 << 20):
                    digest.update(block)
                    written += len(block)
                    sink.write(block)
        except requests.RequestException as error:
            partial.unlink(missing_ok=True)
            raise BadDownload(publisher, url, f"the download broke off after {written:,} bytes: "
                              f"{type(error).__name__}") from None
        announced = response.headers.get("Content-Length")
        problem = None
        if announced is not None and int(announced) != written:
            problem = f"{written:,} bytes arrived of the {int(announced):,} announced"
        else:
            problem = _not_the_expected_file(partial, expect)
        if problem:
            partial.unlink(missing_ok=True)
            raise BadDownload(publisher, url, problem)
        os.replace(partial, target)
        return Download(url, target, digest.hexdigest(), written, time.perf_counter() - started)


def _not_the_expected_file(path: Path, expect: str) -> str | None:
    with open(path, "rb") as handle:
        start = handle.read(512)
    if start.lstrip()[:1] == b"<":
        return f"an HTML page arrived where a {expect} file was expected: {start.strip()[:80]!r}"
    if expect == "zip":
        if not start.startswith(ZIP_MAGIC):
            return f"not a zip file (it starts {start[:8]!r})"
        try:
            with zipfile.ZipFile(path) as archive:
                archive.infolist()
        except zipfile.BadZipFile as error:
            return f"a zip that does not open: {error}"
    return None
