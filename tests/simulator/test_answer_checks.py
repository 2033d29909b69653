"""`validate_response`: every documented rule, each shown to reject a bad answer and accept a good one."""

from __future__ import annotations

import copy
import importlib
from pathlib import Path
from typing import Any

import pytest

from pstn.answer_checks import ResponseError, validate_response

CALL = "call-id-1"
AUDIO = {"Type": "S3", "BucketName": "b", "Key": "k.wav"}
VALID_ACTIONS: dict[str, dict[str, Any]] = {
    "Speak": {"CallId": CALL, "Text": "hi", "Engine": "neural", "TextType": "text", "VoiceId": "Joanna"},
    "SpeakAndGetDigits": {
        "CallId": CALL,
        "SpeechParameters": {"Text": "pin?"},
        "FailureSpeechParameters": {"Text": "again"},
        "RepeatDurationInMilliseconds": 3000,
        "MinNumberOfDigits": 1,
        "MaxNumberOfDigits": 4,
        "TerminatorDigits": ["#"],
    },
    # The Developer Guide's PlayAudio example: `PlaybackTerminators` (plural), Repeat as a digit string.
    "PlayAudio": {
        "ParticipantTag": "LEG-A",
        "AudioSource": AUDIO,
        "Repeat": "5",
        "PlaybackTerminators": ["1", "8", "#"],
    },
    "PlayAudioAndGetDigits": {
        "CallId": CALL,
        "AudioSource": AUDIO,
        "FailureAudioSource": AUDIO,
        "RepeatDurationInMilliseconds": 3000,
        "InputDigitsRegex": r"^\d+$",
    },
    "Hangup": {"CallId": CALL, "SipResponseCode": "480"},
    "Pause": {"CallId": CALL, "DurationInMilliseconds": 1000},
    "CallAndBridge": {
        "CallerIdNumber": "+15550100099",
        "CallTimeoutSeconds": 120,
        "Endpoints": [{"BridgeEndpointType": "PSTN", "Uri": "+15557770000"}],
        "RingbackTone": AUDIO,
    },
    "ReceiveDigits": {
        "CallId": CALL,
        "InputDigitsRegex": r"^\d{2}#$",
        "InBetweenDigitsDurationInMilliseconds": 1000,
        "FlushDigitsDurationInMilliseconds": 10000,
    },
    "RecordAudio": {
        "CallId": CALL,
        "RecordingDestination": {"Type": "S3", "BucketName": "b"},
        "RecordingTerminators": ["#"],
        "DurationInSeconds": "10",
    },
    "SendDigits": {"CallId": CALL, "Digits": "1,2#", "ToneDurationInMilliseconds": 24000},
    "StartBotConversation": {
        "BotAliasArn": "arn:aws:lex:us-east-1:123456789012:bot-alias/X/Y",
        "LocaleId": "en_US",
    },
    "VoiceFocus": {"CallId": CALL, "Enable": True},
    "JoinChimeMeeting": {"JoinToken": "token", "CallId": CALL},
    "ModifyChimeMeetingAttendees": {"Operation": "Mute", "MeetingId": "m", "AttendeeList": ["a"]},
    "StartCallRecording": {"CallId": CALL, "Track": "BOTH", "Destination": {"Type": "S3", "Location": "b/p"}},
    "StopCallRecording": {"CallId": CALL},
    "PauseCallRecording": {"CallId": CALL},
    "ResumeCallRecording": {"CallId": CALL},
}


def answer(*actions: tuple[str, dict[str, Any]], **top: Any) -> dict[str, Any]:
    return {"SchemaVersion": "1.0", "Actions": [{"Type": t, "Parameters": p} for t, p in actions], **top}


def with_param(action: str, path: str, value: Any) -> dict[str, Any]:
    """The valid action with one parameter (dotted path; value `...` deletes it) changed."""
    params = copy.deepcopy(VALID_ACTIONS[action])
    node = params
    keys = path.split(".")
    for key in keys[:-1]:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if value is ...:
        del node[keys[-1]]
    elif isinstance(node, list):
        node[int(keys[-1])] = value
    else:
        node[keys[-1]] = value
    return answer((action, params))


@pytest.mark.parametrize("action", sorted(VALID_ACTIONS))
def test_every_documented_action_is_accepted_with_its_required_parameters(action: str) -> None:
    assert validate_response(answer((action, VALID_ACTIONS[action]))) is None


def test_absent_or_null_actions_and_attributes_are_accepted() -> None:
    assert validate_response({"SchemaVersion": "1.0"}) is None
    assert validate_response({"SchemaVersion": "1.0", "Actions": None, "TransactionAttributes": None}) is None
    assert validate_response({"SchemaVersion": "1.0", "Actions": [], "TransactionAttributes": {}}) is None


@pytest.mark.parametrize(
    ("response", "error_type", "mentions"),
    [
        (["not", "an", "object"], "InvalidLambdaResponse", "JSON object"),
        ("text", "InvalidLambdaResponse", "JSON object"),
        ({"Actions": []}, "InvalidSchemaVersion", "SchemaVersion"),
        ({"SchemaVersion": "2.0", "Actions": []}, "InvalidSchemaVersion", "'2.0'"),
        ({"SchemaVersion": 1.0, "Actions": []}, "InvalidSchemaVersion", "SchemaVersion"),
        (
            {"SchemaVersion": "1.0", "Actions": {"Type": "Speak"}},
            "InvalidActionList",
            "Actions must be a list",
        ),
        (answer(*[("Pause", VALID_ACTIONS["Pause"])] * 11), "TooManyActions", "11"),
        (answer(("Dance", {})), "InvalidActionType", "Actions[0].Type 'Dance'"),
        ({"SchemaVersion": "1.0", "Actions": ["Speak"]}, "InvalidActionType", "Actions[0]"),
        ({"SchemaVersion": "1.0", "Actions": [{"Parameters": {}}]}, "InvalidActionType", "None"),
        (
            {"SchemaVersion": "1.0", "Actions": [{"Type": "Pause", "Parameters": "x"}]},
            "InvalidActionParameter",
            "Actions[0].Parameters must be an object",
        ),
    ],
)
def test_response_shape_rules(response: Any, error_type: str, mentions: str) -> None:
    error = validate_response(response)
    assert isinstance(error, ResponseError)
    assert error.error_type == error_type
    assert mentions in error.message


MISSING = [
    ("Speak", "CallId"),
    ("Speak", "Text"),
    ("SpeakAndGetDigits", "CallId"),
    ("SpeakAndGetDigits", "SpeechParameters"),
    ("SpeakAndGetDigits", "FailureSpeechParameters"),
    ("SpeakAndGetDigits", "RepeatDurationInMilliseconds"),
    ("SpeakAndGetDigits", "SpeechParameters.Text"),
    ("PlayAudio", "AudioSource"),
    ("PlayAudio", "AudioSource.BucketName"),
    ("PlayAudio", "AudioSource.Key"),
    ("PlayAudioAndGetDigits", "AudioSource"),
    ("PlayAudioAndGetDigits", "FailureAudioSource"),
    ("PlayAudioAndGetDigits", "RepeatDurationInMilliseconds"),
    ("Pause", "DurationInMilliseconds"),
    ("CallAndBridge", "CallerIdNumber"),
    ("CallAndBridge", "Endpoints"),
    ("CallAndBridge", "Endpoints.0.Uri"),
    ("CallAndBridge", "Endpoints.0.BridgeEndpointType"),
    ("CallAndBridge", "RingbackTone.Key"),
    ("ReceiveDigits", "InputDigitsRegex"),
    ("ReceiveDigits", "InBetweenDigitsDurationInMilliseconds"),
    ("ReceiveDigits", "FlushDigitsDurationInMilliseconds"),
    ("RecordAudio", "RecordingDestination"),
    ("RecordAudio", "RecordingTerminators"),
    ("RecordAudio", "RecordingDestination.BucketName"),
    ("SendDigits", "CallId"),
    ("SendDigits", "Digits"),
    ("StartBotConversation", "BotAliasArn"),
    ("VoiceFocus", "Enable"),
    ("VoiceFocus", "CallId"),
    ("JoinChimeMeeting", "JoinToken"),
    ("ModifyChimeMeetingAttendees", "Operation"),
    ("ModifyChimeMeetingAttendees", "MeetingId"),
    ("ModifyChimeMeetingAttendees", "AttendeeList"),
    ("StartCallRecording", "CallId"),
    ("StartCallRecording", "Track"),
    ("StartCallRecording", "Destination"),
    ("StopCallRecording", "CallId"),
    ("PauseCallRecording", "CallId"),
    ("ResumeCallRecording", "CallId"),
]


@pytest.mark.parametrize(("action", "path"), MISSING, ids=[f"{a}-{p}" for a, p in MISSING])
def test_each_required_parameter_is_required(action: str, path: str) -> None:
    error = validate_response(with_param(action, path, ...))
    assert error is not None
    assert error.error_type == "MissingRequiredActionParameter"
    assert path.replace(".0.", "[0].").split(".")[-1].split("[")[0] in error.message
    assert action in error.message


BAD_VALUES = [
    ("Speak", "Text", "x" * 1001, "at most 1000"),
    ("Speak", "Engine", "generative", "standard, neural"),
    ("Speak", "TextType", "html", "text, ssml"),
    ("Speak", "ParticipantTag", "LEG-C", "LEG-A, LEG-B"),
    ("SpeakAndGetDigits", "SpeechParameters.Text", "y" * 1001, "at most 1000"),
    ("SpeakAndGetDigits", "MaxNumberOfDigits", 129, "between 1 and 128"),
    ("SpeakAndGetDigits", "MinNumberOfDigits", 5, "must not exceed"),
    ("SpeakAndGetDigits", "TerminatorDigits", ["##"], "one digit"),
    ("PlayAudio", "AudioSource.Type", "URL", "S3"),
    ("PlayAudio", "Repeat", 0, "at least 1"),
    ("PlayAudio", "PlaybackTerminators", ["12"], "one digit"),
    ("PlayAudio", "PlaybackTerminators", ["A"], "one digit"),
    ("PlayAudio", "PlaybackTerminators", "#", "non-empty list"),
    ("PlayAudioAndGetDigits", "InputDigitsRegex", "([", "regular expression"),
    ("Hangup", "SipResponseCode", "200", "0, 480, 486"),
    ("Hangup", "SipResponseCode", 0, "0, 480, 486"),
    ("Pause", "DurationInMilliseconds", 0, "at least 1"),
    ("Pause", "DurationInMilliseconds", "soon", "integer"),
    ("Pause", "DurationInMilliseconds", "\u00b2", "integer"),  # isdigit() but not int()-able: no crash
    ("CallAndBridge", "CallTimeoutSeconds", 0, "between 1 and 120"),
    ("CallAndBridge", "CallTimeoutSeconds", 121, "between 1 and 120"),
    ("CallAndBridge", "CallerIdNumber", "+0123", "invalid value"),
    ("CallAndBridge", "Endpoints.0.BridgeEndpointType", "SIP", "PSTN, AWS"),
    ("CallAndBridge", "Endpoints", [], "non-empty list"),
    ("CallAndBridge", "RingbackTone.Type", "URL", "S3"),
    ("ReceiveDigits", "InputDigitsRegex", "(", "regular expression"),
    ("SendDigits", "Digits", "1" * 51, "at most 50"),
    ("SendDigits", "Digits", "12x", "invalid value"),
    ("SendDigits", "ToneDurationInMilliseconds", 49, "between 50 and 24000"),
    ("SendDigits", "ToneDurationInMilliseconds", 24001, "between 50 and 24000"),
    ("VoiceFocus", "Enable", "yes", "true or false"),
    ("ModifyChimeMeetingAttendees", "Operation", "Kick", "Mute, Unmute"),
    ("ModifyChimeMeetingAttendees", "AttendeeList", ["a"] * 101, "at most 100"),
    ("StartCallRecording", "Track", "LEFT", "BOTH, INCOMING, OUTGOING"),
    ("StartBotConversation", "Configuration", {"blob": "z" * 11000}, "10 KB"),
]


@pytest.mark.parametrize(
    ("action", "path", "value", "mentions"),
    BAD_VALUES,
    ids=[f"{a}-{p}-{i}" for i, (a, p, _, _) in enumerate(BAD_VALUES)],
)
def test_documented_values_are_enforced(action: str, path: str, value: Any, mentions: str) -> None:
    error = validate_response(with_param(action, path, value))
    assert error is not None
    assert error.error_type == "InvalidActionParameter"
    assert mentions in error.message
    assert path.split(".")[-1] in error.message or path.split(".")[0] in error.message


def test_the_first_bad_action_is_reported_by_index() -> None:
    error = validate_response(answer(("Pause", VALID_ACTIONS["Pause"]), ("Speak", {"Text": "no call id"})))
    assert error == ResponseError(
        "MissingRequiredActionParameter", "Actions[1].Parameters.CallId is required for Speak"
    )


def test_tutorial_answer_is_rejected() -> None:
    """The seed tutorial's handler: Speak without CallId, Hangup with SipResponseCode "200"."""
    tutorial = answer(
        ("Speak", {"Engine": "neural", "Text": "Hello!", "VoiceId": "Joanna"}),
        ("Hangup", {"SipResponseCode": "200"}),
    )
    error = validate_response(tutorial)
    assert error is not None and "CallId" in error.message
    tutorial["Actions"][0]["Parameters"]["CallId"] = CALL
    error = validate_response(tutorial)
    assert error is not None and "SipResponseCode" in error.message and "'200'" in error.message


@pytest.mark.parametrize(
    ("attributes", "error_type"),
    [
        ({f"k{i}": "v" for i in range(101)}, "TransactionAttributesInvalidMapSize"),
        ({"k": "v" * (20 * 1024)}, "TransactionAttributesInvalidPayloadSize"),
        ({"k": 1}, "TransactionAttributesInvalidType"),
        ({"k": None}, "TransactionAttributesInvalidType"),
        (["k", "v"], "TransactionAttributesInvalidType"),
    ],
)
def test_transaction_attribute_limits(attributes: Any, error_type: str) -> None:
    error = validate_response({"SchemaVersion": "1.0", "Actions": [], "TransactionAttributes": attributes})
    assert error is not None and error.error_type == error_type


def test_transaction_attributes_at_the_limits_are_accepted() -> None:
    hundred = {f"k{i}": "v" for i in range(100)}
    assert validate_response({"SchemaVersion": "1.0", "TransactionAttributes": hundred}) is None
    # 20 KB of JSON in all: {"k": "..."} is 9 bytes of punctuation and key around the value.
    assert (
        validate_response({"SchemaVersion": "1.0", "TransactionAttributes": {"k": "v" * (20 * 1024 - 9)}})
        is None
    )


def test_ten_actions_are_accepted() -> None:
    assert validate_response(answer(*[("Pause", VALID_ACTIONS["Pause"])] * 10)) is None


def test_play_audio_terminators_are_the_documented_plural_list_of_dtmf_digits() -> None:
    every_digit = [*"0123456789", "#", "*"]
    assert validate_response(with_param("PlayAudio", "PlaybackTerminators", every_digit)) is None
    error = validate_response(with_param("PlayAudio", "PlaybackTerminators", ["#", 5]))
    assert error == ResponseError(
        "InvalidActionParameter",
        "Actions[0].Parameters.PlaybackTerminators[1] must be one digit 0-9, # or * (got 5)",
    )


def test_the_handlers_play_audio_builder_output_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    """`handlers/sma` (imported as Lambda does, top-level `sma`) emits what this validator checks."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2] / "handlers"))
    actions = importlib.import_module("sma.actions")
    built = actions.play_audio(
        actions.s3_audio("b", "k.wav"), participant_tag="LEG-A", playback_terminators=["#", "*"], repeat=2
    )
    assert built["Parameters"]["PlaybackTerminators"] == ["#", "*"]
    assert validate_response({"SchemaVersion": "1.0", "Actions": [built]}) is None
    built["Parameters"]["PlaybackTerminators"] = ["#", "**"]  # what the builder itself would refuse
    error = validate_response({"SchemaVersion": "1.0", "Actions": [built]})
    assert error is not None and "PlaybackTerminators[1]" in error.message
