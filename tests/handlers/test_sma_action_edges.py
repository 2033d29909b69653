"""The action builders on the edges their limits leave: the exact messages, what each optional
parameter adds when given and leaves out when not, the lower bounds of timers and counts, ARNs and
locale ids one character off, and values that come from parsed JSON rather than literals."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sma import actions as a

AUDIO = a.s3_audio("bucket", "prompt.wav")
VC_ARN = "arn:aws:chime:us-east-1:123456789012:vc/abcdefg1hijklm2nopq3rs"
BOT = "arn:aws:lex:us-east-1:123456789012:bot-alias/ABCDEFGHIH/MNOPQRSTUV"


def refused(build: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(ValueError) as raised:
        build(*args, **kwargs)
    return str(raised.value)


def parsed(value: Any) -> Any:
    """As read from JSON (a config file, an event): equal strings, but not the interned literals."""
    return json.loads(json.dumps(value))


# --- E.164 --------------------------------------------------------------------------------------------


def test_a_16_character_number_is_the_longest_and_17_is_refused_by_length() -> None:
    longest = "+1" + "5" * 14
    assert a.call_and_bridge(longest, [a.bridge_endpoint(longest)])["Parameters"]["CallerIdNumber"] == longest
    assert refused(a.call_and_bridge, longest + "5", [a.bridge_endpoint(longest)]) == (
        "CallAndBridge.CallerIdNumber: must be at most 16 characters (got 17)"
    )
    assert refused(a.call_and_bridge, "+1", [a.bridge_endpoint(longest)]) == (
        "CallAndBridge.CallerIdNumber: must be an E.164 number such as +12065550100"
    )
    assert a.call_and_bridge("+12", [a.bridge_endpoint("+12")])["Parameters"]["CallerIdNumber"] == "+12"
    for bad in ("+0123456789", "12065550100", "+1206555O100", "+\uff11\uff12\uff10\uff16"):
        assert refused(a.call_and_bridge, bad, [a.bridge_endpoint("+12065550100")]).startswith(
            "CallAndBridge.CallerIdNumber: must be"
        )


# --- CallAndBridge ------------------------------------------------------------------------------------


def test_call_and_bridge_without_optional_parameters_sends_none_of_them() -> None:
    built = a.call_and_bridge("+12065550100", [a.bridge_endpoint("+12065550101")])
    assert built == {
        "Type": "CallAndBridge",
        "Parameters": {
            "CallerIdNumber": "+12065550100",
            "Endpoints": [{"BridgeEndpointType": "PSTN", "Uri": "+12065550101"}],
        },
    }


def test_call_and_bridge_with_every_optional_parameter() -> None:
    built = a.call_and_bridge(
        "+12065550100",
        [a.bridge_endpoint("5550100", VC_ARN)],
        call_timeout_seconds=1,
        sip_headers={"X-Team": "voice"},
        ringback_tone=AUDIO,
    )["Parameters"]
    assert built["CallTimeoutSeconds"] == 1 and built["SipHeaders"] == {"X-Team": "voice"}
    assert built["RingbackTone"] == {"Type": "S3", "BucketName": "bucket", "Key": "prompt.wav"}
    assert (
        refused(
            a.call_and_bridge, "+12065550100", [a.bridge_endpoint("+12065550101")], call_timeout_seconds=0
        )
        == "CallAndBridge.CallTimeoutSeconds: must be at least 1 (got 0)"
    )


def test_sip_headers_go_to_an_aws_endpoint_however_the_endpoint_was_built() -> None:
    endpoint = parsed(a.bridge_endpoint("5550100", VC_ARN))
    built = a.call_and_bridge("+12065550100", [endpoint], sip_headers={"X-Team": "voice"})
    assert built["Parameters"]["SipHeaders"] == {"X-Team": "voice"}
    assert refused(
        a.call_and_bridge,
        "+12065550100",
        [a.bridge_endpoint("+12065550101")],
        sip_headers={"X-Team": "voice"},
    ) == ("CallAndBridge.SipHeaders: may be sent only to an AWS (Voice Connector) endpoint")


def test_endpoints_exactly_one() -> None:
    assert refused(a.call_and_bridge, "+12065550100", []) == (
        "CallAndBridge.Endpoints: must hold exactly one endpoint (got 0)"
    )
    two = [a.bridge_endpoint("+12065550101"), a.bridge_endpoint("+12065550102")]
    assert refused(a.call_and_bridge, "+12065550100", two) == (
        "CallAndBridge.Endpoints: must hold exactly one endpoint (got 2)"
    )
    assert refused(a.call_and_bridge, "+12065550100", ["+12065550101"]) == (
        "CallAndBridge.Endpoints[0]: must be {BridgeEndpointType, Uri[, Arn]}"
    )
    assert refused(
        a.call_and_bridge,
        "+12065550100",
        [{"BridgeEndpointType": "PSTN", "Uri": "+12065550101", "Arn": VC_ARN}],
    ) == ("CallAndBridge.Endpoints[0].Arn: must not be set for a PSTN endpoint")


@pytest.mark.parametrize(
    "arn",
    [
        VC_ARN.replace("arn:", "xrn:", 1),
        VC_ARN.replace(":aws:", ":gcp:"),
        VC_ARN.replace(":chime:", ":lex:"),
        VC_ARN.replace(":us-east-1:", "::"),
        VC_ARN.replace("123456789012", "12345678901"),
        VC_ARN.replace("123456789012", "12345678901x"),
        VC_ARN.replace(":vc/", ":vx/"),
        VC_ARN.split("/")[0] + "/",
        VC_ARN + ":extra",
    ],
)
def test_a_voice_connector_arn_one_part_off_is_refused(arn: str) -> None:
    assert refused(a.call_and_bridge, "+12065550100", [a.bridge_endpoint("5550100", arn)]).startswith(
        "CallAndBridge.Endpoints[0].Arn: must be a Voice Connector or Voice Connector group ARN"
    )


def test_voice_connector_groups_and_other_partitions_are_accepted() -> None:
    for arn in (VC_ARN.replace(":vc/", ":vcg/"), VC_ARN.replace(":aws:", ":aws-us-gov:")):
        assert a.call_and_bridge("+12065550100", [a.bridge_endpoint("5550100", arn)])


def test_aws_endpoint_uri_is_1_to_36_allowed_characters() -> None:
    assert a.call_and_bridge("+12065550100", [a.bridge_endpoint("u" * 36, VC_ARN)])
    assert refused(a.call_and_bridge, "+12065550100", [a.bridge_endpoint("u" * 37, VC_ARN)]) == (
        "CallAndBridge.Endpoints[0].Uri: must be at most 36 characters (got 37)"
    )
    assert refused(a.call_and_bridge, "+12065550100", [a.bridge_endpoint("a b", VC_ARN)]).startswith(
        "CallAndBridge.Endpoints[0].Uri: may use only"
    )


# --- digits, timers, repeats --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["in_between_ms", "repeat"])
def test_digit_timers_and_repeats_start_at_1(name: str) -> None:
    timer: dict[str, Any] = {name: 1}
    built = a.play_audio_and_get_digits(AUDIO, AUDIO, 1, **timer)["Parameters"]
    assert built["RepeatDurationInMilliseconds"] == 1
    assert refused(a.play_audio_and_get_digits, AUDIO, AUDIO, 1, **{name: 0}).endswith(
        "must be at least 1 (got 0)"
    )
    assert refused(a.play_audio_and_get_digits, AUDIO, AUDIO, 0).endswith(
        "RepeatDurationInMilliseconds: must be at least 1 (got 0)"
    )


def test_digit_counts_min_0_max_1_to_128_and_min_not_above_max() -> None:
    built = a.speak_and_get_digits(
        "c",
        a.speech("PIN?"),
        a.speech("Again"),
        1,
        min_digits=0,
        max_digits=1,
        terminator_digits=["#"],
        input_digits_regex=r"^\d$",
    )["Parameters"]
    assert (built["MinNumberOfDigits"], built["MaxNumberOfDigits"], built["TerminatorDigits"]) == (
        0,
        1,
        ["#"],
    )
    assert built["InputDigitsRegex"] == r"^\d$"
    assert refused(a.speak_and_get_digits, "c", a.speech("a"), a.speech("b"), 1, max_digits=0).endswith(
        "MaxNumberOfDigits: must be at least 1 (got 0)"
    )
    assert refused(a.speak_and_get_digits, "c", a.speech("a"), a.speech("b"), 1, min_digits=-1).endswith(
        "MinNumberOfDigits: must be at least 0 (got -1)"
    )
    assert a.speak_and_get_digits("c", a.speech("a"), a.speech("b"), 1, min_digits=4, max_digits=4)
    assert (
        refused(a.speak_and_get_digits, "c", a.speech("a"), a.speech("b"), 1, min_digits=5, max_digits=4)
        == "SpeakAndGetDigits.MinNumberOfDigits: must not exceed MaxNumberOfDigits (4)"
    )
    assert refused(a.speak_and_get_digits, "c", "PIN?", a.speech("b"), 1) == (
        "SpeakAndGetDigits.SpeechParameters: is required: {Text, ...}"
    )
    assert refused(a.play_audio_and_get_digits, AUDIO, AUDIO, 1, terminator_digits=["##"]).startswith(
        "PlayAudioAndGetDigits.TerminatorDigits[0]: must be at most 1 characters"
    )
    assert refused(a.play_audio_and_get_digits, AUDIO, AUDIO, 1, input_digits_regex="[").startswith(
        "PlayAudioAndGetDigits.InputDigitsRegex: is not a valid regular expression"
    )


def test_optional_digit_parameters_left_out_are_not_sent() -> None:
    built = a.play_audio_and_get_digits(AUDIO, AUDIO, 1000)["Parameters"]
    assert set(built) == {"AudioSource", "FailureAudioSource", "RepeatDurationInMilliseconds"}
    built = a.play_audio(AUDIO)["Parameters"]
    assert set(built) == {"AudioSource"}
    built = a.play_audio(AUDIO, call_id="c", repeat=1, playback_terminators=["*"])["Parameters"]
    assert (built["CallId"], built["Repeat"], built["PlaybackTerminators"]) == ("c", 1, ["*"])
    assert refused(a.play_audio, AUDIO, repeat=0) == "PlayAudio.Repeat: must be at least 1 (got 0)"


def test_receive_digits_flush_must_exceed_in_between() -> None:
    built = a.receive_digits(r"^\d+$", 1, 2)["Parameters"]
    assert (built["InBetweenDigitsDurationInMilliseconds"], built["FlushDigitsDurationInMilliseconds"]) == (
        1,
        2,
    )
    for flush in (1, 0):
        assert refused(a.receive_digits, r"^\d+$", 1, flush).startswith(
            "ReceiveDigits.FlushDigitsDurationInMilliseconds: must"
        )
    assert refused(a.receive_digits, r"^\d+$", 1000, 999) == (
        "ReceiveDigits.FlushDigitsDurationInMilliseconds: must exceed InBetweenDigitsDurationInMilliseconds "
        "(1000; got 999)"
    )


def test_integers_are_not_booleans_or_floats() -> None:
    for bad in (True, 1.0, "100"):
        assert refused(a.pause, bad).startswith("Pause.DurationInMilliseconds: must be an integer")


# --- RecordAudio, SendDigits ---------------------------------------------------------------------------


def test_record_audio_without_optional_fields() -> None:
    assert a.record_audio("bucket", ["#"]) == {
        "Type": "RecordAudio",
        "Parameters": {
            "RecordingDestination": {"Type": "S3", "BucketName": "bucket"},
            "RecordingTerminators": ["#"],
        },
    }


def test_record_audio_silence_values_and_duration_lower_bounds() -> None:
    built = a.record_audio(
        "bucket",
        ["#"],
        call_id="c",
        prefix="calls/",
        duration_seconds=1,
        silence_duration_seconds=1,
        silence_threshold=1,
    )["Parameters"]
    assert built["RecordingDestination"] == {"Type": "S3", "BucketName": "bucket", "Prefix": "calls/"}
    assert (built["DurationInSeconds"], built["SilenceDurationInSeconds"], built["SilenceThreshold"]) == (
        1,
        1,
        1,
    )
    for name in ("duration_seconds", "silence_duration_seconds", "silence_threshold"):
        assert refused(a.record_audio, "bucket", ["#"], **{name: 0}).endswith("must be at least 1 (got 0)")
    assert refused(a.record_audio, "bucket", []) == (
        "RecordAudio.RecordingTerminators: is required: at least one DTMF digit"
    )
    assert refused(a.record_audio, "bucket", ["#"], call_id="c", participant_tag="LEG-A") == (
        "RecordAudio.ParticipantTag: give CallId or ParticipantTag, not both"
    )
    assert refused(a.record_audio, "bucket", ["#"], prefix="a b").startswith(
        "RecordAudio.RecordingDestination.Prefix: may use only"
    )


def test_send_digits_tone_duration_is_optional() -> None:
    assert a.send_digits("c", "1,2#") == {
        "Type": "SendDigits",
        "Parameters": {"CallId": "c", "Digits": "1,2#"},
    }
    assert a.send_digits("c", "1", tone_duration_ms=50)["Parameters"]["ToneDurationInMilliseconds"] == 50
    assert (
        refused(a.send_digits, "c", "1E")
        == "SendDigits.Digits: has characters outside #*,0123456789ABCD: 'E'"
    )


# --- StartBotConversation ------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["en_US", "de_DE", "es_419", "ja_JP"])
def test_lex_locale_ids(locale: str) -> None:
    assert a.start_bot_conversation(BOT, locale_id=locale)["Parameters"]["LocaleId"] == locale


@pytest.mark.parametrize(
    "locale", ["eng_US", "e1_US", "EN_US", "en_us", "en_USA", "en_41", "en_4190", "en", "é_US", "en_ÜS"]
)
def test_lex_locale_ids_one_character_off_are_refused(locale: str) -> None:
    assert refused(a.start_bot_conversation, BOT, locale_id=locale) == (
        f"StartBotConversation.LocaleId: must be an Amazon Lex locale id such as en_US (got {locale!r})"
    )


@pytest.mark.parametrize(
    "arn",
    [
        BOT.replace("arn:", "xrn:", 1),
        BOT.replace(":lex:", ":chime:"),
        BOT.replace(":us-east-1:", "::"),
        BOT.replace("123456789012", "1234567890123"),
        BOT.replace("bot-alias/", "bot/"),
        BOT.replace("ABCDEFGHIH", "ABCDEFGHI"),
        BOT.replace("MNOPQRSTUV", "MNOPQRSTU-"),
        BOT + "/X",
    ],
)
def test_a_bot_alias_arn_one_part_off_is_refused(arn: str) -> None:
    assert refused(a.start_bot_conversation, arn).startswith(
        "StartBotConversation.BotAliasArn: must be a Lex V2"
    )


def test_bot_configuration_with_welcome_messages_needs_elicit_intent() -> None:
    config: dict[str, object] = {
        "SessionState": {"DialogAction": {"Type": "ElicitIntent"}, "SessionAttributes": {"a": "b"}},
        "WelcomeMessages": [{"Content": "Hi", "ContentType": "PlainText"}],
    }
    assert a.start_bot_conversation(BOT, configuration=config)["Parameters"]["Configuration"] == config
    delegate = {**config, "SessionState": {"DialogAction": {"Type": "Delegate"}}}
    assert refused(a.start_bot_conversation, BOT, configuration=delegate) == (
        "StartBotConversation.Configuration.SessionState.DialogAction.Type: must be ElicitIntent when "
        "WelcomeMessages are given"
    )
    assert a.start_bot_conversation(BOT, configuration={"WelcomeMessages": []})
    for bad, where in (
        ({"WelcomeMessages": "Hi"}, "WelcomeMessages"),
        ({"WelcomeMessages": ["Hi"]}, "WelcomeMessages[0]"),
        ({"WelcomeMessages": [{"Content": 1, "ContentType": "SSML"}]}, "WelcomeMessages[0].Content"),
        ({"SessionState": []}, "SessionState"),
        ({"SessionState": {"DialogAction": "Delegate"}}, "SessionState.DialogAction"),
        ({"SessionState": {"SessionAttributes": {"a": 1}}}, "SessionState.SessionAttributes.a"),
    ):
        assert refused(a.start_bot_conversation, BOT, configuration=bad).startswith(
            f"StartBotConversation.Configuration.{where}: "
        )
    assert refused(a.start_bot_conversation, BOT, configuration="{}") == (
        "StartBotConversation.Configuration: must be an object"
    )


def test_the_10_kb_configuration_limit_counts_utf8_bytes() -> None:
    def config_of(size: int, char: str = "x") -> dict[str, Any]:
        config: dict[str, Any] = {"SessionState": {"SessionAttributes": {"k": ""}}}
        room = size - len(json.dumps(config).encode())
        config["SessionState"]["SessionAttributes"]["k"] = char * (room // len(char.encode()))
        return config

    assert a.start_bot_conversation(BOT, configuration=config_of(10 * 1024))
    assert refused(a.start_bot_conversation, BOT, configuration=config_of(10 * 1024 + 1)) == (
        "StartBotConversation.Configuration: must be at most 10 KB as JSON (got 10241 bytes)"
    )
    two_byte = config_of(10 * 1024 + 2, "é")  # 5,115 characters, 10,242 bytes
    assert refused(a.start_bot_conversation, BOT, configuration=two_byte).endswith("(got 10242 bytes)")


def test_leg_a_only_actions() -> None:
    assert a.start_bot_conversation(BOT, participant_tag="LEG-A")["Parameters"]["ParticipantTag"] == "LEG-A"
    assert refused(a.start_bot_conversation, BOT, participant_tag="LEG-B").startswith(
        "StartBotConversation.ParticipantTag: must be one of LEG-A"
    )
    assert refused(a.join_chime_meeting, "t", participant_tag="LEG-B").startswith(
        "JoinChimeMeeting.ParticipantTag: must be one of LEG-A"
    )


# --- meetings, voice focus, call recording -------------------------------------------------------------


def test_join_chime_meeting_without_a_meeting_id() -> None:
    assert a.join_chime_meeting("token") == {"Type": "JoinChimeMeeting", "Parameters": {"JoinToken": "token"}}
    assert a.join_chime_meeting("token", meeting_id="m", call_id="c")["Parameters"] == {
        "CallId": "c",
        "JoinToken": "token",
        "MeetingId": "m",
    }


def test_an_empty_attendee_list_is_refused_and_100_is_the_most() -> None:
    assert refused(a.modify_chime_meeting_attendees, "Mute", "m", []) == (
        "ModifyChimeMeetingAttendees.AttendeeList: must hold 1 to 100 attendees (got 0)"
    )
    assert (
        len(a.modify_chime_meeting_attendees("Mute", "m", ["a"] * 100)["Parameters"]["AttendeeList"]) == 100
    )
    assert refused(a.modify_chime_meeting_attendees, "Mute", "m", ["a"] * 101).endswith("(got 101)")
    assert refused(a.modify_chime_meeting_attendees, "Mute", "m", ["a", " "]).startswith(
        "ModifyChimeMeetingAttendees.AttendeeList[1]: is required"
    )


def test_voice_focus_takes_booleans_only() -> None:
    assert a.voice_focus("c", False) == {"Type": "VoiceFocus", "Parameters": {"CallId": "c", "Enable": False}}
    assert refused(a.voice_focus, "c", "true") == "VoiceFocus.Enable: must be true or false (got 'true')"


def test_call_recording_builders_take_keywords_and_a_bucket_first() -> None:
    built = a.start_call_recording(call_id="c", destination_location="bucket/calls", track="INCOMING")
    assert built == {
        "Type": "StartCallRecording",
        "Parameters": {
            "CallId": "c",
            "Track": "INCOMING",
            "Destination": {"Type": "S3", "Location": "bucket/calls"},
        },
    }
    assert a.start_call_recording("c", "bucket")["Parameters"]["Track"] == "BOTH"
    assert refused(a.start_call_recording, "c", "/calls") == (
        "StartCallRecording.Destination.Location: must start with the bucket name (bucket[/prefix])"
    )
    assert refused(a.start_call_recording, "c", "bucket", track="LEFT").startswith(
        "StartCallRecording.Track: "
    )
    for build, kind in (
        (a.stop_call_recording, "StopCallRecording"),
        (a.pause_call_recording, "PauseCallRecording"),
        (a.resume_call_recording, "ResumeCallRecording"),
    ):
        assert build("c") == {"Type": kind, "Parameters": {"CallId": "c"}}
        assert refused(build, "").startswith(f"{kind}.CallId: is required")


def test_s3_audio_sources() -> None:
    assert a.play_audio({"BucketName": "b", "Key": "k"})["Parameters"]["AudioSource"] == {
        "Type": "S3",
        "BucketName": "b",
        "Key": "k",
    }  # Type defaults to S3
    assert refused(a.play_audio, {"Type": "URL", "BucketName": "b", "Key": "k"}).startswith(
        "PlayAudio.AudioSource.Type: must be one of S3"
    )
    assert refused(a.play_audio, {"BucketName": "b"}).startswith("PlayAudio.AudioSource.Key: is required")
    assert refused(a.play_audio, "b/k") == "PlayAudio.AudioSource: is required: {Type: S3, BucketName, Key}"


# --- Speak, Hangup -------------------------------------------------------------------------------------


def test_speak_and_hangup_take_every_parameter_by_keyword() -> None:
    assert a.speech(text="Hi") == {"Text": "Hi"}
    built = a.speak(
        call_id="c",
        text="<speak>Hi</speak>",
        engine="standard",
        language_code="en-US",
        text_type="ssml",
        voice_id="Joanna",
    )
    assert built == {
        "Type": "Speak",
        "Parameters": {
            "CallId": "c",
            "Text": "<speak>Hi</speak>",
            "Engine": "standard",
            "LanguageCode": "en-US",
            "TextType": "ssml",
            "VoiceId": "Joanna",
        },
    }
    assert a.hangup(sip_response_code="486", participant_tag="LEG-B") == {
        "Type": "Hangup",
        "Parameters": {"ParticipantTag": "LEG-B", "SipResponseCode": "486"},
    }
    assert a.hangup() == {"Type": "Hangup", "Parameters": {"SipResponseCode": "0"}}


def test_speech_limits_of_language_code_and_voice_id() -> None:
    assert a.speech("Hi", language_code="l" * 16, voice_id="V" * 32)
    assert (
        refused(a.speech, "Hi", language_code="l" * 17)
        == "Speak.LanguageCode: must be at most 16 characters (got 17)"
    )
    assert (
        refused(a.speech, "Hi", voice_id="V" * 33) == "Speak.VoiceId: must be at most 32 characters (got 33)"
    )
    assert a.speech("x" * 1000)["Text"] == "x" * 1000
    assert refused(a.speech, "x" * 1001) == "Speak.Text: must be at most 1000 characters (got 1001)"
    assert refused(a.hangup, "200") == "Hangup.SipResponseCode: must be one of 0, 480, 486 (got '200')"
