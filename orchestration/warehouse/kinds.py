"""What a kind of delivery says about itself, in one object: how to tell a file of its kind, where a delivered file is
archived, which step loads it into which raw tables, which files are current, and its publisher's cadence.

Each domain fills this in once (sources/delivery.py for every snapshot source, street/delivery.py for the
data.police.uk feed, inspections/delivery.py for the reports) and orchestration/deliveries.py lists them. The landing
zone, the changes since publication, the progress console and the definitions read that list; none of them names a
kind. Nothing here imports Dagster: asking what changed must stay fast.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

from orchestration.publishers.feeds import Feed
from orchestration.settings import Settings
from orchestration.warehouse.files import SourceFileError, read_header

FETCH_PREFIX = "fetch"  # a kind with a feed has an asset fetch/<kind> upstream of its raw tables
NOT_INGESTED = "not_ingested"  # a real file of a kind deliberately skipped (British Transport Police's street files)


class Unrecognised(ValueError):
    """A landed file that is none of the kinds the warehouse ingests; the message says why, and where."""


@dataclass(frozen=True)
class Recognised:
    kind: str  # the delivery kind's name, or NOT_INGESTED
    archive_folder: str  # where the file is archived once published (a source; a street force-month)
    label: str  # what it is, for logs
    note: str | None = None  # why a file is not ingested


def csv_header(path: Path) -> list[str] | None:
    """The header row of a CSV delivery (None when the file is no CSV by its name); an unreadable one is refused."""
    if not path.name.lower().endswith((".csv", ".csv.gz")):
        return None
    try:
        return read_header(path)
    except SourceFileError as error:
        raise Unrecognised(str(error)) from None


@dataclass(frozen=True)
class Miss:
    """A file that is not of a kind, and how close it comes: the share of the kind's columns it has, and what
    differs (the refusal's reason when no kind comes closer)."""

    closeness: float
    why: str


# Current files of a kind: partition (a street force-month, a report's file name; None for a whole-file source) ->
# (file, its sha256 when already known).
CurrentFiles = dict[str | None, tuple[Path, str | None]]


class DeliveryKind(ABC):
    name: str  # raw._loads' source, the claim's kind, the archive's top folder
    label: str  # what the kind is, in words
    publisher: str
    step: str  # the Dagster op that loads a delivery of this kind (config: {"paths": [...]})
    raw_tables: tuple[str, ...]  # the raw tables (and assets, raw/<table>) a delivery of it materializes
    batched: bool  # every file of one look in one run (a national month of street files) or a run per file
    cadence_days: int | None  # how often its publisher brings a new edition (None: no regular cadence)
    feed: Feed | None  # where its publisher puts new editions, for the fetch (None: delivered by hand only)
    phase = "ingest"  # the progress console's name for the loading step

    @abstractmethod
    def describe(self) -> str:
        """One line for the list of kinds an unrecognised file is told it could have been."""

    @abstractmethod
    def recognise(self, path: Path) -> Recognised | Miss | None:
        """The file as this kind; a Miss when it is not, but of the same form (a CSV with other columns); None when it
        is nothing like it. Raises Unrecognised when it clearly is of this kind but cannot be used (a street file of
        no known force), so the reason names what is wrong."""

    def members(self, path: Path) -> list[str] | None:
        """For a container of this kind's files (a data.police.uk zip): the member names to take out of it."""
        return None

    @abstractmethod
    def current_files(self, settings: Settings) -> CurrentFiles:
        """Every file a refresh loads for this kind: the embedded ones, overridden by the last delivered."""

    @property
    def fetch_asset(self) -> tuple[str, ...] | None:
        """The key of the asset that fetches its new editions (None: delivered by hand only)."""
        return (FETCH_PREFIX, self.name) if self.feed else None

    def run_config(self, paths: list[Path]) -> dict:
        return {"ops": {self.step: {"config": {"paths": [str(path) for path in paths]}}}}

    @abstractmethod
    def definitions(self) -> list:
        """The Dagster asset definitions that load it (imported only when the code location is built)."""
