"""The `/_emulator/` endpoints: the request log, reset, and delegation to the call simulator."""

from __future__ import annotations

import json
import urllib.error

import pytest

from testbed.emulator_process import RunningEmulator
from tests.emulator.helpers import create_sma, raises_code


def test_request_log_lists_operations_in_order_and_resets(emulator: RunningEmulator) -> None:
    chime = emulator.client()
    sma = create_sma(chime)
    chime.get_sip_media_application(SipMediaApplicationId=sma["SipMediaApplicationId"])
    with raises_code("NotFoundException"):
        emulator.client("eu-west-1").get_sip_rule(SipRuleId="missing")
    assert emulator.requests() == [
        {"operation": "CreateSipMediaApplication", "status": 201, "region": "us-east-1", "fault": None},
        {"operation": "GetSipMediaApplication", "status": 200, "region": "us-east-1", "fault": None},
        {"operation": "GetSipRule", "status": 404, "region": "eu-west-1", "fault": None},
    ]
    emulator.reset_requests()
    assert emulator.requests() == []
    assert chime.list_sip_media_applications()["SipMediaApplications"] != []  # resources untouched
    emulator.reset()
    assert emulator.requests() == []
    assert chime.list_sip_media_applications()["SipMediaApplications"] == []


def test_unknown_admin_paths_are_not_found(emulator: RunningEmulator) -> None:
    with pytest.raises(urllib.error.HTTPError) as caught:
        emulator.admin("GET", "/_emulator/nothing-here")
    assert caught.value.code == 404 and caught.value.headers["x-amzn-ErrorType"] == "NotFoundException"


def test_calls_endpoints_reach_the_call_simulator(emulator: RunningEmulator) -> None:
    listed = emulator.admin("GET", "/_emulator/calls")
    assert isinstance(listed, dict) and listed.get("calls") == []


@pytest.mark.parametrize("body", [{"seed": "7"}, {"seed": True}, {"seed": 1.5}, {"sede": 7}, [7]])
def test_reset_refuses_a_bad_seed_body_and_changes_nothing(emulator: RunningEmulator, body: object) -> None:
    chime = emulator.client()
    create_sma(chime)
    with pytest.raises(urllib.error.HTTPError) as caught:
        emulator.admin("POST", "/_emulator/reset", body)
    assert caught.value.code == 400 and caught.value.headers["x-amzn-ErrorType"] == "BadRequestException"
    assert "seed" in json.loads(caught.value.read())["Message"]
    assert len(chime.list_sip_media_applications()["SipMediaApplications"]) == 1


def test_reset_with_a_seed_forgets_everything_like_a_plain_reset(emulator: RunningEmulator) -> None:
    chime = emulator.client()
    create_sma(chime)
    assert emulator.admin("POST", "/_emulator/reset", {"seed": 5}) == {"reset": True}
    assert emulator.requests() == []
    assert chime.list_sip_media_applications()["SipMediaApplications"] == []
