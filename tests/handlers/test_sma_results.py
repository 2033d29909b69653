"""Typed access to what the guide documents beyond the envelope: SIP headers on Participants, the
ActionData each action reports on success and failure, HANGUP's code. Events are the guide's own
examples (placeholders filled in where the page prints `string`), named after their page."""

from __future__ import annotations

import copy
from typing import Any, cast

import pytest
from sma.events import parse_event
from sma.results import CallRecordingDestination, IntentResult, RecordingDestination

from tests.handlers import events as ev


def action_data(data: dict[str, Any], event_type: str = "ACTION_SUCCESSFUL", **kwargs: Any) -> Any:
    parsed = parse_event(ev.event(event_type, data, **kwargs)).action_data
    assert parsed is not None
    return parsed


# --- "Using SIP headers" -----------------------------------------------------------------------------

SIP_HEADERS_PAGE_PARTICIPANTS = [
    {
        **ev.participant(call_id="call-id-1"),
        "SipHeaders": {
            "X-Test-Value": "String",
            "User-to-User": "616d617a6f6e5f6368696d655f636f6e6e6563745f696e746567726174696f6e;encoding=hex",
            "Diversion": "sip:+11234567891@public.test.com;reason=unconditional",
        },
    },
    ev.participant("LEG-B", "call-id-2", "Outbound"),
]


def test_sip_headers_page_example_headers_read_by_any_case() -> None:
    event = parse_event(
        ev.event(
            "ACTION_SUCCESSFUL",
            {"Type": "actionType", "Parameters": {}},
            participants=SIP_HEADERS_PAGE_PARTICIPANTS,
        )
    )
    leg_a, leg_b = event.leg_a, event.leg_b
    assert leg_a is not None and leg_b is not None
    assert set(leg_a.sip_headers) == {"X-Test-Value", "User-to-User", "Diversion"}
    assert leg_a.sip_header("x-test-value") == "String"
    assert (leg_a.sip_header("USER-TO-USER") or "").endswith(";encoding=hex")
    assert leg_a.sip_header("diversion") == "sip:+11234567891@public.test.com;reason=unconditional"
    assert leg_a.sip_header("X-Missing") is None
    assert leg_b.sip_headers == {} and leg_b.sip_header("X-Test-Value") is None


def test_sip_header_values_that_are_not_strings_are_left_out() -> None:
    raw = ev.event(
        "NEW_INBOUND_CALL",
        participants=[{**ev.participant(), "SipHeaders": {"X-Ok": "1", "X-Number": 2, "X-List": ["a"]}}],
    )
    leg = parse_event(raw).leg_a
    assert leg is not None and leg.sip_headers == {"X-Ok": "1"} and leg.sip_header("x-number") is None


def test_sip_headers_are_masked_in_reprs() -> None:
    leg = parse_event(ev.event("NEW_INBOUND_CALL", participants=SIP_HEADERS_PAGE_PARTICIPANTS)).leg_a
    assert "11234567891" not in repr(leg) and "***7891" in repr(leg)


# --- "RecordAudio" ------------------------------------------------------------------------------------

RECORD_AUDIO_SUCCESS = {
    "Type": "RecordAudio",
    "Parameters": {
        "CallId": "call-id-1",
        "RecordingTerminators": ["#"],
        "RecordingDestination": {"Type": "S3", "BucketName": "valid-bucket-name"},
    },
    "RecordingDestination": {"Type": "S3", "BucketName": "valid-bucket-name", "Key": "valid-S3-key"},
    "RecordingTerminatorUsed": "#",
}


def test_record_audio_success_gives_the_recording_and_the_terminator() -> None:
    data = action_data(RECORD_AUDIO_SUCCESS)
    destination = data.recording_destination
    assert isinstance(destination, RecordingDestination)
    assert (destination.type, destination.bucket_name, destination.key) == (
        "S3",
        "valid-bucket-name",
        "valid-S3-key",
    )
    assert destination.s3_uri == "s3://valid-bucket-name/valid-S3-key"
    assert data.recording_terminator_used == "#"


def test_record_audio_ended_by_duration_or_silence_has_no_terminator() -> None:
    # "If the recording stops after reaching maximum duration ... this key-value pair is not included."
    data = action_data({k: v for k, v in RECORD_AUDIO_SUCCESS.items() if k != "RecordingTerminatorUsed"})
    assert data.recording_terminator_used is None and data.recording_destination is not None


def test_recording_fields_absent_or_mistyped_read_as_none() -> None:
    assert action_data({"Type": "Speak"}).recording_destination is None
    broken = action_data(
        {"Type": "RecordAudio", "RecordingDestination": "s3://b/k", "RecordingTerminatorUsed": 3}
    )
    assert broken.recording_destination is None and broken.recording_terminator_used is None
    partial = action_data({"Type": "RecordAudio", "RecordingDestination": {"BucketName": "b"}})
    assert partial.recording_destination.key is None and partial.recording_destination.s3_uri is None


def test_record_audio_failure_example() -> None:
    data = action_data(
        {
            "Type": "RecordAudio",
            "Parameters": {},
            "ErrorType": "InvalidActionParameter",
            "ErrorMessage": "RecordingDestination parameter value is invalid.",
        },
        "ACTION_FAILED",
    )
    assert (data.error_type, data.error_message) == (
        "InvalidActionParameter",
        "RecordingDestination parameter value is invalid.",
    )
    assert data.recording_destination is None


# --- "StartCallRecording" ----------------------------------------------------------------------------

RECORDING_PATH = (
    "myRecordingBucket/Amazon-Chime-SMA-Call-Recordings/2019/03/01/"
    "2019-03-01-17-10-00-010_c4640e3b-1478-40fb-8e38-6f6213adf70b_7ab7748e-b47d-4620-ae2c.wav"
)


def test_start_call_recording_success_gives_the_bucket_and_key() -> None:
    data = action_data(
        {
            "Type": "StartCallRecording",
            "Parameters": {
                "CallId": "call-id-1",
                "Track": "BOTH",
                "Destination": {"Type": "S3", "Location": "myRecordingBucket"},
            },
            "CallRecordingDestination": {"Type": "S3", "Location": RECORDING_PATH},
        }
    )
    destination = data.call_recording_destination
    assert isinstance(destination, CallRecordingDestination)
    assert (destination.type, destination.location) == ("S3", RECORDING_PATH)
    assert destination.bucket_name == "myRecordingBucket"
    assert destination.key is not None and destination.key.startswith(
        "Amazon-Chime-SMA-Call-Recordings/2019/"
    )
    assert data.call_id == "call-id-1"


def test_start_call_recording_failure_in_the_pages_error_string_form() -> None:
    data = action_data(
        {
            "Type": "StartCallRecording",
            "Parameters": {"CallId": "call-id-1"},
            "Error": "NoAccessToDestination: Error while accessing destination",
        },
        "ACTION_FAILED",
    )
    assert (data.error_type, data.error_message) == (
        "NoAccessToDestination",
        "Error while accessing destination",
    )
    assert data.call_recording_destination is None


@pytest.mark.parametrize(
    ("fields", "error_type", "error_message"),
    [
        (
            {"Error": "ErrorJoiningMeeting: Error while joining meeting."},
            "ErrorJoiningMeeting",
            "Error while joining meeting.",
        ),  # the JoinChimeMeeting page
        ({"Error": "Something went wrong"}, None, "Something went wrong"),
        ({"ErrorType": "SystemException", "ErrorMessage": "x", "Error": "Other: y"}, "SystemException", "x"),
        ({"Error": 5}, None, None),
        ({}, None, None),
    ],
)
def test_error_fields_in_either_documented_form(
    fields: dict[str, Any], error_type: str | None, error_message: str | None
) -> None:
    data = action_data({"Type": "JoinChimeMeeting", **fields}, "ACTION_FAILED")
    assert (data.error_type, data.error_message) == (error_type, error_message)


# --- "StartBotConversation" --------------------------------------------------------------------------

BOT_SUCCESS: dict[str, Any] = {
    "CallId": "call-id-1",
    "Type": "StartBotConversation",
    "Parameters": {
        "BotAliasArn": "arn:aws:lex:us-east-1:123456789012:bot-alias/ABCDEFGHIH/MNOPQRSTUV",
        "LocaleId": "en_US",
    },
    "IntentResult": {
        "SessionId": "call-id-1",
        "SessionState": {
            "SessionAttributes": {"mykey1": "myvalue1", "n": 1},
            "Intent": {
                "Name": "CheckBalance",
                "Slots": {
                    "AccountType": {
                        "Value": {
                            "OriginalValue": "checking account",
                            "InterpretedValue": "Checking",
                            "ResolvedValues": ["Checking", 7],
                        },
                        "Values": [],
                    },
                    "AccountNumber": None,  # "If a slot has not been filled, the value is null."
                },
                "State": "Fulfilled",
                "ConfirmationState": "None",
            },
        },
        "Interpretations": [
            {
                "NluConfidence": {"Score": 0.93},
                "Intent": {
                    "Name": "CheckBalance",
                    "Slots": {},
                    "State": "Fulfilled",
                    "ConfirmationState": "None",
                },
            },
            {"Intent": {"Name": "FallbackIntent", "Slots": {}, "State": "Failed"}},
        ],
    },
}


def test_bot_success_gives_the_intent_its_slots_and_interpretations() -> None:
    data = action_data(copy.deepcopy(BOT_SUCCESS))
    assert data.call_id == "call-id-1"  # top-level on this action
    result = data.intent_result
    assert isinstance(result, IntentResult)
    assert result.session_id == "call-id-1"
    assert result.session_state is not None
    assert result.session_state.session_attributes == {"mykey1": "myvalue1"}
    intent = result.intent
    assert intent is not None
    assert (intent.name, intent.state, intent.confirmation_state) == ("CheckBalance", "Fulfilled", "None")
    assert intent.is_fulfilled
    assert set(intent.slots) == {"AccountType", "AccountNumber"} and intent.slot("AccountNumber") is None
    slot = intent.slot("AccountType")
    assert slot is not None and slot.interpreted_value == "Checking" and slot.provided_values == ()
    assert slot.value is not None
    assert (slot.value.original_value, slot.value.resolved_values) == ("checking account", ("Checking",))
    first, second = result.interpretations
    assert first.nlu_confidence == 0.93 and first.intent is not None and first.intent.name == "CheckBalance"
    assert second.nlu_confidence is None and second.intent is not None and not second.intent.is_fulfilled


def test_a_slot_with_several_values() -> None:
    raw = copy.deepcopy(BOT_SUCCESS)
    raw["IntentResult"]["SessionState"]["Intent"]["Slots"]["Toppings"] = {
        "Value": {"OriginalValue": "ham and cheese", "InterpretedValue": "ham and cheese"},
        "Values": [{"Value": {"InterpretedValue": "ham"}}, {"Value": {"InterpretedValue": "cheese"}}, "x"],
    }
    slot = action_data(raw).intent_result.intent.slot("Toppings")
    assert [v.interpreted_value for v in slot.provided_values] == ["ham", "cheese"]
    assert list(slot.values()) == list(slot.raw.values())  # still a Mapping underneath


def test_bot_failure_example() -> None:
    data = action_data(
        {
            "CallId": "call-id-1",
            "Type": "StartBotConversation",
            "Parameters": {},
            "ErrorType": "ResourceNotFound",
            "ErrorMessage": "A specified bot is not found.",
        },
        "ACTION_FAILED",
    )
    assert (data.call_id, data.error_type) == ("call-id-1", "ResourceNotFound")
    assert data.intent_result is None


@pytest.mark.parametrize(
    "intent_result",
    [
        {},
        {"SessionState": "x", "Interpretations": "x"},
        {
            "SessionState": {"Intent": {"Slots": ["x"]}},
            "Interpretations": [1, {"NluConfidence": {"Score": True}}],
        },
    ],
)
def test_a_broken_intent_result_reads_as_empty(intent_result: dict[str, Any]) -> None:
    result = action_data({"Type": "StartBotConversation", "IntentResult": intent_result}).intent_result
    assert result is not None and result.session_id is None
    intent = result.intent
    assert intent is None or (intent.name is None and intent.slots == {} and not intent.is_fulfilled)
    assert all(i.nlu_confidence is None for i in result.interpretations)


def test_intent_result_repr_masks_a_number_the_caller_said_and_is_read_only() -> None:
    raw = copy.deepcopy(BOT_SUCCESS)
    raw["IntentResult"]["SessionState"]["Intent"]["Slots"]["Phone"] = {
        "Value": {"OriginalValue": "+1 425 555 0199", "InterpretedValue": "+14255550199"}
    }
    result = action_data(raw).intent_result
    assert "4255550199" not in repr(result) and "425 555 0199" not in repr(result)
    with pytest.raises(TypeError):
        cast(Any, result)["SessionId"] = "x"


# --- "CallAndBridge", HANGUP ("Understanding telephony events"), ModifyChimeMeetingAttendees ----------


def test_call_and_bridge_success_names_leg_a() -> None:
    data = action_data(
        {
            "Type": "CallAndBridge",
            "Parameters": {
                "CallTimeoutSeconds": 30,
                "CallerIdNumber": "+12065550100",
                "Endpoints": [{"BridgeEndpointType": "PSTN", "Uri": "+12065550101"}],
                "CallId": "call-id-1",
            },
        }
    )
    assert data.call_id == "call-id-1"


def test_call_and_bridge_not_answered() -> None:
    data = action_data(
        {
            "Type": "CallAndBridge",
            "Parameters": {"CallId": "call-id-1"},
            "ErrorType": "CallNotAnswered",
            "ErrorMessage": "Call not answered",
        },
        "ACTION_FAILED",
    )
    assert (data.call_id, data.error_type, data.error_message) == (
        "call-id-1",
        "CallNotAnswered",
        "Call not answered",
    )


@pytest.mark.parametrize(
    ("code", "read"),
    [
        (486, "486"),
        (0, "0"),
        ("480", "480"),
        (486.0, "486"),
        (True, None),
        (None, None),
        ("", None),
        (4.5, None),
    ],
)
def test_hangup_code_reads_as_a_string_whether_sent_as_number_or_string(
    code: object, read: str | None
) -> None:
    # The guide's HANGUP example sends 486 as a JSON number.
    data = action_data(
        {
            "Type": "Hangup",
            "Parameters": {
                "SipResponseCode": code,
                "CallId": "c70f341a-adde-4406-9dea-1e01d34d033d",
                "ParticipantTag": "LEG-A",
            },
        },
        "HANGUP",
    )
    assert data.sip_response_code == read
    assert (data.call_id, data.participant_tag) == ("c70f341a-adde-4406-9dea-1e01d34d033d", "LEG-A")


def test_leg_fields_absent_or_mistyped_read_as_none() -> None:
    data = action_data(
        {"Type": "Hangup", "CallId": 5, "Parameters": {"CallId": "", "ParticipantTag": 1}}, "HANGUP"
    )
    assert (data.call_id, data.participant_tag, data.sip_response_code) == (None, None, None)


@pytest.mark.parametrize(
    ("error_list", "read"), [([], ()), (["att-1", "att-2"], ("att-1", "att-2")), ("att-1", ()), (None, ())]
)
def test_modify_attendees_failure_error_list(error_list: object, read: tuple[str, ...]) -> None:
    data = action_data(
        {
            "Type": "ModifyChimeMeetingAttendees",
            "Parameters": {},
            "ErrorType": "InvalidActionParameter",
            "ErrorMessage": "One or more attendees are not part of this meeting.",
            "ErrorList": error_list,
        },
        "ACTION_FAILED",
    )
    assert data.error_list == read
