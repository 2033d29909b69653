"""A loopback proxy in front of moto's server that answers chosen requests of an AWS JSON-protocol
service (CloudWatch Logs) with a fault instead of forwarding them: moto has no fault injection.

Each request takes the next entry of `plan` ("throttle", "error" or None = forward); once the plan
is used up, every request is forwarded. `seen` records (operation, fault) per request.
"""

from __future__ import annotations

import http.client
import json
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FAULTS = {
    "throttle": (400, "ThrottlingException", "Rate exceeded"),
    "error": (500, "ServiceUnavailableException", "Service unavailable"),
}


@dataclass
class FaultProxy:
    upstream: str
    plan: list[str | None] = field(default_factory=list)
    seen: list[tuple[str, str | None]] = field(default_factory=list)
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_fault(self, operation: str) -> str | None:
        with self.lock:
            fault = self.plan.pop(0) if self.plan else None
            self.seen.append((operation, fault))
            return fault

    def operations(self) -> list[str]:
        return [operation for operation, _ in self.seen]


def _handler(proxy: FaultProxy) -> type[BaseHTTPRequestHandler]:
    upstream = urllib.parse.urlsplit(proxy.upstream)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet
            return

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            operation = self.headers.get("X-Amz-Target", "?").rpartition(".")[2]
            fault = proxy.next_fault(operation)
            if fault is not None:
                status, code, message = FAULTS[fault]
                payload = json.dumps({"__type": code, "message": message}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/x-amz-json-1.1")
                self.send_header("x-amzn-RequestId", "fault-proxy")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                return
            connection = http.client.HTTPConnection(upstream.hostname or "127.0.0.1", upstream.port,
                                                    timeout=30)
            headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
            connection.request("POST", self.path, body=body, headers=headers)
            answer = connection.getresponse()
            data = answer.read()
            self.send_response(answer.status)
            for key, value in answer.getheaders():
                if key.lower() not in ("content-length", "transfer-encoding", "connection", "server", "date"):
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            connection.close()

    return Handler


@contextmanager
def fault_proxy(upstream: str, plan: list[str | None] | None = None) -> Iterator[FaultProxy]:
    proxy = FaultProxy(upstream, list(plan or []))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(proxy))
    proxy.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
