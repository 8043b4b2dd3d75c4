"""The gate service: validates for any run over an authenticated socket; without it, runs validate themselves."""

import subprocess
import sys
import time
from multiprocessing import AuthenticationError
from multiprocessing.connection import Client

import duckdb
import pytest

from orchestration.gate import service
from orchestration.gate.parameters import suite_parameters
from orchestration.gate.suites import SOCKET, load_suites


def test_the_service_answers_authenticated_runs_only(tmp_path):
    socket = tmp_path / SOCKET
    server = subprocess.Popen([sys.executable, "-m", "orchestration.gate.service", str(socket)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert "Great Expectations ready" in server.stdout.readline()
        batch = tmp_path / "areas.parquet"
        duckdb.execute(f"COPY (SELECT * FROM (VALUES ('E23000003'), ('X99')) AS t(area_code)) TO '{batch}'")
        suite = next(s for s in load_suites() if s.name == "areas")
        started = time.monotonic()
        answer = service.ask(socket, {"name": suite.name, "expectations": list(suite.expectations),
                                      "batch": str(batch), "parameters": suite_parameters(), "index_columns": [],
                                      "data_docs_dir": None})
        assert time.monotonic() - started < 2  # GX is imported already
        assert {f["expectation"] for f in answer["failed"]} == {"expect_table_row_count_to_equal",
                                                               "expect_column_values_to_match_regex"}
        assert (socket.with_name(socket.name + ".key").stat().st_mode & 0o777) == 0o600
        with pytest.raises(AuthenticationError):
            Client(str(socket), family="AF_UNIX", authkey=b"not the key")
    finally:
        server.terminate()
        server.wait(10)
    assert not service.available(socket)  # stopped cleanly: runs fall back to their own worker
    assert service.ask(socket, {"name": "x"}) is None
