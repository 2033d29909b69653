"""The HTTP layer's framing: malformed or oversized requests are refused and their connection closed.

Each case sends exact bytes on a raw socket with a complete `POST /_emulator/reset` placed where a
lax parser would take it for a second request. The reset must never run (the application made
first is still there, which also shows the server answering a normal request afterwards), exactly
one answer comes back, and the server hangs up.
"""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest

from testbed.emulator_process import RunningEmulator
from tests.emulator.helpers import create_sma, raises_code, unvalidated
from tests.emulator.raw_http import connect, exchange, read_until_close, request

SMUGGLED = request("POST", "/_emulator/reset")
SIGNED = {"Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/chime/aws4_request, "
                           "SignedHeaders=host, Signature=0"}
LIMIT = 1024 * 1024  # the default --max-body-bytes the shared emulator runs with


def head(*headers: str, line: str = "POST /_emulator/requests HTTP/1.1") -> bytes:
    return ("\r\n".join([line, "Host: emulator", *headers]) + "\r\n\r\n").encode("latin-1")


def still_there(chime: Any, sma_id: str) -> bool:
    found = chime.list_sip_media_applications()["SipMediaApplications"]
    return any(a["SipMediaApplicationId"] == sma_id for a in found)


CHUNKED = "Transfer-Encoding: chunked"
HALF_MEGABYTE_CHUNK = b"80000\r\n" + b"x" * 0x80000 + b"\r\n"


def bad(payload: bytes, name: str) -> Any:
    return pytest.param(payload, 400, "BadRequestException", id=name)


def too_large(payload: bytes, name: str) -> Any:
    return pytest.param(payload, 413, "RequestEntityTooLargeException", id=name)


def unsupported(payload: bytes, name: str) -> Any:
    return pytest.param(payload, 501, "NotImplementedException", id=name)


REFUSED = [
    bad(head("Content-Length: -1") + SMUGGLED, "negative"),
    bad(head(f"Content-Length: -{len(SMUGGLED)}") + SMUGGLED, "negative-length-of-the-rest"),
    *(bad(head(f"Content-Length: {value}") + SMUGGLED, f"not-a-number-{value!r}")
      for value in ["abc", "+0", "0x10", "1e3", "0_0", "", "0 0", "0.0", " - 0"]),
    # int() would read this as 5; sent as UTF-8, the server reads it as Latin-1 text.
    bad(head().replace(b"\r\n\r\n", "\r\nContent-Length: \u0665\r\n\r\n".encode()) + SMUGGLED,
        "arabic-indic-digit"),
    bad(head("Content-Length: 0", f"Content-Length: {len(SMUGGLED)}") + SMUGGLED, "duplicate-conflicting"),
    bad(head(f"Content-Length: 0, {len(SMUGGLED)}") + SMUGGLED, "list-conflicting"),
    bad(head("Content-Length: 5", CHUNKED) + b"0\r\n\r\n" + SMUGGLED, "chunked-with-content-length"),
    bad(head(CHUNKED, "Content-Length: 0") + b"0\r\n\r\n" + SMUGGLED, "content-length-with-chunked"),
    unsupported(head("Transfer-Encoding: gzip") + SMUGGLED, "gzip"),
    unsupported(head("Transfer-Encoding: chunked, identity") + b"0\r\n\r\n" + SMUGGLED, "chunked-not-last"),
    bad(head(CHUNKED, line="POST /_emulator/requests HTTP/1.0") + b"0\r\n\r\n" + SMUGGLED,
        "chunked-in-http-1.0"),
    # A header line the parser cannot read would hide the Content-Length (and everything after it).
    bad(head(f"Content-Length : {len(SMUGGLED)}") + SMUGGLED, "space-before-colon"),
    bad(head("X-No-Colon", f"Content-Length: {len(SMUGGLED)}") + SMUGGLED, "line-without-colon"),
    bad(head("X-Folded: a", f" Content-Length: {len(SMUGGLED)}") + SMUGGLED, "folded-header"),
    bad(head(CHUNKED) + b"zz\r\n" + SMUGGLED, "chunk-size-not-hex"),
    bad(head(CHUNKED) + b"1\r\nabc\r\n0\r\n\r\n" + SMUGGLED, "chunk-longer-than-its-size"),
    too_large(head(f"Content-Length: {LIMIT + 1}") + SMUGGLED, "over-the-limit"),
    too_large(head("Content-Length: " + "9" * 40) + SMUGGLED, "forty-digits"),
    too_large(head(CHUNKED) + f"{LIMIT + 1:x}\r\n".encode() + SMUGGLED, "chunk-over-the-limit"),
    too_large(head(CHUNKED) + HALF_MEGABYTE_CHUNK * 2 + b"1\r\n" + SMUGGLED, "chunks-past-the-limit"),
]


@pytest.mark.parametrize(("payload", "status", "error_type"), REFUSED)
def test_malformed_framing_is_refused_the_connection_closed_and_nothing_hidden_runs(
    emulator: RunningEmulator, chime: Any, payload: bytes, status: int, error_type: str
) -> None:
    sma_id = create_sma(chime)["SipMediaApplicationId"]
    got = exchange(emulator.url, payload)
    assert [a.status for a in got.answers] == [status], got
    (answer,) = got.answers
    assert answer.error_type == error_type
    assert answer.headers.get("connection") == "close"
    assert answer.json()["Message"]
    assert got.closed, "the server must hang up after a refusal"
    assert still_there(chime, sma_id), "the hidden POST /_emulator/reset ran"


def test_a_body_that_ends_early_is_refused(emulator: RunningEmulator, chime: Any) -> None:
    sma_id = create_sma(chime)["SipMediaApplicationId"]
    with connect(emulator.url) as sock:
        sock.sendall(head("Content-Length: 100") + b"{}")
        sock.shutdown(socket.SHUT_WR)  # the client is done sending, 98 bytes short
        got = read_until_close(sock)
    assert [a.status for a in got.answers] == [400] and got.closed
    assert "2 of the body's 100 bytes" in got.answers[0].json()["Message"]
    assert still_there(chime, sma_id)


def test_an_over_limit_body_gets_no_100_continue(emulator: RunningEmulator, chime: Any) -> None:
    sma_id = create_sma(chime)["SipMediaApplicationId"]
    got = exchange(emulator.url, head(f"Content-Length: {LIMIT + 1}", "Expect: 100-continue"))
    assert [a.status for a in got.answers] == [413] and got.closed
    assert still_there(chime, sma_id)


def test_an_sdk_sending_an_over_limit_body_reads_a_413_not_a_reset(chime: Any) -> None:
    # botocore sends the whole 2 MB before it reads: the server must drain it before hanging up,
    # or the client would see its connection reset instead of the answer.
    with raises_code("RequestEntityTooLargeException", status=413, mentions="--max-body-bytes"):
        unvalidated(chime).create_sip_media_application(
            AwsRegion="us-east-1", Name="x" * (2 * LIMIT), Endpoints=[{"LambdaArn": "arn"}]
        )
    assert chime.list_sip_media_applications()["SipMediaApplications"] == []


def test_well_formed_variants_are_served(emulator: RunningEmulator, chime: Any) -> None:
    """What the strict reading must still accept: a repeated identical Content-Length, a chunked
    body (with an extension and a trailer), and two pipelined requests on one connection."""
    body = json.dumps({"AwsRegion": "us-east-1", "Name": "chunked",
                       "Endpoints": [{"LambdaArn": "arn:aws:lambda:us-east-1:123456789012:function:f"}]})
    encoded = body.encode()
    chunks = b"".join(f"{len(part):x}\r\n".encode() + part + b"\r\n" for part in (encoded[:10], encoded[10:]))
    chunked = head("Transfer-Encoding: chunked", *(f"{k}: {v}" for k, v in SIGNED.items()),
                   line="POST /sip-media-applications HTTP/1.1")
    with_extension = chunks.replace(b"\r\n", b";ext=1\r\n", 1)
    got = exchange(emulator.url, chunked + with_extension + b"0\r\nX-Trailer: t\r\n\r\n", answers=1)
    assert [a.status for a in got.answers] == [201], got
    assert got.answers[0].json()["SipMediaApplication"]["Name"] == "chunked"

    repeated = head("Content-Length: 2", "Content-Length: 2", line="GET /_emulator/health HTTP/1.1") + b"{}"
    listed = head("Content-Length: 2, 2", line="GET /_emulator/health HTTP/1.1") + b"{}"
    got = exchange(emulator.url, repeated + listed, answers=2)
    assert [a.status for a in got.answers] == [200, 200] and not got.closed
    assert [a.json() for a in got.answers] == [{"ok": True}, {"ok": True}]
    names = [a["Name"] for a in chime.list_sip_media_applications()["SipMediaApplications"]]
    assert names == ["chunked"]
