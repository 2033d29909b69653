"""Developer Guide, "SpeakAndGetDigits" and "PlayAudioAndGetDigits": prompt, attempts, timers, terminators,
validity, the failure prompt, and ACTION_SUCCESSFUL with ReceivedDigits (inside ActionData, as the
use-case-2 page and every sample read it), all on the call's virtual clock."""

from __future__ import annotations

from typing import Any

from emulator.calls.service import CallService
from tests.simulator.plans import action, hangup, on, speak
from tests.simulator.support import FakeDirectory, invocation, planned_call

NUMBER = "+15550200501"
AUDIO = {"Type": "S3", "BucketName": "prompts", "Key": "pin.wav"}
FAILURE = {"Type": "S3", "BucketName": "prompts", "Key": "again.wav"}


def say_and_get(**params: Any) -> dict[str, Any]:
    base = {
        "CallId": "{A}",
        "SpeechParameters": {"Text": "Enter your PIN"},  # 14 characters: 840 ms
        "FailureSpeechParameters": {"Text": "Try again"},  # 540 ms
        "RepeatDurationInMilliseconds": 3000,
    }
    return action("SpeakAndGetDigits", **{**base, **params})


def play_and_get(**params: Any) -> dict[str, Any]:
    base = {
        "CallId": "{A}",
        "AudioSource": AUDIO,
        "FailureAudioSource": FAILURE,
        "RepeatDurationInMilliseconds": 3000,
    }
    return action("PlayAudioAndGetDigits", **{**base, **params})


def run(
    service: CallService, directory: FakeDirectory, digits_action: dict[str, Any], **call: Any
) -> dict[str, Any]:
    return planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", digits_action),
        on(["ACTION_SUCCESSFUL", "ACTION_FAILED"], hangup()),
        **call,
    )


def outcome(record: dict[str, Any]) -> dict[str, Any]:
    event = record["invocations"][1]["event"]
    return {
        "event": event["InvocationEventType"],
        "at": record["invocations"][1]["virtualMs"],
        **event["ActionData"],
    }


def test_digits_up_to_the_terminator_which_is_not_kept(
    service: CallService, directory: FakeDirectory
) -> None:
    result = outcome(run(service, directory, say_and_get(), script=[{"at": 1, "digits": "1234#"}]))
    assert (result["event"], result["ReceivedDigits"], result["at"]) == ("ACTION_SUCCESSFUL", "1234", 1000)
    assert result["Type"] == "SpeakAndGetDigits" and result["Parameters"]["SpeechParameters"]["Text"]


def test_max_number_of_digits_ends_the_entry(service: CallService, directory: FakeDirectory) -> None:
    result = outcome(
        run(service, directory, say_and_get(MaxNumberOfDigits=3), script=[{"at": 1, "digits": "12345"}])
    )
    assert result["ReceivedDigits"] == "123"


def test_in_between_digits_timeout_ends_the_entry(service: CallService, directory: FakeDirectory) -> None:
    script = [{"at": 1, "digits": "12"}, {"at": 1.5, "digits": "3"}, {"at": 4, "digits": "9"}]
    result = outcome(
        run(service, directory, say_and_get(InBetweenDigitsDurationInMilliseconds=2000), script=script)
    )
    assert (result["ReceivedDigits"], result["at"]) == ("123", 3500)


def test_in_between_defaults_to_the_repeat_duration(service: CallService, directory: FakeDirectory) -> None:
    result = outcome(run(service, directory, say_and_get(), script=[{"at": 1, "digits": "12"}]))
    assert (result["ReceivedDigits"], result["at"]) == ("12", 4000)


def test_custom_terminators(service: CallService, directory: FakeDirectory) -> None:
    result = outcome(
        run(service, directory, say_and_get(TerminatorDigits=["*"]), script=[{"at": 1, "digits": "4#5*"}])
    )
    assert result["ReceivedDigits"] == "4#5"


def test_the_regex_must_match_all_of_the_entry_without_the_terminator(
    service: CallService, directory: FakeDirectory
) -> None:
    regex = r"^\d{4}$"
    ok = outcome(
        run(service, directory, say_and_get(InputDigitsRegex=regex), script=[{"at": 1, "digits": "1234#"}])
    )
    assert ok["ReceivedDigits"] == "1234"
    failed = outcome(
        run(service, directory, say_and_get(InputDigitsRegex=regex), script=[{"at": 1, "digits": "123#"}])
    )
    assert (failed["event"], failed["ErrorType"]) == ("ACTION_FAILED", "InvalidDigitsReceived")


def test_min_equal_to_max_is_allowed(service: CallService, directory: FakeDirectory) -> None:
    """bridging, outbound-call-notifications, update-call: MinNumberOfDigits = MaxNumberOfDigits."""
    params = {"MinNumberOfDigits": 1, "MaxNumberOfDigits": 1}
    assert outcome(run(service, directory, say_and_get(**params), digits="2"))["ReceivedDigits"] == "2"


def test_too_few_digits_plays_the_failure_prompt_and_repeats(
    service: CallService, directory: FakeDirectory
) -> None:
    record = run(service, directory, say_and_get(MinNumberOfDigits=4, Repeat=2), digits="12#3456#")
    result = outcome(record)
    assert result["ReceivedDigits"] == "3456"
    # attempt 1 ends at its terminator at 0; the failure prompt (540 ms), then attempt 2's keys at once
    assert result["at"] == 540
    assert "SpeakAndGetDigits: '12' is not valid input (attempt 1 of 2)" in [
        n["note"] for n in record["notes"]
    ]


def test_nothing_typed_fails_after_every_attempt(service: CallService, directory: FakeDirectory) -> None:
    result = outcome(run(service, directory, play_and_get(Repeat=3)))
    assert (result["event"], result["ErrorType"], result["ErrorMessage"]) == (
        "ACTION_FAILED",
        "InvalidDigitsReceived",
        "No valid digits were received.",
    )
    # each attempt: the 1 s prompt, then 3 s; between attempts the 1 s failure prompt
    assert result["at"] == 3 * (1000 + 3000) + 2 * 1000


def test_keys_before_the_action_are_discarded(service: CallService, directory: FakeDirectory) -> None:
    """listen-to-digits: digits are discarded until something listens for them."""
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", speak("{A}", "x" * 50), say_and_get(Repeat=1)),
        on(["ACTION_SUCCESSFUL", "ACTION_FAILED"], hangup()),
        script=[{"at": 1, "digits": "55#"}],
    )
    assert invocation(record, "ACTION_FAILED")["ActionData"]["ErrorType"] == "InvalidDigitsReceived"
    assert "LEG-A pressed 5: nothing listens, discarded" in [n["note"] for n in record["notes"]]


def test_play_audio_and_get_digits_checks_its_audio(service: CallService, directory: FakeDirectory) -> None:
    service.handle_admin("PUT", "/_emulator/buckets/prompts", {})
    result = outcome(run(service, directory, play_and_get()))
    assert (result["ErrorType"], result["ErrorMessage"]) == (
        "InvalidAudioSource",
        "Cannot access S3 bucket or audio file.",
    )


def test_the_prompts_length_is_the_audio_objects(service: CallService, directory: FakeDirectory) -> None:
    service.handle_admin("PUT", "/_emulator/objects/prompts/pin.wav", {"durationSeconds": 7})
    service.handle_admin("PUT", "/_emulator/objects/prompts/again.wav", {"durationSeconds": 2})
    record = run(service, directory, play_and_get(), script=[{"at": 8, "digits": "9#"}])
    assert (outcome(record)["ReceivedDigits"], outcome(record)["at"]) == ("9", 8000)
