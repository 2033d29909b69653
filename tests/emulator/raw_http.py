"""Raw-socket HTTP for the framing tests: send exact bytes, read back every answer the server writes.

http.client and boto3 refuse to send the malformed requests these tests need (a negative or doubled
Content-Length, a body hidden behind a bad header), so the tests write bytes themselves.
"""

from __future__ import annotations

import json
import socket
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit


@dataclass
class RawAnswer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def error_type(self) -> str | None:
        return self.headers.get("x-amzn-errortype")


@dataclass
class Exchange:
    """What came back on one connection: the answers in order, and whether the server hung up."""

    answers: list[RawAnswer] = field(default_factory=list)
    closed: bool = False  # the server closed the connection (EOF or reset) before the read timed out
    seconds: float = 0.0  # from the last byte sent until the read ended


def address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    assert parts.hostname is not None and parts.port is not None
    return parts.hostname, parts.port


def connect(url: str, timeout: float = 3.0) -> socket.socket:
    sock = socket.create_connection(address(url), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def read_until_close(sock: socket.socket, timeout: float = 3.0, answers: int | None = None) -> Exchange:
    """Read until the server closes, `timeout` seconds pass, or `answers` complete answers arrived."""
    started = time.monotonic()
    data = b""
    closed = False
    sock.settimeout(timeout)
    while True:
        if answers is not None and len(parse_answers(data)) >= answers:
            break
        remaining = timeout - (time.monotonic() - started)
        if remaining <= 0:
            break
        sock.settimeout(remaining)
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            break
        except ConnectionResetError:
            closed = True
            break
        if not chunk:
            closed = True
            break
        data += chunk
    return Exchange(parse_answers(data), closed, time.monotonic() - started)


def exchange(url: str, payload: bytes, timeout: float = 3.0, answers: int | None = None) -> Exchange:
    """Send `payload` on a new connection and read what comes back (see `read_until_close`)."""
    with connect(url, timeout) as sock:
        sock.sendall(payload)
        return read_until_close(sock, timeout, answers)


def parse_answers(data: bytes) -> list[RawAnswer]:
    """Every complete answer in `data` (each framed by its Content-Length, as the emulator writes them)."""
    found: list[RawAnswer] = []
    while b"\r\n\r\n" in data:
        head, _, rest = data.partition(b"\r\n\r\n")
        status_line, *lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        if len(rest) < length:
            break
        found.append(RawAnswer(int(status_line.split()[1]), headers, rest[:length]))
        data = rest[length:]
    return found


def request(method: str, target: str, body: bytes = b"", headers: dict[str, str] | None = None,
            *, length: bool = True) -> bytes:
    """One well-formed HTTP/1.1 request (with a Content-Length unless `length` is False)."""
    lines = [f"{method} {target} HTTP/1.1", "Host: emulator"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    if length:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
