"""What ActionData reports for particular actions, field by field: the error in both of its printed
forms, HANGUP's code however it is typed, recordings' S3 places, and a bot's intent result read
tolerantly down to its slots."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sma.events import ActionData, parse_event

from tests.handlers import events as ev


def data(fields: dict[str, Any]) -> ActionData:
    """ActionData as Lambda hands it over: parsed from JSON (new string objects, not this file's literals)."""
    raw = json.loads(json.dumps(ev.event("ACTION_FAILED", action_data=fields), default=str))
    found = parse_event(raw).action_data
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("error", "kind", "message"),
    [
        ("SystemException: Internal error", "SystemException", "Internal error"),
        ("Internal error", None, "Internal error"),
        ("Type: ", "Type", None),
        (": only message", None, "only message"),
        ("", None, None),
    ],
)
def test_the_error_string_form(error: str, kind: str | None, message: str | None) -> None:
    found = data({"Type": "JoinChimeMeeting", "Error": error})
    assert (found.error_type, found.error_message) == (kind, message)


def test_error_type_and_message_fields_win_over_the_string_form() -> None:
    found = data(
        {
            "Type": "Speak",
            "ErrorType": "InvalidActionParameter",
            "ErrorMessage": "Bad",
            "Error": "Other: other",
        }
    )
    assert (found.error_type, found.error_message) == ("InvalidActionParameter", "Bad")
    found = data({"Type": "Speak", "ErrorType": "", "ErrorMessage": 5, "Error": "Other: other"})
    assert (found.error_type, found.error_message) == ("Other", "other")


def test_error_list_items_as_sent() -> None:
    assert data({"ErrorList": ["a", {"b": 1}]}).error_list == ("a", {"b": 1})
    assert data({"ErrorList": "a"}).error_list == () and data({}).error_list == ()


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("480", "480"),
        (480, "480"),
        (480.0, "480"),
        (0, "0"),
        (True, None),
        (480.5, None),
        ("", None),
        (None, None),
    ],
)
def test_hangup_code_as_a_string_whatever_its_json_type(code: Any, expected: str | None) -> None:
    assert (
        data(
            {"Type": "Hangup", "Parameters": {"SipResponseCode": code, "ParticipantTag": "LEG-B"}}
        ).sip_response_code
        == expected
    )


def test_call_id_from_the_top_then_parameters_and_participant_tag() -> None:
    assert data({"CallId": "top", "Parameters": {"CallId": "param"}}).call_id == "top"
    assert (
        data({"CallId": "", "Parameters": {"CallId": "param", "ParticipantTag": "LEG-A"}}).call_id == "param"
    )
    assert data({"Parameters": {"ParticipantTag": "LEG-A"}}).participant_tag == "LEG-A"
    assert data({}).call_id is None and data({}).participant_tag is None


def test_recording_destinations() -> None:
    found = data(
        {
            "RecordingDestination": {"Type": "S3", "BucketName": "b", "Key": "k/1.wav"},
            "RecordingTerminatorUsed": "#",
        }
    )
    destination = found.recording_destination
    assert destination is not None and destination.s3_uri == "s3://b/k/1.wav" and destination.type == "S3"
    assert found.recording_terminator_used == "#"
    half = data({"RecordingDestination": {"BucketName": "b"}}).recording_destination
    assert half is not None and half.s3_uri is None
    assert data({"RecordingDestination": "s3://b/k"}).recording_destination is None
    call = data({"CallRecordingDestination": {"Type": "S3", "Location": "b/p/2026/01/01/x.wav"}})
    where = call.call_recording_destination
    assert where is not None and (where.bucket_name, where.key) == ("b", "p/2026/01/01/x.wav")
    bare = data({"CallRecordingDestination": {"Location": "b"}}).call_recording_destination
    assert bare is not None and (bare.bucket_name, bare.key) == ("b", None)
    none = data({"CallRecordingDestination": {}}).call_recording_destination
    assert none is not None and (none.bucket_name, none.key, none.type) == (None, None, None)


INTENT_RESULT = {
    "SessionId": "call-1",
    "SessionState": {
        "SessionAttributes": {"a": "1", "n": 2},
        "Intent": {
            "Name": "Book",
            "State": "Fulfilled",
            "ConfirmationState": "Confirmed",
            "Slots": {
                "City": {
                    "Value": {
                        "OriginalValue": "sea",
                        "InterpretedValue": "Seattle",
                        "ResolvedValues": ["Seattle", 5],
                    },
                    "Values": [{"Value": {"InterpretedValue": "x"}}, "junk"],
                },
                "Date": None,
            },
        },
    },
    "Interpretations": [
        {"NluConfidence": {"Score": 0.9}, "Intent": {"Name": "Book"}},
        {"NluConfidence": {"Score": True}},
        {"NluConfidence": 1},
        "junk",
    ],
}


def test_a_bots_intent_result_down_to_its_slots() -> None:
    result = data({"Type": "StartBotConversation", "IntentResult": INTENT_RESULT}).intent_result
    assert result is not None and result.session_id == "call-1"
    state = result.session_state
    assert state is not None and state.session_attributes == {"a": "1"}
    intent = result.intent
    assert intent is not None and intent.name == "Book" and intent.is_fulfilled
    assert intent.confirmation_state == "Confirmed" and intent.state == "Fulfilled"
    assert (
        set(intent.slots) == {"City", "Date"} and intent.slot("Date") is None and intent.slot("Nope") is None
    )
    city = intent.slot("City")
    assert city is not None and city.interpreted_value == "Seattle"
    assert city.value is not None and city.value.original_value == "sea"
    assert city.value.resolved_values == ("Seattle",)
    assert [v.interpreted_value for v in city.provided_values] == ["x"]
    scores = [i.nlu_confidence for i in result.interpretations]
    assert scores == [0.9, None, None]
    assert result.interpretations[0].intent is not None and result.interpretations[1].intent is None


def test_an_intent_result_read_tolerantly() -> None:
    result = data({"IntentResult": {"SessionState": "x", "Interpretations": "x"}}).intent_result
    assert result is not None and result.session_state is None and result.intent is None
    assert result.interpretations == ()
    empty = data({"IntentResult": {"SessionState": {"Intent": {"Slots": []}}}}).intent_result
    assert empty is not None and empty.intent is not None and empty.intent.slots == {}
    assert not empty.intent.is_fulfilled
    slot_less = data(
        {"IntentResult": {"SessionState": {"Intent": {"Slots": {"S": {"Value": "x", "Values": "y"}}}}}}
    )
    assert slot_less.intent_result is not None and slot_less.intent_result.intent is not None
    slot = slot_less.intent_result.intent.slot("S")
    assert (
        slot is not None
        and slot.value is None
        and slot.interpreted_value is None
        and slot.provided_values == ()
    )
    slots = {"S": {"Value": {"ResolvedValues": "x"}}}
    odd: Any = data({"IntentResult": {"SessionState": {"Intent": {"Slots": slots}}}})
    assert odd.intent_result.intent.slot("S").value.resolved_values == ()
    assert data({"IntentResult": []}).intent_result is None


def test_an_unknown_field_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="'ActionData' object has no attribute 'colour'"):
        _ = data({}).colour
