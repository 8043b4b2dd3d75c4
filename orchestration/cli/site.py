"""`forcestat site`: build the site from the current publication (the pipeline does it after each publication too)
and, with --serve, serve it on 127.0.0.1 until Ctrl-C."""

from __future__ import annotations

import functools
import http.server
import sys

from orchestration.publication.reader import NotPublished
from orchestration.settings import Settings
from orchestration.site.build import build_site


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature is http.server's
        pass


def run_site(settings: Settings, serve: bool, port: int, build: bool = True) -> int:
    if build:
        try:
            summary = build_site(settings)
        except NotPublished as error:
            print(f"forcestat site: {error}", file=sys.stderr)
            return 1
        print(f"forcestat site: {summary.pages} pages ({summary.bytes / 1e6:.1f} MB) in {summary.folder}, built in "
              f"{summary.seconds} s from publication {summary.publication}")
    if not serve:
        print(f"open {settings.site_dir / 'index.html'} in a browser, or serve it: forcestat site --serve")
        return 0
    handler = functools.partial(QuietHandler, directory=str(settings.site_dir))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as error:
        print(f"forcestat site: cannot serve on 127.0.0.1:{port} ({error.strerror}); choose another with --port",
              file=sys.stderr)
        return 2
    print(f"forcestat site: http://127.0.0.1:{port}/ (Lancashire: http://127.0.0.1:{port}/areas/lancashire.html); "
          "Ctrl-C stops", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
