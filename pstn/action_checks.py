"""The PSTN audio service's checks on one action's parameters: what makes that action fail with
ACTION_FAILED when it is reached (the actions before it have run; the ones after it are cleared).

`check_action(action)` answers None or the `ActionError` the service reports, with the ErrorType and
ErrorMessage the Developer Guide gives: the current page "Debugging unexpected ACTION_FAILED events"
where it has the case, else the action's own page ("Error handling"), else the pattern those pages
use (`<Name> parameter value is invalid.` / `Missing a required action parameter.`). Only what the
action's own text decides is here; what needs the call (which legs exist, audio objects, caller-ID
ownership, bots, meetings) is checked by the call simulator when the action runs, and Polly's
catalogue by `polly_problem`.

Readings where the guide is silent or contradicts itself (the README lists each with its source):
- Unknown keys inside Parameters are ignored; numbers may be JSON numbers or digit strings.
- An empty CallId or ParticipantTag is the same as an absent one (the default leg), also on Speak and
  SpeakAndGetDigits, whose pages mark CallId required; CallId and ParticipantTag together are
  accepted (CallId wins). Actions that name no default leg still need a CallId.
- MaxNumberOfDigits may equal MinNumberOfDigits; VoiceFocus's Enable may be the string "True"/"False".
Stateless and stdlib-only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pstn.polly_catalogue import LANGUAGE_CODES, VOICE_IDS
from pstn.sip_headers import MAX_HEADERS, invalid_sip_headers

MAX_TEXT_CHARS = 1000
MAX_DIGITS = 128
MAX_SEND_DIGITS = 50
MAX_PREFIX_BYTES = 979
MAX_ATTENDEES = 100
MAX_BOT_CONFIGURATION_BYTES = 10 * 1024
SIP_RESPONSE_CODES = ("0", "480", "486")
PARTICIPANT_TAGS = ("LEG-A", "LEG-B")

LEG_INVALID = "CallId or ParticipantTag parameter for action is invalid."
MISSING = "Missing a required action parameter."
AUDIO_INVALID = "Audio Source parameter value is invalid."

_E164 = re.compile(r"\+[1-9]\d{1,14}")
_DTMF = frozenset("0123456789#*")
_RECORDING_TERMINATORS = frozenset("123456789*0#")
_SEND_DIGITS = re.compile(r"[0-9#*A-D,]+")
_AWS_URI = re.compile(r"[a-zA-Z0-9&=+$/%\-_!~*().]{1,36}")
_VOICE_CONNECTOR_ARN = re.compile(r"arn:aws[a-z-]*:chime:[a-z0-9-]+:\d{12}:vcg?/[A-Za-z0-9]+")
_BOT_ALIAS_ARN = re.compile(r"arn:aws[a-z-]*:lex:([a-z0-9-]+):(\d{12}):bot-alias/[0-9A-Za-z]+/[0-9A-Za-z]+")


@dataclass(frozen=True)
class ActionError:
    """One action's failure as the ACTION_FAILED event reports it. `field` says which parameter, for
    people; `error_list` is ModifyChimeMeetingAttendees's extra `ErrorList`."""

    error_type: str
    message: str
    field: str = ""
    error_list: tuple[str, ...] | None = None

    def describe(self) -> str:
        return f"{self.error_type}: {self.message}" + (f" ({self.field})" if self.field else "")


class _Failed(Exception):
    def __init__(self, error: ActionError) -> None:
        super().__init__(error.message)
        self.error = error


def _invalid(field: str, message: str | None = None, error_type: str = "InvalidActionParameter") -> _Failed:
    return _Failed(ActionError(error_type, message or f"{field} parameter value is invalid.", field))


def _missing(field: str, message: str = MISSING) -> _Failed:
    return _Failed(ActionError("MissingRequiredActionParameter", message, field))


def as_int(value: object) -> int | None:
    """A JSON integer or a string of ASCII digits (the guide's own samples send `"Repeat": "5"`)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit():  # isascii: str.isdigit() also accepts "²", which int() refuses
            return int(text)
    return None


def as_bool(value: object) -> bool | None:
    """true/false, or the strings "true"/"false" in any case (the voice-focus sample sends 'True')."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def given(params: Mapping[str, Any], name: str) -> bool:
    """Present and not empty: null and "" count as absent, as the samples rely on for leg parameters."""
    value = params.get(name)
    return value is not None and value != ""


def _integer(
    params: Mapping[str, Any],
    name: str,
    low: int | None,
    high: int | None,
    message: str | None = None,
    required: bool = False,
) -> int | None:
    if not given(params, name):
        if required:
            raise _missing(name)
        return None
    number = as_int(params[name])
    if number is None or (low is not None and number < low) or (high is not None and number > high):
        raise _invalid(name, message)
    return number


def _choice(params: Mapping[str, Any], name: str, choices: tuple[str, ...]) -> None:
    if name in params and params[name] is not None and params[name] not in choices:
        raise _invalid(name)


def _string(params: Mapping[str, Any], name: str) -> None:
    if name in params and params[name] is not None and not isinstance(params[name], str):
        raise _invalid(name)


def _leg(params: Mapping[str, Any], tags: tuple[str, ...] = PARTICIPANT_TAGS) -> None:
    call_id, tag = params.get("CallId"), params.get("ParticipantTag")
    if call_id is not None and not isinstance(call_id, str):
        raise _invalid("CallId", LEG_INVALID)
    if given(params, "ParticipantTag") and tag not in tags:
        raise _invalid("ParticipantTag", LEG_INVALID)


def _required_call_id(params: Mapping[str, Any], message: str = LEG_INVALID) -> None:
    if not given(params, "CallId"):
        raise _missing("CallId")
    if not isinstance(params["CallId"], str):
        raise _invalid("CallId", message)


def _dtmf_list(
    params: Mapping[str, Any], name: str, allowed: frozenset[str] = _DTMF, required: bool = False
) -> None:
    value = params.get(name)
    if value is None:
        if required:
            raise _missing(name)
        return
    if not isinstance(value, list) or (required and not value):
        raise _invalid(name)
    if any(not isinstance(item, str) or len(item) != 1 or item not in allowed for item in value):
        raise _invalid(name)


def _regex(params: Mapping[str, Any], name: str, message: str, required: bool = False) -> None:
    if not given(params, name):
        if required:
            raise _invalid(name, message)
        return
    value = params[name]
    if not isinstance(value, str):
        raise _invalid(name, message)
    try:
        re.compile(value)
    except re.error:
        raise _invalid(name, message) from None


def _object(params: Mapping[str, Any], name: str) -> Mapping[str, Any] | None:
    value = params.get(name)
    return value if isinstance(value, dict) else None


# --- speech and audio ----------------------------------------------------------------------------


def _speech(params: Mapping[str, Any], where: str = "") -> None:
    text = params.get("Text")
    if text is None or text == "":
        raise _missing(f"{where}Text", "Text is a required parameter.")
    if not isinstance(text, str):
        raise _invalid(f"{where}Text")
    if len(text) > MAX_TEXT_CHARS:
        # The Speak page's own (odd) pairing: a too-long text is reported as a missing parameter.
        raise _missing(f"{where}Text", "Text is limited to 1,000 characters")
    _choice(params, "Engine", ("standard", "neural"))
    _choice(params, "TextType", ("text", "ssml"))
    if params.get("TextType") == "ssml" and not (
        text.strip().startswith("<speak>") and text.strip().endswith("</speak>")
    ):
        raise _invalid(f"{where}Text")  # Polly refuses SSML that is not one <speak> element
    _string(params, "LanguageCode")
    _string(params, "VoiceId")


def _audio_source(params: Mapping[str, Any], name: str, message: str = AUDIO_INVALID) -> None:
    source = params.get(name)
    if (
        not isinstance(source, dict)
        or source.get("Type") != "S3"
        or not isinstance(source.get("BucketName"), str)
        or not source.get("BucketName")
        or not isinstance(source.get("Key"), str)
        or not source.get("Key")
    ):
        raise _invalid(name, message, "InvalidAudioSource")


def _digit_options(params: Mapping[str, Any]) -> None:
    low = _integer(params, "MinNumberOfDigits", 0, MAX_DIGITS)
    max_message = "The MaxNumberOfDigits parameter is invalid."
    high = _integer(params, "MaxNumberOfDigits", 0, MAX_DIGITS, max_message)
    if low is not None and high is not None and high < low:  # equal is fine: the samples use Min = Max
        raise _invalid("MaxNumberOfDigits", max_message)
    if high is None and low is not None and low > MAX_DIGITS:
        raise _invalid("MinNumberOfDigits")
    _dtmf_list(params, "TerminatorDigits")
    _integer(
        params,
        "InBetweenDigitsDurationInMilliseconds",
        1,
        None,
        "The InBetweenDigitsDurationInMilliseconds parameter is invalid.",
    )
    _integer(params, "Repeat", 1, None)
    repeat_message = "The RepeatDurationInMilliseconds parameter is invalid."
    if not given(params, "RepeatDurationInMilliseconds"):
        raise _missing("RepeatDurationInMilliseconds")
    _integer(params, "RepeatDurationInMilliseconds", 1, None, repeat_message)
    _regex(params, "InputDigitsRegex", "The InputDigitsRegex parameter is invalid.")


# --- per-action rules ----------------------------------------------------------------------------


def _speak(p: Mapping[str, Any]) -> None:
    _leg(p)
    _speech(p)


def _speak_and_get_digits(p: Mapping[str, Any]) -> None:
    _leg(p)
    for name in ("SpeechParameters", "FailureSpeechParameters"):
        if p.get(name) is None:
            raise _missing(name)
        speech = _object(p, name)
        if speech is None:
            raise _invalid(name)
        _speech(speech, f"{name}.")
    _digit_options(p)


def _play_audio(p: Mapping[str, Any]) -> None:
    _leg(p)
    _audio_source(p, "AudioSource")
    # `PlaybackTerminators` (plural), as the page's example and every sample name it.
    _dtmf_list(p, "PlaybackTerminators")
    _integer(p, "Repeat", 1, None)


def _play_audio_and_get_digits(p: Mapping[str, Any]) -> None:
    _leg(p)
    _audio_source(p, "AudioSource")
    _audio_source(p, "FailureAudioSource")
    _digit_options(p)


def _hangup(p: Mapping[str, Any]) -> None:
    _leg(p)
    code = p.get("SipResponseCode")
    # A JSON number is accepted too: the guide prints the codes as numbers in events.
    if code is not None and (not isinstance(code, (str, int)) or str(code) not in SIP_RESPONSE_CODES):
        raise _invalid("SipResponseCode")


def _pause(p: Mapping[str, Any]) -> None:
    _leg(p)
    _integer(p, "DurationInMilliseconds", 100, 30000, "The Duration parameter is invalid.", required=True)


def _call_and_bridge(p: Mapping[str, Any]) -> None:
    if p.get("RingbackTone") is not None:
        _audio_source(p, "RingbackTone", "Ringtone parameter value is invalid.")
    endpoints = p.get("Endpoints")
    if not isinstance(endpoints, list) or len(endpoints) != 1:
        raise _invalid("Endpoints", "Invalid number of endpoints provided.")
    endpoint = endpoints[0]
    bad_endpoint = _invalid("Endpoints", "Endpoint parameter is invalid.")
    if not isinstance(endpoint, dict) or not isinstance(endpoint.get("Uri"), str):
        raise bad_endpoint
    kind, uri = endpoint.get("BridgeEndpointType"), endpoint["Uri"]
    if kind == "PSTN":
        if not _E164.fullmatch(uri) or endpoint.get("Arn") is not None:
            raise bad_endpoint
    elif kind == "AWS":
        arn = endpoint.get("Arn")
        if not _AWS_URI.fullmatch(uri) or not isinstance(arn, str) or not _VOICE_CONNECTOR_ARN.fullmatch(arn):
            raise bad_endpoint
    else:
        raise bad_endpoint
    if not given(p, "CallerIdNumber"):
        raise _invalid("CallerIdNumber", "Caller ID not defined.")
    caller = p["CallerIdNumber"]
    if not isinstance(caller, str) or not _E164.fullmatch(caller):
        raise _invalid("CallerIdNumber", "Invalid caller ID.")
    _integer(
        p,
        "CallTimeoutSeconds",
        1,
        120,
        "The MaxCallTimeout parameter is invalid. Timeout must be between 0 and 120 seconds.",
    )
    headers = p.get("SipHeaders")
    if headers is not None:
        if not isinstance(headers, dict):
            raise _invalid("SipHeaders", "Invalid SIP header(s) provided: SipHeaders.")
        # "Use only with the AWS endpoint type" (CallAndBridge page): with PSTN every header is refused.
        bad = list(headers) if kind == "PSTN" else invalid_sip_headers(headers)
        if not bad and len(headers) > MAX_HEADERS:
            bad = list(headers)[MAX_HEADERS:]
        if bad:
            raise _invalid("SipHeaders", f"Invalid SIP header(s) provided: {', '.join(map(str, bad))}.")


def _receive_digits(p: Mapping[str, Any]) -> None:
    _leg(p)
    _regex(p, "InputDigitsRegex", "The InputDigitsRegex parameter is invalid.", required=True)
    between_message = "The InBetweenDigitsDurationInMilliseconds parameter is invalid."
    flush_message = "The FlushDigitsDurationInMilliseconds parameter is invalid."
    if not given(p, "InBetweenDigitsDurationInMilliseconds"):
        raise _invalid("InBetweenDigitsDurationInMilliseconds", between_message)
    between = _integer(p, "InBetweenDigitsDurationInMilliseconds", 1, None, between_message)
    if not given(p, "FlushDigitsDurationInMilliseconds"):
        raise _invalid("FlushDigitsDurationInMilliseconds", flush_message)
    flush = _integer(p, "FlushDigitsDurationInMilliseconds", 1, None, flush_message)
    if between is not None and flush is not None and flush <= between:
        raise _invalid("FlushDigitsDurationInMilliseconds", flush_message)


def _record_audio(p: Mapping[str, Any]) -> None:
    _leg(p)
    destination = p.get("RecordingDestination")
    bad_destination = _invalid("RecordingDestination", "The RecordingDestination parameter is invalid.")
    if (
        not isinstance(destination, dict)
        or destination.get("Type") != "S3"
        or not isinstance(destination.get("BucketName"), str)
        or not destination["BucketName"]
    ):
        raise bad_destination
    prefix = destination.get("Prefix")
    if prefix is not None and (not isinstance(prefix, str) or len(prefix.encode()) > MAX_PREFIX_BYTES):
        raise bad_destination
    _integer(p, "DurationInSeconds", 1, None, "The DurationInSeconds parameter is invalid.")
    _integer(p, "SilenceDurationInSeconds", 1, 1000, "The SilenceDurationInSeconds parameter is invalid.")
    _integer(p, "SilenceThreshold", 1, 1000, "The SilenceThreshold parameter is invalid.")
    _dtmf_list(p, "RecordingTerminators", _RECORDING_TERMINATORS, required=True)


def _send_digits(p: Mapping[str, Any]) -> None:
    _required_call_id(p)
    if not given(p, "Digits"):
        raise _missing("Digits")
    digits = p["Digits"]
    if not isinstance(digits, str) or len(digits) > MAX_SEND_DIGITS or not _SEND_DIGITS.fullmatch(digits):
        raise _invalid("Digits")
    _integer(p, "ToneDurationInMilliseconds", 50, 24000, "ToneDuration parameter value is invalid.")


def _bot_configuration(config: object) -> None:
    if not isinstance(config, dict) or len(json.dumps(config).encode()) > MAX_BOT_CONFIGURATION_BYTES:
        raise _invalid("Configuration")
    state = config.get("SessionState")
    dialog_type = None
    if state is not None:
        if not isinstance(state, dict):
            raise _invalid("Configuration.SessionState")
        attributes = state.get("SessionAttributes")
        if attributes is not None and (
            not isinstance(attributes, dict) or any(not isinstance(v, str) for v in attributes.values())
        ):
            raise _invalid("Configuration.SessionState.SessionAttributes")
        dialog = state.get("DialogAction")
        if dialog is not None:
            if not isinstance(dialog, dict) or dialog.get("Type") not in ("Delegate", "ElicitIntent"):
                raise _invalid("Configuration.SessionState.DialogAction.Type")
            dialog_type = dialog["Type"]
    messages = config.get("WelcomeMessages")
    if messages is not None:
        if not isinstance(messages, list):
            raise _invalid("Configuration.WelcomeMessages")
        for message in messages:
            if (
                not isinstance(message, dict)
                or not isinstance(message.get("Content"), str)
                or message.get("ContentType") not in ("PlainText", "SSML")
            ):
                raise _invalid("Configuration.WelcomeMessages")
        if messages and dialog_type != "ElicitIntent":
            # "Required only if you set DialogAction.Type to ElicitIntent" read the other way round too.
            raise _invalid("Configuration.WelcomeMessages")


def _start_bot_conversation(p: Mapping[str, Any]) -> None:
    _leg(p, tags=("LEG-A",))
    if not given(p, "BotAliasArn"):
        raise _missing("BotAliasArn")
    arn = p["BotAliasArn"]
    if not isinstance(arn, str) or not _BOT_ALIAS_ARN.fullmatch(arn):
        raise _invalid("BotAliasArn")
    _string(p, "LocaleId")
    if p.get("Configuration") is not None:
        _bot_configuration(p["Configuration"])


def _voice_focus(p: Mapping[str, Any]) -> None:
    _required_call_id(p)
    if as_bool(p.get("Enable")) is None:
        raise _missing("Enable")


def _join_chime_meeting(p: Mapping[str, Any]) -> None:
    _leg(p, tags=("LEG-A",))
    token = p.get("JoinToken")
    if not isinstance(token, str) or not token:
        raise _invalid("JoinToken", "JoinToken parameter value is invalid.")
    _string(p, "MeetingId")


def _modify_attendees(p: Mapping[str, Any]) -> None:
    _leg(p)
    if p.get("Operation") not in ("Mute", "Unmute"):
        raise _invalid(
            "Operation",
            "The value in the Operation field of the ModifyChimeMeetingAttendees action is invalid.",
        )
    meeting = p.get("MeetingId")
    if not isinstance(meeting, str) or not meeting:
        raise _invalid("MeetingId", "The meeting ID parameter is invalid.")
    attendees = p.get("AttendeeList")
    if (
        not isinstance(attendees, list)
        or not 1 <= len(attendees) <= MAX_ATTENDEES
        or any(not isinstance(a, str) or not a for a in attendees)
    ):
        raise _invalid("AttendeeList", "Attendee List parameter is invalid.")


def _start_call_recording(p: Mapping[str, Any]) -> None:
    _required_call_id(p, "CallId parameter for action is invalid")
    if p.get("Track") not in ("BOTH", "INCOMING", "OUTGOING"):
        raise _missing("Track") if p.get("Track") is None else _invalid("Track")
    destination = p.get("Destination")
    if destination is None:
        raise _missing("Destination")
    if (
        not isinstance(destination, dict)
        or destination.get("Type") != "S3"
        or not isinstance(destination.get("Location"), str)
        or not destination["Location"].strip("/")
    ):
        raise _invalid("Destination")


def _recording_call_id(p: Mapping[str, Any]) -> None:
    _required_call_id(p, "CallId parameter for action is invalid")


ACTION_RULES: dict[str, Callable[[Mapping[str, Any]], None]] = {
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
    "StopCallRecording": _recording_call_id,
    "PauseCallRecording": _recording_call_id,
    "ResumeCallRecording": _recording_call_id,
}


def check_action(action: Mapping[str, Any]) -> ActionError | None:
    """The ACTION_FAILED this action's parameters alone cause, or None. `action` has passed the
    response-level checks (a known Type; Parameters an object or absent)."""
    rule = ACTION_RULES.get(str(action.get("Type")))
    if rule is None:
        return None
    params = action.get("Parameters") or {}
    try:
        rule(params)
    except _Failed as failed:
        error = failed.error
        if action.get("Type") == "ModifyChimeMeetingAttendees":
            return ActionError(error.error_type, error.message, error.field, ())
        return error
    return None


def polly_problem(params: Mapping[str, Any]) -> ActionError | None:
    """What Polly refuses in one speech's parameters (Speak, or a SpeakAndGetDigits speech): a voice ID
    or language code it does not have."""
    voice, language = params.get("VoiceId"), params.get("LanguageCode")
    if voice is not None and voice not in VOICE_IDS:
        return ActionError("InvalidActionParameter", "VoiceId parameter value is invalid.", "VoiceId")
    if language is not None and language not in LANGUAGE_CODES:
        return ActionError(
            "InvalidActionParameter", "LanguageCode parameter value is invalid.", "LanguageCode"
        )
    return None


def speech_problem(action: Mapping[str, Any]) -> ActionError | None:
    """`polly_problem` for every speech of a Speak or SpeakAndGetDigits action (the failure speech
    inherits the main speech's voice and language when it names none)."""
    params = action.get("Parameters") or {}
    kind = action.get("Type")
    if kind == "Speak":
        return polly_problem(params)
    if kind == "SpeakAndGetDigits":
        speech = params.get("SpeechParameters") or {}
        failure = {
            **speech,
            **{k: v for k, v in (params.get("FailureSpeechParameters") or {}).items() if v is not None},
        }
        return polly_problem(speech) or polly_problem(failure)
    return None
