"""Developer Guide, "Making an outbound call" (use-create-call-api) and the HANGUP codes of "Understanding
telephony events": what the handler sees for each way a callee can answer (or not), scripted per number."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.calls.service import CallService
from emulator.errors import ResourceLimitExceededError
from tests.simulator.conftest import LAMBDA_TIMEOUT
from tests.simulator.plans import hangup, on, speak, write_plan
from tests.simulator.support import FakeDirectory, call_record, event_types, handler_specs, invocation, spoken

FROM = "+15550201200"
TO = "+15550201201"


def dial(
    service: CallService, directory: FakeDirectory, headers: dict[str, str] | None = None, **profile: Any
) -> dict[str, Any]:
    if profile:
        assert service.handle_admin("PUT", f"/_emulator/callees/{TO}", profile)[0] == 200
    write_plan(
        TO,
        on("NEW_OUTBOUND_CALL", speak("{A}", "ignored")),
        on("CALL_ANSWERED", speak("{A}", "hello"), hangup()),
    )
    sma = directory.add_sma("planned")
    transaction_id = service.start_outbound("us-east-1", sma, FROM, TO, headers or {}, {"k": "v"})
    return call_record(service, transaction_id, "ended")


def test_answered_after_ringing(service: CallService, directory: FakeDirectory) -> None:
    record = dial(service, directory, ringSeconds=3)
    assert event_types(record) == ["NEW_OUTBOUND_CALL", "RINGING", "CALL_ANSWERED", "HANGUP"]
    new, ringing, answered = (i["event"] for i in record["invocations"][:3])
    for event in (new, ringing):
        assert "Status" not in event["CallDetails"]["Participants"][0]
    assert answered["CallDetails"]["Participants"][0]["Status"] == "Connected"
    assert record["invocations"][2]["virtualMs"] == 3000
    assert spoken(record) == ["hello"]  # not "ignored": NEW_OUTBOUND_CALL's answer is not used


@pytest.mark.parametrize(
    ("profile", "events", "code", "at"),
    [
        ({"outcome": "busy"}, ["NEW_OUTBOUND_CALL", "HANGUP"], 486, 0),
        ({"outcome": "unreachable"}, ["NEW_OUTBOUND_CALL", "HANGUP"], 480, 0),
        ({"outcome": "no-answer"}, ["NEW_OUTBOUND_CALL", "RINGING", "HANGUP"], 480, 30000),
        (
            {"outcome": "no-answer", "noAnswerTimeoutSeconds": 45},
            ["NEW_OUTBOUND_CALL", "RINGING", "HANGUP"],
            480,
            45000,
        ),
        ({"outcome": "reject", "ringSeconds": 2}, ["NEW_OUTBOUND_CALL", "RINGING", "HANGUP"], 603, 2000),
        (
            {"outcome": "reject", "rejectSipResponseCode": 486},
            ["NEW_OUTBOUND_CALL", "RINGING", "HANGUP"],
            486,
            0,
        ),
    ],
)
def test_not_answered(
    service: CallService,
    directory: FakeDirectory,
    profile: dict[str, Any],
    events: list[str],
    code: int,
    at: int,
) -> None:
    record = dial(service, directory, **profile)
    assert event_types(record) == events
    hung = invocation(record, "HANGUP")
    assert hung["ActionData"]["Parameters"]["SipResponseCode"] == code
    assert hung["CallDetails"]["Participants"][0]["Status"] == "Disconnected"
    assert record["invocations"][-1]["virtualMs"] == at and not record["invocations"][-1]["responseUsed"]
    assert record["status"] == "completed" and record["sipResponseCode"] == str(code)


def test_the_callee_hangs_up(service: CallService, directory: FakeDirectory) -> None:
    write_plan(TO, on("CALL_ANSWERED", speak("{A}", "x" * 500)))
    service.handle_admin("PUT", f"/_emulator/callees/{TO}", {"hangupAfterSeconds": 5})
    sma = directory.add_sma("planned")
    record = call_record(service, service.start_outbound("us-east-1", sma, FROM, TO, {}, {}), "ended")
    assert event_types(record)[-1] == "HANGUP" and record["invocations"][-1]["virtualMs"] == 5000
    assert invocation(record, "HANGUP")["ActionData"]["Parameters"]["SipResponseCode"] == 0


def test_sip_headers_reach_the_callee_not_the_events(service: CallService, directory: FakeDirectory) -> None:
    """aws-samples/amazon-chime-sdk-click-to-call: the headers are not passed to the SIP media application."""
    record = dial(service, directory, headers={"X-Ticket": "42"})
    assert record["legs"][0]["party"]["sentSipHeaders"] == {"X-Ticket": "42"}
    assert all(
        "SipHeaders" not in i["event"]["CallDetails"]["Participants"][0] for i in record["invocations"]
    )


def test_the_active_call_quota(directory: FakeDirectory) -> None:
    service = CallService(directory, handler_specs(), lambda_timeout=LAMBDA_TIMEOUT, active_calls_per_sma=1)
    try:
        write_plan(TO, on("CALL_ANSWERED", speak("{A}", "hold")))
        sma = directory.add_sma("planned")
        first = service.start_outbound("us-east-1", sma, FROM, TO, {}, {})
        assert call_record(service, first, "settled")["status"] == "active"
        with pytest.raises(ResourceLimitExceededError, match="1 active calls"):
            service.start_outbound("us-east-1", sma, FROM, TO, {}, {})
    finally:
        service.close()
