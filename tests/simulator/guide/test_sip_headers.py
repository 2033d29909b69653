"""Developer Guide, "Using SIP headers" and the SIP header row of "Debugging unexpected ACTION_FAILED
events": which headers an inbound call exposes and where, and the one rule for headers a Lambda or an
API caller sends (`pstn.sip_headers.sip_header_problem`, for CreateSipMediaApplicationCall too)."""

from __future__ import annotations

import pytest

from emulator.calls.service import CallService
from pstn.sip_headers import inbound_headers, sip_header_problem
from tests.simulator.plans import action, hangup, on, speak
from tests.simulator.support import FakeDirectory, invocation, planned_call

NUMBER = "+15550201301"
VC_ARN = "arn:aws:chime:us-east-1:123456789012:vc/abcdef1234"
PAGE_HEADERS = {
    "X-Test-Value": "String",
    "User-to-User": "616d617a6f6e5f6368696d655f636f6e6e6563746f723a3136;encoding=hex",
    "Diversion": "sip:+11234567891@public.test.com;reason=unconditional",
}


def test_inbound_headers_appear_on_leg_a_in_every_event(
    service: CallService, directory: FakeDirectory
) -> None:
    """The lex sample reads Participants[0].SipHeaders in NEW_INBOUND_CALL and in ACTION_SUCCESSFUL."""
    sent = {**PAGE_HEADERS, "P-Asserted-Identity": "<sip:+1555@x>", "X-Amzn-Internal": "1"}
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", speak("{A}", "hi")),
        on("ACTION_SUCCESSFUL", hangup()),
        sipHeaders=sent,
    )
    for item in record["invocations"]:
        assert item["event"]["CallDetails"]["Participants"][0]["SipHeaders"] == PAGE_HEADERS, item[
            "eventType"
        ]


def test_a_call_without_custom_headers_has_no_sip_headers_field(
    service: CallService, directory: FakeDirectory
) -> None:
    record = planned_call(
        service, directory, NUMBER, on("NEW_INBOUND_CALL", hangup()), sipHeaders={"Via": "x"}
    )
    assert "SipHeaders" not in record["invocations"][0]["event"]["CallDetails"]["Participants"][0]


def test_headers_reach_events_of_voice_connector_routed_calls_too(
    service: CallService, directory: FakeDirectory
) -> None:
    from tests.simulator.plans import write_plan

    write_plan(NUMBER, on("NEW_INBOUND_CALL", hangup()))
    sma = directory.add_sma("planned")
    directory.add_rule(
        "vc.voiceconnector.chime.aws", [(sma, "us-east-1", 1)], trigger_type="RequestUriHostname"
    )
    _, record = service.handle_admin(
        "POST",
        "/_emulator/calls",
        {
            "to": NUMBER,
            "from": "+15550001234",
            "requestUriHostname": "vc.voiceconnector.chime.aws",
            "sipHeaders": {"X-A": "1"},
        },
    )
    assert record["invocations"][0]["event"]["CallDetails"]["Participants"][0]["SipHeaders"] == {"X-A": "1"}


def test_call_and_bridge_refuses_a_reserved_header(service: CallService, directory: FakeDirectory) -> None:
    endpoint = {"BridgeEndpointType": "AWS", "Uri": "5550100", "Arn": VC_ARN}
    record = planned_call(
        service,
        directory,
        NUMBER,
        on(
            "NEW_INBOUND_CALL",
            action(
                "CallAndBridge",
                CallerIdNumber="{FROM}",
                Endpoints=[endpoint],
                SipHeaders={"X-AMZN": "String"},
            ),
        ),
        on("ACTION_FAILED", hangup()),
    )
    failed = invocation(record, "ACTION_FAILED")["ActionData"]
    assert (failed["ErrorType"], failed["ErrorMessage"]) == (
        "InvalidActionParameter",
        "Invalid SIP header(s) provided: X-AMZN.",
    )


@pytest.mark.parametrize(
    ("headers", "problem"),
    [
        (PAGE_HEADERS, None),
        ({"x-lowercase": "ok"}, None),
        ({"X-AMZN": "String"}, "invalid SIP header(s) provided: X-AMZN"),
        ({"x-vc-id": "1", "X-Voice-Thing": "2"}, "invalid SIP header(s) provided: x-vc-id, X-Voice-Thing"),
        ({"Custom": "1"}, "invalid SIP header(s) provided: Custom"),
        ({"X-": "1"}, "invalid SIP header(s) provided: X-"),
        ({"X-Long": "v" * 2049}, "invalid SIP header(s) provided: X-Long"),
        ({"X-Long": "v" * 2048}, None),
        ({f"X-{i}": "v" for i in range(21)}, "at most 20 SIP headers may be sent (got 21)"),
        ("X-A: 1", "SipHeaders must be a map of header names to values"),
    ],
)
def test_the_header_rule(headers: object, problem: str | None) -> None:
    assert sip_header_problem(headers) == problem


def test_inbound_keeps_only_exposed_names_as_sent() -> None:
    assert inbound_headers({"x-CallId": "1", "Via": "v", "diversion": "d", "X-VC-Route": "r"}) == {
        "x-CallId": "1",
        "diversion": "d",
    }
