"""Each documented limit of an action's parameters, at the limit and one past it, and every optional
parameter left out: `pstn.action_checks` decides ACTION_FAILED on exactly these edges."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pstn.action_checks import (
    MAX_ATTENDEES,
    MAX_BOT_CONFIGURATION_BYTES,
    MAX_DIGITS,
    MAX_PREFIX_BYTES,
    MAX_SEND_DIGITS,
    MAX_TEXT_CHARS,
    ActionError,
    as_bool,
    as_int,
    check_action,
    given,
    polly_problem,
    speech_problem,
)
from pstn.sip_headers import MAX_HEADERS
from tests.simulator.guide.actions import VALID_ACTIONS, action_with

IAP, MISS = "InvalidActionParameter", "MissingRequiredActionParameter"


def as_sent(action: dict[str, Any]) -> dict[str, Any]:
    """The action as the service reads it: parsed from JSON (its strings are new objects, never the
    interned literals of this file, so an `is` comparison in place of `==` shows)."""
    parsed: dict[str, Any] = json.loads(json.dumps(action))
    return parsed


def fails_on(action: dict[str, Any], field: str, error_type: str = IAP) -> ActionError:
    error = check_action(as_sent(action))
    assert error is not None, f"{action} passed"
    assert (error.field, error.error_type) == (field, error_type), error
    return error


def passes(action: dict[str, Any]) -> None:
    assert check_action(as_sent(action)) is None, check_action(action)


def without(kind: str, *names: str) -> dict[str, Any]:
    params = {k: v for k, v in VALID_ACTIONS[kind].items() if k not in names}
    return {"Type": kind, "Parameters": params}


def test_every_valid_action_passes() -> None:
    for kind in VALID_ACTIONS:
        passes({"Type": kind, "Parameters": VALID_ACTIONS[kind]})


# --- Speak: 1,000 characters of text ---------------------------------------------------------------


def test_speak_text_of_exactly_1000_characters_passes() -> None:
    passes(action_with("Speak", "Text", "x" * MAX_TEXT_CHARS))
    assert MAX_TEXT_CHARS == 1000


def test_speak_text_of_1001_characters_is_reported_as_the_page_says() -> None:
    error = fails_on(action_with("Speak", "Text", "x" * (MAX_TEXT_CHARS + 1)), "Text", MISS)
    assert error.message == "Text is limited to 1,000 characters"


def test_speak_text_empty_or_absent_is_missing_and_not_a_string_is_invalid() -> None:
    fails_on(action_with("Speak", "Text", ""), "Text", MISS)
    fails_on(action_with("Speak", "Text", ...), "Text", MISS)
    fails_on(action_with("Speak", "Text", 7), "Text")


def test_speak_optional_parameters_may_all_be_left_out() -> None:
    passes({"Type": "Speak", "Parameters": {"Text": "hi"}})


def test_ssml_must_be_one_speak_element_surrounding_spaces_allowed() -> None:
    passes(
        action_with("Speak", "TextType", "ssml")
        | {"Parameters": {"Text": " <speak>hi</speak> ", "TextType": "ssml"}}
    )
    for text in ("hi", "<speak>hi", "hi</speak>"):
        fails_on({"Type": "Speak", "Parameters": {"Text": text, "TextType": "ssml"}}, "Text")
    passes({"Type": "Speak", "Parameters": {"Text": "hi", "TextType": "text"}})


def test_speak_engine_text_type_voice_and_language_types() -> None:
    fails_on(action_with("Speak", "Engine", "generative"), "Engine")
    fails_on(action_with("Speak", "TextType", "html"), "TextType")
    fails_on(action_with("Speak", "VoiceId", 5), "VoiceId")
    fails_on(action_with("Speak", "LanguageCode", ["en-US"]), "LanguageCode")
    passes(action_with("Speak", "Engine", None))


def test_speak_leg_parameters() -> None:
    fails_on(action_with("Speak", "CallId", 12), "CallId")
    fails_on(action_with("Speak", "ParticipantTag", "LEG-C"), "ParticipantTag")
    passes(action_with("Speak", "ParticipantTag", "LEG-B"))
    passes(action_with("Speak", "ParticipantTag", ""))  # empty is the default leg


# --- SpeakAndGetDigits / PlayAudioAndGetDigits: digit timers and counts --------------------------------


def test_speak_and_get_digits_speeches_are_required_objects() -> None:
    fails_on(action_with("SpeakAndGetDigits", "SpeechParameters", ...), "SpeechParameters", MISS)
    fails_on(
        action_with("SpeakAndGetDigits", "FailureSpeechParameters", ...), "FailureSpeechParameters", MISS
    )
    fails_on(action_with("SpeakAndGetDigits", "SpeechParameters", "hi"), "SpeechParameters")
    fails_on(
        action_with("SpeakAndGetDigits", "FailureSpeechParameters", {"Text": ""}),
        "FailureSpeechParameters.Text",
        MISS,
    )


@pytest.mark.parametrize("kind", ["SpeakAndGetDigits", "PlayAudioAndGetDigits"])
def test_digit_count_bounds_are_0_and_128(kind: str) -> None:
    base = action_with(kind, "MinNumberOfDigits", 0)
    base["Parameters"]["MaxNumberOfDigits"] = MAX_DIGITS
    passes(base)
    assert MAX_DIGITS == 128
    fails_on(action_with(kind, "MinNumberOfDigits", -1), "MinNumberOfDigits")
    fails_on(action_with(kind, "MaxNumberOfDigits", MAX_DIGITS + 1), "MaxNumberOfDigits")
    fails_on(action_with(kind, "MaxNumberOfDigits", -1), "MaxNumberOfDigits")
    only_min = without(kind, "MaxNumberOfDigits")
    only_min["Parameters"]["MinNumberOfDigits"] = MAX_DIGITS
    passes(only_min)
    only_min["Parameters"]["MinNumberOfDigits"] = MAX_DIGITS + 1
    fails_on(only_min, "MinNumberOfDigits")


@pytest.mark.parametrize("kind", ["SpeakAndGetDigits", "PlayAudioAndGetDigits"])
def test_max_digits_may_equal_min_but_not_be_below_it(kind: str) -> None:
    action = action_with(kind, "MinNumberOfDigits", 4)
    action["Parameters"]["MaxNumberOfDigits"] = 4
    passes(action)
    action["Parameters"]["MaxNumberOfDigits"] = 3
    error = fails_on(action, "MaxNumberOfDigits")
    assert error.message == "The MaxNumberOfDigits parameter is invalid."


@pytest.mark.parametrize("kind", ["SpeakAndGetDigits", "PlayAudioAndGetDigits"])
@pytest.mark.parametrize(
    "name", ["InBetweenDigitsDurationInMilliseconds", "Repeat", "RepeatDurationInMilliseconds"]
)
def test_digit_timers_and_repeats_have_a_lower_bound_of_1(kind: str, name: str) -> None:
    passes(action_with(kind, name, 1))
    fails_on(action_with(kind, name, 0), name)


@pytest.mark.parametrize("kind", ["SpeakAndGetDigits", "PlayAudioAndGetDigits"])
def test_repeat_duration_is_required_and_the_rest_optional(kind: str) -> None:
    fails_on(action_with(kind, "RepeatDurationInMilliseconds", ...), "RepeatDurationInMilliseconds", MISS)
    passes(without(kind, "MinNumberOfDigits", "MaxNumberOfDigits", "TerminatorDigits", "InputDigitsRegex"))


@pytest.mark.parametrize("kind", ["SpeakAndGetDigits", "PlayAudioAndGetDigits"])
def test_terminator_digits_and_regex(kind: str) -> None:
    fails_on(action_with(kind, "TerminatorDigits", ["##"]), "TerminatorDigits")
    fails_on(action_with(kind, "TerminatorDigits", "#"), "TerminatorDigits")
    fails_on(action_with(kind, "TerminatorDigits", [5]), "TerminatorDigits")
    passes(action_with(kind, "TerminatorDigits", []))  # an empty list of optional terminators
    fails_on(action_with(kind, "InputDigitsRegex", "[0-9"), "InputDigitsRegex")
    fails_on(action_with(kind, "InputDigitsRegex", 5), "InputDigitsRegex")


def test_play_audio_and_get_digits_needs_both_audio_sources() -> None:
    fails_on(action_with("PlayAudioAndGetDigits", "AudioSource", ...), "AudioSource", "InvalidAudioSource")
    fails_on(
        action_with("PlayAudioAndGetDigits", "FailureAudioSource", {"Type": "S3", "BucketName": "b"}),
        "FailureAudioSource",
        "InvalidAudioSource",
    )
    fails_on(
        action_with("PlayAudioAndGetDigits", "AudioSource.BucketName", 5), "AudioSource", "InvalidAudioSource"
    )


def test_play_audio_repeat_and_terminators() -> None:
    passes(action_with("PlayAudio", "Repeat", 1))
    fails_on(action_with("PlayAudio", "Repeat", 0), "Repeat")
    fails_on(action_with("PlayAudio", "PlaybackTerminators", ["x"]), "PlaybackTerminators")
    passes(without("PlayAudio", "Repeat", "PlaybackTerminators", "ParticipantTag"))
    fails_on(action_with("PlayAudio", "ParticipantTag", "LEG-C"), "ParticipantTag")


# --- Pause, Hangup -----------------------------------------------------------------------------------


def test_pause_duration_is_100_to_30000_and_required() -> None:
    for ok in (100, 30000):
        passes(action_with("Pause", "DurationInMilliseconds", ok))
    for bad in (99, 30001):
        fails_on(action_with("Pause", "DurationInMilliseconds", bad), "DurationInMilliseconds")
    fails_on(action_with("Pause", "DurationInMilliseconds", ...), "DurationInMilliseconds", MISS)


def test_hangup_codes_as_strings_or_numbers_and_optional() -> None:
    for code in ("0", 0, "486", 480):
        passes(action_with("Hangup", "SipResponseCode", code))
    for bad in ("200", 200, 4.8e2, ["480"]):
        fails_on(action_with("Hangup", "SipResponseCode", bad), "SipResponseCode")
    passes(without("Hangup", "SipResponseCode"))
    fails_on(action_with("Hangup", "ParticipantTag", "LEG-C"), "ParticipantTag")


# --- CallAndBridge: E.164, timeout, endpoints, SIP headers --------------------------------------------


def test_a_16_character_e164_number_is_the_longest_accepted() -> None:
    longest = "+1" + "5" * 14
    assert len(longest) == 16
    passes(action_with("CallAndBridge", "Endpoints.0.Uri", longest))
    passes(action_with("CallAndBridge", "CallerIdNumber", longest))
    fails_on(action_with("CallAndBridge", "Endpoints.0.Uri", longest + "5"), "Endpoints")
    error = fails_on(action_with("CallAndBridge", "CallerIdNumber", longest + "5"), "CallerIdNumber")
    assert error.message == "Invalid caller ID."
    fails_on(action_with("CallAndBridge", "CallerIdNumber", "+05550100099"), "CallerIdNumber")
    fails_on(action_with("CallAndBridge", "CallerIdNumber", 15550100099), "CallerIdNumber")


def test_call_and_bridge_caller_id_is_required() -> None:
    for absent in (..., "", None):
        error = fails_on(action_with("CallAndBridge", "CallerIdNumber", absent), "CallerIdNumber")
        assert error.message == "Caller ID not defined."


def test_call_timeout_is_1_to_120_seconds_and_optional() -> None:
    for ok in (1, 120):
        passes(action_with("CallAndBridge", "CallTimeoutSeconds", ok))
    for bad in (0, 121):
        fails_on(action_with("CallAndBridge", "CallTimeoutSeconds", bad), "CallTimeoutSeconds")
    passes(without("CallAndBridge", "CallTimeoutSeconds", "RingbackTone"))


def test_an_aws_endpoint_uri_is_1_to_36_characters_with_a_voice_connector_arn() -> None:
    arn = "arn:aws:chime:us-east-1:123456789012:vc/abcdef1234"
    endpoint = {"BridgeEndpointType": "AWS", "Uri": "x" * 36, "Arn": arn}
    passes(action_with("CallAndBridge", "Endpoints.0", endpoint))
    fails_on(action_with("CallAndBridge", "Endpoints.0", endpoint | {"Arn": "arn:aws:lambda:x"}), "Endpoints")
    fails_on(action_with("CallAndBridge", "Endpoints.0", endpoint | {"Arn": None}), "Endpoints")
    fails_on(action_with("CallAndBridge", "Endpoints.0", "+15557770000"), "Endpoints")


def test_sip_headers_are_optional_limited_in_number_and_aws_only() -> None:
    arn = "arn:aws:chime:us-east-1:123456789012:vc/abcdef1234"
    aws = {"BridgeEndpointType": "AWS", "Uri": "5550100", "Arn": arn}
    action = action_with("CallAndBridge", "Endpoints.0", aws)
    passes(action)  # without SipHeaders
    action["Parameters"]["SipHeaders"] = {f"X-H{i}": "v" for i in range(MAX_HEADERS)}
    passes(action)
    action["Parameters"]["SipHeaders"] = {f"X-H{i}": "v" for i in range(MAX_HEADERS + 1)}
    error = fails_on(action, "SipHeaders")
    assert error.message == f"Invalid SIP header(s) provided: X-H{MAX_HEADERS}."
    action["Parameters"]["SipHeaders"] = "X-H: v"
    fails_on(action, "SipHeaders")
    pstn = action_with("CallAndBridge", "SipHeaders", {"X-H": "v"})
    assert fails_on(pstn, "SipHeaders").message == "Invalid SIP header(s) provided: X-H."


# --- ReceiveDigits, RecordAudio, SendDigits ------------------------------------------------------------


def test_receive_digits_flush_must_exceed_in_between() -> None:
    action = action_with("ReceiveDigits", "InBetweenDigitsDurationInMilliseconds", 1)
    action["Parameters"]["FlushDigitsDurationInMilliseconds"] = 2
    passes(action)
    action["Parameters"]["FlushDigitsDurationInMilliseconds"] = 1
    fails_on(action, "FlushDigitsDurationInMilliseconds")
    fails_on(
        action_with("ReceiveDigits", "InBetweenDigitsDurationInMilliseconds", 0),
        "InBetweenDigitsDurationInMilliseconds",
    )
    fails_on(
        action_with("ReceiveDigits", "InBetweenDigitsDurationInMilliseconds", ...),
        "InBetweenDigitsDurationInMilliseconds",
    )
    fails_on(
        action_with("ReceiveDigits", "FlushDigitsDurationInMilliseconds", ...),
        "FlushDigitsDurationInMilliseconds",
    )
    fails_on(action_with("ReceiveDigits", "InputDigitsRegex", ...), "InputDigitsRegex")


def test_record_audio_optional_fields_may_be_left_out() -> None:
    passes(
        {
            "Type": "RecordAudio",
            "Parameters": {
                "RecordingDestination": {"Type": "S3", "BucketName": "b"},
                "RecordingTerminators": ["#"],
            },
        }
    )


def test_record_audio_prefix_is_at_most_979_bytes() -> None:
    passes(action_with("RecordAudio", "RecordingDestination.Prefix", "p" * MAX_PREFIX_BYTES))
    fails_on(
        action_with("RecordAudio", "RecordingDestination.Prefix", "p" * (MAX_PREFIX_BYTES + 1)),
        "RecordingDestination",
    )
    # bytes, not characters: 490 two-byte characters are 980 bytes
    fails_on(action_with("RecordAudio", "RecordingDestination.Prefix", "é" * 490), "RecordingDestination")
    fails_on(action_with("RecordAudio", "RecordingDestination.Prefix", 5), "RecordingDestination")
    fails_on(action_with("RecordAudio", "RecordingDestination.BucketName", ""), "RecordingDestination")
    fails_on(action_with("RecordAudio", "RecordingDestination.Type", "URL"), "RecordingDestination")


@pytest.mark.parametrize("name", ["SilenceDurationInSeconds", "SilenceThreshold"])
def test_record_audio_silence_values_are_1_to_1000(name: str) -> None:
    for ok in (1, 1000):
        passes(action_with("RecordAudio", name, ok))
    for bad in (0, 1001):
        fails_on(action_with("RecordAudio", name, bad), name)


def test_record_audio_duration_and_terminators() -> None:
    passes(action_with("RecordAudio", "DurationInSeconds", 1))
    fails_on(action_with("RecordAudio", "DurationInSeconds", 0), "DurationInSeconds")
    fails_on(action_with("RecordAudio", "RecordingTerminators", []), "RecordingTerminators")
    fails_on(action_with("RecordAudio", "RecordingTerminators", ...), "RecordingTerminators", MISS)
    passes(action_with("RecordAudio", "RecordingTerminators", ["0"]))


def test_send_digits_is_at_most_50_and_tone_duration_50_to_24000() -> None:
    passes(action_with("SendDigits", "Digits", "1" * MAX_SEND_DIGITS))
    fails_on(action_with("SendDigits", "Digits", "1" * (MAX_SEND_DIGITS + 1)), "Digits")
    fails_on(action_with("SendDigits", "Digits", "12E"), "Digits")
    fails_on(action_with("SendDigits", "Digits", ...), "Digits", MISS)
    for ok in (50, 24000):
        passes(action_with("SendDigits", "ToneDurationInMilliseconds", ok))
    for bad in (49, 24001):
        fails_on(action_with("SendDigits", "ToneDurationInMilliseconds", bad), "ToneDurationInMilliseconds")
    passes(without("SendDigits", "ToneDurationInMilliseconds"))
    fails_on(without("SendDigits", "CallId"), "CallId", MISS)
    fails_on(action_with("SendDigits", "CallId", 5), "CallId")


# --- StartBotConversation: the 10 KiB configuration ----------------------------------------------------


def bot_configuration_of(size: int) -> dict[str, Any]:
    config: dict[str, Any] = {"SessionState": {"SessionAttributes": {"k": ""}}}
    overhead = len(json.dumps(config).encode())
    config["SessionState"]["SessionAttributes"]["k"] = "x" * (size - overhead)
    assert len(json.dumps(config).encode()) == size
    return config


def test_a_bot_configuration_of_exactly_10_kib_passes_and_one_byte_more_fails() -> None:
    assert MAX_BOT_CONFIGURATION_BYTES == 10 * 1024
    passes(action_with("StartBotConversation", "Configuration", bot_configuration_of(10 * 1024)))
    fails_on(
        action_with("StartBotConversation", "Configuration", bot_configuration_of(10 * 1024 + 1)),
        "Configuration",
    )


def test_bot_configuration_parts() -> None:
    def with_config(config: Any) -> dict[str, Any]:
        return action_with("StartBotConversation", "Configuration", config)

    elicit = {"DialogAction": {"Type": "ElicitIntent"}}
    welcome = [{"Content": "hi", "ContentType": "PlainText"}]
    passes(with_config({"SessionState": elicit, "WelcomeMessages": welcome}))
    passes(with_config({"SessionState": {"DialogAction": {"Type": "Delegate"}}}))
    passes(with_config({"WelcomeMessages": []}))
    fails_on(
        with_config({"SessionState": {"DialogAction": {"Type": "Delegate"}}, "WelcomeMessages": welcome}),
        "Configuration.WelcomeMessages",
    )
    fails_on(with_config({"WelcomeMessages": welcome}), "Configuration.WelcomeMessages")
    fails_on(with_config({"SessionState": elicit, "WelcomeMessages": "hi"}), "Configuration.WelcomeMessages")
    fails_on(
        with_config({"SessionState": elicit, "WelcomeMessages": [{"Content": "hi", "ContentType": "X"}]}),
        "Configuration.WelcomeMessages",
    )
    fails_on(
        with_config({"SessionState": {"DialogAction": {"Type": "Close"}}}),
        "Configuration.SessionState.DialogAction.Type",
    )
    fails_on(
        with_config({"SessionState": {"DialogAction": "Delegate"}}),
        "Configuration.SessionState.DialogAction.Type",
    )
    fails_on(with_config({"SessionState": []}), "Configuration.SessionState")
    fails_on(
        with_config({"SessionState": {"SessionAttributes": {"k": 1}}}),
        "Configuration.SessionState.SessionAttributes",
    )
    fails_on(
        with_config({"SessionState": {"SessionAttributes": ["k"]}}),
        "Configuration.SessionState.SessionAttributes",
    )
    fails_on(with_config("config"), "Configuration")


def test_start_bot_conversation_arn_and_leg() -> None:
    fails_on(action_with("StartBotConversation", "BotAliasArn", ...), "BotAliasArn", MISS)
    fails_on(
        action_with("StartBotConversation", "BotAliasArn", "arn:aws:lex:us-east-1:1:bot/X"), "BotAliasArn"
    )
    fails_on(action_with("StartBotConversation", "ParticipantTag", "LEG-B"), "ParticipantTag")
    fails_on(action_with("StartBotConversation", "LocaleId", 5), "LocaleId")


# --- meetings, voice focus, call recording -----------------------------------------------------------


def test_join_chime_meeting_without_a_meeting_id_passes() -> None:
    passes(without("JoinChimeMeeting", "MeetingId"))
    fails_on(action_with("JoinChimeMeeting", "MeetingId", 5), "MeetingId")
    fails_on(action_with("JoinChimeMeeting", "JoinToken", ""), "JoinToken")
    fails_on(action_with("JoinChimeMeeting", "ParticipantTag", "LEG-B"), "ParticipantTag")


def test_attendee_list_is_1_to_100_names_and_an_empty_list_fails() -> None:
    assert MAX_ATTENDEES == 100
    passes(action_with("ModifyChimeMeetingAttendees", "AttendeeList", ["a"] * MAX_ATTENDEES))
    for bad in ([], ["a"] * (MAX_ATTENDEES + 1), [""], [5], "a"):
        error = fails_on(action_with("ModifyChimeMeetingAttendees", "AttendeeList", bad), "AttendeeList")
        assert error.error_list == ()  # the action's extra ErrorList, empty
    fails_on(action_with("ModifyChimeMeetingAttendees", "Operation", "Kick"), "Operation")
    fails_on(action_with("ModifyChimeMeetingAttendees", "MeetingId", ""), "MeetingId")
    passes(action_with("ModifyChimeMeetingAttendees", "Operation", "Unmute"))


def test_other_actions_report_no_error_list() -> None:
    assert (
        fails_on(action_with("Pause", "DurationInMilliseconds", 1), "DurationInMilliseconds").error_list
        is None
    )


def test_voice_focus_enable_as_boolean_or_its_string_in_any_case() -> None:
    for ok in (True, False, "True", "false"):
        passes(action_with("VoiceFocus", "Enable", ok))
    for bad in ("yes", 1, None):
        fails_on(action_with("VoiceFocus", "Enable", bad), "Enable", MISS)


def test_start_call_recording_track_and_destination() -> None:
    fails_on(action_with("StartCallRecording", "Track", ...), "Track", MISS)
    fails_on(action_with("StartCallRecording", "Track", "LEFT"), "Track")
    fails_on(action_with("StartCallRecording", "Destination", ...), "Destination", MISS)
    fails_on(action_with("StartCallRecording", "Destination.Location", "/"), "Destination")
    fails_on(action_with("StartCallRecording", "Destination.Type", "URL"), "Destination")
    fails_on(action_with("StartCallRecording", "Destination", "b/p"), "Destination")
    error = fails_on(without("StartCallRecording", "CallId"), "CallId", MISS)
    assert error.message == "Missing a required action parameter."
    assert fails_on(action_with("StartCallRecording", "CallId", 5), "CallId").message == (
        "CallId parameter for action is invalid"
    )
    for kind in ("StopCallRecording", "PauseCallRecording", "ResumeCallRecording"):
        fails_on({"Type": kind, "Parameters": {}}, "CallId", MISS)


def test_an_unknown_type_and_absent_parameters() -> None:
    assert check_action({"Type": "Dance"}) is None  # the frame check reports unknown types
    fails_on({"Type": "Pause"}, "DurationInMilliseconds", MISS)


# --- value readings ----------------------------------------------------------------------------------


def test_as_int_reads_integers_and_ascii_digit_strings_only() -> None:
    assert as_int(5) == 5 and as_int(" 12 ") == 12 and as_int("0") == 0
    for value in (True, False, "²", "1.5", "-3", 2.0, None):
        assert as_int(value) is None, value


def test_as_bool_and_given() -> None:
    assert as_bool("TRUE") is True and as_bool("False") is False and as_bool(False) is False
    assert as_bool("1") is None and as_bool(0) is None
    assert given({"a": 0}, "a") and not given({"a": ""}, "a") and not given({"a": None}, "a")
    assert not given({}, "a")


def test_polly_catalogue_voice_and_language() -> None:
    assert polly_problem({"VoiceId": "Joanna", "LanguageCode": "en-US"}) is None
    voice = polly_problem({"VoiceId": "Nobody"})
    assert voice is not None and voice.field == "VoiceId"
    language = polly_problem({"LanguageCode": "xx-XX"})
    assert language is not None and language.field == "LanguageCode"


def test_a_failure_speech_inherits_the_speech_voice_unless_it_names_its_own() -> None:
    def sagd(speech: dict[str, Any], failure: dict[str, Any]) -> dict[str, Any]:
        return {
            "Type": "SpeakAndGetDigits",
            "Parameters": {"SpeechParameters": speech, "FailureSpeechParameters": failure},
        }

    bad = speech_problem(sagd({"Text": "a", "VoiceId": "Nobody"}, {"Text": "b", "VoiceId": "Joanna"}))
    assert bad is not None and bad.field == "VoiceId"
    bad = speech_problem(sagd({"Text": "a"}, {"Text": "b", "VoiceId": "Nobody"}))
    assert bad is not None and bad.field == "VoiceId"
    assert speech_problem(sagd({"Text": "a", "VoiceId": "Joanna"}, {"Text": "b", "VoiceId": None})) is None
    assert speech_problem({"Type": "Speak", "Parameters": {"Text": "a", "VoiceId": "Nobody"}}) is not None
    assert speech_problem({"Type": "Pause", "Parameters": {"VoiceId": "Nobody"}}) is None
    # only the two speaking actions have speeches; another action's stray keys are ignored
    stray = {"SpeechParameters": {"Text": "a", "VoiceId": "Nobody"}}
    for kind in ("CallAndBridge", "Pause", "PlayAudio", "ReceiveDigits"):
        assert speech_problem({"Type": kind, "Parameters": stray}) is None
