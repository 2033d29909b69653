"""Developer Guide, "Understanding timeouts and retries": a Lambda that does not answer in time is asked
again until 20 s have passed (every 5 s: four attempts), one that fails otherwise is retried once;
then the call ends with 480."""

from __future__ import annotations

from emulator.calls.service import CallService
from tests.simulator.support import FakeDirectory, call_scenario, place_call


def test_a_timed_out_invocation_is_retried_until_the_service_gives_up(
    impatient_service: CallService, directory: FakeDirectory
) -> None:
    directory.clear()
    directory.route("+15550200301", "slow-after-first")
    record = place_call(impatient_service, "+15550200301")
    tail = [(i["eventType"], i["sequence"], i["attempt"], i["outcome"]) for i in record["invocations"][1:]]
    assert tail == [("ACTION_SUCCESSFUL", 2, n, "timeout") for n in (1, 2, 3, 4)]
    assert (record["status"], record["sipResponseCode"]) == ("failed", "480")
    assert record["endReason"].startswith("AWS Lambda client operation timed out.")


def test_a_failing_invocation_is_retried_once(service: CallService, directory: FakeDirectory) -> None:
    record = call_scenario(service, directory, "fail_midcall")
    assert [i["attempt"] for i in record["invocations"][1:]] == [1, 2]
    assert (record["status"], record["sipResponseCode"]) == ("failed", "480")
