"""Call simulator: simulated calls per second with warm local workers, and what one simulated
invocation costs over calling the handler function in-process (the baseline, run side by side).

The handler is a Speak-then-Hangup one (two invocations a call: NEW_INBOUND_CALL and HANGUP), written
to a temporary folder so the benchmark depends on nothing else in the tree.
"""

from __future__ import annotations

import importlib.util
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HANDLER_SOURCE = """
def handler(event, context):
    leg = event["CallDetails"]["Participants"][0]
    if event["InvocationEventType"] == "NEW_INBOUND_CALL":
        return {"SchemaVersion": "1.0", "Actions": [
            {"Type": "Speak", "Parameters": {"CallId": leg["CallId"], "Text": "Hello " + leg["From"]}},
            {"Type": "Hangup", "Parameters": {"CallId": leg["CallId"], "SipResponseCode": "0"}}]}
    return {"SchemaVersion": "1.0", "Actions": []}
"""
NUMBER = "+15550009999"
CALLS = 2000
CONCURRENT_CALLS = 2000
THREADS = 8


class _Directory:
    """One rule, one application: all the routing state the benchmark needs."""

    def __init__(self, arn: str) -> None:
        from emulator.directory import SipMediaApplicationView, SipRuleView, TargetView

        self._rule = SipRuleView(
            "rule", "us-east-1", "rule", "ToPhoneNumber", NUMBER, False, (TargetView("sma", 1, "us-east-1"),)
        )
        self._sma = SipMediaApplicationView("sma", "us-east-1", "sma", arn)

    @property
    def account_id(self) -> str:
        return "123456789012"

    def enabled_sip_rules(self, trigger_type: str, trigger_value: str) -> list[Any]:
        return [self._rule] if (trigger_type, trigger_value) == ("ToPhoneNumber", NUMBER) else []

    def sip_media_application(self, region: str, sip_media_application_id: str) -> Any:
        return self._sma if (region, sip_media_application_id) == ("us-east-1", "sma") else None

    def inventory_phone_number(self, e164_phone_number: str) -> Any:
        return None


def _in_process_per_invocation(path: Path, count: int) -> float:
    """Seconds per handler call made directly, with an event of the same shape the simulator sends."""
    spec = importlib.util.spec_from_file_location("bench_handler", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    event = {
        "SchemaVersion": "1.0",
        "Sequence": 1,
        "InvocationEventType": "NEW_INBOUND_CALL",
        "CallDetails": {
            "TransactionId": "t",
            "AwsAccountId": "123456789012",
            "AwsRegion": "us-east-1",
            "SipRuleId": "rule",
            "SipMediaApplicationId": "sma",
            "Participants": [
                {
                    "CallId": "c",
                    "ParticipantTag": "LEG-A",
                    "To": NUMBER,
                    "From": "+15551234567",
                    "Direction": "Inbound",
                    "StartTimeInMilliseconds": "0",
                    "Status": "Connected",
                }
            ],
        },
    }
    started = time.perf_counter()
    for _ in range(count):
        module.handler(event, None)
    return (time.perf_counter() - started) / count


def main() -> None:
    from emulator.calls.service import CallService
    from pstn.local_lambda import HandlerSpec

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "speak_hangup.py"
        path.write_text(HANDLER_SOURCE)
        arn = "arn:aws:lambda:us-east-1:123456789012:function:bench"
        service = CallService(_Directory(arn), [HandlerSpec("bench", str(path), "handler")], idle_hangup=30)
        try:

            def place(i: int) -> dict[str, Any]:
                status, record = service.handle_admin(
                    "POST", "/_emulator/calls", {"to": NUMBER, "from": f"+1555{i:07d}"}
                )
                assert status == 201 and record["status"] == "completed", record
                return dict(record)

            place(0)  # warm the worker: the cold start is not what is measured
            started = time.perf_counter()
            invocations = sum(place(i)["invocationCount"] for i in range(CALLS))
            sequential = time.perf_counter() - started
            service.reset()

            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=THREADS) as pool:
                concurrent_invocations = sum(
                    r["invocationCount"] for r in pool.map(place, range(CONCURRENT_CALLS))
                )
            concurrent = time.perf_counter() - started
        finally:
            service.close()
        baseline = _in_process_per_invocation(path, 20000)

    per_invocation = sequential / invocations
    print(f"{'measure':<58} {'value':>14}")
    print(f"{'simulated calls/s, sequential (2 invocations a call)':<58} {CALLS / sequential:>14.0f}")
    label = f"simulated calls/s, {THREADS} threads, one warm worker"
    print(f"{label:<58} {CONCURRENT_CALLS / concurrent:>14.0f}")
    print(f"{'one simulated invocation (us), end to end':<58} {per_invocation * 1e6:>14.1f}")
    print(f"{'baseline: handler called in-process (us)':<58} {baseline * 1e6:>14.2f}")
    print(f"{'ratio: simulated invocation / in-process call':<58} {per_invocation / baseline:>13.0f}x")
    print(
        f"{'ratio: concurrent / sequential throughput':<58} "
        f"{(CONCURRENT_CALLS / concurrent) / (CALLS / sequential):>13.2f}x"
    )
    assert invocations == 2 * CALLS and concurrent_invocations == 2 * CONCURRENT_CALLS


if __name__ == "__main__":
    main()
