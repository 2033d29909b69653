"""The event views field by field: what parse_event refuses (naming the field), what reads as None or
empty when missing or mistyped, and the views as read-only mappings with masked reprs."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from sma.events import LEG_A, LEG_B, EventError, EventType, parse_event

from tests.handlers import events as ev


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ([], "event"),
        ({}, "InvocationEventType"),
        ({"InvocationEventType": ""}, "InvocationEventType"),
        ({"InvocationEventType": 5}, "InvocationEventType"),
        ({"InvocationEventType": "RINGING"}, "CallDetails"),
        ({"InvocationEventType": "RINGING", "CallDetails": []}, "CallDetails"),
        ({"InvocationEventType": "RINGING", "CallDetails": {}}, "CallDetails.TransactionId"),
        (
            {"InvocationEventType": "RINGING", "CallDetails": {"TransactionId": ""}},
            "CallDetails.TransactionId",
        ),
        (
            {"InvocationEventType": "RINGING", "CallDetails": {"TransactionId": "t", "Participants": {}}},
            "CallDetails.Participants",
        ),
        (
            {
                "InvocationEventType": "RINGING",
                "CallDetails": {"TransactionId": "t", "Participants": [{}, "x"]},
            },
            "CallDetails.Participants[1]",
        ),
        (
            {"InvocationEventType": "RINGING", "CallDetails": {"TransactionId": "t"}, "ActionData": []},
            "ActionData",
        ),
    ],
)
def test_a_broken_structure_names_its_field(raw: Any, field: str) -> None:
    with pytest.raises(EventError) as raised:
        parse_event(raw)
    assert raised.value.field == field and str(raised.value).startswith(f"{field}: ")


def test_the_smallest_event_reads_with_defaults() -> None:
    event = parse_event({"InvocationEventType": "RINGING", "CallDetails": {"TransactionId": "t"}})
    assert (event.event_type, event.transaction_id, event.sequence) == ("RINGING", "t", None)
    assert event.action_data is None and event.leg_a is None and event.leg_b is None
    assert event.call_details.participants == () and event.call_details.transaction_attributes == {}
    assert event.schema_version is None and event.error_type is None and event.error_message is None
    assert event.call_details.sip_media_application_id is None


def test_sequence_is_an_integer_not_a_boolean() -> None:
    assert parse_event(ev.event("RINGING", sequence=4)).sequence == 4
    for bad in (True, "4", 4.0):
        raw = ev.event("RINGING")
        raw["Sequence"] = bad
        assert parse_event(raw).sequence is None


def test_legs_by_tag_and_their_fields() -> None:
    raw = ev.event("CALL_ANSWERED")
    b_leg = {
        **raw["CallDetails"]["Participants"][0],
        "ParticipantTag": LEG_B,
        "CallId": "b",
        "Status": "Disconnected",
        "SipHeaders": {"X-Team": "voice", "x-n": 5, 7: "x"},
    }
    raw["CallDetails"]["Participants"].append(b_leg)
    event = parse_event(raw)
    assert event.leg_a is not None and event.leg_a.call_id == ev.CALL_ID and event.leg_a.is_connected
    assert event.leg_b is not None and event.leg_b.call_id == "b" and not event.leg_b.is_connected
    assert event.leg_b.sip_headers == {"X-Team": "voice"}
    assert event.leg_b.sip_header("x-team") == "voice" and event.leg_b.sip_header("X-Other") is None
    assert event.leg_a.sip_headers == {}
    assert [p.participant_tag for p in event.call_details.participants] == [LEG_A, LEG_B]
    assert event.call_details.participant("LEG-C") is None


def test_application_id_under_either_spelling_and_transaction_attributes() -> None:
    raw = ev.event("RINGING")
    raw["CallDetails"].pop("SipMediaApplicationId", None)
    raw["CallDetails"]["SipApplicationId"] = "app-2"
    raw["CallDetails"]["TransactionAttributes"] = {"a": "1", "b": 2}
    details = parse_event(raw).call_details
    assert details.sip_media_application_id == "app-2" and details.transaction_attributes == {"a": "1"}
    raw["CallDetails"]["SipMediaApplicationId"] = "app-1"
    assert parse_event(raw).call_details.sip_media_application_id == "app-1"


def test_action_data_parameters_and_arguments() -> None:
    event = parse_event(
        ev.event(
            "CALL_UPDATE_REQUESTED",
            action_data={
                "Type": "CallUpdateRequest",
                "Parameters": {"Arguments": {"a": "1", "n": 2}},
                "ReceivedDigits": "12",
            },
        )
    )
    data = event.action_data
    assert data is not None and data.type == "CallUpdateRequest" and data.received_digits == "12"
    assert data.arguments == {"a": "1"}
    bare = parse_event(ev.event("ACTION_SUCCESSFUL", action_data={"Type": 5, "Parameters": "x"})).action_data
    assert bare is not None and bare.type is None and bare.parameters == {} and bare.arguments == {}


def test_views_are_read_only_mappings_over_the_event_with_masked_reprs() -> None:
    raw = ev.event("RINGING")
    before = copy.deepcopy(raw)
    event = parse_event(raw)
    assert event.raw is raw and len(event) == len(raw) and list(event) == list(raw)
    assert event["InvocationEventType"] == "RINGING" and dict(event) == raw
    with pytest.raises(TypeError):
        event["InvocationEventType"] = "HANGUP"  # type: ignore[index]
    assert repr(event).startswith("InvocationEvent({") and str(event) == repr(event)
    leg = event.leg_a
    assert leg is not None and leg.from_number is not None and leg.from_number not in repr(leg)
    assert raw == before


def test_event_types() -> None:
    assert len(EventType.ALL) == 11 and EventType.CALL_UPDATE_REQUESTED in EventType.ALL


def as_sent(raw: dict[str, Any]) -> dict[str, Any]:
    """The event as Lambda hands it over: parsed from JSON (new string objects, not literals)."""
    parsed: dict[str, Any] = json.loads(json.dumps(raw))
    return parsed


def test_only_the_status_connected_counts_as_connected() -> None:
    raw = ev.event("RINGING")
    for status, connected in (("Connected", True), ("Disconnected", False), ("Alerting", False), ("", False)):
        raw["CallDetails"]["Participants"][0]["Status"] = status
        leg = parse_event(as_sent(raw)).leg_a
        assert leg is not None and leg.is_connected is connected, status


def test_legs_are_found_by_their_own_tag_whatever_the_order() -> None:
    raw = ev.event("CALL_ANSWERED")
    a_leg = raw["CallDetails"]["Participants"][0]
    raw["CallDetails"]["Participants"] = [{**a_leg, "ParticipantTag": LEG_B, "CallId": "b"}, a_leg]
    event = parse_event(as_sent(raw))
    assert event.leg_a is not None and event.leg_a.call_id == ev.CALL_ID
    assert event.leg_b is not None and event.leg_b.call_id == "b"


def test_a_sip_header_is_found_by_its_whole_name_in_any_case() -> None:
    raw = ev.event("NEW_INBOUND_CALL")
    raw["CallDetails"]["Participants"][0]["SipHeaders"] = {"X-A": "first", "X-B": "second", "X-Ab": "third"}
    leg = parse_event(as_sent(raw)).leg_a
    assert leg is not None
    assert [leg.sip_header(n) for n in ("x-a", "X-B", "x-ab", "X-C", "X")] == [
        "first",
        "second",
        "third",
        None,
        None,
    ]
