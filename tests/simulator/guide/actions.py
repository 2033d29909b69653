"""A valid instance of every action (from the pages' own examples where they have one) and helpers to
break one parameter at a time."""

from __future__ import annotations

import copy
from typing import Any

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
    # The PlayAudio page's example: `PlaybackTerminators` (plural), Repeat as a digit string.
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
    "SendDigits": {"CallId": CALL, "Digits": ",,*1234,56,7890ABCD#", "ToneDurationInMilliseconds": 100},
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


def action_with(kind: str, path: str, value: Any) -> dict[str, Any]:
    """The valid action with one parameter (dotted path; value `...` deletes it) changed."""
    params = copy.deepcopy(VALID_ACTIONS[kind])
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
    return {"Type": kind, "Parameters": params}
