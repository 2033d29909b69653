"""A loopback stand-in for the Lambda Invoke API (moto runs functions only with Docker), speaking the
real wire protocol so `ops smoke`'s boto3 path is exercised end to end."""

from __future__ import annotations

import json
import re
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.ops.bad_handlers import tutorial_handler

INVOKE = re.compile(r"^/2015-03-31/functions/([^/]+)/invocations$")


def _good(event: dict[str, Any]) -> dict[str, Any]:
    call_id = event["CallDetails"]["Participants"][0]["CallId"]
    return {"SchemaVersion": "1.0", "Actions": [
        {"Type": "Speak", "Parameters": {"CallId": call_id, "Text": "Hello", "VoiceId": "Joanna"}},
        {"Type": "Hangup", "Parameters": {"CallId": call_id, "SipResponseCode": "0"}},
    ]}  # fmt: skip


class _Handler(BaseHTTPRequestHandler):
    events: list[tuple[str, dict[str, Any]]]

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        match = INVOKE.match(self.path.split("?")[0])
        event = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"null")
        name = urllib.parse.unquote(match.group(1)).split(":")[-1] if match else ""
        self.events.append((name, event))
        if name == "busy" and len(self.events) == 1:  # throttled once, then answers
            self._send(
                429,
                {
                    "Type": "User",
                    "Reason": "ReservedFunctionConcurrentInvocationLimitExceeded",
                    "message": "Rate Exceeded.",
                },
                {"x-amzn-ErrorType": "TooManyRequestsException"},
            )
        elif name in ("good", "busy"):
            self._send(200, _good(event))
        elif name == "tutorial":
            self._send(200, tutorial_handler(event, None))
        elif name == "crash":
            self._send(200, {"errorMessage": "boom", "errorType": "RuntimeError"},
                       {"X-Amz-Function-Error": "Unhandled"})  # fmt: skip
        else:
            self._send(404, {"Type": "User", "Message": f"Function not found: {name}"},
                       {"x-amzn-ErrorType": "ResourceNotFoundException"})  # fmt: skip


@contextmanager
def fake_lambda() -> Iterator[tuple[str, list[tuple[str, dict[str, Any]]]]]:
    events: list[tuple[str, dict[str, Any]]] = []
    handler = type("Handler", (_Handler,), {"events": events})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", events
    finally:
        server.shutdown()
        server.server_close()
