"""sma.events: typed read-only views, tolerant of missing optional fields, masked repr."""

from __future__ import annotations

import copy
from typing import Any, cast

import pytest
from sma.events import ActionData, EventError, InvocationEvent, Participant, parse_event

from tests.handlers import events as ev


def test_doc_sample_reads_with_sip_application_id_spelling() -> None:
    event = parse_event(copy.deepcopy(ev.DOC_NEW_INBOUND_CALL))
    details = event.call_details
    assert event.event_type == "NEW_INBOUND_CALL" and event.sequence == 1 and event.schema_version == "1.0"
    assert details.sip_media_application_id == "sip-application-id"
    assert (details.transaction_id, details.aws_region, details.sip_rule_id) == (
        "transaction-id",
        "us-east-1",
        "sip-rule-id",
    )
    assert details.aws_account_id == "aws-account-id"
    assert details.transaction_attributes == {}
    assert event.action_data is None and event.leg_b is None
    leg = event.leg_a
    assert isinstance(leg, Participant)
    assert (leg.call_id, leg.to, leg.from_number, leg.direction, leg.status) == (
        "call-id-1",
        "+11234567890",
        "+19876543210",
        "Inbound",
        "Connected",
    )
    assert leg.is_connected and leg.start_time_in_milliseconds == "159700958834234" and leg.sip_headers == {}


def test_doc_sample_with_sip_media_application_id_and_attributes() -> None:
    event = parse_event(copy.deepcopy(ev.DOC_ACTION_SUCCESSFUL))
    assert event.call_details.sip_media_application_id == "e88f4e49-dd21-4a3f-b538-bc84eae11505"
    assert event.call_details.transaction_attributes == {"key1": "value1", "key2": "value2"}
    data = event.action_data
    assert isinstance(data, ActionData)
    assert data.type == "PlayAudio" and data.parameters["Repeat"] == 1 and data.error_type is None


def test_leg_b_and_participants() -> None:
    raw = ev.event(
        "ACTION_SUCCESSFUL", participants=[ev.participant(), ev.participant("LEG-B", "call-b", "Outbound")]
    )
    event = parse_event(raw)
    assert [p.participant_tag for p in event.call_details.participants] == ["LEG-A", "LEG-B"]
    assert event.leg_b is not None and event.leg_b.call_id == "call-b" and event.leg_b.direction == "Outbound"
    assert event.call_details.participant("LEG-C") is None


def test_missing_and_mistyped_optional_fields_read_as_none() -> None:
    raw = {
        "InvocationEventType": "HANGUP",
        "Sequence": "7",
        "CallDetails": {
            "TransactionId": "t",
            "SipMediaApplicationId": 5,
            "TransactionAttributes": {"ok": "yes", "n": 1},
            "Participants": [{"ParticipantTag": "LEG-A", "CallId": 42, "SipHeaders": ["x"]}],
        },
        "ActionData": {"Type": "Hangup", "Parameters": "nope"},
    }
    event = parse_event(raw)
    assert event.sequence is None and event.schema_version is None and event.error_type is None
    assert (
        event.call_details.sip_media_application_id is None and event.call_details.participants[0].to is None
    )
    assert event.call_details.transaction_attributes == {"ok": "yes"}
    assert event.leg_a is not None and event.leg_a.call_id is None and event.leg_a.sip_headers == {}
    assert event.action_data is not None and event.action_data.parameters == {}
    assert event.action_data.arguments == {}
    assert (
        parse_event(
            {"InvocationEventType": "X", "CallDetails": {"TransactionId": "t"}}
        ).call_details.participants
        == ()
    )


def test_update_arguments_and_error_fields() -> None:
    event = parse_event(ev.update({"action": "speak", "text": "hi"}))
    assert event.action_data is not None and event.action_data.arguments == {"action": "speak", "text": "hi"}
    failed = parse_event(ev.ALL_EVENTS["ACTION_FAILED"]).action_data
    assert failed is not None and (failed.error_type, failed.error_message) == ("SystemException", "boom")
    invalid = parse_event(ev.ALL_EVENTS["INVALID_LAMBDA_RESPONSE"])
    assert invalid.error_type == "TransactionAttributesInvalidMapSize" and invalid.error_message
    digits = parse_event(ev.ALL_EVENTS["DIGITS_RECEIVED"]).action_data
    assert digits is not None and digits.received_digits == "12#"


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ("x", "event"),
        ({"InvocationEventType": ""}, "InvocationEventType"),
        ({"InvocationEventType": "HANGUP", "CallDetails": []}, "CallDetails"),
        ({"InvocationEventType": "HANGUP", "CallDetails": {"TransactionId": 3}}, "CallDetails.TransactionId"),
    ],
)
def test_structural_errors_name_the_field(raw: object, field: str) -> None:
    with pytest.raises(EventError) as caught:
        parse_event(raw)
    assert caught.value.field == field and str(caught.value).startswith(field)
    assert isinstance(caught.value, ValueError)


def test_views_are_read_only_mappings() -> None:
    event = parse_event(ev.event("NEW_INBOUND_CALL"))
    assert isinstance(event, InvocationEvent)
    assert event["InvocationEventType"] == "NEW_INBOUND_CALL" and "CallDetails" in event and len(event) == 4
    with pytest.raises(TypeError):
        cast(Any, event)["InvocationEventType"] = "HANGUP"
    with pytest.raises(AttributeError):
        cast(Any, event).foo = 1


def test_repr_masks_phone_numbers_but_keeps_ids() -> None:
    event = parse_event(ev.update({"action": "speak", "text": "call +1 (425) 555-0199 now"}))
    text = repr(event) + str(event.leg_a)
    assert "4255550199" not in text and "(425) 555-0199" not in text and "4345550101" not in text
    assert "***0199" in text and "***0101" in text
    assert "tx-1" in text and ev.CALL_ID in text
    # Any 7+ digit run is masked whatever the field: an account id looks like a number too.
    assert "123456789012" not in text and "***9012" in text
