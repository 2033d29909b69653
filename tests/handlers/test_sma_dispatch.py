"""sma.dispatch.Router: routing, fallbacks, and the never-raising Lambda entry point."""

from __future__ import annotations

from typing import Any

import pytest
from sma.actions import hangup, pause
from sma.dispatch import Router, leg_a_call_id, safe_hangup
from sma.events import InvocationEvent
from sma.response import build_response

from tests.handlers import events as ev
from tests.handlers.support import assert_valid, log_lines


def make_router() -> tuple[Router, list[str]]:
    router = Router("test")
    seen: list[str] = []

    @router.on("NEW_INBOUND_CALL", "CALL_ANSWERED")
    def answer(event: InvocationEvent) -> dict[str, object]:
        seen.append(event.event_type)
        return build_response([pause(100, call_id="c")])

    @router.on("RINGING")
    def broken(event: InvocationEvent) -> dict[str, object]:
        raise RuntimeError("bug in the flow for +12065550102")

    @router.on("HANGUP")
    def wrong_shape(event: InvocationEvent) -> dict[str, object]:
        return {"Actions": []}

    return router, seen


def test_routes_by_event_type() -> None:
    router, seen = make_router()
    assert router(ev.event("CALL_ANSWERED"))["Actions"] == [pause(100, call_id="c")]
    assert router(ev.event("NEW_INBOUND_CALL"), None)["Actions"] == [pause(100, call_id="c")]
    assert seen == ["CALL_ANSWERED", "NEW_INBOUND_CALL"]


def test_an_exception_in_a_flow_becomes_a_logged_safe_hangup(capsys) -> None:
    router, _ = make_router()
    response = router(ev.event("RINGING"))
    assert response == build_response([hangup("480", call_id=ev.CALL_ID)])
    out = capsys.readouterr().out
    errors = [line for line in log_lines(out) if line["level"] == "ERROR"]
    assert len(errors) == 1 and "RuntimeError" in errors[0]["error"] and "***0102" in errors[0]["error"]
    assert "2065550102" not in out


def test_a_flow_returning_a_non_response_is_caught(capsys) -> None:
    router, _ = make_router()
    response: Any = router(ev.event("HANGUP"))
    assert response["Actions"][0]["Parameters"]["SipResponseCode"] == "480"
    assert "TypeError" in capsys.readouterr().out


def test_unrouted_types_use_the_fallback_when_given(capsys) -> None:
    router, _ = make_router()
    response: Any = router(ev.event("DIGITS_RECEIVED"))
    assert response["Actions"][0]["Type"] == "Hangup"

    @router.otherwise
    def anything(event: InvocationEvent) -> dict[str, object]:
        return build_response([])

    assert router(ev.event("DIGITS_RECEIVED")) == {"SchemaVersion": "1.0", "Actions": []}


def test_routing_mistakes_are_caught_at_definition() -> None:
    router, _ = make_router()
    with pytest.raises(ValueError, match="already routed"):
        router.on("RINGING")(lambda event: build_response([]))
    with pytest.raises(ValueError, match="at least one"):
        router.on()


def test_router_survives_even_a_broken_safe_path(monkeypatch) -> None:
    router, _ = make_router()
    monkeypatch.setattr("sma.dispatch.safe_hangup", lambda raw: 1 / 0)
    response = router(ev.event("RINGING"))
    assert response == {
        "SchemaVersion": "1.0",
        "Actions": [{"Type": "Hangup", "Parameters": {"SipResponseCode": "480"}}],
    }
    assert_valid(response)


@pytest.mark.parametrize(
    ("raw", "call_id"),
    [
        (ev.event("HANGUP"), ev.CALL_ID),
        ({"CallDetails": {"Participants": [{"ParticipantTag": "LEG-B", "CallId": "b"}]}}, None),
        ({"CallDetails": {"Participants": [{"ParticipantTag": "LEG-A", "CallId": "  "}]}}, None),
        ({"CallDetails": {"Participants": "LEG-A"}}, None),
        ("junk", None),
    ],
)
def test_safe_hangup_reads_leg_a_defensively(raw: object, call_id: str | None) -> None:
    assert leg_a_call_id(raw) == call_id
    assert_valid(safe_hangup(raw))
