"""The data.police.uk street feed as a kind of delivery: a street file (its force and month read from its rows), or
data.police.uk's monthly zip, whose territorial forces' street files are taken out one by one."""

from __future__ import annotations

import zipfile
from pathlib import Path

from orchestration.settings import Settings
from orchestration.street import feed
from orchestration.warehouse.files import SourceFileError
from orchestration.warehouse.kinds import NOT_INGESTED, CurrentFiles, DeliveryKind, Miss, Recognised, Unrecognised


class StreetFeed(DeliveryKind):
    name = feed.SOURCE
    label = feed.LABEL
    publisher = feed.PUBLISHER
    step = feed.SOURCE
    raw_tables = (feed.SOURCE, feed.MONTHS)
    batched = True  # a national month (or a backfill) is one run
    cadence_days = feed.CADENCE_DAYS
    feed = feed.PUBLISHER_FEED

    def describe(self) -> str:
        return (f"{self.name}: {self.label}, CSV (or .csv.gz) with columns {feed.COLUMN_NAMES}; or a data.police.uk "
                ".zip holding <YYYY-MM>/<YYYY-MM>-<force>-street.csv files")

    def recognise(self, path: Path) -> Recognised | Miss | None:
        try:
            found = feed.examine(path)
        except feed.NotTerritorial as error:
            return Recognised(NOT_INGESTED, NOT_INGESTED, "street file of a force outside England and Wales' 43",
                              str(error))
        except SourceFileError as error:
            raise Unrecognised(str(error)) from None
        if isinstance(found, feed.StreetMonth):
            return Recognised(self.name, found.archive_folder, found.label)
        return found

    def members(self, path: Path) -> list[str] | None:
        """The street files of the 43 territorial forces inside a data.police.uk zip (outcomes, stop-and-search and
        the files of other forces are not ingested)."""
        if path.suffix.lower() != ".zip":
            return None
        try:
            with zipfile.ZipFile(path) as archive:
                names = [info.filename for info in archive.infolist()
                         if not info.is_dir() and feed.StreetMonth.from_file_name(Path(info.filename).name)]
        except zipfile.BadZipFile as error:
            raise Unrecognised(f"{path}: not a readable zip archive ({error})") from None
        if not names:
            raise Unrecognised(f"{path}: a zip with no data.police.uk street file of a territorial force in it "
                               "(looked for <YYYY-MM>-<force>-street.csv)")
        return names

    def current_files(self, settings: Settings) -> CurrentFiles:
        return {month.partition_key: current
                for month, current in feed.current_files(settings.data_dir, settings.archive_dir).items()}

    def definitions(self) -> list:
        from orchestration.street.assets import police_uk_street

        return [police_uk_street]


STREET_FEED = StreetFeed()
