"""`dagster-daemon run` as `forcestat ui` starts it, its sensors looked at as often as their intervals ask.

Dagster's sensor daemon evaluates each sensor at most once a pass of its loop, and a pass takes 5 s at the least
whatever the sensor's own interval (MIN_INTERVAL_LOOP_TIME in dagster/_daemon/sensor.py, read on every pass; not a
public API: tests/e2e/test_daemon.py fails when the looks are 5 s apart again). So a landing zone looked at "every
2 s" was looked at every 5, and a landed file, which needs two looks to be seen settled, waited 5-10 s to be taken.
Here a pass takes as long as the shortest sensor interval asks: Dagster's 5 s by default, less where the settings
say so.

It also starts the run workers' server (launcher.py) as it starts, rather than with the first run it launches, so that
the first run does not wait for the server's imports and parse.
"""

from __future__ import annotations

import sys

from dagster._daemon import sensor
from dagster._daemon.cli import main

from orchestration.operations.launcher import LocalRunLauncher
from orchestration.settings import FETCH_POLL_SECONDS, SENSOR_INTERVAL_SECONDS

if __name__ == "__main__":
    sensor.MIN_INTERVAL_LOOP_TIME = min(sensor.MIN_INTERVAL_LOOP_TIME, SENSOR_INTERVAL_SECONDS, FETCH_POLL_SECONDS)
    LocalRunLauncher.start_server_ahead()
    sys.exit(main())
