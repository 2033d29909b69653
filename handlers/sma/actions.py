"""One builder per PSTN audio action, validated when built.

Each builder returns the action's wire shape, `{"Type": ..., "Parameters": {...}}`, and raises
`ValueError` naming the action and the parameter (`"Speak.Text: ..."`) when a required parameter is
missing or a documented limit is broken, so a bad action fails in the handler's own code and tests
instead of coming back from the service as INVALID_LAMBDA_RESPONSE mid-call.

Limits follow the Amazon Chime SDK Developer Guide action pages (see
reference/pstn-audio-lambda-contract.md). Optional parameters left as None are omitted, so the
service applies its documented defaults.
"""

from __future__ import annotations

TYPE_CHECKING = False  # `typing` costs milliseconds at cold start; mypy still sees these imports
if TYPE_CHECKING:
    from collections.abc import Iterable

Action = dict  # an action's wire shape; kept a plain dict so it serialises without a copy

PARTICIPANT_TAGS = ("LEG-A", "LEG-B")
ENGINES = ("standard", "neural")
TEXT_TYPES = ("text", "ssml")
HANGUP_CODES = ("0", "480", "486")  # normal, unavailable, busy: the documented SipResponseCodes
MAX_SPEAK_TEXT = 1000
MAX_SEND_DIGITS = 50
MAX_DIGITS = 128
MAX_ATTENDEES = 100
MAX_BOT_CONFIGURATION_BYTES = 10 * 1024
_DTMF = frozenset("0123456789*#")
_SEND_DTMF = frozenset("0123456789*#ABCD,")


# --- parameter checks: each returns the value to put on the wire -------------------------------

def _fail(where: str, problem: str) -> ValueError:
    return ValueError(f"{where}: {problem}")


def _text(where: str, value: object, max_len: int | None = None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, f"is required and must be a non-empty string (got {type(value).__name__})")
    if max_len is not None and len(value) > max_len:
        raise _fail(where, f"must be at most {max_len} characters (got {len(value)})")
    return value


def _choice(where: str, value: object, allowed: Iterable[str]) -> str:
    options = tuple(allowed)
    if value not in options:
        raise _fail(where, f"must be one of {', '.join(options)} (got {value!r})")
    return str(value)


def _integer(where: str, value: object, low: int | None = None, high: int | None = None) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _fail(where, f"must be an integer (got {type(value).__name__})")
    if low is not None and value < low:
        raise _fail(where, f"must be at least {low} (got {value})")
    if high is not None and value > high:
        raise _fail(where, f"must be at most {high} (got {value})")
    return value


def _digits(where: str, value: object, allowed: frozenset[str], max_len: int) -> str:
    text = _text(where, value, max_len)
    bad = sorted(set(text) - allowed)
    if bad:
        raise _fail(where, f"has characters outside {''.join(sorted(allowed))}: {''.join(bad)!r}")
    return text


def _regex(where: str, value: object) -> str:
    text = _text(where, value)
    import re  # only builders that take a pattern pay for the check

    try:
        re.compile(text)
    except re.error as exc:
        raise _fail(where, f"is not a valid regular expression ({exc})") from None
    return text


def _s3(where: str, source: object, needs_key: bool = True) -> dict[str, str]:
    if not isinstance(source, dict):
        raise _fail(where, "is required: {Type: S3, BucketName, Key}")
    out = {"Type": _choice(f"{where}.Type", source.get("Type", "S3"), ("S3",)),
           "BucketName": _text(f"{where}.BucketName", source.get("BucketName"))}
    if needs_key or source.get("Key") is not None:
        out["Key"] = _text(f"{where}.Key", source.get("Key"))
    if source.get("Prefix") is not None:
        out["Prefix"] = _text(f"{where}.Prefix", source.get("Prefix"))
    return out


def _leg(where: str, params: dict[str, object], call_id: str | None, participant_tag: str | None,
         call_id_required: bool = False) -> None:
    if call_id is not None or call_id_required:
        params["CallId"] = _text(f"{where}.CallId", call_id)
    if participant_tag is not None:
        params["ParticipantTag"] = _choice(f"{where}.ParticipantTag", participant_tag, PARTICIPANT_TAGS)


def _action(kind: str, params: dict[str, object]) -> Action:
    return {"Type": kind, "Parameters": params}


def s3_audio(bucket_name: str, key: str) -> dict[str, str]:
    """An `AudioSource` / `FailureAudioSource` / `RingbackTone`: a WAV object in S3."""
    return {"Type": "S3", "BucketName": bucket_name, "Key": key}


def speech(text: str, *, engine: str | None = None, language_code: str | None = None,
           text_type: str | None = None, voice_id: str | None = None, where: str = "Speak") -> dict[str, str]:
    """The speech parameters shared by Speak and SpeakAndGetDigits."""
    params: dict[str, str] = {"Text": _text(f"{where}.Text", text, MAX_SPEAK_TEXT)}
    if engine is not None:
        params["Engine"] = _choice(f"{where}.Engine", engine, ENGINES)
    if language_code is not None:
        params["LanguageCode"] = _text(f"{where}.LanguageCode", language_code, 16)
    if text_type is not None:
        params["TextType"] = _choice(f"{where}.TextType", text_type, TEXT_TYPES)
    if voice_id is not None:
        params["VoiceId"] = _text(f"{where}.VoiceId", voice_id, 32)
    return params


# --- the actions --------------------------------------------------------------------------------

def speak(call_id: str, text: str, *, engine: str | None = None, language_code: str | None = None,
          text_type: str | None = None, voice_id: str | None = None) -> Action:
    params: dict[str, object] = {"CallId": _text("Speak.CallId", call_id)}
    params.update(speech(text, engine=engine, language_code=language_code, text_type=text_type,
                         voice_id=voice_id))
    return _action("Speak", params)


def _digit_options(where: str, params: dict[str, object], min_digits: int | None, max_digits: int | None,
                   terminator_digits: Iterable[str] | None, in_between_ms: int | None,
                   repeat: int | None, input_digits_regex: str | None) -> None:
    if min_digits is not None:
        params["MinNumberOfDigits"] = _integer(f"{where}.MinNumberOfDigits", min_digits, 0, MAX_DIGITS)
    if max_digits is not None:
        params["MaxNumberOfDigits"] = _integer(f"{where}.MaxNumberOfDigits", max_digits, 1, MAX_DIGITS)
    if min_digits is not None and max_digits is not None and min_digits > max_digits:
        raise _fail(f"{where}.MinNumberOfDigits", f"must not exceed MaxNumberOfDigits ({max_digits})")
    if terminator_digits is not None:
        terminators = list(terminator_digits)
        for i, digit in enumerate(terminators):
            _digits(f"{where}.TerminatorDigits[{i}]", digit, _DTMF, 1)
        params["TerminatorDigits"] = terminators
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
    params: dict[str, object] = {"CallId": _text(f"{where}.CallId", call_id)}
    for name, given in (("SpeechParameters", speech_parameters),
                        ("FailureSpeechParameters", failure_speech_parameters)):
        if not isinstance(given, dict):
            raise _fail(f"{where}.{name}", "is required: {Text, ...}")
        params[name] = speech(given.get("Text", ""), engine=given.get("Engine"),
                              language_code=given.get("LanguageCode"), text_type=given.get("TextType"),
                              voice_id=given.get("VoiceId"), where=f"{where}.{name}")
    params["RepeatDurationInMilliseconds"] = _integer(
        f"{where}.RepeatDurationInMilliseconds", repeat_duration_ms, 1)
    _digit_options(where, params, min_digits, max_digits, terminator_digits, in_between_ms, repeat,
                   input_digits_regex)
    return _action(where, params)


def play_audio(audio_source: dict[str, str], *, call_id: str | None = None,
               participant_tag: str | None = None, playback_terminators: Iterable[str] | None = None,
               repeat: int | None = None) -> Action:
    params: dict[str, object] = {}
    _leg("PlayAudio", params, call_id, participant_tag)
    if playback_terminators is not None:
        terminators = list(playback_terminators)
        for i, digit in enumerate(terminators):
            _digits(f"PlayAudio.PlaybackTerminators[{i}]", digit, _DTMF, 1)
        params["PlaybackTerminators"] = terminators
    if repeat is not None:
        params["Repeat"] = _integer("PlayAudio.Repeat", repeat, 1)
    params["AudioSource"] = _s3("PlayAudio.AudioSource", audio_source)
    return _action("PlayAudio", params)


def play_audio_and_get_digits(audio_source: dict[str, str], failure_audio_source: dict[str, str],
                              repeat_duration_ms: int, *, call_id: str | None = None,
                              participant_tag: str | None = None, min_digits: int | None = None,
                              max_digits: int | None = None, terminator_digits: Iterable[str] | None = None,
                              in_between_ms: int | None = None, repeat: int | None = None,
                              input_digits_regex: str | None = None) -> Action:
    where = "PlayAudioAndGetDigits"
    params: dict[str, object] = {}
    _leg(where, params, call_id, participant_tag)
    params["AudioSource"] = _s3(f"{where}.AudioSource", audio_source)
    params["FailureAudioSource"] = _s3(f"{where}.FailureAudioSource", failure_audio_source)
    params["RepeatDurationInMilliseconds"] = _integer(
        f"{where}.RepeatDurationInMilliseconds", repeat_duration_ms, 1)
    _digit_options(where, params, min_digits, max_digits, terminator_digits, in_between_ms, repeat,
                   input_digits_regex)
    return _action(where, params)


def hangup(sip_response_code: str = "0", *, call_id: str | None = None,
           participant_tag: str | None = None) -> Action:
    """End a leg: "0" normal, "480" unavailable, "486" busy (the only documented codes)."""
    params: dict[str, object] = {}
    _leg("Hangup", params, call_id, participant_tag)
    params["SipResponseCode"] = _choice("Hangup.SipResponseCode", sip_response_code, HANGUP_CODES)
    return _action("Hangup", params)


def pause(duration_ms: int, *, call_id: str | None = None, participant_tag: str | None = None) -> Action:
    params: dict[str, object] = {}
    _leg("Pause", params, call_id, participant_tag)
    params["DurationInMilliseconds"] = _integer("Pause.DurationInMilliseconds", duration_ms, 1)
    return _action("Pause", params)


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
            raise _fail(here, "must be {BridgeEndpointType, Uri[, Arn]}")
        kind = _choice(f"{here}.BridgeEndpointType", endpoint.get("BridgeEndpointType"), ("PSTN", "AWS"))
        if kind == "PSTN":
            item = {"BridgeEndpointType": kind, "Uri": _e164(f"{here}.Uri", endpoint.get("Uri"))}
        else:  # a Voice Connector (group): Uri is the SIP user part, Arn says which connector
            item = {"BridgeEndpointType": kind, "Uri": _text(f"{here}.Uri", endpoint.get("Uri"))}
            item["Arn"] = _text(f"{here}.Arn", endpoint.get("Arn"))
        wire.append(item)
    if len(wire) != 1:
        raise _fail(f"{where}.Endpoints", f"must hold exactly one endpoint (got {len(wire)})")
    params["Endpoints"] = wire
    if call_timeout_seconds is not None:
        params["CallTimeoutSeconds"] = _integer(f"{where}.CallTimeoutSeconds", call_timeout_seconds, 1, 120)
    if sip_headers is not None:
        params["SipHeaders"] = _string_map(f"{where}.SipHeaders", sip_headers)
    if ringback_tone is not None:
        params["RingbackTone"] = _s3(f"{where}.RingbackTone", ringback_tone)
    return _action(where, params)


def receive_digits(input_digits_regex: str, in_between_ms: int, flush_ms: int, *,
                   call_id: str | None = None, participant_tag: str | None = None) -> Action:
    where = "ReceiveDigits"
    params: dict[str, object] = {}
    _leg(where, params, call_id, participant_tag)
    params["InputDigitsRegex"] = _regex(f"{where}.InputDigitsRegex", input_digits_regex)
    params["InBetweenDigitsDurationInMilliseconds"] = _integer(
        f"{where}.InBetweenDigitsDurationInMilliseconds", in_between_ms, 1)
    params["FlushDigitsDurationInMilliseconds"] = _integer(
        f"{where}.FlushDigitsDurationInMilliseconds", flush_ms, 1)
    return _action(where, params)


def record_audio(bucket_name: str, recording_terminators: Iterable[str], *, call_id: str | None = None,
                 participant_tag: str | None = None, prefix: str | None = None,
                 duration_seconds: int | None = None, silence_duration_seconds: int | None = None,
                 silence_threshold: int | None = None) -> Action:
    where = "RecordAudio"
    params: dict[str, object] = {}
    _leg(where, params, call_id, participant_tag)
    destination = {"Type": "S3", "BucketName": _text(f"{where}.RecordingDestination.BucketName", bucket_name)}
    if prefix is not None:
        destination["Prefix"] = _text(f"{where}.RecordingDestination.Prefix", prefix)
    params["RecordingDestination"] = destination
    terminators = list(recording_terminators)
    if not terminators:
        raise _fail(f"{where}.RecordingTerminators", "is required: at least one DTMF digit")
    for i, digit in enumerate(terminators):
        _digits(f"{where}.RecordingTerminators[{i}]", digit, _DTMF, 1)
    params["RecordingTerminators"] = terminators
    if duration_seconds is not None:
        params["DurationInSeconds"] = _integer(f"{where}.DurationInSeconds", duration_seconds, 1)
    if silence_duration_seconds is not None:
        params["SilenceDurationInSeconds"] = _integer(
            f"{where}.SilenceDurationInSeconds", silence_duration_seconds, 0)
    if silence_threshold is not None:
        params["SilenceThreshold"] = _integer(f"{where}.SilenceThreshold", silence_threshold, 0)
    return _action(where, params)


def send_digits(call_id: str, digits: str, *, tone_duration_ms: int | None = None) -> Action:
    params: dict[str, object] = {
        "CallId": _text("SendDigits.CallId", call_id),
        "Digits": _digits("SendDigits.Digits", digits, _SEND_DTMF, MAX_SEND_DIGITS),
    }
    if tone_duration_ms is not None:
        params["ToneDurationInMilliseconds"] = _integer(
            "SendDigits.ToneDurationInMilliseconds", tone_duration_ms, 50, 24000)
    return _action("SendDigits", params)


def start_bot_conversation(bot_alias_arn: str, *, call_id: str | None = None,
                           participant_tag: str | None = None, locale_id: str | None = None,
                           configuration: dict[str, object] | None = None) -> Action:
    where = "StartBotConversation"
    params: dict[str, object] = {}
    _leg(where, params, call_id, participant_tag)
    params["BotAliasArn"] = _text(f"{where}.BotAliasArn", bot_alias_arn)
    if locale_id is not None:
        params["LocaleId"] = _text(f"{where}.LocaleId", locale_id, 16)
    if configuration is not None:
        if not isinstance(configuration, dict):
            raise _fail(f"{where}.Configuration", "must be an object")
        import json  # already loaded by the logger; local so this module stays import-free

        size = len(json.dumps(configuration, ensure_ascii=False).encode())
        if size > MAX_BOT_CONFIGURATION_BYTES:
            raise _fail(f"{where}.Configuration", f"must be at most 10 KB (got {size} bytes)")
        params["Configuration"] = configuration
    return _action(where, params)


def voice_focus(call_id: str, enable: bool) -> Action:
    if not isinstance(enable, bool):
        raise _fail("VoiceFocus.Enable", f"must be true or false (got {enable!r})")
    return _action("VoiceFocus", {"CallId": _text("VoiceFocus.CallId", call_id), "Enable": enable})


def join_chime_meeting(join_token: str, *, meeting_id: str | None = None, call_id: str | None = None,
                       participant_tag: str | None = None) -> Action:
    params: dict[str, object] = {}
    _leg("JoinChimeMeeting", params, call_id, participant_tag)
    params["JoinToken"] = _text("JoinChimeMeeting.JoinToken", join_token)
    if meeting_id is not None:
        params["MeetingId"] = _text("JoinChimeMeeting.MeetingId", meeting_id)
    return _action("JoinChimeMeeting", params)


def modify_chime_meeting_attendees(operation: str, meeting_id: str, attendee_list: Iterable[str], *,
                                   call_id: str | None = None, participant_tag: str | None = None) -> Action:
    where = "ModifyChimeMeetingAttendees"
    params: dict[str, object] = {}
    _leg(where, params, call_id, participant_tag)
    params["Operation"] = _choice(f"{where}.Operation", operation, ("Mute", "Unmute"))
    params["MeetingId"] = _text(f"{where}.MeetingId", meeting_id)
    attendees = [_text(f"{where}.AttendeeList[{i}]", a) for i, a in enumerate(attendee_list)]
    if not 1 <= len(attendees) <= MAX_ATTENDEES:
        raise _fail(f"{where}.AttendeeList",
                    f"must hold 1 to {MAX_ATTENDEES} attendees (got {len(attendees)})")
    params["AttendeeList"] = attendees
    return _action(where, params)


def start_call_recording(call_id: str, destination_location: str, *, track: str = "BOTH") -> Action:
    """Record to S3: `destination_location` is `bucket` or `bucket/prefix`."""
    where = "StartCallRecording"
    return _action(where, {
        "CallId": _text(f"{where}.CallId", call_id),
        "Track": _choice(f"{where}.Track", track, ("BOTH", "INCOMING", "OUTGOING")),
        "Destination": {"Type": "S3",
                        "Location": _text(f"{where}.Destination.Location", destination_location)},
    })


def stop_call_recording(call_id: str) -> Action:
    return _action("StopCallRecording", {"CallId": _text("StopCallRecording.CallId", call_id)})


def pause_call_recording(call_id: str) -> Action:
    return _action("PauseCallRecording", {"CallId": _text("PauseCallRecording.CallId", call_id)})


def resume_call_recording(call_id: str) -> Action:
    return _action("ResumeCallRecording", {"CallId": _text("ResumeCallRecording.CallId", call_id)})


# --- shared shapes --------------------------------------------------------------------------------

def _e164(where: str, value: object) -> str:
    text = _text(where, value, 16)
    if not (text.startswith("+") and text[1:].isdigit() and 2 <= len(text) <= 16):
        raise _fail(where, "must be an E.164 number such as +12065550100")
    return text


def _string_map(where: str, value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        raise _fail(where, "must be an object of strings")
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, str):
            raise _fail(f"{where}.{key}", "keys and values must be strings")
    return dict(value)
