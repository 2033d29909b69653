"""Developer Guide pages "Speak", "PlayAudio", "Pause", "SendDigits" and "Understanding VoiceFocus": what
each does to the call, how long it takes on the virtual clock, and the failures only the running call
can produce (Polly's catalogue, S3 access, legs that are gone, the VoiceFocus rate)."""

from __future__ import annotations

from emulator.calls.service import CallService
from tests.simulator.plans import action, bridge, hangup, on, pause, play, receive_digits, speak
from tests.simulator.support import FakeDirectory, event_types, invocation, planned_call, spoken

NUMBER = "+15550200701"
CALLEE = "+15550200799"


def test_speak_takes_time_and_reports_its_parameters_as_sent(
    service: CallService, directory: FakeDirectory
) -> None:
    params = {
        "CallId": "{A}",
        "Text": "Hello World",
        "Engine": "neural",
        "LanguageCode": "en-US",
        "TextType": "text",
        "VoiceId": "Joanna",
    }
    record = planned_call(service, directory, NUMBER, on("NEW_INBOUND_CALL", action("Speak", **params)))
    success = invocation(record, "ACTION_SUCCESSFUL")["ActionData"]
    assert success == {
        "Type": "Speak",
        "Parameters": {**params, "CallId": record["participants"][0]["CallId"]},
    }
    assert record["invocations"][1]["virtualMs"] == 11 * 60


def test_speak_with_a_voice_polly_does_not_have_fails_when_it_runs(
    service: CallService, directory: FakeDirectory
) -> None:
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", speak("{A}", "first"), speak("{A}", "robot", VoiceId="Robot")),
        on("ACTION_FAILED", hangup()),
    )
    failed = invocation(record, "ACTION_FAILED")["ActionData"]
    assert (failed["ErrorType"], failed["ErrorMessage"]) == (
        "InvalidActionParameter",
        "VoiceId parameter value is invalid.",
    )
    assert spoken(record) == ["first"]


def test_speak_works_on_either_leg_of_a_bridge(service: CallService, directory: FakeDirectory) -> None:
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", bridge(CALLEE)),
        on("ACTION_SUCCESSFUL", speak("{B}", "to the callee"), type="CallAndBridge"),
        on("ACTION_SUCCESSFUL", hangup("{B}"), type="Speak"),
    )
    assert [(a["type"], a["participantTag"]) for a in record["actions"][1:3]] == [
        ("Speak", "LEG-B"),
        ("Hangup", "LEG-B"),
    ]


def test_play_audio_plays_repeat_times_the_objects_length(
    service: CallService, directory: FakeDirectory
) -> None:
    service.handle_admin("PUT", "/_emulator/objects/prompts/hello.wav", {"durationSeconds": 2.5})
    record = planned_call(service, directory, NUMBER, on("NEW_INBOUND_CALL", play("hello.wav", Repeat="3")))
    assert record["invocations"][1]["virtualMs"] == 7500


def test_a_playback_terminator_stops_the_audio(service: CallService, directory: FakeDirectory) -> None:
    service.handle_admin("PUT", "/_emulator/objects/prompts/hello.wav", {"durationSeconds": 10})
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", play("hello.wav", Repeat=5, PlaybackTerminators=["#"]), receive_digits(r"\d")),
        script=[{"at": 3, "digits": "1#"}, {"at": 5, "digits": "2"}],
    )
    assert record["invocations"][1]["virtualMs"] == 3000  # stopped by "#", not repeated
    assert invocation(record, "ACTION_SUCCESSFUL")["ActionData"]["Type"] == "PlayAudio"
    assert [a["detail"] for a in record["actions"][:1]] == ["stopped by #"]
    # "1" is no terminator and nothing listened yet: discarded; "2" reached the listener armed after.
    assert "LEG-A pressed 1: nothing listens, discarded" in [n["note"] for n in record["notes"]]
    assert invocation(record, "DIGITS_RECEIVED")["ActionData"]["ReceivedDigits"] == "2"


def test_play_audio_needs_a_readable_object(service: CallService, directory: FakeDirectory) -> None:
    service.handle_admin("PUT", "/_emulator/objects/prompts/hello.wav", {})
    service.handle_admin("PUT", "/_emulator/objects/prompts/song.mp3", {"format": "mp3"})
    service.handle_admin("PUT", "/_emulator/buckets/private", {"readable": False})
    service.handle_admin("PUT", "/_emulator/objects/private/hello.wav", {})
    cases = {
        "missing.wav": "Cannot access S3 bucket or audio file.",
        "song.mp3": "Audio Source parameter value is invalid.",
    }
    for key, message in cases.items():
        record = planned_call(
            service, directory, NUMBER, on("NEW_INBOUND_CALL", play(key)), on("ACTION_FAILED", hangup())
        )
        failed = invocation(record, "ACTION_FAILED")["ActionData"]
        assert (failed["ErrorType"], failed["ErrorMessage"]) == ("InvalidAudioSource", message), key
    record = planned_call(
        service, directory, NUMBER, on("NEW_INBOUND_CALL", play("hello.wav", bucket="private"))
    )
    assert (
        invocation(record, "ACTION_FAILED")["ActionData"]["ErrorMessage"]
        == "Cannot access S3 bucket or audio file."
    )


def test_an_unregistered_bucket_reads_every_key_as_a_one_second_prompt(
    service: CallService, directory: FakeDirectory
) -> None:
    record = planned_call(
        service, directory, NUMBER, on("NEW_INBOUND_CALL", play("anything.wav", bucket="elsewhere"))
    )
    assert invocation(record, "ACTION_SUCCESSFUL")["ActionData"]["Type"] == "PlayAudio"
    assert record["invocations"][1]["virtualMs"] == 1000


def test_pause_takes_its_duration(service: CallService, directory: FakeDirectory) -> None:
    record = planned_call(service, directory, NUMBER, on("NEW_INBOUND_CALL", pause(30000)))
    assert record["invocations"][1]["virtualMs"] == 30000


def test_a_hang_up_ends_the_running_action_without_an_event_for_it(
    service: CallService, directory: FakeDirectory
) -> None:
    record = planned_call(
        service, directory, NUMBER, on("NEW_INBOUND_CALL", pause(20000)), script=[{"at": 2, "hangup": True}]
    )
    assert event_types(record) == ["NEW_INBOUND_CALL", "HANGUP"]
    assert record["actions"][0]["outcome"] == "abandoned" and record["virtualMs"] == 2000


def test_send_digits_reach_the_person_on_that_leg(service: CallService, directory: FakeDirectory) -> None:
    """The SendDigits page's example digits, to the callee of a bridge (click-to-call does this)."""
    digits = ",,*1234,56,7890ABCD#"
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", bridge(CALLEE)),
        on(
            "ACTION_SUCCESSFUL",
            action("SendDigits", CallId="{B}", Digits=digits, ToneDurationInMilliseconds=100),
            type="CallAndBridge",
        ),
        on("ACTION_SUCCESSFUL", hangup("{B}"), type="SendDigits"),
    )
    callee = record["legs"][1]["party"]
    assert callee["heardDigits"] == [digits] and record["legs"][0]["party"]["heardDigits"] == []
    sent = next(a for a in record["actions"] if a["type"] == "SendDigits")
    assert sent["virtualMs"] - sent["startedMs"] == 16 * 100 + 4 * 500  # 16 tones, 4 commas


def test_send_digits_to_a_leg_that_is_gone_fails(service: CallService, directory: FakeDirectory) -> None:
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", action("SendDigits", CallId="not-a-leg", Digits="1")),
        on("ACTION_FAILED", hangup()),
    )
    assert invocation(record, "ACTION_FAILED")["ActionData"]["ErrorMessage"] == (
        "CallId or ParticipantTag parameter for action is invalid."
    )


def test_voice_focus_on_both_legs_with_the_samples_string_enable(
    service: CallService, directory: FakeDirectory
) -> None:
    """aws-samples/amazon-chime-sdk-pstn-audio-voice-focus sends 'Enable': 'True' on both legs."""
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", bridge(CALLEE)),
        on(
            "ACTION_SUCCESSFUL",
            action("VoiceFocus", CallId="{A}", Enable="True"),
            action("VoiceFocus", CallId="{B}", Enable="True"),
            type="CallAndBridge",
        ),
    )
    success = invocation(record, "ACTION_SUCCESSFUL", 1)
    assert success["ActionData"]["Type"] == "VoiceFocus" and len(success["CallDetails"]["Participants"]) == 2
    assert [leg["voiceFocus"] for leg in record["legs"]] == [True, True]


def test_more_than_five_voice_focus_actions_a_second_are_throttled(
    service: CallService, directory: FakeDirectory
) -> None:
    focus = action("VoiceFocus", CallId="{A}", Enable=True)
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", *[focus] * 6),
        on("ACTION_FAILED", hangup()),
    )
    failed = invocation(record, "ACTION_FAILED")["ActionData"]
    assert (failed["ErrorType"], failed["ErrorMessage"]) == (
        "ActionExecutionThrottled",
        "Failed to run action. The maximum number of actions per second has been reached.",
    )
