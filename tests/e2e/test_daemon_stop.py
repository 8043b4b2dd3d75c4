"""`forcestat ui` stops within ten seconds on SIGTERM and leaves no claimed file: on a UI of its own, since stopping
is what it tests."""

import os
import signal
import time

import pytest

from orchestration.landing.claims import claims
from orchestration.operations.launcher import process_alive
from tests.daemon import descendants, running_ui, wait_for
from tests.helpers import NATIONAL, plain_copy


def test_the_ui_stops_within_ten_seconds_leaving_no_claimed_file(pristine, tmp_path):
    with running_ui(pristine[1], pristine[0]) as ui:  # where its dbt state is valid, as test_daemon.py's
        settings, process = ui["settings"], ui["process"]
        cumbria = plain_copy(NATIONAL / "2014-01" / "2014-01-cumbria-street.csv.gz", tmp_path)
        os.replace(cumbria, settings.landing_dir / cumbria.name)
        wait_for(lambda: claims(settings.landing_dir), 60, "the file to be claimed")
        processes = descendants(process.pid)  # its webserver, daemon, code server, site server, run workers
        assert any(" code-server start " in command for command in processes.values()), processes
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)
        assert time.monotonic() - started < 10 and process.returncode == 0
        assert not claims(settings.landing_dir) and (settings.landing_dir / cumbria.name).exists()
        with pytest.raises(ProcessLookupError):
            os.killpg(process.pid, 0)  # nothing of its process group is left
        # nor anything it started in groups of their own (the code server's own process among them)
        assert wait_for(lambda: not [pid for pid in processes if process_alive(pid)], 10, "its processes to end")
