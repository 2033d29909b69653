"""One builder per PSTN audio action, validated when built.

Each builder returns the action's wire shape, `{"Type": ..., "Parameters": {...}}`, and raises
`ValueError` naming the action and the parameter (`"Speak.Text: ..."`) when a required parameter is
missing or a documented limit is broken, so a bad action fails in the handler's own code and tests
instead of coming back from the service mid-call: as ACTION_FAILED once the call reaches it (after
the actions before it have run), the rest of its list dropped.

Limits follow the action pages of the Amazon Chime SDK Developer Guide (PSTN audio service,
"Supported actions") and its "Debugging unexpected ACTION_FAILED events" page; where the two differ
the stricter one is enforced (Pause: 100 to 30,000 ms). Optional parameters left as None are
omitted, so the service applies its documented defaults.
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
MIN_TONE_MS, MAX_TONE_MS = 50, 24000
MAX_DIGITS = 128
MAX_ATTENDEES = 100
MAX_BOT_CONFIGURATION_BYTES = 10 * 1024
MIN_PAUSE_MS, MAX_PAUSE_MS = 100, 30000
MAX_CALL_TIMEOUT_SECONDS = 120
MAX_RECORDING_PREFIX_BYTES = 979
MAX_SILENCE = 1000  # SilenceDurationInSeconds and SilenceThreshold: 1 to 1,000
MAX_AWS_ENDPOINT_URI = 36
_SEND_DTMF = frozenset("0123456789*#ABCD,")
# The user part of a Voice Connector Request-URI, as the CallAndBridge page lists it.
_AWS_URI_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789&=+$/%-_!~*().")
# S3's "safe characters" for key names, plus "/" (the prefix delimiter the recording key extends).
_S3_PREFIX_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!-_.*'()/")
BOT_DIALOG_ACTIONS = ("Delegate", "ElicitIntent")
BOT_CONTENT_TYPES = ("PlainText", "SSML")


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
    # "+", a country code that does not start with 0, at most 15 digits in all (the API's
    # ^\+?[1-9]\d{1,14}$ with the "+" required, as every action example writes it).
    digits = text[1:]
    if not (text.startswith("+") and digits.isascii() and digits.isdigit() and digits[0] != "0"
            and 2 <= len(digits) <= 15):
        raise fail(where, "must be an E.164 number such as +12065550100")
    return text


def _string_map(where: str, value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        raise fail(where, "must be an object of strings")
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, str):
            raise fail(f"{where}.{key}", "keys and values must be strings")
    return dict(value)


def _charset(where: str, value: str, allowed: frozenset[str], described: str) -> str:
    bad = sorted(set(value) - allowed)
    if bad:
        raise fail(where, f"may use only {described} (got {''.join(bad)!r})")
    return value


def _leg_a_only(where: str, params: dict[str, object], call_id: str | None,
                participant_tag: str | None) -> None:
    # StartBotConversation and JoinChimeMeeting document LEG-A as the only ParticipantTag.
    if participant_tag is not None:
        choice(f"{where}.ParticipantTag", participant_tag, ("LEG-A",))
    leg(where, params, call_id, participant_tag)


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
    params["DurationInMilliseconds"] = _integer("Pause.DurationInMilliseconds", duration_ms, MIN_PAUSE_MS,
                                                MAX_PAUSE_MS)
    return action("Pause", params)


def bridge_endpoint(uri: str, arn: str | None = None) -> dict[str, str]:
    """A PSTN endpoint (`uri` an E.164 number), or with `arn` a Voice Connector (group) endpoint
    (`uri` the user part of its Request-URI). Checked by `call_and_bridge`."""
    if arn is None:
        return {"BridgeEndpointType": "PSTN", "Uri": uri}
    return {"BridgeEndpointType": "AWS", "Uri": uri, "Arn": arn}


def _voice_connector_arn(where: str, value: object) -> str:
    arn = string(where, value)
    parts = arn.split(":")
    # arn:<partition>:chime:<region>:<account>:vc/<id> or vcg/<id>
    kind, _, resource = parts[5].partition("/") if len(parts) == 6 else ("", "", "")
    if not (parts[0] == "arn" and parts[1].startswith("aws") and parts[2] == "chime" and parts[3]
            and len(parts[4]) == 12 and parts[4].isdigit() and kind in ("vc", "vcg") and resource):
        raise fail(where, "must be a Voice Connector or Voice Connector group ARN "
                          "(arn:aws:chime:<region>:<account>:vc/<id> or .../vcg/<id>)")
    return arn


def _endpoint(where: str, endpoint: object) -> dict[str, str]:
    if not isinstance(endpoint, dict):
        raise fail(where, "must be {BridgeEndpointType, Uri[, Arn]}")
    kind = choice(f"{where}.BridgeEndpointType", endpoint.get("BridgeEndpointType"), ("PSTN", "AWS"))
    if kind == "PSTN":
        if endpoint.get("Arn") is not None:
            raise fail(f"{where}.Arn", "must not be set for a PSTN endpoint")
        return {"BridgeEndpointType": kind, "Uri": _e164(f"{where}.Uri", endpoint.get("Uri"))}
    # A Voice Connector (group): Uri is the Request-URI user part, Arn says which connector.
    uri = string(f"{where}.Uri", endpoint.get("Uri"), MAX_AWS_ENDPOINT_URI)
    _charset(f"{where}.Uri", uri, _AWS_URI_CHARS, "a-z A-Z 0-9 & = + $ / % - _ ! ~ * ( ) .")
    return {"BridgeEndpointType": kind, "Uri": uri, "Arn": _voice_connector_arn(f"{where}.Arn",
                                                                                  endpoint.get("Arn"))}


def call_and_bridge(caller_id_number: str, endpoints: Iterable[dict[str, str]], *,
                    call_timeout_seconds: int | None = None, sip_headers: dict[str, str] | None = None,
                    ringback_tone: dict[str, str] | None = None) -> Action:
    """`caller_id_number` must be a number in the account's inventory or LEG-A's From number (the
    service checks that). `sip_headers` go to a Voice Connector endpoint only (the page: "Use only
    with the AWS endpoint type"); see `sma.sip_headers` for the names and sizes allowed."""
    where = "CallAndBridge"
    params: dict[str, object] = {"CallerIdNumber": _e164(f"{where}.CallerIdNumber", caller_id_number)}
    wire = [_endpoint(f"{where}.Endpoints[{i}]", endpoint) for i, endpoint in enumerate(endpoints)]
    if len(wire) != 1:
        raise fail(f"{where}.Endpoints", f"must hold exactly one endpoint (got {len(wire)})")
    params["Endpoints"] = wire
    if call_timeout_seconds is not None:
        params["CallTimeoutSeconds"] = _integer(f"{where}.CallTimeoutSeconds", call_timeout_seconds, 1,
                                                MAX_CALL_TIMEOUT_SECONDS)
    if sip_headers is not None:
        if wire[0]["BridgeEndpointType"] != "AWS":
            raise fail(f"{where}.SipHeaders", "may be sent only to an AWS (Voice Connector) endpoint")
        from sma.sip_headers import check_sip_headers  # only bridges that send headers pay for it

        params["SipHeaders"] = check_sip_headers(f"{where}.SipHeaders", sip_headers)
    if ringback_tone is not None:
        params["RingbackTone"] = _s3_object(f"{where}.RingbackTone", ringback_tone)
    return action(where, params)


def receive_digits(input_digits_regex: str, in_between_ms: int, flush_ms: int, *,
                   call_id: str | None = None, participant_tag: str | None = None) -> Action:
    """Digits are flushed `flush_ms` after the first one, so it must exceed `in_between_ms`."""
    where = "ReceiveDigits"
    params: dict[str, object] = {}
    leg(where, params, call_id, participant_tag)
    params["InputDigitsRegex"] = _regex(f"{where}.InputDigitsRegex", input_digits_regex)
    params["InBetweenDigitsDurationInMilliseconds"] = _integer(
        f"{where}.InBetweenDigitsDurationInMilliseconds", in_between_ms, 1)
    flush = _integer(f"{where}.FlushDigitsDurationInMilliseconds", flush_ms, 1)
    if flush <= in_between_ms:
        raise fail(f"{where}.FlushDigitsDurationInMilliseconds",
                   f"must exceed InBetweenDigitsDurationInMilliseconds ({in_between_ms}; got {flush})")
    params["FlushDigitsDurationInMilliseconds"] = flush
    return action(where, params)


def record_audio(bucket_name: str, recording_terminators: Iterable[str], *, call_id: str | None = None,
                 participant_tag: str | None = None, prefix: str | None = None,
                 duration_seconds: int | None = None, silence_duration_seconds: int | None = None,
                 silence_threshold: int | None = None) -> Action:
    """Name the leg by `call_id` or `participant_tag`, not both (the RecordAudio page)."""
    where = "RecordAudio"
    if call_id is not None and participant_tag is not None:
        raise fail(f"{where}.ParticipantTag", "give CallId or ParticipantTag, not both")
    params: dict[str, object] = {}
    leg(where, params, call_id, participant_tag)
    destination = {"Type": "S3",
                   "BucketName": string(f"{where}.RecordingDestination.BucketName", bucket_name)}
    if prefix is not None:
        here = f"{where}.RecordingDestination.Prefix"
        _charset(here, string(here, prefix, MAX_RECORDING_PREFIX_BYTES), _S3_PREFIX_CHARS,
                 "S3's safe characters a-z A-Z 0-9 ! - _ . * ' ( ) and /")
        destination["Prefix"] = prefix  # ASCII only (checked above), so characters are bytes
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
            f"{where}.SilenceDurationInSeconds", silence_duration_seconds, 1, MAX_SILENCE)
    if silence_threshold is not None:
        params["SilenceThreshold"] = _integer(f"{where}.SilenceThreshold", silence_threshold, 1, MAX_SILENCE)
    return action(where, params)


def send_digits(call_id: str, digits: str, *, tone_duration_ms: int | None = None) -> Action:
    params: dict[str, object] = {
        "CallId": string("SendDigits.CallId", call_id),
        "Digits": _dtmf("SendDigits.Digits", digits, _SEND_DTMF, MAX_SEND_DIGITS),
    }
    if tone_duration_ms is not None:
        params["ToneDurationInMilliseconds"] = _integer(
            "SendDigits.ToneDurationInMilliseconds", tone_duration_ms, MIN_TONE_MS, MAX_TONE_MS)
    return action("SendDigits", params)


def _bot_alias_arn(where: str, value: object) -> str:
    arn = string(where, value)
    parts = arn.split(":")
    ids = parts[5].split("/") if len(parts) == 6 else []
    # arn:<partition>:lex:<region>:<account>:bot-alias/<botId>/<botAliasId>, each id 10 letters/digits
    if not (parts[0] == "arn" and parts[1].startswith("aws") and parts[2] == "lex" and parts[3]
            and len(parts[4]) == 12 and parts[4].isdigit() and len(ids) == 3 and ids[0] == "bot-alias"
            and all(len(i) == 10 and i.isascii() and i.isalnum() for i in ids[1:])):
        raise fail(where, "must be a Lex V2 bot alias ARN "
                          "(arn:aws:lex:<region>:<account>:bot-alias/<botId>/<botAliasId>)")
    return arn


def _locale_id(where: str, value: object) -> str:
    locale = string(where, value)
    language, _, area = locale.partition("_")
    # Lex V2 locale ids: en_US, de_DE, es_419 ...
    if not (len(language) == 2 and language.isascii() and language.isalpha() and language.islower()
            and ((len(area) == 2 and area.isascii() and area.isalpha() and area.isupper())
                 or (len(area) == 3 and area.isdigit()))):
        raise fail(where, f"must be an Amazon Lex locale id such as en_US (got {locale!r})")
    return locale


def _bot_configuration(where: str, configuration: object) -> dict[str, object]:
    if not isinstance(configuration, dict):
        raise fail(where, "must be an object")
    dialog_action = None
    state = configuration.get("SessionState")
    if state is not None:
        if not isinstance(state, dict):
            raise fail(f"{where}.SessionState", "must be an object")
        if state.get("SessionAttributes") is not None:
            _string_map(f"{where}.SessionState.SessionAttributes", state["SessionAttributes"])
        dialog = state.get("DialogAction")
        if dialog is not None:
            if not isinstance(dialog, dict):
                raise fail(f"{where}.SessionState.DialogAction", "must be an object")
            dialog_action = choice(f"{where}.SessionState.DialogAction.Type", dialog.get("Type"),
                                   BOT_DIALOG_ACTIONS)
    messages = configuration.get("WelcomeMessages")
    if messages is not None:
        if not isinstance(messages, list):
            raise fail(f"{where}.WelcomeMessages", "must be a list of {Content, ContentType}")
        for i, message in enumerate(messages):
            here = f"{where}.WelcomeMessages[{i}]"
            if not isinstance(message, dict):
                raise fail(here, "must be {Content, ContentType}")
            choice(f"{here}.ContentType", message.get("ContentType"), BOT_CONTENT_TYPES)
            if message.get("Content") is not None and not isinstance(message["Content"], str):
                raise fail(f"{here}.Content", "must be a string")
        if messages and dialog_action != "ElicitIntent":
            raise fail(f"{where}.SessionState.DialogAction.Type",
                       "must be ElicitIntent when WelcomeMessages are given")
    import json  # already loaded by the logger; local so this module stays import-free

    # "The total size of the JSON string representation of the Configuration object is limited to 10 KB."
    size = len(json.dumps(configuration, ensure_ascii=False).encode())
    if size > MAX_BOT_CONFIGURATION_BYTES:
        raise fail(where, f"must be at most 10 KB as JSON (got {size} bytes)")
    return configuration


def start_bot_conversation(bot_alias_arn: str, *, call_id: str | None = None,
                           participant_tag: str | None = None, locale_id: str | None = None,
                           configuration: dict[str, object] | None = None) -> Action:
    """Not on a bridged call nor one joined to a meeting (the service checks that); the bot must be
    in the SIP media application's Region."""
    where = "StartBotConversation"
    params: dict[str, object] = {}
    _leg_a_only(where, params, call_id, participant_tag)
    params["BotAliasArn"] = _bot_alias_arn(f"{where}.BotAliasArn", bot_alias_arn)
    if locale_id is not None:
        params["LocaleId"] = _locale_id(f"{where}.LocaleId", locale_id)
    if configuration is not None:
        params["Configuration"] = _bot_configuration(f"{where}.Configuration", configuration)
    return action(where, params)


def voice_focus(call_id: str, enable: bool) -> Action:
    if not isinstance(enable, bool):
        raise fail("VoiceFocus.Enable", f"must be true or false (got {enable!r})")
    return action("VoiceFocus", {"CallId": string("VoiceFocus.CallId", call_id), "Enable": enable})


def join_chime_meeting(join_token: str, *, meeting_id: str | None = None, call_id: str | None = None,
                       participant_tag: str | None = None) -> Action:
    """`meeting_id` is needed for meetings created through the Chime SDK Meetings namespace."""
    params: dict[str, object] = {}
    _leg_a_only("JoinChimeMeeting", params, call_id, participant_tag)
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
    """Record to S3: `destination_location` is `bucket` or `bucket/prefix`; without a prefix the
    service files recordings under `Amazon-Chime-SMA-Call-Recordings/`."""
    where = "StartCallRecording"
    location = string(f"{where}.Destination.Location", destination_location)
    if not location.partition("/")[0].strip():
        raise fail(f"{where}.Destination.Location", "must start with the bucket name (bucket[/prefix])")
    return action(where, {
        "CallId": string(f"{where}.CallId", call_id),
        "Track": choice(f"{where}.Track", track, ("BOTH", "INCOMING", "OUTGOING")),
        "Destination": {"Type": "S3", "Location": location},
    })


def stop_call_recording(call_id: str) -> Action:
    return action("StopCallRecording", {"CallId": string("StopCallRecording.CallId", call_id)})


def pause_call_recording(call_id: str) -> Action:
    return action("PauseCallRecording", {"CallId": string("PauseCallRecording.CallId", call_id)})


def resume_call_recording(call_id: str) -> Action:
    return action("ResumeCallRecording", {"CallId": string("ResumeCallRecording.CallId", call_id)})


