"""Thin stdlib HTTP/1.1 adapter: read a request, hand it to `Emulator`, write the answer in one go.

Keep-alive (boto3 reuses connections) and one `write` per answer with TCP_NODELAY, so a response
never waits on Nagle's algorithm; that is most of what keeps p99 in the low milliseconds.
"""

from __future__ import annotations

import contextlib
import socket
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from emulator.app import Answer, Emulator


class EmulatorHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], emulator: Emulator) -> None:
        super().__init__(address, _Handler)
        self.emulator = emulator

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: EmulatorHTTPServer

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: object) -> None:
        return None  # the request log is /_emulator/requests; stderr stays quiet

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

    def _body(self) -> bytes | None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return None
        return self.rfile.read(length) if length > 0 else b""

    def _dispatch(self) -> None:
        body = self._body()
        if body is None:
            self.close_connection = True  # the stream's framing is unknown: answer and hang up
            self._write(Answer.json(400, {"Message": "Invalid Content-Length"},
                                    {"x-amzn-ErrorType": "BadRequestException", "Connection": "close"}))
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

    def _drop(self) -> None:
        # The change is committed; the client sees the connection die with no answer.
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _write(self, answer: Answer) -> None:
        try:
            reason = HTTPStatus(answer.status).phrase
        except ValueError:
            reason = ""
        lines = [f"HTTP/1.1 {answer.status} {reason}"]
        headers = {**answer.headers, "Content-Length": str(len(answer.body))}
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if self.headers.get("Connection", "").lower() == "close":
            lines.append("Connection: close")
            self.close_connection = True
        payload = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + answer.body
        try:
            self.wfile.write(payload)
        except OSError:
            self.close_connection = True
