"""What particular actions report in ActionData: the fields `sma.events.ActionData` declares
beyond Type/Parameters, and read-only views of the structured ones.

Compiled on first use (ActionData hands unknown attributes to `action_data_field`), so a flow that
never records, bridges or talks to a bot never pays for it at cold start. Read tolerantly like
`sma.events`: a missing or mistyped field reads as None (or empty), and reprs mask phone numbers
(a slot value may well be one). Shapes from the Developer Guide's action pages:

- `error_type`, `error_message`: ACTION_FAILED's ErrorType and ErrorMessage, also read from the
  `"Error": "Type: message"` form the JoinChimeMeeting and StartCallRecording pages print.
- `error_list`: ModifyChimeMeetingAttendees failures' ErrorList (items as sent; the guide shows none).
- `call_id`: StartBotConversation's top-level CallId, else `Parameters.CallId` (CallAndBridge: the
  service adds LEG-A's; any other action: the one it was sent with).
- `participant_tag`, `sip_response_code`: HANGUP's leg and its code, a string whether the event
  carries a JSON number (as the guide's example does) or a string.
- `recording_destination`, `recording_terminator_used`: RecordAudio (the terminator only when a
  digit ended the recording).
- `call_recording_destination`: StartCallRecording.
- `intent_result`: StartBotConversation (the Amazon Lex V2 result).
"""

from __future__ import annotations

from sma.events import _Text, _View

TYPE_CHECKING = False  # `typing` costs milliseconds at cold start; mypy still sees these imports
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    from sma.events import ActionData

    _V = TypeVar("_V", bound=_View)


def _view_or_none(kind: type[_V], value: object) -> _V | None:
    return kind(value) if isinstance(value, dict) else None


class RecordingDestination(_View):
    """RecordAudio's recording: `{Type: "S3", BucketName, Key}`."""

    __slots__ = ()

    type = _Text("Type")
    bucket_name = _Text("BucketName")
    key = _Text("Key")

    @property
    def s3_uri(self) -> str | None:
        """`s3://bucket/key`, or None while either part is missing."""
        bucket, key = self.bucket_name, self.key
        return f"s3://{bucket}/{key}" if bucket and key else None


class CallRecordingDestination(_View):
    """StartCallRecording's recording: `{Type: "S3", Location: "bucket/prefix/yyyy/mm/dd/....wav"}`."""

    __slots__ = ()

    type = _Text("Type")
    location = _Text("Location")

    @property
    def bucket_name(self) -> str | None:
        location = self.location
        return (location.partition("/")[0] or None) if location else None

    @property
    def key(self) -> str | None:
        """The object key: Location without the bucket in front."""
        location = self.location
        return (location.partition("/")[2] or None) if location else None


class SlotValue(_View):
    """`{OriginalValue, InterpretedValue, ResolvedValues}`: what the caller said, and what Lex made of it."""

    __slots__ = ()

    original_value = _Text("OriginalValue")
    interpreted_value = _Text("InterpretedValue")

    @property
    def resolved_values(self) -> tuple[str, ...]:
        value = self._data.get("ResolvedValues")
        return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


class Slot(_View):
    """One filled slot: `{Value: {...}, Values: [...]}` (`Values`: what the caller gave a slot that
    takes several values, each itself a slot)."""

    __slots__ = ()

    @property
    def value(self) -> SlotValue | None:
        return _view_or_none(SlotValue, self._data.get("Value"))

    @property
    def provided_values(self) -> tuple[Slot, ...]:
        """`Values` (named apart from Mapping.values, which these views keep)."""
        items = self._data.get("Values")
        return tuple(Slot(v) for v in items if isinstance(v, dict)) if isinstance(items, list) else ()

    @property
    def interpreted_value(self) -> str | None:
        """Shortcut for `value.interpreted_value`."""
        value = self.value
        return value.interpreted_value if value is not None else None


class Intent(_View):
    """`{Name, Slots, State, ConfirmationState}`. State: Failed, Fulfilled or ReadyForFulfillment;
    ConfirmationState: Confirmed, Denied or None (the string)."""

    __slots__ = ()

    name = _Text("Name")
    state = _Text("State")
    confirmation_state = _Text("ConfirmationState")

    @property
    def slots(self) -> dict[str, Slot | None]:
        """Every slot by name; an unfilled slot (null in the event) is None."""
        value = self._data.get("Slots")
        if not isinstance(value, dict):
            return {}
        return {name: Slot(slot) if isinstance(slot, dict) else None
                for name, slot in value.items() if isinstance(name, str)}

    def slot(self, name: str) -> Slot | None:
        return self.slots.get(name)

    @property
    def is_fulfilled(self) -> bool:
        return self._data.get("State") == "Fulfilled"


class SessionState(_View):
    """`{SessionAttributes, Intent}` of the Lex session when the conversation ended."""

    __slots__ = ()

    @property
    def session_attributes(self) -> dict[str, str]:
        return self._strings(self._data.get("SessionAttributes"))

    @property
    def intent(self) -> Intent | None:
        return _view_or_none(Intent, self._data.get("Intent"))


class Interpretation(_View):
    """One intent Lex considered: `{NluConfidence: {Score}, Intent}`."""

    __slots__ = ()

    @property
    def nlu_confidence(self) -> float | None:
        """The score, 0.00 to 1.00."""
        confidence = self._data.get("NluConfidence")
        score = confidence.get("Score") if isinstance(confidence, dict) else None
        return float(score) if isinstance(score, (int, float)) and not isinstance(score, bool) else None

    @property
    def intent(self) -> Intent | None:
        return _view_or_none(Intent, self._data.get("Intent"))


class IntentResult(_View):
    """StartBotConversation's `IntentResult`: `{SessionId, SessionState, Interpretations}`."""

    __slots__ = ()

    session_id = _Text("SessionId")  # the CallId the conversation ran on

    @property
    def session_state(self) -> SessionState | None:
        return _view_or_none(SessionState, self._data.get("SessionState"))

    @property
    def intent(self) -> Intent | None:
        """The intent the conversation settled on (`SessionState.Intent`)."""
        state = self.session_state
        return state.intent if state is not None else None

    @property
    def interpretations(self) -> tuple[Interpretation, ...]:
        """Highest confidence first, as Lex lists them."""
        value = self._data.get("Interpretations")
        if not isinstance(value, list):
            return ()
        return tuple(Interpretation(v) for v in value if isinstance(v, dict))


# --- the ActionData fields ------------------------------------------------------------------------


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _error(data: ActionData, index: int) -> str | None:
    error = _text(data.raw.get("Error"))
    if error is None:
        return None
    parts = error.partition(": ")
    if not parts[1]:  # no "Type: " in front: it is all message
        return error if index == 2 else None
    return parts[index].strip() or None


def _sip_response_code(data: ActionData) -> str | None:
    value = data.parameters.get("SipResponseCode")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _text(value)


def _error_list(data: ActionData) -> tuple[Any, ...]:
    value = data.raw.get("ErrorList")
    return tuple(value) if isinstance(value, list) else ()


_FIELDS: dict[str, Callable[[ActionData], object]] = {
    "error_type": lambda d: _text(d.raw.get("ErrorType")) or _error(d, 0),
    "error_message": lambda d: _text(d.raw.get("ErrorMessage")) or _error(d, 2),
    "error_list": _error_list,
    "call_id": lambda d: _text(d.raw.get("CallId")) or _text(d.parameters.get("CallId")),
    "participant_tag": lambda d: _text(d.parameters.get("ParticipantTag")),
    "sip_response_code": _sip_response_code,
    "recording_destination": lambda d: _view_or_none(RecordingDestination, d.raw.get("RecordingDestination")),
    "recording_terminator_used": lambda d: _text(d.raw.get("RecordingTerminatorUsed")),
    "call_recording_destination": lambda d: _view_or_none(CallRecordingDestination,
                                                          d.raw.get("CallRecordingDestination")),
    "intent_result": lambda d: _view_or_none(IntentResult, d.raw.get("IntentResult")),
}


def action_data_field(data: ActionData, name: str) -> object:
    """The value of ActionData's field `name` (see the table above); AttributeError for any other."""
    field = _FIELDS.get(name)
    if field is None:
        raise AttributeError(f"{type(data).__name__!r} object has no attribute {name!r}")
    return field(data)
