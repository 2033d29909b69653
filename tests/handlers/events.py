"""Invocation events for the handler tests: the Developer Guide's samples and a small factory."""

from __future__ import annotations

import copy
import json
from typing import Any

# The two event samples of the Developer Guide's PSTN audio pages, verbatim.
DOC_NEW_INBOUND_CALL = json.loads(
    '{"SchemaVersion":"1.0","Sequence":1,"InvocationEventType":"NEW_INBOUND_CALL","CallDetails":'
    '{"TransactionId":"transaction-id","AwsAccountId":"aws-account-id","AwsRegion":"us-east-1",'
    '"SipRuleId":"sip-rule-id","SipApplicationId":"sip-application-id","Participants":[{"CallId":'
    '"call-id-1","ParticipantTag":"LEG-A","To":"+11234567890","From":"+19876543210","Direction":'
    '"Inbound","StartTimeInMilliseconds":"159700958834234","Status":"Connected"}]}}'
)
DOC_ACTION_SUCCESSFUL = json.loads(
    '{"SchemaVersion":"1.0","Sequence":2,"InvocationEventType":"ACTION_SUCCESSFUL","ActionData":'
    '{"Type":"PlayAudio","Parameters":{"AudioSource":{"Type":"S3","BucketName":"mtg1-sipmedia-app-iad",'
    '"Key":"Welcome3.wav"},"Repeat":1,"ParticipantTag":"LEG-A"}},"CallDetails":{"TransactionId":'
    '"mtg1-tx-id","TransactionAttributes":{"key1":"value1","key2":"value2"},"AwsAccountId":'
    '"166971021612","AwsRegion":"us-east-1","SipRuleId":"aafbd402-b7a2-4992-92f8-496b4563c492",'
    '"SipMediaApplicationId":"e88f4e49-dd21-4a3f-b538-bc84eae11505","Participants":[{"CallId":'
    '"bbff30c5-866a-41b5-8d0a-5d23d5e19f3e","ParticipantTag":"LEG-A","To":"+14345550101","From":'
    '"+14255550199","Direction":"Inbound","StartTimeInMilliseconds":"1644539405907","Status":"Connected"}]}}'
)
DOC_SAMPLES = {"NEW_INBOUND_CALL": DOC_NEW_INBOUND_CALL, "ACTION_SUCCESSFUL": DOC_ACTION_SUCCESSFUL}

CALL_ID = "call-id-a"
CALLER = "+14255550199"
CALLED = "+14345550101"


def participant(
    tag: str = "LEG-A",
    call_id: str = CALL_ID,
    direction: str = "Inbound",
    status: str = "Connected",
    to: str = CALLED,
    from_: str = CALLER,
) -> dict[str, Any]:
    return {
        "CallId": call_id,
        "ParticipantTag": tag,
        "To": to,
        "From": from_,
        "Direction": direction,
        "StartTimeInMilliseconds": "1644539405907",
        "Status": status,
    }


def event(
    event_type: str,
    action_data: dict[str, Any] | None = None,
    sequence: int = 1,
    participants: list[dict[str, Any]] | None = None,
    **top: Any,
) -> dict[str, Any]:
    """A well-formed invocation event of `event_type` (one connected LEG-A unless told)."""
    raw: dict[str, Any] = {
        "SchemaVersion": "1.0",
        "Sequence": sequence,
        "InvocationEventType": event_type,
        "CallDetails": {
            "TransactionId": "tx-1",
            "AwsAccountId": "123456789012",
            "AwsRegion": "us-east-1",
            "SipRuleId": "rule-1",
            "SipMediaApplicationId": "sma-1",
            "Participants": copy.deepcopy(participants) if participants is not None else [participant()],
        },
    }
    if action_data is not None:
        raw["ActionData"] = action_data
    raw.update(top)
    return raw


def update(arguments: dict[str, str]) -> dict[str, Any]:
    """CALL_UPDATE_REQUESTED carrying UpdateSipMediaApplicationCall's Arguments."""
    return event(
        "CALL_UPDATE_REQUESTED", {"Type": "CallUpdateRequest", "Parameters": {"Arguments": arguments}}
    )


def speak_params(text: str = "hi") -> dict[str, Any]:
    return {"CallId": CALL_ID, "Text": text, "Engine": "neural", "VoiceId": "Joanna"}


# One well-formed event per documented InvocationEventType.
ALL_EVENTS: dict[str, dict[str, Any]] = {
    "NEW_INBOUND_CALL": event("NEW_INBOUND_CALL"),
    "NEW_OUTBOUND_CALL": event(
        "NEW_OUTBOUND_CALL",
        {"Type": "CallCreateRequest", "Parameters": {"Arguments": {"k": "v"}}},
        participants=[
            {
                "CallId": CALL_ID,
                "ParticipantTag": "LEG-A",
                "To": CALLED,
                "From": CALLER,
                "Direction": "Outbound",
                "StartTimeInMilliseconds": "1644539405907",
            }
        ],
    ),
    "RINGING": event("RINGING", participants=[participant(direction="Outbound", status="Connected")]),
    "CALL_ANSWERED": event("CALL_ANSWERED", participants=[participant(direction="Outbound")]),
    "ACTION_SUCCESSFUL": event("ACTION_SUCCESSFUL", {"Type": "Speak", "Parameters": speak_params()}),
    "ACTION_FAILED": event(
        "ACTION_FAILED",
        {
            "Type": "Speak",
            "Parameters": speak_params(),
            "ErrorType": "SystemException",
            "ErrorMessage": "boom",
        },
    ),
    "ACTION_INTERRUPTED": event(
        "ACTION_INTERRUPTED", {"Type": "Pause", "Parameters": {"DurationInMilliseconds": 3000}}
    ),
    "HANGUP": event(
        "HANGUP",
        {
            "Type": "Hangup",
            "Parameters": {"SipResponseCode": "0", "CallId": CALL_ID, "ParticipantTag": "LEG-A"},
        },
        participants=[participant(status="Disconnected")],
    ),
    "INVALID_LAMBDA_RESPONSE": event(
        "INVALID_LAMBDA_RESPONSE",
        ErrorType="TransactionAttributesInvalidMapSize",
        ErrorMessage="Transaction Attributes has too many mappings.",
    ),
    "DIGITS_RECEIVED": event(
        "DIGITS_RECEIVED",
        {"Type": "ReceiveDigits", "ReceivedDigits": "12#", "Parameters": {"InputDigitsRegex": "^\\d{2}#$"}},
    ),
    "CALL_UPDATE_REQUESTED": update({"action": "custom-action"}),
}


# The Speak page's error table (Developer Guide, "Speak"): ErrorType -> ErrorMessage as documented
# (InvalidActionParameter has no documented message).
SPEAK_ERRORS: dict[str, str | None] = {
    "AccessDenied": "The AWSServiceRoleForAmazonChimeVoiceConnector service-linked role is not configured "
    "correctly.",
    "InvalidActionParameter": None,
    "ActionExecutionThrottled": "Amazon Polly is throttling the request to synthesize speech.",
    "MissingRequiredActionParameter": "Text is limited to 1,000 characters",
    "SystemException": "System error while running action.",
}


def failed(
    action: dict[str, Any],
    error_type: str,
    error_message: str | None = "failed",
    attributes: dict[str, str] | None = None,
    participants: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """ACTION_FAILED for `action` as it was sent: ActionData = {Type, Parameters, ErrorType, ErrorMessage}
    ("Understanding telephony events"), TransactionAttributes when the call carries some."""
    data: dict[str, Any] = {**copy.deepcopy(action), "ErrorType": error_type}
    if error_message is not None:
        data["ErrorMessage"] = error_message
    raw = event("ACTION_FAILED", data, sequence=2, participants=participants)
    if attributes:
        raw["CallDetails"]["TransactionAttributes"] = dict(attributes)
    return raw
