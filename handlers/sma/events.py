"""Read-only, typed views of a PSTN audio invocation event.

`parse_event(raw)` checks the event's structure (the containers and the fields every invocation
carries) and raises `EventError` naming the field when it is broken; everything else is read
tolerantly: a missing or mistyped optional field reads as None (or an empty map), never as an
exception in the middle of a call. Views wrap the original dict without copying it (cheap per
invocation) and behave as read-only Mappings; their repr masks phone numbers.
"""

from __future__ import annotations

# collections.abc re-exports these ABCs from _collections_abc, which the interpreter has already
# loaded at startup (os needs it); importing collections.abc would load `collections` (1-2 ms).
from _collections_abc import Iterator, Mapping

from sma.masking import masked

TYPE_CHECKING = False  # `typing` costs milliseconds at cold start; mypy still sees these imports
if TYPE_CHECKING:
    from typing import Any

    from sma.results import CallRecordingDestination, IntentResult, RecordingDestination


class EventType:
    """The documented InvocationEventType values."""

    NEW_INBOUND_CALL = "NEW_INBOUND_CALL"
    NEW_OUTBOUND_CALL = "NEW_OUTBOUND_CALL"
    RINGING = "RINGING"
    CALL_ANSWERED = "CALL_ANSWERED"
    ACTION_SUCCESSFUL = "ACTION_SUCCESSFUL"
    ACTION_FAILED = "ACTION_FAILED"
    ACTION_INTERRUPTED = "ACTION_INTERRUPTED"
    HANGUP = "HANGUP"
    INVALID_LAMBDA_RESPONSE = "INVALID_LAMBDA_RESPONSE"
    DIGITS_RECEIVED = "DIGITS_RECEIVED"
    CALL_UPDATE_REQUESTED = "CALL_UPDATE_REQUESTED"

    ALL = frozenset({
        NEW_INBOUND_CALL, NEW_OUTBOUND_CALL, RINGING, CALL_ANSWERED, ACTION_SUCCESSFUL, ACTION_FAILED,
        ACTION_INTERRUPTED, HANGUP, INVALID_LAMBDA_RESPONSE, DIGITS_RECEIVED, CALL_UPDATE_REQUESTED,
    })


LEG_A = "LEG-A"
LEG_B = "LEG-B"


class EventError(ValueError):
    """The event is not a PSTN audio invocation event; `field` names what is wrong."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field


class _Text:
    """A string field, read tolerantly: None when it is missing or not a string."""

    __slots__ = ("key",)

    def __init__(self, key: str) -> None:
        self.key = key

    def __get__(self, view: _View | None, owner: object = None) -> str | None:
        value = view._data.get(self.key) if view is not None else None
        return value if isinstance(value, str) else None


class _View(Mapping[str, "Any"]):
    """A read-only Mapping over one JSON object of the event."""

    __slots__ = ("_data",)

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({masked(self._data)!r})"

    __str__ = __repr__

    @property
    def raw(self) -> dict[str, Any]:
        """The underlying JSON object (shared, not copied: do not modify it)."""
        return self._data

    def _str(self, key: str) -> str | None:
        value = self._data.get(key)
        return value if isinstance(value, str) else None

    def _strings(self, value: object) -> dict[str, str]:
        if not isinstance(value, dict):
            return {}
        return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}


class Participant(_View):
    """One call leg in `CallDetails.Participants`."""

    __slots__ = ()

    call_id = _Text("CallId")
    participant_tag = _Text("ParticipantTag")
    to = _Text("To")
    from_number = _Text("From")
    direction = _Text("Direction")
    status = _Text("Status")
    start_time_in_milliseconds = _Text("StartTimeInMilliseconds")

    @property
    def is_connected(self) -> bool:
        return self._data.get("Status") == "Connected"

    @property
    def sip_headers(self) -> dict[str, str]:
        """The custom `X-`, `User-to-User` and `Diversion` headers this leg arrived with."""
        return self._strings(self._data.get("SipHeaders"))

    def sip_header(self, name: str) -> str | None:
        """One SIP header by name, case-insensitively (SIP header names are)."""
        wanted = name.lower()
        for key, value in self.sip_headers.items():
            if key.lower() == wanted:
                return value
        return None


class CallDetails(_View):
    __slots__ = ()

    aws_account_id = _Text("AwsAccountId")
    aws_region = _Text("AwsRegion")
    sip_rule_id = _Text("SipRuleId")

    @property
    def transaction_id(self) -> str:
        return self._data["TransactionId"]  # checked by parse_event

    @property
    def transaction_attributes(self) -> dict[str, str]:
        return self._strings(self._data.get("TransactionAttributes"))

    @property
    def sip_media_application_id(self) -> str | None:
        # Some documented samples spell it SipApplicationId.
        return self._str("SipMediaApplicationId") or self._str("SipApplicationId")

    @property
    def participants(self) -> tuple[Participant, ...]:
        return tuple(Participant(p) for p in self._data.get("Participants") or ())

    def participant(self, tag: str) -> Participant | None:
        for item in self._data.get("Participants") or ():
            if item.get("ParticipantTag") == tag:
                return Participant(item)
        return None

    @property
    def leg_a(self) -> Participant | None:
        return self.participant(LEG_A)

    @property
    def leg_b(self) -> Participant | None:
        return self.participant(LEG_B)


class ActionData(_View):
    """The action an event reports on (ACTION_*, HANGUP, DIGITS_RECEIVED, CALL_UPDATE_REQUESTED...)."""

    __slots__ = ()

    type = _Text("Type")
    received_digits = _Text("ReceivedDigits")  # DIGITS_RECEIVED, *AndGetDigits

    @property
    def parameters(self) -> dict[str, Any]:
        value = self._data.get("Parameters")
        return value if isinstance(value, dict) else {}

    @property
    def arguments(self) -> dict[str, str]:
        """`Parameters.Arguments` of a CallUpdateRequest / CallCreateRequest (string pairs only)."""
        return self._strings(self.parameters.get("Arguments"))

    # What particular actions report is read by sma.results (documented there), compiled on first
    # use: a flow that only greets never pays for it.
    if TYPE_CHECKING:
        error_type: str | None  # ACTION_FAILED
        error_message: str | None
        error_list: tuple[Any, ...]  # ModifyChimeMeetingAttendees
        call_id: str | None
        participant_tag: str | None
        sip_response_code: str | None  # HANGUP
        recording_destination: RecordingDestination | None  # RecordAudio
        recording_terminator_used: str | None
        call_recording_destination: CallRecordingDestination | None  # StartCallRecording
        intent_result: IntentResult | None  # StartBotConversation

    def __getattr__(self, name: str) -> object:
        from sma.results import action_data_field

        return action_data_field(self, name)


class InvocationEvent(_View):
    """An invocation event; build it with `parse_event`."""

    __slots__ = ()

    schema_version = _Text("SchemaVersion")
    # Top-level ErrorType/ErrorMessage come with INVALID_LAMBDA_RESPONSE; ACTION_FAILED carries
    # them in ActionData instead.
    error_type = _Text("ErrorType")
    error_message = _Text("ErrorMessage")

    @property
    def sequence(self) -> int | None:
        value = self._data.get("Sequence")
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @property
    def event_type(self) -> str:
        return self._data["InvocationEventType"]  # checked by parse_event

    @property
    def call_details(self) -> CallDetails:
        return CallDetails(self._data["CallDetails"])  # checked by parse_event

    @property
    def transaction_id(self) -> str:
        return self._data["CallDetails"]["TransactionId"]  # checked by parse_event

    @property
    def action_data(self) -> ActionData | None:
        value = self._data.get("ActionData")
        return ActionData(value) if isinstance(value, dict) else None

    @property
    def leg_a(self) -> Participant | None:
        return self.call_details.leg_a

    @property
    def leg_b(self) -> Participant | None:
        return self.call_details.leg_b


def parse_event(raw: object) -> InvocationEvent:
    """Check the event's structure and wrap it; EventError names the first broken field."""
    if not isinstance(raw, dict):
        raise EventError("event", f"must be a JSON object (got {type(raw).__name__})")
    event_type = raw.get("InvocationEventType")
    if not isinstance(event_type, str) or not event_type:
        raise EventError("InvocationEventType", "is required and must be a non-empty string")
    details = raw.get("CallDetails")
    if not isinstance(details, dict):
        raise EventError("CallDetails", "is required and must be an object")
    transaction_id = details.get("TransactionId")
    if not isinstance(transaction_id, str) or not transaction_id:
        raise EventError("CallDetails.TransactionId", "is required and must be a non-empty string")
    participants = details.get("Participants")
    if participants is not None:
        if not isinstance(participants, list):
            raise EventError("CallDetails.Participants", "must be a list")
        for i, item in enumerate(participants):
            if not isinstance(item, dict):
                raise EventError(f"CallDetails.Participants[{i}]", "must be an object")
    action_data = raw.get("ActionData")
    if action_data is not None and not isinstance(action_data, dict):
        raise EventError("ActionData", "must be an object")
    return InvocationEvent(raw)
