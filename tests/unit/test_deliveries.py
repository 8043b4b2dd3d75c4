"""Where delivered files go: claims, the archive (which file is current) and the quarantine; alerts, once each."""

import json
import multiprocessing
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

from orchestration.landing.claims import claims, commit, count_attempt, make_claim, refuse, release
from orchestration.settings import ALERT_WEBHOOK_ENV
from orchestration.warehouse.alerts import read_alerts, record_alert
from orchestration.warehouse.archive import current_delivery, quarantine_file


def landed(folder, name, text):
    path = folder / name
    path.write_text(text)
    return path


def test_a_claim_is_committed_refused_or_released(tmp_path):
    landing, archive, quarantine = tmp_path / "landing", tmp_path / "archive", tmp_path / "quarantine"
    landing.mkdir()
    a = make_claim([(landed(landing, "a.csv", "a"), "a" * 64, "source_a")], landing, "source_a")
    b = make_claim([(landed(landing, "b.csv", "b"), "b" * 64, "source_b")], landing, "source_b")
    c = make_claim([(landed(landing, "c.csv", "c"), "c" * 64, "source_c")], landing, "source_c")
    assert [x.id for x in claims(landing)] == sorted([a.id, b.id, c.id]) and not list(landing.glob("*.csv"))

    [archived] = commit(a, archive, "run-1")
    assert archived == archive / "source_a" / ("a" * 16) / "a.csv" and archived.read_text() == "a"
    assert current_delivery("source_a", archive).path == archived

    [quarantined] = refuse(b, "b.csv: line 3: wrong", quarantine)
    assert quarantined.read_text() == "b"
    error = quarantined.with_name("b.csv.error.txt").read_text()
    assert error.startswith("b.csv: line 3: wrong") and str(quarantined) in error

    assert release(c, landing) == [landing / "c.csv"] and (landing / "c.csv").read_text() == "c"
    assert claims(landing) == []


def test_current_means_last_delivered_not_newest_modification_time(tmp_path):
    archive = tmp_path / "archive"
    older = landed(tmp_path, "edition.csv", "second edition")
    newer = landed(tmp_path, "edition2.csv", "third edition")
    os.utime(newer, (0, 0))  # copied with `cp -p` from an old file: its time says 1970
    from orchestration.warehouse.archive import archive_file

    archive_file(older, "1" * 64, "prc", archive, None)
    time.sleep(0.01)
    archive_file(newer, "2" * 64, "prc", archive, None)
    assert current_delivery("prc", archive).path.read_text() == "third edition"


def test_attempts_are_counted_per_content(tmp_path):
    landing = tmp_path / "landing"
    landing.mkdir()
    claim = make_claim([(landed(landing, "a.csv", "a"), "a" * 64, "k")], landing, "k")
    assert count_attempt(claim, landing) == 1
    assert count_attempt(claim, landing) == 2


def test_quarantine_keeps_both_files_of_the_same_name(tmp_path):
    first = quarantine_file(landed(tmp_path, "x.csv", "1"), "bad 1", tmp_path / "q")
    second = quarantine_file(landed(tmp_path, "x.csv", "2"), "bad 2\x1b[31m coloured\x1b[0m", tmp_path / "q")
    assert first != second and first.read_text() == "1" and second.read_text() == "2"
    assert "\x1b" not in second.with_name(second.name + ".error.txt").read_text()


def _report(alerts_file, key):
    record_alert(alerts_file, key, "run_failed", "the run failed", run_id=key)


def test_an_alert_is_recorded_once_whoever_reports_it(tmp_path):
    alerts_file = tmp_path / "alerts.jsonl"
    processes = [multiprocessing.get_context("spawn").Process(target=_report, args=(alerts_file, "run-42"))
                 for _ in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(30)
    assert record_alert(alerts_file, "run-42", "run_failed", "again") is False
    assert record_alert(alerts_file, "run-43", "run_failed", "another") is True
    assert [a["key"] for a in read_alerts(alerts_file)] == ["run-42", "run-43"]


def test_an_alert_is_posted_to_the_webhook(tmp_path, monkeypatch):
    received = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the name http.server calls
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.handle_request, daemon=True).start()
    monkeypatch.setenv(ALERT_WEBHOOK_ENV, f"http://127.0.0.1:{server.server_port}/alerts")
    record_alert(tmp_path / "alerts.jsonl", "run-7", "run_failed", "step x failed", run_id="run-7", file="a.csv")
    server.server_close()
    assert received and received[0]["run_id"] == "run-7" and received[0]["file"] == "a.csv"
    # a webhook that is down does not lose the alert
    monkeypatch.setenv(ALERT_WEBHOOK_ENV, "http://127.0.0.1:9/nowhere")
    assert record_alert(tmp_path / "alerts.jsonl", "run-8", "run_failed", "x") is True
