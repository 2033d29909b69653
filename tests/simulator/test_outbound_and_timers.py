"""Outbound calls, updates that interrupt a running Pause, and the caller's idle hang-up."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from emulator.calls.service import CallService
from emulator.errors import NotFoundError
from tests.simulator.fixtures.scenarios import NUMBERS
from tests.simulator.support import (
    FakeDirectory,
    call_record,
    call_scenario,
    event_types,
    handler_specs,
    spoken,
)

FROM = "+15550100099"


@pytest.fixture(scope="module")
def timed() -> Iterator[tuple[CallService, FakeDirectory]]:
    """Media actions take real time (x1) and the caller hangs up after 0.3 s idle."""
    directory = FakeDirectory()
    # A generous Lambda timeout: nothing here times out on purpose, and a loaded machine is slow.
    service = CallService(directory, handler_specs(), lambda_timeout=5.0, idle_hangup=0.3, time_scale=1.0)
    yield service, directory
    service.close()


def test_outbound_call_then_update_interrupts_the_pause(timed: tuple[CallService, FakeDirectory]) -> None:
    service, directory = timed
    sma = directory.add_sma("scenarios")
    transaction_id = service.start_outbound(
        "us-east-1", sma, FROM, NUMBERS["pause"], {"X-Foo": "bar"}, {"campaign": "spring"}
    )
    paused = call_record(service, transaction_id, "settled")
    assert paused["status"] == "active" and paused["waitingFor"] == "media"
    assert event_types(paused) == ["NEW_OUTBOUND_CALL", "RINGING", "CALL_ANSWERED"]
    new, ringing, answered = (i["event"] for i in paused["invocations"])
    assert new["ActionData"] == {
        "Type": "CallCreateRequest",
        "Parameters": {"Arguments": {"campaign": "spring"}},
    }
    assert [e["Sequence"] for e in (new, ringing, answered)] == [1, 2, 3]
    for event in (new, ringing):
        [leg] = event["CallDetails"]["Participants"]
        assert leg["Direction"] == "Outbound" and "Status" not in leg and leg["To"] == NUMBERS["pause"]
        assert "SipRuleId" not in event["CallDetails"] and "SipHeaders" not in leg
    assert answered["CallDetails"]["Participants"][0]["Status"] == "Connected"
    assert "ActionData" not in ringing and "ActionData" not in answered  # ArgumentsMap is not carried forward
    assert answered["CallDetails"]["TransactionAttributes"] == {"campaign": "spring"}

    service.update_call("us-east-1", sma, transaction_id, {"message": "hello"})
    done = call_record(service, transaction_id, "ended")
    # The update's answer carries actions: that is what stops the Pause, after CALL_UPDATE_REQUESTED.
    assert event_types(done)[3:] == ["CALL_UPDATE_REQUESTED", "ACTION_INTERRUPTED", "HANGUP"]
    update, interrupted = done["invocations"][3:5]
    assert interrupted["event"]["ActionData"]["Type"] == "Pause" and not interrupted["responseUsed"]
    assert update["event"]["ActionData"] == {
        "Type": "CallUpdateRequest",
        "Parameters": {"Arguments": {"message": "hello"}},
    }
    assert spoken(done) == ["spring: hello"]  # neither "never reached" nor the ignored answer was run
    assert done["status"] == "completed"
    with pytest.raises(NotFoundError):
        service.update_call("us-east-1", sma, transaction_id, {"message": "too late"})


# These tests judge the record once the call has ended, never a snapshot taken within the 0.3 s idle
# time: on a loaded machine the timer may fire before an early snapshot is taken.


def test_the_caller_hangs_up_after_the_idle_time(timed: tuple[CallService, FakeDirectory]) -> None:
    service, directory = timed
    record = call_scenario(service, directory, "idle")
    done = call_record(service, record["transactionId"], "ended")
    assert done["status"] == "completed" and event_types(done)[-1] == "HANGUP"
    assert spoken(done) == ["hold on"]
    assert [n["note"] for n in done["notes"] if "hung up" in n["note"]] == ["LEG-A hung up after 0.3 s idle"]


def test_a_call_listening_for_digits_also_hangs_up_when_idle(
    timed: tuple[CallService, FakeDirectory],
) -> None:
    service, directory = timed
    record = call_scenario(service, directory, "listen")
    done = call_record(service, record["transactionId"], "ended")
    assert event_types(done) == ["NEW_INBOUND_CALL", "ACTION_SUCCESSFUL", "HANGUP"]
    assert [(a["type"], a["outcome"]) for a in done["actions"]] == [
        ("ReceiveDigits", "succeeded"),
        ("Speak", "succeeded"),
    ]
    assert [n["note"] for n in done["notes"] if "hung up" in n["note"]] == ["LEG-A hung up after 0.3 s idle"]


def test_a_pause_completes_on_its_own_in_scaled_time(timed: tuple[CallService, FakeDirectory]) -> None:
    service, directory = timed
    record = call_scenario(service, directory, "short_pause")
    done = call_record(service, record["transactionId"], "ended")
    assert event_types(done) == ["NEW_INBOUND_CALL", "ACTION_SUCCESSFUL", "HANGUP"]
    # The Pause held the call (200 ms at scale 1) until its timer ended it.
    paused = done["actions"][0]
    assert (paused["type"], paused["outcome"]) == ("Pause", "succeeded")
    assert paused["virtualMs"] - paused["startedMs"] == 200
    assert done["invocations"][1]["event"]["ActionData"]["Type"] == "Speak"
    assert spoken(done) == ["after the pause"]


def test_an_outbound_callee_types_its_pin_after_answering(
    service: CallService, directory: FakeDirectory
) -> None:
    sma = directory.add_sma("scenarios")
    service.handle_admin(
        "PUT", f"/_emulator/callees/{NUMBERS['digits']}", {"ringSeconds": 2, "sendDigits": "9999#"}
    )
    transaction_id = service.start_outbound("us-east-1", sma, FROM, NUMBERS["digits"], {}, {})
    done = call_record(service, transaction_id, "ended")
    assert event_types(done)[:3] == ["NEW_OUTBOUND_CALL", "RINGING", "CALL_ANSWERED"]
    assert done["invocations"][2]["virtualMs"] == 2000 and spoken(done) == ["PIN 9999"]
