"""`forcestat ui` stops within ten seconds on SIGTERM and leaves no claimed file: on a UI of its own, since stopping
is what it tests."""

import os
import signal
import time

import pytest

from orchestration.landing.claims import claims
from tests.daemon import running_ui, wait_for
from tests.helpers import NATIONAL, plain_copy


def test_the_ui_stops_within_ten_seconds_leaving_no_claimed_file(pristine, tmp_path):
    with running_ui(pristine[1], tmp_path / "warehouse") as ui:
        settings, process = ui["settings"], ui["process"]
        cumbria = plain_copy(NATIONAL / "2014-01" / "2014-01-cumbria-street.csv.gz", tmp_path)
        os.replace(cumbria, settings.landing_dir / cumbria.name)
        wait_for(lambda: claims(settings.landing_dir), 60, "the file to be claimed")
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)
        assert time.monotonic() - started < 10 and process.returncode == 0
        assert not claims(settings.landing_dir) and (settings.landing_dir / cumbria.name).exists()
        with pytest.raises(ProcessLookupError):
            os.killpg(process.pid, 0)  # nothing of its process group is left
