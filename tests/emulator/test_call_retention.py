"""`--call-retention N`: /_emulator/calls keeps the newest N calls; past N the oldest ENDED calls are
forgotten (404 from then on), and a call in progress is never forgotten."""

from __future__ import annotations

import urllib.error
from typing import Any

import pytest

from emulator.calls.service import CallService
from emulator.errors import NotFoundError
from testbed.emulator_process import running_emulator
from tests.emulator.helpers import acquire, lambda_arn, rule_for
from tests.simulator.fixtures.scenarios import NUMBERS
from tests.simulator.support import FIXTURES, FakeDirectory, handler_specs, place_call

SPEAK_HANGUP = "+15550009999"


def known(service: CallService) -> list[str]:
    status, listing = service.handle_admin("GET", "/_emulator/calls", None)
    assert status == 200
    return [c["transactionId"] for c in listing["calls"]]


def test_past_the_retention_the_oldest_ended_calls_are_forgotten_and_live_ones_kept() -> None:
    directory = FakeDirectory()
    directory.route(NUMBERS["idle"], "scenarios")
    directory.route(SPEAK_HANGUP, "speak-hangup")
    service = CallService(directory, handler_specs(), lambda_timeout=5.0, idle_hangup=30, call_retention=2)
    try:
        live = place_call(service, NUMBERS["idle"])
        assert live["status"] == "active", live["status"]
        first, second, third = (place_call(service, SPEAK_HANGUP) for _ in range(3))
        assert {r["status"] for r in (first, second, third)} == {"completed"}
        assert known(service) == [live["transactionId"], third["transactionId"]]
        for forgotten in (first, second):
            with pytest.raises(NotFoundError):
                service.handle_admin("GET", f"/_emulator/calls/{forgotten['transactionId']}", None)
        # Once it ends, the formerly live call is the oldest ended one: the next call pushes it out.
        service.handle_admin("POST", f"/_emulator/calls/{live['transactionId']}/hangup", {})
        fourth = place_call(service, SPEAK_HANGUP)
        assert known(service) == [third["transactionId"], fourth["transactionId"]]
    finally:
        service.close()


def test_call_retention_must_not_be_negative() -> None:
    with pytest.raises(ValueError, match="call_retention"):
        CallService(FakeDirectory(), call_retention=-1)


def test_the_flag_reaches_the_running_emulator() -> None:
    flags = ["--call-retention", "1", "--order-delay", "0",
             "--handler", f"speak-hangup={FIXTURES / 'basic.py'}:speak_hangup"]
    with running_emulator(flags) as emu:
        chime: Any = emu.client()
        (number,) = acquire(chime)
        endpoint = {"LambdaArn": lambda_arn(name="speak-hangup")}
        created = chime.create_sip_media_application(AwsRegion="us-east-1", Name="kept", Endpoints=[endpoint])
        sma_id = created["SipMediaApplication"]["SipMediaApplicationId"]
        rule_for(chime, number, sma_id)
        call = {"to": number, "from": "+12065550100"}
        placed = [emu.admin("POST", "/_emulator/calls", call) for _ in range(2)]
        assert [p["status"] for p in placed] == ["completed", "completed"]
        listed = emu.admin("GET", "/_emulator/calls")["calls"]
        assert [c["transactionId"] for c in listed] == [placed[1]["transactionId"]]
        with pytest.raises(urllib.error.HTTPError) as gone:
            emu.admin("GET", f"/_emulator/calls/{placed[0]['transactionId']}")
        assert gone.value.code == 404
