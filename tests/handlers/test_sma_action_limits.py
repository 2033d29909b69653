"""Every documented limit of every action builder, at its boundary: exactly at the limit builds (and
the call simulator accepts it), one past it raises a ValueError naming the parameter.

Limits come from the action pages of the Developer Guide and "Debugging unexpected ACTION_FAILED
events" (Pause 100 to 30,000 ms; ReceiveDigits Flush > InBetween; RecordAudio Prefix <= 979 bytes,
Silence* 1 to 1,000), "Using SIP headers" and the CreateSipMediaApplicationCall reference (SIP headers).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, NamedTuple

import pytest
from sma import actions as a
from sma.response import build_response
from sma.sip_headers import RESERVED_PREFIXES

from tests.handlers.support import assert_valid

AUDIO = a.s3_audio("bucket", "prompt.wav")
VC_ARN = "arn:aws:chime:us-east-1:123456789012:vc/abcdefg1hijklm2nopq3rs"  # the CallAndBridge page's
BOT = "arn:aws:lex:us-east-1:123456789012:bot-alias/ABCDEFGHIH/MNOPQRSTUV"  # the StartBotConversation page's


class Limit(NamedTuple):
    at: Callable[[], dict[str, Any]]  # exactly at the documented limit
    past: Callable[[], object]  # one past it
    parameter: str  # what the ValueError must name


def gd(**kwargs: Any) -> dict[str, Any]:
    return a.play_audio_and_get_digits(AUDIO, AUDIO, **{"repeat_duration_ms": 1000, **kwargs})


def sgd(**kwargs: Any) -> dict[str, Any]:
    return a.speak_and_get_digits(
        "c1", a.speech("PIN?"), a.speech("Again"), **{"repeat_duration_ms": 1000, **kwargs}
    )


def bridge(**kwargs: Any) -> dict[str, Any]:
    return a.call_and_bridge("+12065550100", [a.bridge_endpoint("+12065550101")], **kwargs)


def aws_bridge(uri: str = "5550", arn: str | None = VC_ARN, **kwargs: Any) -> dict[str, Any]:
    endpoint: Any = {"BridgeEndpointType": "AWS", "Uri": uri, "Arn": arn}
    return a.call_and_bridge("+12065550100", [endpoint], **kwargs)


def record(**kwargs: Any) -> dict[str, Any]:
    return a.record_audio("bucket", ["#"], **kwargs)


def bot(**kwargs: Any) -> dict[str, Any]:
    return a.start_bot_conversation(BOT, **kwargs)


def headers(count: int, value: str = "v") -> dict[str, str]:
    return {f"X-Header-{i}": value for i in range(count)}


def welcome(dialog: str | None) -> dict[str, Any]:
    state: dict[str, Any] = {"SessionAttributes": {"k": "v"}}
    if dialog is not None:
        state["DialogAction"] = {"Type": dialog}
    return {"SessionState": state, "WelcomeMessages": [{"Content": "Hi", "ContentType": "PlainText"}]}


def sized_configuration(size: int) -> dict[str, Any]:
    """A Configuration whose JSON text is exactly `size` bytes."""
    empty = len(json.dumps({"SessionState": {"SessionAttributes": {"k": ""}}}).encode())
    return {"SessionState": {"SessionAttributes": {"k": "x" * (size - empty)}}}


LIMITS: dict[str, Limit] = {
    # Speak / SpeakAndGetDigits: Text at most 1,000 characters
    "Speak.Text-max-1000": Limit(
        lambda: a.speak("c1", "x" * 1000), lambda: a.speak("c1", "x" * 1001), "Speak.Text"
    ),
    "SpeakAndGetDigits.SpeechParameters.Text-max-1000": Limit(
        lambda: a.speak_and_get_digits("c1", a.speech("x" * 1000), a.speech("x"), 1000),
        lambda: a.speak_and_get_digits("c1", {"Text": "x" * 1001}, a.speech("x"), 1000),
        "SpeakAndGetDigits.SpeechParameters.Text",
    ),
    "SpeakAndGetDigits.RepeatDurationInMilliseconds-min-1": Limit(
        lambda: sgd(repeat_duration_ms=1),
        lambda: sgd(repeat_duration_ms=0),
        "SpeakAndGetDigits.RepeatDurationInMilliseconds",
    ),
    "SpeakAndGetDigits.MaxNumberOfDigits-max-128": Limit(
        lambda: sgd(max_digits=128), lambda: sgd(max_digits=129), "SpeakAndGetDigits.MaxNumberOfDigits"
    ),
    # *AndGetDigits: MinNumberOfDigits >= 0, Max <= 128 and not below Min, the others > 0
    "PlayAudioAndGetDigits.MinNumberOfDigits-min-0": Limit(
        lambda: gd(min_digits=0), lambda: gd(min_digits=-1), "PlayAudioAndGetDigits.MinNumberOfDigits"
    ),
    "PlayAudioAndGetDigits.MaxNumberOfDigits-max-128": Limit(
        lambda: gd(max_digits=128), lambda: gd(max_digits=129), "PlayAudioAndGetDigits.MaxNumberOfDigits"
    ),
    "PlayAudioAndGetDigits.MinNumberOfDigits-max-MaxNumberOfDigits": Limit(
        lambda: gd(min_digits=5, max_digits=5),
        lambda: gd(min_digits=6, max_digits=5),
        "PlayAudioAndGetDigits.MinNumberOfDigits",
    ),
    "PlayAudioAndGetDigits.RepeatDurationInMilliseconds-min-1": Limit(
        lambda: gd(repeat_duration_ms=1),
        lambda: gd(repeat_duration_ms=0),
        "PlayAudioAndGetDigits.RepeatDurationInMilliseconds",
    ),
    "PlayAudioAndGetDigits.InBetweenDigitsDurationInMilliseconds-min-1": Limit(
        lambda: gd(in_between_ms=1),
        lambda: gd(in_between_ms=0),
        "PlayAudioAndGetDigits.InBetweenDigitsDurationInMilliseconds",
    ),
    "PlayAudioAndGetDigits.Repeat-min-1": Limit(
        lambda: gd(repeat=1), lambda: gd(repeat=0), "PlayAudioAndGetDigits.Repeat"
    ),
    "PlayAudioAndGetDigits.TerminatorDigits-dtmf": Limit(
        lambda: gd(terminator_digits=list("0123456789*#")),
        lambda: gd(terminator_digits=["A"]),
        "PlayAudioAndGetDigits.TerminatorDigits[0]",
    ),
    "PlayAudioAndGetDigits.FailureAudioSource.Type-S3": Limit(
        lambda: gd(),
        lambda: a.play_audio_and_get_digits(AUDIO, {**AUDIO, "Type": "HTTP"}, 1000),
        "PlayAudioAndGetDigits.FailureAudioSource.Type",
    ),
    # PlayAudio: Repeat > 0, an S3 AudioSource with a Key
    "PlayAudio.Repeat-min-1": Limit(
        lambda: a.play_audio(AUDIO, repeat=1), lambda: a.play_audio(AUDIO, repeat=0), "PlayAudio.Repeat"
    ),
    "PlayAudio.AudioSource.Key-required": Limit(
        lambda: a.play_audio(AUDIO),
        lambda: a.play_audio({"Type": "S3", "BucketName": "b", "Key": ""}),
        "PlayAudio.AudioSource.Key",
    ),
    # Pause: 100 to 30,000 ms ("Debugging unexpected ACTION_FAILED events")
    "Pause.DurationInMilliseconds-min-100": Limit(
        lambda: a.pause(100), lambda: a.pause(99), "Pause.DurationInMilliseconds"
    ),
    "Pause.DurationInMilliseconds-max-30000": Limit(
        lambda: a.pause(30000), lambda: a.pause(30001), "Pause.DurationInMilliseconds"
    ),
    # Hangup: 0, 480, 486
    "Hangup.SipResponseCode-documented-codes": Limit(
        lambda: a.hangup("486"), lambda: a.hangup("487"), "Hangup.SipResponseCode"
    ),
    # CallAndBridge
    "CallAndBridge.CallTimeoutSeconds-min-1": Limit(
        lambda: bridge(call_timeout_seconds=1),
        lambda: bridge(call_timeout_seconds=0),
        "CallAndBridge.CallTimeoutSeconds",
    ),
    "CallAndBridge.CallTimeoutSeconds-max-120": Limit(
        lambda: bridge(call_timeout_seconds=120),
        lambda: bridge(call_timeout_seconds=121),
        "CallAndBridge.CallTimeoutSeconds",
    ),
    "CallAndBridge.Endpoints-exactly-1": Limit(
        bridge,
        lambda: a.call_and_bridge("+12065550100", [a.bridge_endpoint("+12065550101")] * 2),
        "CallAndBridge.Endpoints",
    ),
    "CallAndBridge.CallerIdNumber-E164-15-digits": Limit(
        lambda: a.call_and_bridge("+" + "1" * 15, [a.bridge_endpoint("+12065550101")]),
        lambda: a.call_and_bridge("+" + "1" * 16, [a.bridge_endpoint("+12065550101")]),
        "CallAndBridge.CallerIdNumber",
    ),
    "CallAndBridge.CallerIdNumber-E164-country-code-not-0": Limit(
        lambda: a.call_and_bridge("+12", [a.bridge_endpoint("+12065550101")]),
        lambda: a.call_and_bridge("+02065550100", [a.bridge_endpoint("+12065550101")]),
        "CallAndBridge.CallerIdNumber",
    ),
    "CallAndBridge.CallerIdNumber-E164-ascii-digits": Limit(
        bridge,
        lambda: a.call_and_bridge("+1206555\u0660100", [a.bridge_endpoint("+12065550101")]),
        "CallAndBridge.CallerIdNumber",
    ),
    "CallAndBridge.Endpoints.Uri-PSTN-E164": Limit(
        bridge,
        lambda: a.call_and_bridge("+12065550100", [a.bridge_endpoint("12065550101")]),
        "CallAndBridge.Endpoints[0].Uri",
    ),
    "CallAndBridge.Endpoints.Arn-not-for-PSTN": Limit(
        bridge,
        lambda: a.call_and_bridge(
            "+12065550100", [{"BridgeEndpointType": "PSTN", "Uri": "+12065550101", "Arn": VC_ARN}]
        ),
        "CallAndBridge.Endpoints[0].Arn",
    ),
    "CallAndBridge.Endpoints.Uri-AWS-max-36": Limit(
        lambda: aws_bridge("1" * 36), lambda: aws_bridge("1" * 37), "CallAndBridge.Endpoints[0].Uri"
    ),
    "CallAndBridge.Endpoints.Uri-AWS-charset": Limit(
        lambda: aws_bridge("aZ09&=+$/%-_!~*()."),
        lambda: aws_bridge("bob@example"),
        "CallAndBridge.Endpoints[0].Uri",
    ),
    "CallAndBridge.Endpoints.Arn-voice-connector-group": Limit(
        lambda: aws_bridge(arn="arn:aws:chime:us-east-1:123456789012:vcg/abcdefg1hijklm2nopq3rs"),
        lambda: aws_bridge(arn="arn:aws:lambda:us-east-1:123456789012:function:f"),
        "CallAndBridge.Endpoints[0].Arn",
    ),
    "CallAndBridge.Endpoints.Arn-required-for-AWS": Limit(
        aws_bridge, lambda: aws_bridge(arn=None), "CallAndBridge.Endpoints[0].Arn"
    ),
    "CallAndBridge.SipHeaders-AWS-endpoint-only": Limit(
        lambda: aws_bridge(sip_headers={"X-Floor": "3"}),
        lambda: bridge(sip_headers={"X-Floor": "3"}),
        "CallAndBridge.SipHeaders",
    ),
    "CallAndBridge.SipHeaders-max-20": Limit(
        lambda: aws_bridge(sip_headers=headers(20)),
        lambda: aws_bridge(sip_headers=headers(21)),
        "CallAndBridge.SipHeaders",
    ),
    "CallAndBridge.SipHeaders-value-max-2048": Limit(
        lambda: aws_bridge(sip_headers=headers(1, "v" * 2048)),
        lambda: aws_bridge(sip_headers=headers(1, "v" * 2049)),
        "CallAndBridge.SipHeaders.X-Header-0",
    ),
    "CallAndBridge.SipHeaders-x-prefix": Limit(
        lambda: aws_bridge(sip_headers={"x-account-id": "1", "user-to-user": "616d", "DIVERSION": "sip:a@b"}),
        lambda: aws_bridge(sip_headers={"Account-Id": "1"}),
        "CallAndBridge.SipHeaders.Account-Id",
    ),
    "CallAndBridge.RingbackTone-S3": Limit(
        lambda: bridge(ringback_tone=AUDIO),
        lambda: bridge(ringback_tone={"Type": "S3", "BucketName": "b"}),
        "CallAndBridge.RingbackTone.Key",
    ),
    # ReceiveDigits: Flush must exceed InBetween; InBetween > 0; a regex
    "ReceiveDigits.FlushDigitsDurationInMilliseconds-min-InBetween-plus-1": Limit(
        lambda: a.receive_digits(r"\d", 1000, 1001),
        lambda: a.receive_digits(r"\d", 1000, 1000),
        "ReceiveDigits.FlushDigitsDurationInMilliseconds",
    ),
    "ReceiveDigits.InBetweenDigitsDurationInMilliseconds-min-1": Limit(
        lambda: a.receive_digits(r"\d", 1, 2),
        lambda: a.receive_digits(r"\d", 0, 2),
        "ReceiveDigits.InBetweenDigitsDurationInMilliseconds",
    ),
    "ReceiveDigits.InputDigitsRegex-required": Limit(
        lambda: a.receive_digits("1", 1, 2),
        lambda: a.receive_digits("", 1, 2),
        "ReceiveDigits.InputDigitsRegex",
    ),
    # RecordAudio
    "RecordAudio.RecordingDestination.Prefix-max-979": Limit(
        lambda: record(prefix="p" * 979),
        lambda: record(prefix="p" * 980),
        "RecordAudio.RecordingDestination.Prefix",
    ),
    "RecordAudio.RecordingDestination.Prefix-safe-characters": Limit(
        lambda: record(prefix="aZ09!-_.*'()/"),
        lambda: record(prefix="calls 2024/"),
        "RecordAudio.RecordingDestination.Prefix",
    ),
    "RecordAudio.DurationInSeconds-min-1": Limit(
        lambda: record(duration_seconds=1),
        lambda: record(duration_seconds=0),
        "RecordAudio.DurationInSeconds",
    ),
    "RecordAudio.SilenceDurationInSeconds-min-1": Limit(
        lambda: record(silence_duration_seconds=1),
        lambda: record(silence_duration_seconds=0),
        "RecordAudio.SilenceDurationInSeconds",
    ),
    "RecordAudio.SilenceDurationInSeconds-max-1000": Limit(
        lambda: record(silence_duration_seconds=1000),
        lambda: record(silence_duration_seconds=1001),
        "RecordAudio.SilenceDurationInSeconds",
    ),
    "RecordAudio.SilenceThreshold-min-1": Limit(
        lambda: record(silence_threshold=1),
        lambda: record(silence_threshold=0),
        "RecordAudio.SilenceThreshold",
    ),
    "RecordAudio.SilenceThreshold-max-1000": Limit(
        lambda: record(silence_threshold=1000),
        lambda: record(silence_threshold=1001),
        "RecordAudio.SilenceThreshold",
    ),
    "RecordAudio.RecordingTerminators-dtmf": Limit(
        lambda: a.record_audio("b", list("1234567890*#")),
        lambda: a.record_audio("b", ["#", "D"]),
        "RecordAudio.RecordingTerminators[1]",
    ),
    "RecordAudio.RecordingTerminators-required": Limit(
        lambda: a.record_audio("b", ["#"]),
        lambda: a.record_audio("b", []),
        "RecordAudio.RecordingTerminators",
    ),
    "RecordAudio.ParticipantTag-not-with-CallId": Limit(
        lambda: record(participant_tag="LEG-B"),
        lambda: record(call_id="c1", participant_tag="LEG-B"),
        "RecordAudio.ParticipantTag",
    ),
    # SendDigits: up to 50 of 0-9 * # A-D and comma; tones 50 to 24,000 ms
    "SendDigits.Digits-max-50": Limit(
        lambda: a.send_digits("c1", "1" * 50), lambda: a.send_digits("c1", "1" * 51), "SendDigits.Digits"
    ),
    "SendDigits.Digits-charset": Limit(
        lambda: a.send_digits("c1", ",0123456789*#ABCD"),
        lambda: a.send_digits("c1", "12a"),
        "SendDigits.Digits",
    ),
    "SendDigits.ToneDurationInMilliseconds-min-50": Limit(
        lambda: a.send_digits("c1", "1", tone_duration_ms=50),
        lambda: a.send_digits("c1", "1", tone_duration_ms=49),
        "SendDigits.ToneDurationInMilliseconds",
    ),
    "SendDigits.ToneDurationInMilliseconds-max-24000": Limit(
        lambda: a.send_digits("c1", "1", tone_duration_ms=24000),
        lambda: a.send_digits("c1", "1", tone_duration_ms=24001),
        "SendDigits.ToneDurationInMilliseconds",
    ),
    # StartBotConversation
    "StartBotConversation.BotAliasArn-ids-10-characters": Limit(
        bot, lambda: a.start_bot_conversation(BOT + "X"), "StartBotConversation.BotAliasArn"
    ),
    "StartBotConversation.BotAliasArn-test-alias": Limit(
        lambda: a.start_bot_conversation(BOT.replace("MNOPQRSTUV", "TSTALIASID")),
        lambda: a.start_bot_conversation(BOT.replace(":lex:", ":lambda:")),
        "StartBotConversation.BotAliasArn",
    ),
    "StartBotConversation.ParticipantTag-LEG-A-only": Limit(
        lambda: bot(participant_tag="LEG-A"),
        lambda: bot(participant_tag="LEG-B"),
        "StartBotConversation.ParticipantTag",
    ),
    "StartBotConversation.LocaleId-lex-locale": Limit(
        lambda: bot(locale_id="es_419"), lambda: bot(locale_id="en-US"), "StartBotConversation.LocaleId"
    ),
    "StartBotConversation.Configuration-max-10KB": Limit(
        lambda: bot(configuration=sized_configuration(10 * 1024)),
        lambda: bot(configuration=sized_configuration(10 * 1024 + 1)),
        "StartBotConversation.Configuration",
    ),
    "StartBotConversation.Configuration.WelcomeMessages-need-ElicitIntent": Limit(
        lambda: bot(configuration=welcome("ElicitIntent")),
        lambda: bot(configuration=welcome("Delegate")),
        "StartBotConversation.Configuration.SessionState.DialogAction.Type",
    ),
    "StartBotConversation.Configuration.WelcomeMessages-without-DialogAction": Limit(
        lambda: bot(configuration=welcome("ElicitIntent")),
        lambda: bot(configuration=welcome(None)),
        "StartBotConversation.Configuration.SessionState.DialogAction.Type",
    ),
    "StartBotConversation.Configuration.WelcomeMessages.ContentType-required": Limit(
        lambda: bot(
            configuration={
                **welcome("ElicitIntent"),
                "WelcomeMessages": [{"Content": "<speak>Hi</speak>", "ContentType": "SSML"}],
            }
        ),
        lambda: bot(configuration={**welcome("ElicitIntent"), "WelcomeMessages": [{"Content": "Hi"}]}),
        "StartBotConversation.Configuration.WelcomeMessages[0].ContentType",
    ),
    "StartBotConversation.Configuration.SessionState.SessionAttributes-strings": Limit(
        lambda: bot(configuration={"SessionState": {"SessionAttributes": {"n": "1"}}}),
        lambda: bot(configuration={"SessionState": {"SessionAttributes": {"n": 1}}}),
        "StartBotConversation.Configuration.SessionState.SessionAttributes.n",
    ),
    "StartBotConversation.Configuration.SessionState.DialogAction.Type-enum": Limit(
        lambda: bot(configuration={"SessionState": {"DialogAction": {"Type": "Delegate"}}}),
        lambda: bot(configuration={"SessionState": {"DialogAction": {"Type": "Close"}}}),
        "StartBotConversation.Configuration.SessionState.DialogAction.Type",
    ),
    # VoiceFocus: CallId and a boolean Enable
    "VoiceFocus.Enable-boolean": Limit(
        lambda: a.voice_focus("c1", False),
        lambda: a.voice_focus("c1", "True"),  # type: ignore[arg-type]
        "VoiceFocus.Enable",
    ),
    "VoiceFocus.CallId-required": Limit(
        lambda: a.voice_focus("c1", True), lambda: a.voice_focus("", True), "VoiceFocus.CallId"
    ),
    # JoinChimeMeeting: LEG-A only
    "JoinChimeMeeting.ParticipantTag-LEG-A-only": Limit(
        lambda: a.join_chime_meeting("token", participant_tag="LEG-A"),
        lambda: a.join_chime_meeting("token", participant_tag="LEG-B"),
        "JoinChimeMeeting.ParticipantTag",
    ),
    # ModifyChimeMeetingAttendees: 1 to 100 attendees
    "ModifyChimeMeetingAttendees.AttendeeList-min-1": Limit(
        lambda: a.modify_chime_meeting_attendees("Unmute", "m1", ["a"]),
        lambda: a.modify_chime_meeting_attendees("Unmute", "m1", []),
        "ModifyChimeMeetingAttendees.AttendeeList",
    ),
    "ModifyChimeMeetingAttendees.AttendeeList-max-100": Limit(
        lambda: a.modify_chime_meeting_attendees("Mute", "m1", [f"a{i}" for i in range(100)]),
        lambda: a.modify_chime_meeting_attendees("Mute", "m1", [f"a{i}" for i in range(101)]),
        "ModifyChimeMeetingAttendees.AttendeeList",
    ),
    # Call recording
    "StartCallRecording.Destination.Location-bucket-first": Limit(
        lambda: a.start_call_recording("c1", "myRecordingBucket/technicalSupport/english"),
        lambda: a.start_call_recording("c1", "/technicalSupport"),
        "StartCallRecording.Destination.Location",
    ),
    "StartCallRecording.Track-enum": Limit(
        lambda: a.start_call_recording("c1", "b", track="OUTGOING"),
        lambda: a.start_call_recording("c1", "b", track="BOTH_CHANNELS"),
        "StartCallRecording.Track",
    ),
    "PauseCallRecording.CallId-required": Limit(
        lambda: a.pause_call_recording("c1"), lambda: a.pause_call_recording(" "), "PauseCallRecording.CallId"
    ),
    "ResumeCallRecording.CallId-required": Limit(
        lambda: a.resume_call_recording("c1"),
        lambda: a.resume_call_recording(""),
        "ResumeCallRecording.CallId",
    ),
}


@pytest.mark.parametrize("limit", sorted(LIMITS))
def test_exactly_at_the_documented_limit_builds(limit: str) -> None:
    action = LIMITS[limit].at()
    assert action["Type"] == LIMITS[limit].parameter.split(".")[0]
    assert_valid(build_response([action]))


@pytest.mark.parametrize("limit", sorted(LIMITS))
def test_one_past_the_documented_limit_fails_naming_the_parameter(limit: str) -> None:
    with pytest.raises(ValueError) as caught:
        LIMITS[limit].past()
    assert str(caught.value).startswith(LIMITS[limit].parameter + ":"), str(caught.value)


@pytest.mark.parametrize("prefix", RESERVED_PREFIXES)
def test_reserved_sip_headers_are_refused_whatever_their_case(prefix: str) -> None:
    name = prefix.upper() + "-Trace"
    with pytest.raises(ValueError, match=rf"^CallAndBridge\.SipHeaders\.{name}: is reserved"):
        aws_bridge(sip_headers={name: "1"})


def test_sip_headers_are_sent_as_given() -> None:
    sent = {
        "X-Account-Id": "42",
        "User-to-User": "616d;encoding=hex",
        "Diversion": "sip:+11234567891@public.test.com;reason=unconditional",
    }
    assert aws_bridge(sip_headers=sent)["Parameters"]["SipHeaders"] == sent


def test_the_call_and_bridge_page_examples_build_as_shown() -> None:
    pstn = a.call_and_bridge("+12065550100", [a.bridge_endpoint("+12065550101")], call_timeout_seconds=30)
    assert pstn["Parameters"] == {
        "CallerIdNumber": "+12065550100",
        "CallTimeoutSeconds": 30,
        "Endpoints": [{"BridgeEndpointType": "PSTN", "Uri": "+12065550101"}],
    }
    vc = a.call_and_bridge(
        "+18005550122",
        [a.bridge_endpoint("5550", VC_ARN)],
        call_timeout_seconds=30,
        sip_headers={"x-String": "String"},
        ringback_tone=AUDIO,
    )
    assert vc["Parameters"]["Endpoints"] == [{"BridgeEndpointType": "AWS", "Uri": "5550", "Arn": VC_ARN}]
    assert vc["Parameters"]["RingbackTone"] == AUDIO


def test_the_start_bot_conversation_page_example_builds_as_shown() -> None:
    configuration: dict[str, object] = {
        "SessionState": {
            "SessionAttributes": {"mykey1": "myvalue1"},
            "DialogAction": {"Type": "ElicitIntent"},
        },
        "WelcomeMessages": [{"Content": "Welcome. How can I help you?", "ContentType": "PlainText"}],
    }
    action = a.start_bot_conversation(
        BOT, call_id="call-id-1", locale_id="en_US", configuration=configuration
    )
    assert action == {
        "Type": "StartBotConversation",
        "Parameters": {
            "CallId": "call-id-1",
            "BotAliasArn": BOT,
            "LocaleId": "en_US",
            "Configuration": configuration,
        },
    }


def test_the_record_audio_page_example_builds_as_shown() -> None:
    action = a.record_audio(
        "valid-bucket-name",
        ["#"],
        call_id="call-id-1",
        prefix="valid-prefix-name",
        duration_seconds=10,
        silence_duration_seconds=3,
        silence_threshold=100,
    )
    assert action["Parameters"] == {
        "CallId": "call-id-1",
        "DurationInSeconds": 10,
        "SilenceDurationInSeconds": 3,
        "SilenceThreshold": 100,
        "RecordingTerminators": ["#"],
        "RecordingDestination": {
            "Type": "S3",
            "BucketName": "valid-bucket-name",
            "Prefix": "valid-prefix-name",
        },
    }
