"""sma.actions + sma.response: every builder yields what the service accepts, and refuses what it
would reject with a ValueError naming the parameter."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import pytest
from sma import actions as a
from sma.response import KEEP_PENDING, build_response, check_transaction_attributes

from tests.handlers.support import assert_valid

AUDIO = a.s3_audio("bucket", "prompt.wav")
FAIL_AUDIO = a.s3_audio("bucket", "sorry.wav")

# One valid use of every action the contract lists, with its optional parameters set.
EVERY_ACTION: dict[str, Callable[[], dict[str, Any]]] = {
    "Speak": lambda: a.speak(
        "c1", "Hello", engine="neural", language_code="en-US", text_type="text", voice_id="Joanna"
    ),
    "SpeakAndGetDigits": lambda: a.speak_and_get_digits(
        "c1",
        a.speech("Enter your PIN", engine="neural"),
        a.speech("Try again"),
        10000,
        min_digits=4,
        max_digits=6,
        terminator_digits=["#"],
        in_between_ms=3000,
        repeat=3,
        input_digits_regex=r"^\d{4,6}$",
    ),
    "PlayAudio": lambda: a.play_audio(
        AUDIO, participant_tag="LEG-A", playback_terminators=["#", "*"], repeat=2
    ),
    "PlayAudioAndGetDigits": lambda: a.play_audio_and_get_digits(
        AUDIO,
        FAIL_AUDIO,
        5000,
        call_id="c1",
        min_digits=1,
        max_digits=1,
        terminator_digits=["#"],
        in_between_ms=2000,
        repeat=2,
        input_digits_regex="^[12]$",
    ),
    "Hangup": lambda: a.hangup("486", call_id="c1", participant_tag="LEG-A"),
    "Pause": lambda: a.pause(1500, call_id="c1"),
    "CallAndBridge": lambda: a.call_and_bridge(
        "+12065550100",
        [a.bridge_endpoint("5550101", "arn:aws:chime:us-east-1:123456789012:vc/abcdef1234")],
        call_timeout_seconds=120,
        sip_headers={"X-Case": "42"},  # SipHeaders go with an AWS endpoint only (CallAndBridge page)
        ringback_tone=AUDIO,
    ),
    "ReceiveDigits": lambda: a.receive_digits(r"^\d{2}#$", 1000, 10000, participant_tag="LEG-B"),
    "RecordAudio": lambda: a.record_audio(
        "recordings",
        ["#"],
        call_id="c1",
        prefix="calls/",
        duration_seconds=30,
        silence_duration_seconds=3,
        silence_threshold=100,
    ),
    "SendDigits": lambda: a.send_digits("c1", ",,*1234,56,7890ABCD#", tone_duration_ms=100),
    "StartBotConversation": lambda: a.start_bot_conversation(
        "arn:aws:lex:us-east-1:123456789012:bot-alias/ABC/DEF",
        participant_tag="LEG-A",
        locale_id="en_US",
        configuration={"SessionState": {"DialogAction": {"Type": "ElicitIntent"}}},
    ),
    "VoiceFocus": lambda: a.voice_focus("c1", True),
    "JoinChimeMeeting": lambda: a.join_chime_meeting("token", meeting_id="m1", call_id="c1"),
    "ModifyChimeMeetingAttendees": lambda: a.modify_chime_meeting_attendees(
        "Mute", "m1", ["att-1"], call_id="c1"
    ),
    "StartCallRecording": lambda: a.start_call_recording("c1", "bucket/prefix", track="INCOMING"),
    "StopCallRecording": lambda: a.stop_call_recording("c1"),
    "PauseCallRecording": lambda: a.pause_call_recording("c1"),
    "ResumeCallRecording": lambda: a.resume_call_recording("c1"),
}


def test_every_documented_action_has_a_builder() -> None:
    from pstn.answer_checks import ACTION_RULES

    assert set(EVERY_ACTION) == set(ACTION_RULES)


@pytest.mark.parametrize("kind", sorted(EVERY_ACTION))
def test_each_builder_makes_an_action_the_service_accepts(kind: str) -> None:
    action = EVERY_ACTION[kind]()
    assert action["Type"] == kind
    assert_valid(build_response([action]))


def test_minimal_hangup_and_defaults_are_left_to_the_service() -> None:
    assert a.hangup() == {"Type": "Hangup", "Parameters": {"SipResponseCode": "0"}}
    assert a.speak("c1", "hi") == {"Type": "Speak", "Parameters": {"CallId": "c1", "Text": "hi"}}


@pytest.mark.parametrize(
    ("build", "parameter"),
    [
        (lambda: a.speak("", "hi"), "Speak.CallId"),
        (lambda: a.speak("c1", ""), "Speak.Text"),
        (lambda: a.speak("c1", "x" * 1001), "Speak.Text"),
        (lambda: a.speak("c1", "hi", engine="generative"), "Speak.Engine"),
        (lambda: a.speak("c1", "hi", text_type="html"), "Speak.TextType"),
        (lambda: a.hangup("200"), "Hangup.SipResponseCode"),
        (lambda: a.hangup(participant_tag="LEG-C"), "Hangup.ParticipantTag"),
        (lambda: a.pause(0), "Pause.DurationInMilliseconds"),
        (lambda: a.pause(True), "Pause.DurationInMilliseconds"),
        (lambda: a.play_audio({"Type": "S3", "BucketName": "b"}), "PlayAudio.AudioSource.Key"),
        (lambda: a.play_audio(AUDIO, playback_terminators=["12"]), "PlayAudio.PlaybackTerminators[0]"),
        (
            lambda: a.play_audio_and_get_digits(AUDIO, FAIL_AUDIO, 0),
            "PlayAudioAndGetDigits.RepeatDurationInMilliseconds",
        ),
        (
            lambda: a.play_audio_and_get_digits(AUDIO, FAIL_AUDIO, 10, max_digits=129),
            "PlayAudioAndGetDigits.MaxNumberOfDigits",
        ),
        (
            lambda: a.play_audio_and_get_digits(AUDIO, FAIL_AUDIO, 10, min_digits=5, max_digits=4),
            "PlayAudioAndGetDigits.MinNumberOfDigits",
        ),
        (
            lambda: a.speak_and_get_digits("c1", a.speech("x"), {"Text": ""}, 10),
            "SpeakAndGetDigits.FailureSpeechParameters.Text",
        ),
        (
            lambda: a.call_and_bridge("12065550100", [a.bridge_endpoint("+12065550101")]),
            "CallAndBridge.CallerIdNumber",
        ),
        (lambda: a.call_and_bridge("+12065550100", []), "CallAndBridge.Endpoints"),
        (
            lambda: a.call_and_bridge("+12065550100", [a.bridge_endpoint("bob")]),
            "CallAndBridge.Endpoints[0].Uri",
        ),
        (
            lambda: a.call_and_bridge("+12065550100", [{"BridgeEndpointType": "AWS", "Uri": "u"}]),
            "CallAndBridge.Endpoints[0].Arn",
        ),
        (
            lambda: a.call_and_bridge(
                "+12065550100", [a.bridge_endpoint("+12065550101")], call_timeout_seconds=121
            ),
            "CallAndBridge.CallTimeoutSeconds",
        ),
        (lambda: a.receive_digits("([", 1, 1), "ReceiveDigits.InputDigitsRegex"),
        (lambda: a.record_audio("b", []), "RecordAudio.RecordingTerminators"),
        (lambda: a.send_digits("c1", "1" * 51), "SendDigits.Digits"),
        (lambda: a.send_digits("c1", "12E"), "SendDigits.Digits"),
        (lambda: a.send_digits("c1", "1", tone_duration_ms=49), "SendDigits.ToneDurationInMilliseconds"),
        (
            lambda: a.start_bot_conversation("arn", configuration={"k": "x" * 10241}),
            "StartBotConversation.Configuration",
        ),
        (lambda: a.voice_focus("c1", cast(Any, "yes")), "VoiceFocus.Enable"),
        (lambda: a.join_chime_meeting(""), "JoinChimeMeeting.JoinToken"),
        (
            lambda: a.modify_chime_meeting_attendees("Deafen", "m1", ["a"]),
            "ModifyChimeMeetingAttendees.Operation",
        ),
        (
            lambda: a.modify_chime_meeting_attendees("Mute", "m1", ["a"] * 101),
            "ModifyChimeMeetingAttendees.AttendeeList",
        ),
        (lambda: a.start_call_recording("c1", "b", track="LEFT"), "StartCallRecording.Track"),
        (lambda: a.stop_call_recording(""), "StopCallRecording.CallId"),
    ],
)
def test_bad_parameters_raise_value_error_naming_them(build: Callable[[], object], parameter: str) -> None:
    with pytest.raises(ValueError) as caught:
        build()
    assert str(caught.value).startswith(parameter + ":"), str(caught.value)


# --- the response envelope ------------------------------------------------------------------------


def test_response_shapes() -> None:
    assert build_response([a.hangup()]) == {"SchemaVersion": "1.0", "Actions": [a.hangup()]}
    assert build_response([]) == {"SchemaVersion": "1.0", "Actions": []}
    assert build_response(KEEP_PENDING) == {"SchemaVersion": "1.0"}
    with_attrs = build_response([], {"step": "2"})
    assert with_attrs["TransactionAttributes"] == {"step": "2"}
    assert_valid(with_attrs)
    assert_valid(build_response([a.pause(100)] * 10))


def test_at_most_ten_actions() -> None:
    with pytest.raises(ValueError, match=r"^Actions: at most 10"):
        build_response([a.pause(100)] * 11)


def test_actions_must_be_built_actions() -> None:
    with pytest.raises(ValueError, match=r"^Actions\[1\]"):
        build_response([a.hangup(), {"Type": "Hangup"}])


def test_transaction_attribute_limits() -> None:
    hundred = {f"k{i}": "v" for i in range(100)}
    assert check_transaction_attributes(hundred) == hundred
    with pytest.raises(ValueError, match="at most 100 pairs"):
        build_response([], {**hundred, "one-more": "v"})
    just_under = {"k": "x" * (20 * 1024 - 10)}  # {"k": "..."} adds 9 bytes
    assert_valid(build_response([], just_under))
    with pytest.raises(ValueError, match="at most 20 KB"):
        build_response([], {"k": "x" * (20 * 1024)})
    with pytest.raises(ValueError, match=r"^TransactionAttributes\.n: values must be strings"):
        build_response([], cast(Any, {"n": 1}))
    with pytest.raises(ValueError, match="keys must be non-empty"):
        build_response([], {"": "v"})
    with pytest.raises(ValueError, match="must be an object"):
        build_response([], cast(Any, [("k", "v")]))


def test_size_limit_agrees_with_the_simulator_for_multibyte_text() -> None:
    from pstn.answer_checks import check_transaction_attributes as service_check

    for size in (20 * 1024 // 3 - 4, 20 * 1024 // 3 + 4):
        attributes = {"k": "€" * size}  # 3 bytes each in UTF-8
        ours_ok = True
        try:
            check_transaction_attributes(attributes)
        except ValueError:
            ours_ok = False
        assert ours_ok == (service_check(attributes) is None)
