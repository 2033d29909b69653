"""One builder per PSTN audio action, validated when built.

Each builder returns the action's wire shape, `{"Type": ..., "Parameters": {...}}`, and raises
`ValueError` naming the action and the parameter (`"Speak.Text: ..."`) when a required parameter is
missing or a documented limit is broken, so a bad action fails in the handler's own code and tests
instead of coming back from the service as INVALID_LAMBDA_RESPONSE mid-call.

Limits follow the action pages of the Amazon Chime SDK Developer Guide (PSTN audio service,
"Supported actions"). Optional parameters left as None are omitted, so the service applies its
documented defaults.
"""

from __future__ import annotations

from sma.core_actions import hangup, speak, speech
from sma.params import (
    ENGINES,
    HANGUP_CODES,
    MAX_SPEAK_TEXT,
    PARTICIPANT_TAGS,
    TEXT_TYPES,
    Action,
    action,
    choice,
    fail,
    leg,
    string,
)

TYPE_CHECKING = False  # `typing` costs milliseconds at cold start; mypy still sees these imports
if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [  # the complete builder set, Speak and Hangup included
    "DTMF", "ENGINES", "HANGUP_CODES", "MAX_SPEAK_TEXT", "PARTICIPANT_TAGS", "TEXT_TYPES", "Action",
    "bridge_endpoint", "call_and_bridge", "hangup", "join_chime_meeting", "modify_chime_meeting_attendees",
    "pause", "pause_call_recording", "play_audio", "play_audio_and_get_digits", "receive_digits",
    "record_audio", "resume_call_recording", "s3_audio", "send_digits", "speak", "speak_and_get_digits",
    "speech", "start_bot_conversation", "start_call_recording", "stop_call_recording", "voice_focus",
]

DTMF = frozenset("0123456789*#")
MAX_SEND_DIGITS = 50
MAX_DIGITS = 128
MAX_ATTENDEES = 100
MAX_BOT_CONFIGURATION_BYTES = 10 * 1024
_SEND_DTMF = frozenset("0123456789*#ABCD,")


# --- checks only these builders need --------------------------------------------------------

def _integer(where: str, value: object, low: int | None = None, high: int | None = None) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise fail(where, f"must be an integer (got {type(value).__name__})")
    if low is not None and value < low:
        raise fail(where, f"must be at least {low} (got {value})")
    if high is not None and value > high:
        raise fail(where, f"must be at most {high} (got {value})")
    return value


def _dtmf(where: str, value: object, allowed: frozenset[str], max_len: int) -> str:
    text = string(where, value, max_len)
    bad = sorted(set(text) - allowed)
    if bad:
        raise fail(where, f"has characters outside {''.join(sorted(allowed))}: {''.join(bad)!r}")
    return text


def _regex(where: str, value: object) -> str:
    text = string(where, value)
    import re  # only builders that take a pattern pay for the check

    try:
        re.compile(text)
    except re.error as exc:
        raise fail(where, f"is not a valid regular expression ({exc})") from None
    return text


def _s3_object(where: str, source: object, needs_key: bool = True) -> dict[str, str]:
    if not isinstance(source, dict):
        raise fail(where, "is required: {Type: S3, BucketName, Key}")
    out = {"Type": choice(f"{where}.Type", source.get("Type", "S3"), ("S3",)),
           "BucketName": string(f"{where}.BucketName", source.get("BucketName"))}
    if needs_key or source.get("Key") is not None:
        out["Key"] = string(f"{where}.Key", source.get("Key"))
    if source.get("Prefix") is not None:
        out["Prefix"] = string(f"{where}.Prefix", source.get("Prefix"))
    return out


def _e164(where: str, value: object) -> str:
    text = string(where, value, 16)
    if not (text.startswith("+") and text[1:].isdigit() and 2 <= len(text) <= 16):
        raise fail(where, "must be an E.164 number such as +12065550100")
    return text


def _string_map(where: str, value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        raise fail(where, "must be an object of strings")
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, str):
            raise fail(f"{where}.{key}", "keys and values must be strings")
    return dict(value)


def s3_audio(bucket_name: str, key: str) -> dict[str, str]:
    """An `AudioSource` / `FailureAudioSource` / `RingbackTone`: a WAV object in S3."""
    return {"Type": "S3", "BucketName": bucket_name, "Key": key}


# --- the actions --------------------------------------------------------------------------------

def _digit_list(where: str, digits: Iterable[str]) -> list[str]:
    """A list of single DTMF digits (terminators), each checked and named by its index."""
    checked = list(digits)
    for i, digit in enumerate(checked):
        _dtmf(f"{where}[{i}]", digit, DTMF, 1)
    return checked


def _digit_options(where: str, params: dict[str, object], min_digits: int | None, max_digits: int | None,
                   terminator_digits: Iterable[str] | None, in_between_ms: int | None,
                   repeat: int | None, input_digits_regex: str | None) -> None:
    if min_digits is not None:
        params["MinNumberOfDigits"] = _integer(f"{where}.MinNumberOfDigits", min_digits, 0, MAX_DIGITS)
    if max_digits is not None:
        params["MaxNumberOfDigits"] = _integer(f"{where}.MaxNumberOfDigits", max_digits, 1, MAX_DIGITS)
    if min_digits is not None and max_digits is not None and min_digits > max_digits:
        raise fail(f"{where}.MinNumberOfDigits", f"must not exceed MaxNumberOfDigits ({max_digits})")
    if terminator_digits is not None:
        params["TerminatorDigits"] = _digit_list(f"{where}.TerminatorDigits", terminator_digits)
    if in_between_ms is not None:
        params["InBetweenDigitsDurationInMilliseconds"] = _integer(
            f"{where}.InBetweenDigitsDurationInMilliseconds", in_between_ms, 1)
    if repeat is not None:
        params["Repeat"] = _integer(f"{where}.Repeat", repeat, 1)
    if input_digits_regex is not None:
        params["InputDigitsRegex"] = _regex(f"{where}.InputDigitsRegex", input_digits_regex)


def speak_and_get_digits(call_id: str, speech_parameters: dict[str, str],
                         failure_speech_parameters: dict[str, str], repeat_duration_ms: int, *,
                         min_digits: int | None = None, max_digits: int | None = None,
                         terminator_digits: Iterable[str] | None = None, in_between_ms: int | None = None,
                         repeat: int | None = None, input_digits_regex: str | None = None) -> Action:
    """`speech_parameters` / `failure_speech_parameters`: build them with `speech(...)`."""
    where = "SpeakAndGetDigits"
    params: dict[str, object] = {"CallId": string(f"{where}.CallId", call_id)}
    for name, given in (("SpeechParameters", speech_parameters),
                        ("FailureSpeechParameters", failure_speech_parameters)):
        if not isinstance(given, dict):
            raise fail(f"{where}.{name}", "is required: {Text, ...}")
        params[name] = speech(given.get("Text", ""), engine=given.get("Engine"),
                              language_code=given.get("LanguageCode"), text_type=given.get("TextType"),
                              voice_id=given.get("VoiceId"), where=f"{where}.{name}")
    params["RepeatDurationInMilliseconds"] = _integer(
        f"{where}.RepeatDurationInMilliseconds", repeat_duration_ms, 1)
    _digit_options(where, params, min_digits, max_digits, terminator_digits, in_between_ms, repeat,
                   input_digits_regex)
    return action(where, params)


def play_audio(audio_source: dict[str, str], *, call_id: str | None = None,
               participant_tag: str | None = None, playback_terminators: Iterable[str] | None = None,
               repeat: int | None = None) -> Action:
    params: dict[str, object] = {}
    leg("PlayAudio", params, call_id, participant_tag)
    if playback_terminators is not None:
        params["PlaybackTerminators"] = _digit_list("PlayAudio.PlaybackTerminators", playback_terminators)
    if repeat is not None:
        params["Repeat"] = _integer("PlayAudio.Repeat", repeat, 1)
    params["AudioSource"] = _s3_object("PlayAudio.AudioSource", audio_source)
    return action("PlayAudio", params)


def play_audio_and_get_digits(audio_source: dict[str, str], failure_audio_source: dict[str, str],
                              repeat_duration_ms: int, *, call_id: str | None = None,
                              participant_tag: str | None = None, min_digits: int | None = None,
                              max_digits: int | None = None, terminator_digits: Iterable[str] | None = None,
                              in_between_ms: int | None = None, repeat: int | None = None,
                              input_digits_regex: str | None = None) -> Action:
    where = "PlayAudioAndGetDigits"
    params: dict[str, object] = {}
    leg(where, params, call_id, participant_tag)
    params["AudioSource"] = _s3_object(f"{where}.AudioSource", audio_source)
    params["FailureAudioSource"] = _s3_object(f"{where}.FailureAudioSource", failure_audio_source)
    params["RepeatDurationInMilliseconds"] = _integer(
        f"{where}.RepeatDurationInMilliseconds", repeat_duration_ms, 1)
    _digit_options(where, params, min_digits, max_digits, terminator_digits, in_between_ms, repeat,
                   input_digits_regex)
    return action(where, params)


def pause(duration_ms: int, *, call_id: str | None = None, participant_tag: str | None = None) -> Action:
    params: dict[str, object] = {}
    leg("Pause", params, call_id, participant_tag)
    params["DurationInMilliseconds"] = _integer("Pause.DurationInMilliseconds", duration_ms, 1)
    return action("Pause", params)


def bridge_endpoint(uri: str, arn: str | None = None) -> dict[str, str]:
    """A PSTN endpoint (`uri` an E.164 number), or with `arn` a Voice Connector (group) endpoint."""
    if arn is None:
        return {"BridgeEndpointType": "PSTN", "Uri": uri}
    return {"BridgeEndpointType": "AWS", "Uri": uri, "Arn": arn}


def call_and_bridge(caller_id_number: str, endpoints: Iterable[dict[str, str]], *,
                    call_timeout_seconds: int | None = None, sip_headers: dict[str, str] | None = None,
                    ringback_tone: dict[str, str] | None = None) -> Action:
    """`caller_id_number` must be a number in the account's inventory (the service checks that)."""
    where = "CallAndBridge"
    params: dict[str, object] = {"CallerIdNumber": _e164(f"{where}.CallerIdNumber", caller_id_number)}
    wire: list[dict[str, str]] = []
    for i, endpoint in enumerate(endpoints):
        here = f"{where}.Endpoints[{i}]"
        if not isinstance(endpoint, dict):
            raise fail(here, "must be {BridgeEndpointType, Uri[, Arn]}")
        kind = choice(f"{here}.BridgeEndpointType", endpoint.get("BridgeEndpointType"), ("PSTN", "AWS"))
        if kind == "PSTN":
            item = {"BridgeEndpointType": kind, "Uri": _e164(f"{here}.Uri", endpoint.get("Uri"))}
        else:  # a Voice Connector (group): Uri is the SIP user part, Arn says which connector
            item = {"BridgeEndpointType": kind, "Uri": string(f"{here}.Uri", endpoint.get("Uri"))}
            item["Arn"] = string(f"{here}.Arn", endpoint.get("Arn"))
        wire.append(item)
    if len(wire) != 1:
        raise fail(f"{where}.Endpoints", f"must hold exactly one endpoint (got {len(wire)})")
    params["Endpoints"] = wire
    if call_timeout_seconds is not None:
        params["CallTimeoutSeconds"] = _integer(f"{where}.CallTimeoutSeconds", call_timeout_seconds, 1, 120)
    if sip_headers is not None:
        params["SipHeaders"] = _string_map(f"{where}.SipHeaders", sip_headers)
    if ringback_tone is not None:
        params["RingbackTone"] = _s3_object(f"{where}.RingbackTone", ringback_tone)
    return action(where, params)


def receive_digits(input_digits_regex: str, in_between_ms: int, flush_ms: int, *,
                   call_id: str | None = None, participant_tag: str | None = None) -> Action:
    where = "ReceiveDigits"
    params: dict[str, object] = {}
    leg(where, params, call_id, participant_tag)
    params["InputDigitsRegex"] = _regex(f"{where}.InputDigitsRegex", input_digits_regex)
    params["InBetweenDigitsDurationInMilliseconds"] = _integer(
        f"{where}.InBetweenDigitsDurationInMilliseconds", in_between_ms, 1)
    params["FlushDigitsDurationInMilliseconds"] = _integer(
        f"{where}.FlushDigitsDurationInMilliseconds", flush_ms, 1)
    return action(where, params)


def record_audio(bucket_name: str, recording_terminators: Iterable[str], *, call_id: str | None = None,
                 participant_tag: str | None = None, prefix: str | None = None,
                 duration_seconds: int | None = None, silence_duration_seconds: int | None = None,
                 silence_threshold: int | None = None) -> Action:
    where = "RecordAudio"
    params: dict[str, object] = {}
    leg(where, params, call_id, participant_tag)
    destination = {"Type": "S3",
                   "BucketName": string(f"{where}.RecordingDestination.BucketName", bucket_name)}
    if prefix is not None:
        destination["Prefix"] = string(f"{where}.RecordingDestination.Prefix", prefix)
    params["RecordingDestination"] = destination
    terminators = list(recording_terminators)
    if not terminators:
        raise fail(f"{where}.RecordingTerminators", "is required: at least one DTMF digit")
    for i, digit in enumerate(terminators):
        _dtmf(f"{where}.RecordingTerminators[{i}]", digit, DTMF, 1)
    params["RecordingTerminators"] = terminators
    if duration_seconds is not None:
        params["DurationInSeconds"] = _integer(f"{where}.DurationInSeconds", duration_seconds, 1)
    if silence_duration_seconds is not None:
        params["SilenceDurationInSeconds"] = _integer(
            f"{where}.SilenceDurationInSeconds", silence_duration_seconds, 0)
    if silence_threshold is not None:
        params["SilenceThreshold"] = _integer(f"{where}.SilenceThreshold", silence_threshold, 0)
    return action(where, params)


def send_digits(call_id: str, digits: str, *, tone_duration_ms: int | None = None) -> Action:
    params: dict[str, object] = {
        "CallId": string("SendDigits.CallId", call_id),
        "Digits": _dtmf("SendDigits.Digits", digits, _SEND_DTMF, MAX_SEND_DIGITS),
    }
    if tone_duration_ms is not None:
        params["ToneDurationInMilliseconds"] = _integer(
            "SendDigits.ToneDurationInMilliseconds", tone_duration_ms, 50, 24000)
    return action("SendDigits", params)


def start_bot_conversation(bot_alias_arn: str, *, call_id: str | None = None,
                           participant_tag: str | None = None, locale_id: str | None = None,
                           configuration: dict[str, object] | None = None) -> Action:
    where = "StartBotConversation"
    params: dict[str, object] = {}
    leg(where, params, call_id, participant_tag)
    params["BotAliasArn"] = string(f"{where}.BotAliasArn", bot_alias_arn)
    if locale_id is not None:
        params["LocaleId"] = string(f"{where}.LocaleId", locale_id, 16)
    if configuration is not None:
        if not isinstance(configuration, dict):
            raise fail(f"{where}.Configuration", "must be an object")
        import json  # already loaded by the logger; local so this module stays import-free

        size = len(json.dumps(configuration, ensure_ascii=False).encode())
        if size > MAX_BOT_CONFIGURATION_BYTES:
            raise fail(f"{where}.Configuration", f"must be at most 10 KB (got {size} bytes)")
        params["Configuration"] = configuration
    return action(where, params)


def voice_focus(call_id: str, enable: bool) -> Action:
    if not isinstance(enable, bool):
        raise fail("VoiceFocus.Enable", f"must be true or false (got {enable!r})")
    return action("VoiceFocus", {"CallId": string("VoiceFocus.CallId", call_id), "Enable": enable})


def join_chime_meeting(join_token: str, *, meeting_id: str | None = None, call_id: str | None = None,
                       participant_tag: str | None = None) -> Action:
    params: dict[str, object] = {}
    leg("JoinChimeMeeting", params, call_id, participant_tag)
    params["JoinToken"] = string("JoinChimeMeeting.JoinToken", join_token)
    if meeting_id is not None:
        params["MeetingId"] = string("JoinChimeMeeting.MeetingId", meeting_id)
    return action("JoinChimeMeeting", params)


def modify_chime_meeting_attendees(operation: str, meeting_id: str, attendee_list: Iterable[str], *,
                                   call_id: str | None = None, participant_tag: str | None = None) -> Action:
    where = "ModifyChimeMeetingAttendees"
    params: dict[str, object] = {}
    leg(where, params, call_id, participant_tag)
    params["Operation"] = choice(f"{where}.Operation", operation, ("Mute", "Unmute"))
    params["MeetingId"] = string(f"{where}.MeetingId", meeting_id)
    attendees = [string(f"{where}.AttendeeList[{i}]", a) for i, a in enumerate(attendee_list)]
    if not 1 <= len(attendees) <= MAX_ATTENDEES:
        raise fail(f"{where}.AttendeeList",
                    f"must hold 1 to {MAX_ATTENDEES} attendees (got {len(attendees)})")
    params["AttendeeList"] = attendees
    return action(where, params)


def start_call_recording(call_id: str, destination_location: str, *, track: str = "BOTH") -> Action:
    """Record to S3: `destination_location` is `bucket` or `bucket/prefix`."""
    where = "StartCallRecording"
    return action(where, {
        "CallId": string(f"{where}.CallId", call_id),
        "Track": choice(f"{where}.Track", track, ("BOTH", "INCOMING", "OUTGOING")),
        "Destination": {"Type": "S3",
                        "Location": string(f"{where}.Destination.Location", destination_location)},
    })


def stop_call_recording(call_id: str) -> Action:
    return action("StopCallRecording", {"CallId": string("StopCallRecording.CallId", call_id)})


def pause_call_recording(call_id: str) -> Action:
    return action("PauseCallRecording", {"CallId": string("PauseCallRecording.CallId", call_id)})


def resume_call_recording(call_id: str) -> Action:
    return action("ResumeCallRecording", {"CallId": string("ResumeCallRecording.CallId", call_id)})


