"""What a publisher holds and how a new edition comes to the landing zone: the shape every publisher's feed fills in
(data_police_uk.py, gov_uk.py, nomis.py). A source says which feed is its own next to its spec."""

from __future__ import annotations

import os
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from orchestration.publishers.http import Client


@dataclass(frozen=True)
class Edition:
    """One edition of (a part of) a source as its publisher lists it."""

    source: str  # the delivery kind it is an edition of
    key: str | None  # the part it fills: a month ("2014-03"), a year ending March ("2024/25"); None: the whole source
    edition: str  # the publisher's own date or name of it ("2026-07-23", "2014-03", "mid-2023")
    url: str
    file_name: str  # what it lands as
    period: str | None = None  # the last month it covers, YYYY-MM (for `forcestat fetch --since`); None: all time


@dataclass(frozen=True)
class Fetched:
    """A file the fetch put down, with where it came from."""

    edition: Edition
    url: str  # the file's own address (a zip member: the zip's address and the member's name)
    path: Path  # where it is now: the landing zone, or (content held already, or kept for later) the archive
    sha256: str
    bytes: int
    seconds: float
    landed: bool  # False: not put in the landing zone (the same content is held; or a file kept for later marts)


@dataclass(frozen=True)
class Place:
    """Where a fetch puts files: the landing zone for what is to be loaded, the archive for what is kept, a work
    folder for downloads on their way, and which content is held already (landing it again would only be archived as
    a duplicate)."""

    landing: Path
    archive: Path
    work: Path
    known: Callable[[str], bool]  # is this content (sha256) held already?
    staged: list[tuple[Path, Path]] = field(default_factory=list)  # (download, its place in the landing zone)

    def land_staged(self) -> None:
        """Move the staged downloads into the landing zone together: each whole (a rename), all with one modification
        time. The landing sensor takes a file once its time is a few seconds old, so it takes them in one look: a
        month's 43 street files are one run however long the zip took to unpack (landed one by one as they came out,
        a sensor's look between two of them split the month into several runs)."""
        now = time.time()
        for download, _ in self.staged:
            os.utime(download, (now, now))
        for download, target in self.staged:
            os.replace(download, target)
        self.staged.clear()


def land(downloaded: Path, sha256: str, place: Place) -> tuple[Path, bool]:
    """Stage a downloaded file for the landing zone (Place.land_staged moves it in with the rest of its source's
    fetch), unless its content is held already: (where it will be, whether it lands)."""
    target = place.landing / downloaded.name
    if place.known(sha256):
        downloaded.unlink()
        return target, False
    place.staged.append((downloaded, target))
    return target, True


class Feed(ABC):
    publisher: str  # as in settings.PUBLISHER_URLS

    @abstractmethod
    def editions(self, client: Client) -> list[Edition]:
        """Every edition the publisher holds now. Raises PublisherError naming what is not as expected (a field
        renamed, no attachment matching), so a publisher that changed is noticed, not misread."""

    @abstractmethod
    def fetch(self, client: Client, editions: list[Edition], place: Place,
              progress: Callable[[int], None] = lambda done: None) -> list[Fetched]:
        """Download these editions into place; progress(n) after each n files."""

    def describe(self) -> str:
        """Where the feed looks, in words (the asset's description, `forcestat fetch --dry-run`)."""
        return self.publisher
