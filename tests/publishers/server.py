"""A local server on 127.0.0.1 that answers as data.police.uk, GOV.UK (the Content API and its assets) and Nomis do,
for the fetch's tests and for demos (`python -m tests.publishers.server --port 8400`, then point FORCESTAT_*_URL at
it). What it serves is built from the real responses in tests/fixtures/publishers/ and the real data (content.py);
a test changes what it publishes (a new month, a re-issued edition) and makes it misbehave (faults) while it runs.

Answers as the publishers': ETag on every answer and 304 to a matching If-None-Match; data.police.uk's archive
redirects to its object store; GOV.UK's attachments have /media/<24 hex>/<file name> addresses; Nomis returns at
most `page_rows` rows a request (25,000, like its anonymous limit) from `recordoffset`. Every request is logged.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import io
import json
import re
import threading
import time
import zipfile
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from tests.publishers import content

HOME_OFFICE_PAGE = "/government/statistical-data-sets/police-recorded-crime-and-outcomes-open-data-tables"
CONTENT_ITEM = content.RESPONSES / "gov-uk-content-api" / "content-item-with-attachments.json"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BUILT: dict = {}  # archives and Nomis tables built once per process, whichever server serves them
ODS_TYPE = "application/vnd.oasis.opendocument.spreadsheet"


@dataclass
class Fault:
    """The next `times` requests whose path matches `path` misbehave: kind "status" (answers `status`, with
    Retry-After when given), "timeout" (answers after `seconds`), "truncate" (announces the whole body, sends half),
    "html" (status 200 with an HTML error page), "rename" (a JSON answer with the field `rename[0]` renamed
    `rename[1]`), "gone" (404)."""

    path: str
    kind: str
    times: int = 1
    status: int = 500
    retry_after: int | None = None
    seconds: float = 0
    rename: tuple[str, str] | None = None


@dataclass
class Attachment:
    title: str
    file: Path
    content_type: str
    media_id: str = ""

    @property
    def name(self) -> str:
        return self.file.name


@dataclass
class Publishers:
    """What the three publishers serve now. Change it while the server runs (under `lock`)."""

    police_uk_latest: str = "2014-02"  # the newest month data.police.uk lists (it lists the 36 up to it)
    street: dict[str, dict[str, Path]] = field(default_factory=content.street_months)
    attachments: list[Attachment] = field(default_factory=list)
    page_updated: str = "2026-07-23T09:30:00.000+01:00"
    nomis_latest: int = 2023
    page_rows: int = 25_000
    faults: list[Fault] = field(default_factory=list)
    log: list[tuple[str, int]] = field(default_factory=list)  # (path and query, status) of every answer
    lock: threading.Lock = field(default_factory=threading.Lock)

    def months_listed(self) -> list[str]:
        year, month = map(int, self.police_uk_latest.split("-"))
        months = []
        for _ in range(36):
            months.append(f"{year:04d}-{month:02d}")
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        return months  # newest first, as the publisher lists them

    def attach(self, title: str, file: Path, content_type: str) -> Attachment:
        """Publish a file on the Home Office page (a re-issue is a new attachment with a new name and address)."""
        attachment = Attachment(title, file, content_type, hashlib.sha1(file.name.encode()).hexdigest()[:24])
        with self.lock:
            self.attachments.append(attachment)
        return attachment

    def withdraw(self, name: str) -> None:
        with self.lock:
            self.attachments = [a for a in self.attachments if a.name != name]

    def requests_to(self, pattern: str) -> list[tuple[str, int]]:
        return [entry for entry in self.log if re.search(pattern, entry[0])]

    # -- what each address answers: (status, headers, body)
    def dates(self) -> bytes:
        listed = [{"date": month, "stop-and-search": sorted(name.split("-", 2)[2].removesuffix("-street.csv")
                                                            for name in self.street.get(month, {}))}
                  for month in self.months_listed()]
        return json.dumps(listed, separators=(",", ":")).encode()

    def archive(self, month: str) -> bytes | None:
        """The monthly zip: the 36 months up to `month`, as YYYY-MM/<file>; built once per content."""
        if month not in self.months_listed():
            return None
        window = [m for m in sorted(self.street) if m in self.months_listed() and m <= month]
        key = tuple((m, tuple(sorted(self.street[m].items()))) for m in window)
        if key not in BUILT:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
                for m in window:
                    for name, path in sorted(self.street[m].items()):
                        archive.writestr(f"{m}/{name}", content.plain(path))
            BUILT[key] = buffer.getvalue()
        return BUILT[key]

    def content_item(self, base: str) -> bytes:
        item = json.loads(CONTENT_ITEM.read_text())
        item.update({"base_path": HOME_OFFICE_PAGE, "title": "Police recorded crime and outcomes open data tables",
                     "document_type": "statistical_data_set", "public_updated_at": self.page_updated})
        example = item["details"]["attachments"][0]
        attachments = []
        for attachment in self.attachments:
            entry = copy.deepcopy(example)
            entry.update({"id": attachment.name, "title": attachment.title, "filename": attachment.name,
                          "url": f"{base}/media/{attachment.media_id}/{attachment.name}",
                          "content_type": attachment.content_type, "file_size": attachment.file.stat().st_size})
            entry.pop("number_of_pages", None)
            attachments.append(entry)
        item["details"]["attachments"] = attachments
        return json.dumps(item).encode()

    def nomis(self, query: dict[str, str]) -> bytes:
        dates = query.get("date", "latest")
        years = {self.nomis_latest} if dates == "latest" else {int(d) for d in dates.split(",")}
        types = set(query.get("geography", "TYPE424").split(","))
        if ("nomis", self.nomis_latest) not in BUILT:
            BUILT["nomis", self.nomis_latest] = content.nomis_rows(self.nomis_latest)
        rows = [row for row in BUILT["nomis", self.nomis_latest]
                if int(row["DATE"]) in years and row["GEOGRAPHY_TYPE"] in types]
        offset = int(query.get("recordoffset", 0))
        columns = [column.upper() for column in query.get("select", "geography_code,date,obs_value").split(",")]
        return content.csv_text(rows[offset:offset + self.page_rows], columns).encode()


class Handler(BaseHTTPRequestHandler):
    publishers: Publishers  # set on the class the server is made with

    def log_message(self, *args) -> None:  # the log is Publishers.log
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        url = urlparse(self.path)
        query = {key: values[-1] for key, values in parse_qs(url.query).items()}
        base = f"http://{self.headers['Host']}"
        with self.publishers.lock:
            fault = next((f for f in self.publishers.faults if f.times > 0 and re.search(f.path, url.path)), None)
            if fault:
                fault.times -= 1
            status, headers, body = self.route(url.path, query, base)
        if fault and fault.kind == "timeout":
            time.sleep(fault.seconds)
        elif fault and fault.kind in ("status", "gone"):
            status, body = (404 if fault.kind == "gone" else fault.status), b"<html><body>Error</body></html>"
            headers = {"Content-Type": "text/html"} | (
                {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {})
        elif fault and fault.kind == "html":
            status, body = 200, b"<!DOCTYPE html><html><body><h1>Service unavailable</h1></body></html>"
            headers = {"Content-Type": "text/html"}
        elif fault and fault.kind == "rename":
            body = body.replace(f'"{fault.rename[0]}"'.encode(), f'"{fault.rename[1]}"'.encode())
        if status == 200 and "ETag" not in headers:
            headers["ETag"] = f'"{hashlib.sha1(body).hexdigest()}"'
        if status == 200 and self.headers.get("If-None-Match") == headers["ETag"]:
            status, body = 304, b""
        self.publishers.log.append((self.path, status))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if fault and fault.kind == "truncate":
            body = body[: len(body) // 2]
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
            pass
        if fault and fault.kind == "truncate":
            self.close_connection = True

    def route(self, path: str, query: dict[str, str], base: str) -> tuple[int, dict[str, str], bytes]:
        p = self.publishers
        if path == "/api/crimes-street-dates":
            return 200, {"Content-Type": "application/json"}, p.dates()
        if path == "/api/forces":
            return 200, {"Content-Type": "application/json"}, (content.RESPONSES / "data-police-uk" /
                                                               "forces.json").read_bytes()
        if match := re.fullmatch(r"/data/archive/(\d{4}-\d{2}|latest)\.zip", path):
            month = p.police_uk_latest if match[1] == "latest" else match[1]
            return 302, {"Location": f"{base}/store/archive/{month}.zip"}, b""
        if match := re.fullmatch(r"/store/archive/(\d{4}-\d{2})\.zip", path):
            body = p.archive(match[1])
            if body is None:
                return 404, {"Content-Type": "text/html"}, b"<html>NoSuchKey</html>"
            return 200, {"Content-Type": "application/zip"}, body
        if path == f"/api/content{HOME_OFFICE_PAGE}":
            return 200, {"Content-Type": "application/json"}, p.content_item(base)
        if match := re.fullmatch(r"/media/([0-9a-f]{24})/(.+)", path):
            found = next((a for a in p.attachments if a.media_id == match[1] and a.name == match[2]), None)
            if found is None:
                return 404, {"Content-Type": "text/html"}, b"<html>Page not found</html>"
            return 200, {"Content-Type": found.content_type}, found.file.read_bytes()
        if path == "/api/v01/dataset/NM_2002_1.data.csv":
            return 200, {"Content-Type": "text/csv"}, p.nomis(query)
        return 404, {"Content-Type": "text/html"}, b"<html>Not found</html>"


def serve(publishers: Publishers, port: int = 0) -> ThreadingHTTPServer:
    """Start the server in a thread; its address is http://127.0.0.1:<server.server_port>."""
    handler = type("PublishersHandler", (Handler,), {"publishers": publishers})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def environment(server: ThreadingHTTPServer) -> dict[str, str]:
    """The settings that point forcestat at this server (and turn fetching on)."""
    base = f"http://127.0.0.1:{server.server_port}"
    return {"FORCESTAT_FETCH": "1", "FORCESTAT_DATA_POLICE_UK_URL": base, "FORCESTAT_GOV_UK_URL": base,
            "FORCESTAT_NOMIS_URL": base}


def home_office_editions(folder: Path) -> dict[str, Path]:
    """The Home Office's files as the server publishes them, written once into folder."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {"prc": folder / "prc-pfa-mar2013-onwards-tables-230426.ods",
             "outcomes": folder / "prc-outcomes-open-data-mar2025-tables-240725.xlsx"}
    if not files["prc"].exists():
        content.prc_ods(files["prc"], sheet_style="2012_13")
    if not files["outcomes"].exists():
        content.outcomes_xlsx(files["outcomes"])
    return files


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    options.add_argument("--port", type=int, default=8400)
    options.add_argument("--files", type=Path, default=Path("/tmp/forcestat-publishers"),
                         help="where the Home Office's workbooks are written (once)")
    args = options.parse_args()
    publishers = Publishers()
    files = home_office_editions(args.files)
    publishers.attach("Police recorded crime open data Police Force Area tables", files["prc"], ODS_TYPE)
    publishers.attach("Crime outcomes open data tables, year ending March 2025", files["outcomes"], XLSX_TYPE)
    server = serve(publishers, args.port)
    print("Publishers answering on 127.0.0.1; point forcestat at them with:")
    for name, value in environment(server).items():
        print(f"  export {name}={value}")
    threading.Event().wait()


if __name__ == "__main__":
    main()
