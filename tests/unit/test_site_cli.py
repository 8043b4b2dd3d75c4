"""`forcestat site`: what it says when there is nothing to build from, or its port is taken."""

import socket

from orchestration.cli.site import run_site
from tests.helpers import settings_for


def test_nothing_published_says_how_to_publish(tmp_path, capsys):
    assert run_site(settings_for(tmp_path), serve=False, port=0) == 1
    assert "nothing is published yet; run `forcestat refresh`" in capsys.readouterr().err


def test_a_taken_port_is_refused_with_exit_2(tmp_path, capsys):
    settings = settings_for(tmp_path)
    settings.site_dir.mkdir(parents=True)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert run_site(settings, serve=True, port=port, build=False) == 2
    assert f"cannot serve on 127.0.0.1:{port}" in capsys.readouterr().err
