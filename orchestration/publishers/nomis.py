"""Nomis (ONS): a dataset's CSV through its API, `/api/v01/dataset/<id>.data.csv`, paged.

Anonymous use is limited to 25,000 rows a request: the pages are asked for with `recordoffset` until one comes back
short, and joined into one edition, written in the layout the source reads (the columns renamed, no value changed).
The newest edition is told by a small request for the latest date the dataset holds; a new edition is a newer latest
date. (Nomis revises earlier years only with a new year's release, so a newer year is the sign of a new edition.)
"""

from __future__ import annotations

import csv
import hashlib
import io
import time
from collections.abc import Callable

from orchestration.publishers.feeds import Edition, Feed, Fetched, Place, land
from orchestration.publishers.http import Client, PublisherError
from orchestration.settings import publisher_url

PAGE_ROWS = 25_000  # Nomis' limit for anonymous use


class NomisDataset(Feed):
    publisher = "Nomis"

    def __init__(self, source: str, dataset: str, query: dict[str, str], columns: dict[str, str],
                 constants: dict[str, str], file_name: str, first_year: int = 1991):
        """query: the dataset's selection (geography, sex, age, measure); columns: Nomis' column (as `select` asks
        for it) -> the source's column; constants: columns the source's layout has that Nomis does not serve, with
        the value the query fixes (the measure asked for); file_name: what an edition lands as ({edition});
        first_year: the first year an edition holds."""
        self.source, self.dataset, self.query = source, dataset, query
        self.columns, self.constants, self.file_name = columns, constants, file_name
        self.first_year = first_year

    def describe(self) -> str:
        return f"Nomis: dataset {self.dataset} ({', '.join(f'{k}={v}' for k, v in self.query.items())})"

    @property
    def url(self) -> str:
        return f"{publisher_url(self.publisher)}/api/v01/dataset/{self.dataset}.data.csv"

    def _rows(self, client: Client, params: dict[str, str]) -> list[dict[str, str]]:
        text = client.get_text(self.publisher, self.url, params)
        rows = list(csv.DictReader(io.StringIO(text)))
        wanted = [column.upper() for column in params["select"].split(",")]
        found = [column.upper() for column in (rows[0] if rows else {})]
        if rows and found != wanted:
            raise PublisherError(self.publisher, self.url, f"columns {found} where {wanted} were asked for: the "
                                 "dataset's columns changed")
        return [{column.upper(): value for column, value in row.items()} for row in rows]

    def editions(self, client: Client) -> list[Edition]:
        latest = self._rows(client, {**self.query, "date": "latest", "select": "date_name"})
        if not latest:
            raise PublisherError(self.publisher, self.url, "no rows for the latest date: the dataset or the selection "
                                 f"{self.query} is no longer served")
        year = latest[0]["DATE_NAME"]
        return [Edition(self.source, None, f"mid-{year}", self.url, self.file_name.format(edition=f"mid{year}"))]

    def fetch(self, client: Client, editions: list[Edition], place: Place,
              progress: Callable[[int], None] = lambda done: None) -> list[Fetched]:
        fetched = []
        for edition in editions:
            started = time.perf_counter()
            last = int(edition.edition.removeprefix("mid-"))
            params = {**self.query, "date": ",".join(str(year) for year in range(self.first_year, last + 1)),
                      "select": ",".join(self.columns)}
            rows, offset = [], 0
            while True:
                page = self._rows(client, {**params, "recordoffset": str(offset)})
                rows += page
                offset += len(page)
                progress(1)
                if len(page) < PAGE_ROWS:
                    break
            target = place.work / edition.file_name
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow([*self.columns.values(), *self.constants])
            for row in rows:
                writer.writerow([*(row[column.upper()] for column in self.columns), *self.constants.values()])
            data = out.getvalue().encode()
            target.write_bytes(data)
            sha256 = hashlib.sha256(data).hexdigest()
            path, landed = land(target, sha256, place)
            fetched.append(Fetched(edition, edition.url, path, sha256, len(data), time.perf_counter() - started,
                                   landed))
        return fetched
