"""An endpoint that accepts connections and never answers: what a hung service or a half-open
network path looks like to a client."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def blackhole() -> Iterator[str]:
    """`http://127.0.0.1:PORT` of a loopback socket that accepts every connection, reads nothing
    and never answers; everything is closed on exit."""
    server = socket.create_server(("127.0.0.1", 0), backlog=128)
    server.settimeout(0.05)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            accepted.append(connection)

    thread = threading.Thread(target=accept, name="blackhole", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for connection in accepted:
            connection.close()
        server.close()
