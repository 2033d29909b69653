"""The PSTN audio service's checks on a Lambda's answer (the documented ones, no more, no less).

`validate_response(response)` returns None for an acceptable answer, else the first problem as a
`ResponseError(error_type, message)`; the simulator turns that into INVALID_LAMBDA_RESPONSE with
the same ErrorType and ErrorMessage, and `ops smoke` into its verdict. Stateless and stdlib-only;
the handlers' tests judge their answers with it too.

Only `TransactionAttributesInvalidMapSize` is an ErrorType the Developer Guide shows; the other
names are this simulator's, chosen to say which rule failed. Numeric parameters are accepted as
JSON numbers or digit strings, because the guide's own samples use both (`"DurationInSeconds": "10"`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

MAX_ACTIONS = 10
MAX_ATTRIBUTE_PAIRS = 100
MAX_ATTRIBUTES_BYTES = 20 * 1024
MAX_TEXT_CHARS = 1000
SIP_RESPONSE_CODES = ("0", "480", "486")
PARTICIPANT_TAGS = ("LEG-A", "LEG-B")
_E164 = re.compile(r"\+?[1-9]\d{1,14}")
_DTMF = re.compile(r"[0-9#*]")
_SEND_DIGITS = re.compile(r"[0-9#*A-Da-d,]*")


@dataclass(frozen=True)
class ResponseError:
    error_type: str
    message: str


class _Invalid(Exception):
    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error = ResponseError(error_type, message)


def _missing(where: str, action: str) -> _Invalid:
    return _Invalid("MissingRequiredActionParameter", f"{where} is required for {action}")


def _bad(where: str, why: str) -> _Invalid:
    return _Invalid("InvalidActionParameter", f"{where} {why}")


class _Params:
    """Typed reads of one action's Parameters, each failure naming the exact field."""

    def __init__(self, params: Mapping[str, Any], where: str, action: str) -> None:
        self.params, self.where, self.action = params, where, action

    def _at(self, name: str) -> str:
        return f"{self.where}.{name}"

    def has(self, name: str) -> bool:
        return self.params.get(name) is not None

    def string(
        self,
        name: str,
        required: bool = False,
        max_len: int | None = None,
        choices: tuple[str, ...] | None = None,
        pattern: re.Pattern[str] | None = None,
    ) -> None:
        value = self.params.get(name)
        if value is None:
            if required:
                raise _missing(self._at(name), self.action)
            return
        if not isinstance(value, str) or (required and not value):
            raise _bad(self._at(name), "must be a non-empty string")
        if max_len is not None and len(value) > max_len:
            raise _bad(self._at(name), f"must be at most {max_len} characters (got {len(value)})")
        if choices is not None and value not in choices:
            raise _bad(self._at(name), f"must be one of {', '.join(choices)} (got {value!r})")
        if pattern is not None and not pattern.fullmatch(value):
            raise _bad(self._at(name), f"has an invalid value {value!r}")

    def integer(
        self, name: str, required: bool = False, low: int | None = None, high: int | None = None
    ) -> int | None:
        value = self.params.get(name)
        if value is None:
            if required:
                raise _missing(self._at(name), self.action)
            return None
        number: int | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
            # ASCII only: str.isdigit() also accepts characters int() refuses, such as "²".
            number = int(value)
        if number is None:
            raise _bad(self._at(name), f"must be an integer (got {value!r})")
        if (low is not None and number < low) or (high is not None and number > high):
            bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
            raise _bad(self._at(name), f"must be {bounds} (got {number})")
        return number

    def obj(self, name: str, required: bool = False) -> _Params | None:
        value = self.params.get(name)
        if value is None:
            if required:
                raise _missing(self._at(name), self.action)
            return None
        if not isinstance(value, dict):
            raise _bad(self._at(name), "must be an object")
        return _Params(value, self._at(name), self.action)

    def array(self, name: str, required: bool = False, max_len: int | None = None) -> list[Any] | None:
        value = self.params.get(name)
        if value is None:
            if required:
                raise _missing(self._at(name), self.action)
            return None
        if not isinstance(value, list) or (required and not value):
            raise _bad(self._at(name), "must be a non-empty list")
        if max_len is not None and len(value) > max_len:
            raise _bad(self._at(name), f"must have at most {max_len} items (got {len(value)})")
        return value

    def boolean(self, name: str, required: bool = False) -> None:
        value = self.params.get(name)
        if value is None:
            if required:
                raise _missing(self._at(name), self.action)
            return
        if not isinstance(value, bool):
            raise _bad(self._at(name), "must be true or false")

    def regex(self, name: str, required: bool = False) -> None:
        self.string(name, required=required)
        value = self.params.get(name)
        if isinstance(value, str):
            try:
                re.compile(value)
            except re.error as exc:
                raise _bad(self._at(name), f"is not a valid regular expression ({exc})") from None

    def dtmf_list(self, name: str, max_len: int | None = None) -> None:
        items = self.array(name, max_len=max_len)
        for i, item in enumerate(items or []):
            if not isinstance(item, str) or not _DTMF.fullmatch(item):
                raise _bad(f"{self._at(name)}[{i}]", f"must be one digit 0-9, # or * (got {item!r})")


# --- per-action rules ---------------------------------------------------------------------------


def _leg(p: _Params, call_id_required: bool = False) -> None:
    p.string("CallId", required=call_id_required)
    p.string("ParticipantTag", choices=PARTICIPANT_TAGS)


def _speech(p: _Params) -> None:
    p.string("Text", required=True, max_len=MAX_TEXT_CHARS)
    p.string("Engine", choices=("standard", "neural"))
    p.string("TextType", choices=("text", "ssml"))
    p.string("LanguageCode")
    p.string("VoiceId")


def _audio_source(p: _Params, name: str, required: bool) -> None:
    source = p.obj(name, required=required)
    if source is None:
        return
    source.string("Type", required=True, choices=("S3",))
    source.string("BucketName", required=True)
    source.string("Key", required=True)


def _digit_options(p: _Params) -> None:
    low = p.integer("MinNumberOfDigits", low=0, high=128)
    high = p.integer("MaxNumberOfDigits", low=1, high=128)
    if low is not None and high is not None and low > high:
        raise _bad(f"{p.where}.MinNumberOfDigits", f"must not exceed MaxNumberOfDigits ({low} > {high})")
    p.dtmf_list("TerminatorDigits")
    p.integer("InBetweenDigitsDurationInMilliseconds", low=1)
    p.integer("Repeat", low=1)
    p.integer("RepeatDurationInMilliseconds", required=True, low=1)
    p.regex("InputDigitsRegex")


def _speak(p: _Params) -> None:
    _leg(p, call_id_required=True)
    _speech(p)


def _speak_and_get_digits(p: _Params) -> None:
    _leg(p, call_id_required=True)
    for name in ("SpeechParameters", "FailureSpeechParameters"):
        speech = p.obj(name, required=True)
        assert speech is not None
        _speech(speech)
    _digit_options(p)


def _play_audio(p: _Params) -> None:
    _leg(p)
    _audio_source(p, "AudioSource", required=True)
    # `PlaybackTerminators` (plural), as the PlayAudio page of the Developer Guide names it: a list of
    # DTMF digits 0-9, # and *. PlayAudioAndGetDigits has no such parameter: it ends input with
    # `TerminatorDigits` (checked in `_digit_options`).
    p.dtmf_list("PlaybackTerminators")
    p.integer("Repeat", low=1)


def _play_audio_and_get_digits(p: _Params) -> None:
    _leg(p)
    _audio_source(p, "AudioSource", required=True)
    _audio_source(p, "FailureAudioSource", required=True)
    _digit_options(p)


def _hangup(p: _Params) -> None:
    _leg(p)
    value = p.params.get("SipResponseCode")
    if value is not None and (not isinstance(value, str) or value not in SIP_RESPONSE_CODES):
        allowed = ", ".join(SIP_RESPONSE_CODES)
        raise _bad(f"{p.where}.SipResponseCode", f"must be one of {allowed} (got {value!r})")


def _pause(p: _Params) -> None:
    _leg(p)
    p.integer("DurationInMilliseconds", required=True, low=1)


def _call_and_bridge(p: _Params) -> None:
    p.string("CallerIdNumber", required=True, pattern=_E164)
    p.integer("CallTimeoutSeconds", low=1, high=120)
    endpoints = p.array("Endpoints", required=True, max_len=1)
    assert endpoints is not None
    for i, raw in enumerate(endpoints):
        where = f"{p.where}.Endpoints[{i}]"
        if not isinstance(raw, dict):
            raise _bad(where, "must be an object")
        endpoint = _Params(raw, where, "CallAndBridge")
        endpoint.string("BridgeEndpointType", required=True, choices=("PSTN", "AWS"))
        if raw["BridgeEndpointType"] == "PSTN":
            endpoint.string("Uri", required=True, pattern=_E164)
        else:
            endpoint.string("Uri", required=True)
            endpoint.string("Arn", required=True)
    headers = p.obj("SipHeaders")
    if headers is not None:
        for key, value in headers.params.items():
            if not isinstance(value, str):
                raise _bad(f"{headers.where}.{key}", "must be a string")
    _audio_source(p, "RingbackTone", required=False)


def _receive_digits(p: _Params) -> None:
    _leg(p)
    p.regex("InputDigitsRegex", required=True)
    p.integer("InBetweenDigitsDurationInMilliseconds", required=True, low=1)
    p.integer("FlushDigitsDurationInMilliseconds", required=True, low=1)


def _record_audio(p: _Params) -> None:
    _leg(p)
    destination = p.obj("RecordingDestination", required=True)
    assert destination is not None
    destination.string("Type", required=True, choices=("S3",))
    destination.string("BucketName", required=True)
    destination.string("Prefix")
    p.dtmf_list("RecordingTerminators")
    if not p.has("RecordingTerminators"):
        raise _missing(f"{p.where}.RecordingTerminators", "RecordAudio")
    p.integer("DurationInSeconds", low=1)
    p.integer("SilenceDurationInSeconds", low=0)
    p.integer("SilenceThreshold", low=0)


def _send_digits(p: _Params) -> None:
    p.string("CallId", required=True)
    p.string("Digits", required=True, max_len=50, pattern=_SEND_DIGITS)
    p.integer("ToneDurationInMilliseconds", low=50, high=24000)


def _start_bot_conversation(p: _Params) -> None:
    _leg(p)
    p.string("BotAliasArn", required=True)
    p.string("LocaleId")
    config = p.obj("Configuration")
    if config is not None and len(json.dumps(config.params).encode()) > 10 * 1024:
        raise _bad(config.where, "must be at most 10 KB")


def _voice_focus(p: _Params) -> None:
    p.string("CallId", required=True)
    p.boolean("Enable", required=True)


def _join_chime_meeting(p: _Params) -> None:
    _leg(p)
    p.string("JoinToken", required=True)
    p.string("MeetingId")


def _modify_attendees(p: _Params) -> None:
    p.string("Operation", required=True, choices=("Mute", "Unmute"))
    p.string("MeetingId", required=True)
    p.array("AttendeeList", required=True, max_len=100)


def _start_call_recording(p: _Params) -> None:
    p.string("CallId", required=True)
    p.string("Track", required=True, choices=("BOTH", "INCOMING", "OUTGOING"))
    destination = p.obj("Destination", required=True)
    assert destination is not None
    destination.string("Type", required=True)
    destination.string("Location", required=True)


def _call_id_only(p: _Params) -> None:
    p.string("CallId", required=True)


ACTION_RULES: dict[str, Callable[[_Params], None]] = {
    "Speak": _speak,
    "SpeakAndGetDigits": _speak_and_get_digits,
    "PlayAudio": _play_audio,
    "PlayAudioAndGetDigits": _play_audio_and_get_digits,
    "Hangup": _hangup,
    "Pause": _pause,
    "CallAndBridge": _call_and_bridge,
    "ReceiveDigits": _receive_digits,
    "RecordAudio": _record_audio,
    "SendDigits": _send_digits,
    "StartBotConversation": _start_bot_conversation,
    "VoiceFocus": _voice_focus,
    "JoinChimeMeeting": _join_chime_meeting,
    "ModifyChimeMeetingAttendees": _modify_attendees,
    "StartCallRecording": _start_call_recording,
    "StopCallRecording": _call_id_only,
    "PauseCallRecording": _call_id_only,
    "ResumeCallRecording": _call_id_only,
}


def _check_action(index: int, action: object) -> None:
    where = f"Actions[{index}]"
    if not isinstance(action, dict):
        raise _Invalid("InvalidActionType", f"{where} must be an object with Type and Parameters")
    kind = action.get("Type")
    if not isinstance(kind, str) or kind not in ACTION_RULES:
        raise _Invalid("InvalidActionType", f"{where}.Type {kind!r} is not a supported action")
    params = action.get("Parameters", {})
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise _bad(f"{where}.Parameters", "must be an object")
    ACTION_RULES[kind](_Params(params, f"{where}.Parameters", kind))


def check_transaction_attributes(attributes: object) -> ResponseError | None:
    """TransactionAttributes: null/absent is fine; else a string map of ≤ 100 pairs and ≤ 20 KB."""
    if attributes is None:
        return None
    if not isinstance(attributes, dict):
        return ResponseError("TransactionAttributesInvalidType", "TransactionAttributes must be an object")
    if len(attributes) > MAX_ATTRIBUTE_PAIRS:
        return ResponseError(
            "TransactionAttributesInvalidMapSize",
            "Transaction Attributes has too many mappings. "
            f"Maximum number of mappings is {MAX_ATTRIBUTE_PAIRS}",
        )
    for key, value in attributes.items():
        if not isinstance(value, str):
            return ResponseError(
                "TransactionAttributesInvalidType",
                f"TransactionAttributes.{key} must be a string (got {type(value).__name__})",
            )
    size = len(json.dumps(attributes, ensure_ascii=False).encode())
    if size > MAX_ATTRIBUTES_BYTES:
        return ResponseError(
            "TransactionAttributesInvalidPayloadSize",
            f"TransactionAttributes is {size} bytes; the maximum is {MAX_ATTRIBUTES_BYTES}",
        )
    return None


def validate_response(response: object) -> ResponseError | None:
    """The service's validation of one Lambda answer: None if accepted, else the first problem."""
    if not isinstance(response, dict):
        return ResponseError(
            "InvalidLambdaResponse", f"The response must be a JSON object (got {type(response).__name__})"
        )
    if response.get("SchemaVersion") != "1.0":
        return ResponseError(
            "InvalidSchemaVersion", f'SchemaVersion must be "1.0" (got {response.get("SchemaVersion")!r})'
        )
    actions = response.get("Actions")
    if actions is not None:
        if not isinstance(actions, list):
            return ResponseError("InvalidActionList", "Actions must be a list")
        if len(actions) > MAX_ACTIONS:
            return ResponseError(
                "TooManyActions", f"Actions has {len(actions)} items; the maximum is {MAX_ACTIONS}"
            )
        try:
            for index, action in enumerate(actions):
                _check_action(index, action)
        except _Invalid as invalid:
            return invalid.error
    return check_transaction_attributes(response.get("TransactionAttributes"))
