"""Many simultaneous calls: every one completes with its own, correct transcript."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from emulator.calls.service import CallService
from tests.simulator.fixtures.scenarios import NUMBERS
from tests.simulator.support import FakeDirectory, event_types, place_call, spoken

NUMBER = "+15550004444"


def test_200_concurrent_inbound_calls_complete_with_correct_transcripts(
    service: CallService, directory: FakeDirectory
) -> None:
    directory.route(NUMBER, "speak-hangup")
    callers = [f"+1555100{i:04d}" for i in range(200)]
    with ThreadPoolExecutor(max_workers=50) as pool:
        records = list(pool.map(lambda caller: place_call(service, NUMBER, caller), callers))

    assert len({r["transactionId"] for r in records}) == 200
    for caller, record in zip(callers, records, strict=True):
        assert record["status"] == "completed" and record["sipResponseCode"] == "0"
        assert event_types(record) == ["NEW_INBOUND_CALL", "HANGUP"]
        assert [i["event"]["Sequence"] for i in record["invocations"]] == [1, 2]
        assert {i["event"]["CallDetails"]["TransactionId"] for i in record["invocations"]} == {
            record["transactionId"]
        }
        assert spoken(record) == [f"Hello {caller}"]  # its own caller, not another call's


def test_calls_parked_waiting_do_not_hold_up_others(service: CallService, directory: FakeDirectory) -> None:
    """Calls listening for digits (ReceiveDigits, nothing else to run) park without holding a thread."""
    directory.route(NUMBERS["listen"], "scenarios")
    directory.route(NUMBER, "speak-hangup")
    waiting = [place_call(service, NUMBERS["listen"], f"+1555200{i:04d}") for i in range(20)]
    assert {w["waitingFor"] for w in waiting} == {"idle"}
    assert {w["legs"][0]["listening"] for w in waiting} == {r"^\d{2}#$"}
    with ThreadPoolExecutor(max_workers=10) as pool:
        others = list(pool.map(lambda i: place_call(service, NUMBER, f"+1555300{i:04d}"), range(20)))
    assert {o["status"] for o in others} == {"completed"}
    # the parked calls are still there, each resumable on its own
    for i, record in enumerate(waiting):
        status, done = service.handle_admin(
            "POST", f"/_emulator/calls/{record['transactionId']}/digits", {"digits": f"{i:02d}#"}
        )
        assert status == 200 and spoken(done) == ["listening", f"got {i:02d}#"]
