"""Developer Guide, "ReceiveDigits" (listen-to-digits) and "Receiving caller input" (case-4): a listener per
leg; ACTION_SUCCESSFUL at once with ReceivedDigits ""; DIGITS_RECEIVED when the buffer matches after
InBetweenDigitsDurationInMilliseconds; the buffer flushed after FlushDigitsDurationInMilliseconds."""

from __future__ import annotations

from emulator.calls.service import CallService
from tests.simulator.plans import bridge, hangup, on, receive_digits, speak
from tests.simulator.support import FakeDirectory, admin_post, event_types, invocation, planned_call, spoken

NUMBER = "+15550200601"
CALLEE = "+15550200699"


def test_case_4_example(service: CallService, directory: FakeDirectory) -> None:
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", receive_digits(r"^\d{2}#$", between=5000, flush=10000)),
        on("DIGITS_RECEIVED", hangup()),
        script=[{"at": 1, "digits": "11#"}],
    )
    success, received = invocation(record, "ACTION_SUCCESSFUL"), invocation(record, "DIGITS_RECEIVED")
    assert success["ActionData"]["ReceivedDigits"] == "" and success["ActionData"]["Type"] == "ReceiveDigits"
    assert (
        received["ActionData"]["ReceivedDigits"] == "11#"
        and received["ActionData"]["Type"] == "ReceiveDigits"
    )
    assert record["invocations"][2]["virtualMs"] == 1000 + 5000  # InBetween after the last key


def test_the_listener_stays_armed_for_the_call(service: CallService, directory: FakeDirectory) -> None:
    """update-call and voice-focus receive several DIGITS_RECEIVED from one ReceiveDigits."""
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", receive_digits(r"[0189]")),
        on("DIGITS_RECEIVED", speak("{A}", "{DIGITS}")),
        script=[
            {"at": 1, "digits": "1"},
            {"at": 3, "digits": "8"},
            {"at": 5, "digits": "0"},
            {"at": 7, "hangup": True},
        ],
    )
    assert [
        i["event"]["ActionData"]["ReceivedDigits"]
        for i in record["invocations"]
        if i["eventType"] == "DIGITS_RECEIVED"
    ] == ["1", "8", "0"]


def test_a_buffer_that_never_matches_is_flushed(service: CallService, directory: FakeDirectory) -> None:
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", receive_digits(r"^\d{2}#$", between=1000, flush=3000)),
        on("DIGITS_RECEIVED", hangup()),
        script=[{"at": 1, "digits": "77"}, {"at": 6, "digits": "42#"}],
    )
    assert invocation(record, "DIGITS_RECEIVED")["ActionData"]["ReceivedDigits"] == "42#"  # not "7742#"
    assert any("'77' does not match" in n["note"] for n in record["notes"])


def test_a_match_is_a_full_match(service: CallService, directory: FakeDirectory) -> None:
    """The simulator's reading: `[0-1]$` matches "1", not "51" (the voice-focus sample presses one key)."""
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", receive_digits(r"[0-1]$", between=500, flush=2000)),
        on("DIGITS_RECEIVED", hangup()),
        script=[{"at": 1, "digits": "51"}, {"at": 4, "digits": "1"}],
    )
    assert invocation(record, "DIGITS_RECEIVED")["ActionData"]["ReceivedDigits"] == "1"
    assert record["invocations"][-2]["virtualMs"] == 4500


def test_one_listener_per_leg_and_keys_stay_on_their_leg(
    service: CallService, directory: FakeDirectory
) -> None:
    """voice-focus arms ReceiveDigits on LEG-A and LEG-B in one list."""
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", bridge(CALLEE)),
        on("ACTION_SUCCESSFUL", receive_digits("1", "{A}"), receive_digits("2", "{B}"), type="CallAndBridge"),
        on("DIGITS_RECEIVED", speak("{A}", "{DIGITS}")),
    )
    admin_post(service, record["transactionId"], "digits", {"digits": "2", "participantTag": "LEG-A"})
    admin_post(service, record["transactionId"], "digits", {"digits": "2", "participantTag": "LEG-B"})
    done = admin_post(service, record["transactionId"], "digits", {"digits": "1", "participantTag": "LEG-A"})
    received = [i["event"]["ActionData"] for i in done["invocations"] if i["eventType"] == "DIGITS_RECEIVED"]
    assert [(r["ReceivedDigits"], r["Parameters"]["CallId"]) for r in received] == [
        ("2", done["participants"][1]["CallId"]),
        ("1", done["participants"][0]["CallId"]),
    ]
    assert spoken(done) == ["2", "1"]


def test_a_new_receive_digits_replaces_the_leg_listener(
    service: CallService, directory: FakeDirectory
) -> None:
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", receive_digits("1"), receive_digits("2")),
        on("DIGITS_RECEIVED", hangup()),
        script=[{"at": 1, "digits": "1"}, {"at": 7, "digits": "2"}],  # "1" alone is flushed at 6 s
    )
    assert invocation(record, "DIGITS_RECEIVED")["ActionData"]["ReceivedDigits"] == "2"


def test_digits_received_answers_replace_pending_actions_without_interrupting(
    service: CallService, directory: FakeDirectory
) -> None:
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", receive_digits("5"), speak("{A}", "x" * 100), speak("{A}", "replaced")),
        on("DIGITS_RECEIVED", speak("{A}", "instead"), hangup()),
        script=[{"at": 1, "digits": "5"}],
    )
    assert event_types(record) == ["NEW_INBOUND_CALL", "DIGITS_RECEIVED", "HANGUP"]
    assert [s[:4] for s in spoken(record)] == ["xxxx", "inst"]  # the running Speak finished first
