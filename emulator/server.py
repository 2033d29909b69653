"""Thin stdlib HTTP/1.1 adapter: read a request, hand it to `Emulator`, write the answer in one go.

Keep-alive (boto3 reuses connections) and one `write` per answer with TCP_NODELAY, so a response
never waits on Nagle's algorithm; that is most of what keeps p99 in the low milliseconds.

Hardened for whatever reaches the port (`Limits`): framing is read strictly (`framing`), and a
request refused for it is answered 400/413/501 with `Connection: close` and its connection closed,
so its remaining bytes never run as another request; bodies are capped; each connection has
`request_timeout` seconds to start and then to finish sending each request (`deadline_reader`),
a half-sent one is answered 408 and dropped; and at most `max_connections` are served at once
(`connection_slots`: more wait their turn rather than being refused).
"""

from __future__ import annotations

import contextlib
import io
import socket
import sys
import threading
from collections import deque
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from emulator.app import Answer, Emulator
from emulator.connection_slots import ConnectionSlots
from emulator.deadline_reader import DeadlineReader
from emulator.framing import FramingError, read_chunked, request_framing
from emulator.http_limits import Limits

# After refusing a request, read and drop what the client still sends for this long at most, so the
# close does not reset the connection before the client has read the refusal.
_LINGER_SECONDS = 2.0


class EmulatorHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024  # connections waiting for a slot wait here, in the kernel

    def __init__(self, address: tuple[str, int], emulator: Emulator, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self.slots = ConnectionSlots(self.limits.max_connections)
        self._finishing: deque[threading.Thread] = deque()  # slot given back, thread still returning
        self._stopping = False
        super().__init__(address, _Handler)
        self.emulator = emulator

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def process_request(self, request: Any, client_address: Any) -> None:
        # Runs on the accepting thread: waiting here holds back the next accept, not a new thread.
        if not self.slots.acquire(lambda: self._stopping):
            self.shutdown_request(request)
            return
        # A thread gives its slot back as its last act; wait for those still returning, so the
        # threads alive never outnumber the slots (a loaded machine had a freed slot held twice).
        while self._finishing:
            self._finishing.popleft().join()
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release(request)
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._finishing.append(threading.current_thread())
            self.slots.release(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], OSError):
            return  # a client that reset or vanished: nothing to report
        super().handle_error(request, client_address)

    def shutdown(self) -> None:
        self._stopping = True
        super().shutdown()

    def server_close(self) -> None:
        self._stopping = True
        super().server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: EmulatorHTTPServer

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._reader = DeadlineReader(self.connection, self.server.limits.request_timeout, self._started)
        self.rfile.close()
        self.rfile = io.BufferedReader(self._reader)
        self._answered = False

    def _started(self) -> None:
        self.server.slots.busy(self.connection)

    def handle(self) -> None:
        self.close_connection = False
        first = True  # a new connection is owed its first request: it is never closed as idle
        while not self.close_connection:
            if not first and not self.server.slots.idle(self.connection):
                return  # another connection waits for this slot
            first = False
            self._reader.expect_request()
            self._answered = False
            self.close_connection = True
            self.handle_one_request()  # a read timeout ends in here, with close_connection set
            if self._reader.timed_out and self._reader.started and not self._answered:
                seconds = self.server.limits.request_timeout
                self._refuse(408, "RequestTimeoutException", f"The request was not received in full within "
                             f"{seconds:g} seconds (the emulator's --request-timeout)", linger=False)

    def finish(self) -> None:
        self.server.slots.ending(self.connection)
        super().finish()

    def log_message(self, format: str, *args: object) -> None:
        return None  # the request log is /_emulator/requests; stderr stays quiet

    def handle_expect_100(self) -> bool:
        # A body that will be refused is not invited: the refusal is the final answer.
        try:
            request_framing(self.headers, self.request_version, self.server.limits.max_body_bytes)
        except FramingError:
            return True
        return super().handle_expect_100()

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def do_PATCH(self) -> None:
        self._dispatch()

    def _body(self) -> bytes:
        """The request's body; raises FramingError (refuse and close) or TimeoutError (408)."""
        limit = self.server.limits.max_body_bytes
        framing = request_framing(self.headers, self.request_version, limit)
        if framing.chunked:
            return read_chunked(self.rfile, limit)
        body = self.rfile.read(framing.length) if framing.length else b""
        if len(body) < framing.length:
            raise FramingError(400, "BadRequestException",
                               f"The connection ended after {len(body)} of the body's {framing.length} bytes")
        return body

    def _dispatch(self) -> None:
        self.server.slots.busy(self.connection)  # a pipelined request may not have touched the socket
        try:
            body = self._body()
        except FramingError as refused:
            self._refuse(refused.status, refused.code, refused.message)
            return
        parts = urlsplit(self.path)
        emulator = self.server.emulator
        if parts.path.startswith("/_emulator/") or parts.path == "/_emulator":
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            answer = emulator.handle_admin(self.command, target, body)
        else:
            headers = {k.lower(): v for k, v in self.headers.items()}
            query = parse_qs(parts.query, keep_blank_values=True)
            answer = emulator.handle_api(self.command, parts.path, query, headers, body)
        if answer.drop:
            self._drop()
        else:
            self._write(answer)

    def _refuse(self, status: int, code: str, message: str, linger: bool = True) -> None:
        """Answer, then close: the rest of the stream cannot be trusted to start a request. `linger`:
        the client may still be sending (not so after a timeout: all it sent has been read)."""
        self.close_connection = True
        self._write(Answer.json(status, {"Message": message}, {"x-amzn-ErrorType": code}))
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_WR)
        if linger:
            self._reader.linger(_LINGER_SECONDS)

    def _drop(self) -> None:
        # The change is committed; the client sees the connection die with no answer.
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _write(self, answer: Answer) -> None:
        self._answered = True
        try:
            reason = HTTPStatus(answer.status).phrase
        except ValueError:
            reason = ""
        if self.server.slots.pressed:
            self.close_connection = True  # give this slot to the connection waiting for one
        headers = {**answer.headers, "Content-Length": str(len(answer.body))}
        if self.close_connection:
            headers["Connection"] = "close"
        lines = [f"HTTP/1.1 {answer.status} {reason}", *(f"{k}: {v}" for k, v in headers.items())]
        payload = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + answer.body
        try:
            self.connection.settimeout(self.server.limits.request_timeout)
            self.wfile.write(payload)
        except OSError:
            self.close_connection = True
