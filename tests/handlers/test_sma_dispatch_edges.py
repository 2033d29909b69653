"""The router's invocation log line field by field (duration on a fake clock, request id, legs), its
registration errors, the fallback, and the last-resort answer when even logging breaks."""

from __future__ import annotations

from typing import Any

import pytest
from sma import dispatch
from sma.actions import hangup, pause
from sma.dispatch import Router, leg_a_call_id, safe_hangup
from sma.events import InvocationEvent
from sma.response import build_response

from tests.handlers import events as ev
from tests.handlers.support import log_lines


class Clock:
    def __init__(self, *readings: float) -> None:
        self.readings = list(readings)

    def __call__(self) -> float:
        return self.readings.pop(0)


class Context:
    aws_request_id = "req-1"


def invocation_line(out: str) -> dict[str, Any]:
    [line] = [line for line in log_lines(out) if line["message"] == "invocation"]
    return line


def test_the_invocation_line_says_how_long_in_milliseconds(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(dispatch.time, "perf_counter", Clock(100.0, 100.25))
    router = Router("timed")
    router.on("NEW_INBOUND_CALL")(lambda event: build_response([pause(100, call_id="c")]))
    router(ev.event("NEW_INBOUND_CALL", sequence=3), Context())
    line = invocation_line(capsys.readouterr().out)
    assert line["duration_ms"] == 250.0
    assert line == {
        "level": "INFO",
        "message": "invocation",
        "handler": "timed",
        "transaction_id": "tx-1",
        "event_type": "NEW_INBOUND_CALL",
        "sequence": 3,
        "actions": ["Pause"],
        "duration_ms": 250.0,
        "request_id": "req-1",
        "from": line["from"],
        "to": line["to"],
    }
    assert line["from"].startswith("***") and line["to"].startswith("***")


def test_the_duration_is_rounded_to_microseconds(monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(dispatch.time, "perf_counter", Clock(100.0, 100.0001234))
    router = Router()
    router.on("RINGING")(lambda event: build_response([]))
    router(ev.event("RINGING"))
    assert invocation_line(capsys.readouterr().out)["duration_ms"] == 0.123


def test_kept_actions_are_logged_as_null_and_a_non_string_request_id_is_left_out(
    capsys: pytest.CaptureFixture[str],
) -> None:
    router = Router()
    router.on("CALL_ANSWERED")(lambda event: build_response(None))

    class NumericContext:
        aws_request_id = 7

    router(ev.event("CALL_ANSWERED"), NumericContext())
    line = invocation_line(capsys.readouterr().out)
    assert line["actions"] is None and "request_id" not in line and line["handler"] == "handler"


def test_a_malformed_event_is_logged_with_what_can_be_read(capsys: pytest.CaptureFixture[str]) -> None:
    router = Router("r")
    raw = {"InvocationEventType": "RINGING", "CallDetails": {"TransactionId": "tx-9", "Participants": "none"}}
    response = router(raw)
    assert response == safe_hangup(raw) == build_response([hangup("480")])
    lines = log_lines(capsys.readouterr().out)
    error = next(line for line in lines if line["level"] == "ERROR")
    assert error["message"] == "malformed event; hanging up" and error["transaction_id"] == "tx-9"
    [line] = [line for line in lines if line["message"] == "invocation"]
    assert (line["transaction_id"], line["event_type"], line["sequence"]) == ("tx-9", "RINGING", None)
    assert "from" not in line
    router("not an event")
    line = invocation_line(capsys.readouterr().out)
    assert "transaction_id" not in line and "event_type" not in line
    router({"CallDetails": "x"})
    line = invocation_line(capsys.readouterr().out)
    assert line["transaction_id"] is None


def test_unknown_event_types_go_to_the_fallback_or_hang_up(capsys: pytest.CaptureFixture[str]) -> None:
    router = Router("r")
    assert router(ev.event("RINGING")) == build_response([hangup("480", call_id=ev.CALL_ID)])
    assert "unknown event type; hanging up" in capsys.readouterr().out
    seen: list[str] = []

    @router.otherwise
    def anything(event: InvocationEvent) -> dict[str, object]:
        seen.append(event.event_type)
        return build_response([])

    assert router(ev.event("RINGING")) == build_response([]) and seen == ["RINGING"]


def test_registration_errors() -> None:
    router = Router()
    with pytest.raises(ValueError, match="name at least one InvocationEventType"):
        router.on()
    router.on("HANGUP")(lambda event: build_response([]))
    with pytest.raises(ValueError, match="on\\(\\): HANGUP is already routed to"):
        router.on("RINGING", "HANGUP")(lambda event: build_response([]))
    routes = router.routes()
    routes.clear()
    assert list(router.routes()) == ["HANGUP", "RINGING"]  # RINGING was registered before HANGUP clashed


def test_a_response_with_another_schema_version_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    router = Router()
    router.on("HANGUP")(lambda event: {"SchemaVersion": "2.0", "Actions": []})
    answer: Any = router(ev.event("HANGUP"))
    assert answer["Actions"][0]["Parameters"]["SipResponseCode"] == "480"
    assert "call flow failed; hanging up" in capsys.readouterr().out


def test_when_even_logging_breaks_the_answer_is_still_a_valid_hangup(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("no log")

    monkeypatch.setattr(dispatch.log, "emit", broken)
    assert Router()(ev.event("RINGING")) == {
        "SchemaVersion": "1.0",
        "Actions": [{"Type": "Hangup", "Parameters": {"SipResponseCode": "480"}}],
    }


def test_leg_a_call_id_read_defensively() -> None:
    assert leg_a_call_id(ev.event("RINGING")) == ev.CALL_ID
    for raw in (
        None,
        {},
        {"CallDetails": {"Participants": [{"ParticipantTag": "LEG-A", "CallId": " "}]}},
        {"CallDetails": {"Participants": [{"ParticipantTag": "LEG-B", "CallId": "b"}, "x"]}},
        {"CallDetails": {"Participants": [{"ParticipantTag": "LEG-A", "CallId": 5}]}},
    ):
        assert leg_a_call_id(raw) is None
