"""Alerts for operators: a failed run or a refused file, one JSON object a line in warehouse/alerts.jsonl, a log line,
and a POST to $FORCESTAT_ALERT_WEBHOOK when it is set.

An alert has a key (the run id for a failed run; run id and file for a refused file) and is recorded once whoever
reports it: the daemon's failure sensor, `forcestat refresh`, or the step that refused the file. Appends are made
under an exclusive lock, so the daemon and a command line can report at the same time.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from orchestration.settings import ALERT_WEBHOOK_ENV

logger = logging.getLogger("forcestat.alerts")


def record_alert(alerts_file: Path, key: str, kind: str, message: str, run_id: str | None = None,
                 job: str | None = None, file: str | None = None) -> bool:
    """Record an alert unless one with this key exists; returns whether it was new."""
    alerts_file.parent.mkdir(parents=True, exist_ok=True)
    alert = {"raised_at": datetime.now(UTC).isoformat(timespec="seconds"), "key": key, "kind": kind,
             "run_id": run_id, "job": job, "file": file, "message": message}
    with open(alerts_file, "a+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        if any(json.loads(line).get("key") == key for line in handle if line.strip()):
            return False
        handle.write(json.dumps(alert) + "\n")
        handle.flush()
    logger.error(f"forcestat alert ({kind}){f' on {file}' if file else ''}: {message[:500]}")
    url = os.environ.get(ALERT_WEBHOOK_ENV)
    if url:
        request = urllib.request.Request(url, data=json.dumps(alert).encode(),
                                         headers={"Content-Type": "application/json"})
        try:
            urllib.request.urlopen(request, timeout=10).close()
        except OSError as error:  # the alert is recorded; a webhook that is down must not fail the caller
            logger.error(f"forcestat alert webhook {url} failed: {error}")
    return True


def read_alerts(alerts_file: Path) -> list[dict]:
    if not alerts_file.exists():
        return []
    return [json.loads(line) for line in alerts_file.read_text(encoding="utf-8").splitlines() if line.strip()]
