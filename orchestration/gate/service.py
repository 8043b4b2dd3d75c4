"""The gate service: a process that imports Great Expectations once and validates batches for every run on this
warehouse, over a Unix socket beside the build database. `forcestat ui` runs it with the daemon; a run that finds no
service validates in a worker of its own (orchestration/gate/worker.py).

Requests are pickled, so the socket is authenticated: the service writes a random key (mode 0600) beside it, and
multiprocessing's handshake refuses a client without it. A request names a Parquet file the run wrote; the answer
is the validation's dict, or the error the validation raised.
"""

from __future__ import annotations

import os
import signal
import sys
from multiprocessing.connection import Client, Listener
from pathlib import Path

from orchestration.gate import validation

KEY_SUFFIX = ".key"


def _key_path(socket: Path) -> Path:
    return socket.with_name(socket.name + KEY_SUFFIX)


def available(socket: Path) -> bool:
    return socket.exists() and _key_path(socket).exists()


def ask(socket: Path, request: dict) -> dict | None:
    """The service's answer, or None when there is no service (or it went away): then the caller validates itself.
    An error inside the validation is raised here, as it would be locally."""
    if not available(socket):
        return None
    try:
        with Client(str(socket), family="AF_UNIX", authkey=_key_path(socket).read_bytes()) as connection:
            connection.send(request)
            answer = connection.recv()
    except (OSError, EOFError):
        return None
    if "error" in answer:
        raise RuntimeError(f"the gate service could not validate suite {request['name']}: {answer['error']}")
    return answer


def serve(socket: Path) -> None:
    validation.warm()
    socket.parent.mkdir(parents=True, exist_ok=True)
    socket.unlink(missing_ok=True)
    key = os.urandom(32)
    key_path = _key_path(socket)
    key_path.touch(mode=0o600)
    key_path.write_bytes(key)
    listener = Listener(str(socket), family="AF_UNIX", authkey=key)

    def stop(*_):
        key_path.unlink(missing_ok=True)
        socket.unlink(missing_ok=True)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"forcestat gate service: Great Expectations ready on {socket}", flush=True)
    while True:
        try:
            connection = listener.accept()
        except (OSError, EOFError):  # a client that failed the handshake, or went away
            continue
        with connection:
            try:
                request = connection.recv()
                try:
                    answer = validation.validate(request)
                except Exception as error:  # noqa: BLE001 - every failure goes back to the run that asked
                    answer = {"error": f"{type(error).__name__}: {error}"}
                connection.send(answer)
            except (OSError, EOFError):
                continue


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
