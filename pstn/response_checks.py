"""The PSTN audio service's checks on a Lambda's answer *as a whole*: what makes the service discard
the answer and send INVALID_LAMBDA_RESPONSE.

Only problems with the answer's frame are here (not a JSON object, wrong SchemaVersion, an action
list that cannot be read, too many actions, an action Type the service does not have, bad
TransactionAttributes). A bad parameter inside one action is not a problem of the answer: the
service runs the actions before it and then reports that action as ACTION_FAILED
(`pstn.action_checks`).

ErrorMessages are the SIP media application log messages of the Developer Guide page "Debugging
unexpected hangups"; only `TransactionAttributesInvalidMapSize` is an ErrorType the guide shows (page
"Invalid inputs"), the other ErrorTypes are this simulator's names for the rule that failed.
Stateless and stdlib-only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

MAX_ACTIONS = 10
MAX_ATTRIBUTE_PAIRS = 100
MAX_ATTRIBUTES_BYTES = 20 * 1024
SUPPORTED_ACTIONS = frozenset(
    {
        "Speak",
        "SpeakAndGetDigits",
        "PlayAudio",
        "PlayAudioAndGetDigits",
        "Hangup",
        "Pause",
        "CallAndBridge",
        "ReceiveDigits",
        "RecordAudio",
        "SendDigits",
        "StartBotConversation",
        "VoiceFocus",
        "JoinChimeMeeting",
        "ModifyChimeMeetingAttendees",
        "StartCallRecording",
        "StopCallRecording",
        "PauseCallRecording",
        "ResumeCallRecording",
    }
)

BLANK = "Response is blank or empty"
SCHEMA_MISMATCH = (
    "The schema version in the invocation request does not match the schema version in the response."
)
UNREADABLE_ACTIONS = "Error while reading actions list."
TOO_MANY_ACTIONS = "Too many actions specified in a response."


@dataclass(frozen=True)
class ResponseError:
    """Why the whole answer was discarded. `error_type`/`message` go into the INVALID_LAMBDA_RESPONSE
    event; `detail` says where, for people (transcripts, `ops smoke`), and is never sent to the Lambda."""

    error_type: str
    message: str
    detail: str = ""

    def describe(self) -> str:
        return f"{self.error_type}: {self.message}" + (f" ({self.detail})" if self.detail else "")


def check_transaction_attributes(attributes: object) -> ResponseError | None:
    """TransactionAttributes: null/absent is fine; else a string map of ≤ 100 pairs and ≤ 20 KB."""
    if attributes is None:
        return None
    if not isinstance(attributes, dict):
        return ResponseError(
            "TransactionAttributesInvalidType",
            "Transaction Attributes must be a map of strings to strings",
            f"got {type(attributes).__name__}",
        )
    if len(attributes) > MAX_ATTRIBUTE_PAIRS:
        # The page's example says "is 10" next to 11 pairs; its overview page says 100 (the reading kept).
        return ResponseError(
            "TransactionAttributesInvalidMapSize",
            "Transaction Attributes has too many mappings. "
            f"Maximum number of mappings is {MAX_ATTRIBUTE_PAIRS}",
            f"{len(attributes)} pairs",
        )
    for key, value in attributes.items():
        if not isinstance(value, str):
            return ResponseError(
                "TransactionAttributesInvalidType",
                "Transaction Attributes must be a map of strings to strings",
                f"TransactionAttributes.{key} is {type(value).__name__}",
            )
    size = len(json.dumps(attributes, ensure_ascii=False).encode())
    if size > MAX_ATTRIBUTES_BYTES:
        return ResponseError(
            "TransactionAttributesInvalidPayloadSize",
            f"Transaction Attributes payload is too large. Maximum size is {MAX_ATTRIBUTES_BYTES} bytes",
            f"{size} bytes",
        )
    return None


def _action_frame(index: int, action: object) -> ResponseError | None:
    where = f"Actions[{index}]"
    if not isinstance(action, dict):
        return ResponseError("InvalidActionList", UNREADABLE_ACTIONS, f"{where} is not an object")
    kind = action.get("Type")
    if not isinstance(kind, str):
        return ResponseError("InvalidActionList", UNREADABLE_ACTIONS, f"{where}.Type is not a string")
    params = action.get("Parameters")
    if params is not None and not isinstance(params, dict):
        return ResponseError("InvalidActionList", UNREADABLE_ACTIONS, f"{where}.Parameters is not an object")
    if kind not in SUPPORTED_ACTIONS:
        return ResponseError("UnsupportedAction", f"Unsupported action {kind} specified", where)
    return None


def check_response(response: object) -> ResponseError | None:
    """None when the service would use this answer (its actions then run, each possibly failing on its
    own); else why the whole answer is discarded."""
    if response is None or response == "" or response == {}:
        return ResponseError("InvalidLambdaResponse", BLANK)
    if not isinstance(response, dict):
        return ResponseError("InvalidLambdaResponse", BLANK, f"the answer is a {type(response).__name__}")
    if response.get("SchemaVersion") != "1.0":
        return ResponseError(
            "InvalidSchemaVersion", SCHEMA_MISMATCH, f"SchemaVersion {response.get('SchemaVersion')!r}"
        )
    actions = response.get("Actions")
    if actions is not None:
        if not isinstance(actions, list):
            return ResponseError("InvalidActionList", UNREADABLE_ACTIONS, "Actions is not a list")
        if len(actions) > MAX_ACTIONS:
            return ResponseError("TooManyActions", TOO_MANY_ACTIONS, f"{len(actions)} actions")
        for index, action in enumerate(actions):
            problem = _action_frame(index, action)
            if problem is not None:
                return problem
    return check_transaction_attributes(response.get("TransactionAttributes"))
