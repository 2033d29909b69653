"""Developer Guide, "Updating in-progress calls": CALL_UPDATE_REQUESTED, then, when its answer carries
actions, a running PlayAudio, RecordAudio or Pause stops (ACTION_INTERRUPTED, answer ignored) and the
new list runs; other actions finish first; null Actions interrupt nothing.

Updates come from outside the call, so these calls run at --time-scale 0.1 (a virtual minute of audio
is six real seconds; the update stops it long before)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from emulator.calls.service import CallService
from tests.simulator.plans import hangup, on, play, speak
from tests.simulator.support import (
    FakeDirectory,
    call_record,
    event_types,
    handler_specs,
    planned_call,
    spoken,
)

NUMBER = "+15550200401"


@pytest.fixture(scope="module")
def scaled() -> Iterator[tuple[CallService, FakeDirectory]]:
    directory = FakeDirectory()
    service = CallService(directory, handler_specs(), lambda_timeout=5.0, idle_hangup=30, time_scale=0.1)
    yield service, directory
    service.close()


@pytest.fixture
def fresh(scaled: tuple[CallService, FakeDirectory]) -> tuple[CallService, FakeDirectory]:
    scaled[0].reset()
    scaled[1].clear()
    return scaled


def _update(service: CallService, record: dict, arguments: dict[str, str]) -> dict:
    service.update_call("us-east-1", record["sipMediaApplicationId"], record["transactionId"], arguments)
    return call_record(service, record["transactionId"], "ended")


def test_new_actions_interrupt_a_playing_prompt_after_the_update_event(
    fresh: tuple[CallService, FakeDirectory],
) -> None:
    service, directory = fresh
    service.handle_admin("PUT", "/_emulator/objects/prompts/long.wav", {"durationSeconds": 600})
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", play("long.wav"), speak("{A}", "never")),
        on("CALL_UPDATE_REQUESTED", speak("{A}", "updated"), hangup()),
        on("ACTION_INTERRUPTED", speak("{A}", "ignored")),
    )
    assert record["waitingFor"] == "media"
    done = _update(service, record, {"go": "1"})
    assert event_types(done) == ["NEW_INBOUND_CALL", "CALL_UPDATE_REQUESTED", "ACTION_INTERRUPTED", "HANGUP"]
    interrupted = done["invocations"][2]
    assert interrupted["event"]["ActionData"]["Type"] == "PlayAudio" and not interrupted["responseUsed"]
    assert spoken(done) == ["updated"]
    assert done["actions"][0]["outcome"] == "interrupted"


def test_null_actions_interrupt_nothing(fresh: tuple[CallService, FakeDirectory]) -> None:
    service, directory = fresh
    service.handle_admin("PUT", "/_emulator/objects/prompts/short.wav", {"durationSeconds": 5})
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", play("short.wav")),
        {"on": "CALL_UPDATE_REQUESTED", "answer": {"SchemaVersion": "1.0"}},
        on("ACTION_SUCCESSFUL", hangup(), type="PlayAudio"),
    )
    done = _update(service, record, {})
    assert event_types(done) == ["NEW_INBOUND_CALL", "CALL_UPDATE_REQUESTED", "ACTION_SUCCESSFUL", "HANGUP"]
    assert done["invocations"][2]["virtualMs"] == 5000  # the prompt played to its end


def test_a_speak_is_not_interruptible_the_new_list_waits_for_it(
    fresh: tuple[CallService, FakeDirectory],
) -> None:
    service, directory = fresh
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", speak("{A}", "x" * 200), speak("{A}", "dropped")),
        on("CALL_UPDATE_REQUESTED", speak("{A}", "after"), hangup()),
    )
    done = _update(service, record, {})
    assert "ACTION_INTERRUPTED" not in event_types(done)
    assert [a["detail"][:5] for a in done["actions"] if a["type"] == "Speak"] == ["xxxxx", "after"]
    assert done["actions"][0]["virtualMs"] == 12_000  # 200 characters at 60 ms, in full
