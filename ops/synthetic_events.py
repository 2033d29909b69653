"""Synthetic PSTN audio invocation events for `ops smoke`, shaped like the Developer Guide's samples.

The numbers are in the fictional 555-01xx range; ids are fixed so a smoke run is repeatable.
"""

from __future__ import annotations

from typing import Any

ACCOUNT_ID = "123456789012"
TRANSACTION_ID = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
SIP_RULE_ID = "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"
SMA_ID = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
CALL_ID = "7f8e9d0c-1b2a-4394-8576-a1b2c3d4e5f6"
CALLER = "+12065550199"
CALLEE = "+12065550100"
START_MS = "1700000000000"

_SPEAK = {
    "Type": "Speak",
    "Parameters": {"CallId": CALL_ID, "Text": "Hello", "Engine": "neural", "VoiceId": "Joanna"},
}

# Event type → (Sequence, participant direction, extra top-level fields). Types whose answer the
# service ignores (NEW_OUTBOUND_CALL, RINGING, ACTION_INTERRUPTED) are included: a handler must still
# answer them without failing.
EVENT_TYPES: dict[str, tuple[int, str, dict[str, Any]]] = {
    "NEW_INBOUND_CALL": (1, "Inbound", {}),
    "NEW_OUTBOUND_CALL": (
        1,
        "Outbound",
        {"ActionData": {"Type": "CallCreateRequest", "Parameters": {"Arguments": {"smoke": "true"}}}},
    ),
    "RINGING": (2, "Outbound", {}),
    "CALL_ANSWERED": (3, "Outbound", {}),
    "ACTION_SUCCESSFUL": (2, "Inbound", {"ActionData": _SPEAK}),
    "ACTION_FAILED": (
        2,
        "Inbound",
        {
            "ActionData": {
                **_SPEAK,
                "ErrorType": "SystemException",
                "ErrorMessage": "System error while running action",
            }
        },
    ),
    "ACTION_INTERRUPTED": (
        2,
        "Inbound",
        {"ActionData": {"Type": "Pause", "Parameters": {"DurationInMilliseconds": "3000"}}},
    ),
    "DIGITS_RECEIVED": (
        3,
        "Inbound",
        {
            "ActionData": {
                "Type": "ReceiveDigits",
                "ReceivedDigits": "1",
                "Parameters": {
                    "InputDigitsRegex": "^\\d$",
                    "InBetweenDigitsDurationInMilliseconds": 1000,
                    "FlushDigitsDurationInMilliseconds": 10000,
                },
            }
        },
    ),
    "CALL_UPDATE_REQUESTED": (
        3,
        "Inbound",
        {"ActionData": {"Type": "CallUpdateRequest", "Parameters": {"Arguments": {"smoke": "true"}}}},
    ),
    "INVALID_LAMBDA_RESPONSE": (
        2,
        "Inbound",
        {"ErrorType": "TooManyActions", "ErrorMessage": "Too many actions specified in a response."},
    ),
    "HANGUP": (
        3,
        "Inbound",
        {
            "ActionData": {
                "Type": "Hangup",
                # A number, as the event reference prints it (the call simulator sends the same).
                "Parameters": {"SipResponseCode": 0, "CallId": CALL_ID, "ParticipantTag": "LEG-A"},
            }
        },
    ),
}


def build(event_type: str, region: str, account_id: str = ACCOUNT_ID) -> dict[str, Any]:
    sequence, direction, extra = EVENT_TYPES[event_type]
    inbound = direction == "Inbound"
    participant: dict[str, Any] = {
        "CallId": CALL_ID,
        "ParticipantTag": "LEG-A",
        "To": CALLEE if inbound else CALLER,
        "From": CALLER if inbound else CALLEE,
        "Direction": direction,
        "StartTimeInMilliseconds": START_MS,
    }
    if event_type != "NEW_OUTBOUND_CALL" and event_type != "RINGING":
        participant["Status"] = "Disconnected" if event_type == "HANGUP" else "Connected"
    details: dict[str, Any] = {
        "TransactionId": TRANSACTION_ID,
        "AwsAccountId": account_id,
        "AwsRegion": region,
        "SipMediaApplicationId": SMA_ID,
        "Participants": [participant],
    }
    if inbound:
        details["SipRuleId"] = SIP_RULE_ID
    return {
        "SchemaVersion": "1.0",
        "Sequence": sequence,
        "InvocationEventType": event_type,
        **extra,
        "CallDetails": details,
    }
