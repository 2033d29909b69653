"""Invoking Lambdas: warm local workers (timeouts, crashes, bad modules) and the Lambda API path."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from awsutil.arn import split_function_arn
from emulator.calls.invoker import Invoker, parse_handler_spec
from pstn.local_lambda import HandlerSpec
from tests.simulator.support import ACCOUNT_ID, FIXTURES, function_arn

EVENT = {
    "SchemaVersion": "1.0",
    "Sequence": 1,
    "InvocationEventType": "NEW_INBOUND_CALL",
    "CallDetails": {
        "TransactionId": "t",
        "Participants": [
            {"CallId": "c", "ParticipantTag": "LEG-A", "To": "+15550001111", "From": "+15557654321"}
        ],
    },
}


def spec(name: str, file: str, function: str = "handler") -> HandlerSpec:
    return HandlerSpec(name, str(FIXTURES / file), function)


@pytest.fixture
def invoker() -> Iterator[Invoker]:
    inv = Invoker(
        [
            spec("sleeps", "basic.py", "sleeps"),
            spec("speak", "basic.py", "speak_hangup"),
            spec("broken", "broken_import.py"),
            spec("crashes", "crashes.py"),
            spec("missing-fn", "basic.py", "no_such_function"),
        ],
        ACCOUNT_ID,
        timeout=0.3,
    )
    yield inv
    inv.close()


def test_a_timed_out_worker_is_killed_and_the_next_invocation_gets_a_fresh_one(invoker: Invoker) -> None:
    first = invoker.invoke(function_arn("sleeps"), EVENT)
    assert first.outcome == "timeout" and "0.30 seconds" in (first.error or "")
    assert first.duration_ms < 5000  # the 30 s sleep was not waited for
    second = invoker.invoke(function_arn("sleeps"), EVENT)
    assert second.outcome == "timeout"
    assert invoker.worker_starts()["sleeps@us-east-1"] == 2


def test_warm_worker_is_reused(invoker: Invoker) -> None:
    for _ in range(3):
        assert invoker.invoke(function_arn("speak"), EVENT).ok
    assert invoker.worker_starts() == {"speak@us-east-1": 1}


def test_same_function_name_in_two_regions_is_two_workers(invoker: Invoker) -> None:
    assert invoker.invoke(function_arn("speak", "us-east-1"), EVENT).ok
    assert invoker.invoke(function_arn("speak", "us-west-2"), EVENT).ok
    assert invoker.worker_starts() == {"speak@us-east-1": 1, "speak@us-west-2": 1}


@pytest.mark.parametrize(
    ("name", "outcome", "mentions"),
    [
        ("broken", "init-error", "Runtime.ImportModuleError"),
        ("missing-fn", "init-error", "no_such_function"),
        ("crashes", "crashed", "exited"),
        ("unknown", "unmapped", "no --handler for 'unknown'"),
    ],
)
def test_failed_invocations(invoker: Invoker, name: str, outcome: str, mentions: str) -> None:
    result = invoker.invoke(function_arn(name), EVENT)
    assert result.outcome == outcome and not result.ok
    assert mentions in (result.error or "")


def test_handler_specs_are_checked() -> None:
    good = parse_handler_spec(f"fn={FIXTURES / 'basic.py'}:speak_hangup")
    assert (good.function_name, good.function) == ("fn", "speak_hangup")
    for bad in (
        "fn",
        f"fn={FIXTURES / 'basic.py'}",
        "fn=nope.py:h",
        f"={FIXTURES / 'basic.py'}:h",
        f"fn={FIXTURES / 'helper_lib.py'}:",
    ):
        with pytest.raises(ValueError, match="--handler"):
            parse_handler_spec(bad)


def test_split_function_arn() -> None:
    assert split_function_arn("arn:aws:lambda:eu-west-1:123456789012:function:f:live") == ("f", "eu-west-1")
    assert split_function_arn("plain-name") == ("plain-name", "")


class _FakeLambda(BaseHTTPRequestHandler):
    """Just enough of the Lambda Invoke API for boto3: answers per function name."""

    calls: list[tuple[str, Any]] = []

    def do_POST(self) -> None:
        name = self.path.split("/functions/")[1].split("/")[0]
        from urllib.parse import unquote

        name = unquote(name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.calls.append((name, body))
        headers = {"Content-Type": "application/json"}
        if name.endswith("fails"):
            payload = json.dumps({"errorMessage": "boom", "errorType": "RuntimeError"}).encode()
            headers["X-Amz-Function-Error"] = "Unhandled"
        elif name.endswith("garbage"):
            payload = b"not json at all"
        elif name.endswith("missing"):
            payload = json.dumps({"Type": "User", "message": "Function not found"}).encode()
            self.send_response(404)
            self.send_header("x-amzn-ErrorType", "ResourceNotFoundException")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        else:
            payload = json.dumps({"SchemaVersion": "1.0", "Actions": [], "Echo": body["Sequence"]}).encode()
        self.send_response(200)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def fake_lambda() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeLambda)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _FakeLambda.calls = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_unmapped_functions_go_through_the_lambda_api(fake_lambda: str) -> None:
    invoker = Invoker([], ACCOUNT_ID, timeout=2.0, lambda_endpoint=fake_lambda)
    result = invoker.invoke(function_arn("remote", "eu-west-1"), EVENT)
    assert result.ok and result.via == "lambda-api"
    assert result.response == {"SchemaVersion": "1.0", "Actions": [], "Echo": 1}
    assert _FakeLambda.calls == [(function_arn("remote", "eu-west-1"), EVENT)]
    assert invoker.invoke(function_arn("remote-fails"), EVENT).outcome == "error"
    assert invoker.invoke(function_arn("remote-garbage"), EVENT).outcome == "not-json"
    missing = invoker.invoke(function_arn("remote-missing"), EVENT)
    assert missing.outcome == "api-error" and "ResourceNotFoundException" in (missing.error or "")
