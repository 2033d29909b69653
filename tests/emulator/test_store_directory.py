"""`StoreDirectory`: the call simulator's read-only view, over the same store the API writes."""

from __future__ import annotations

import pytest

from emulator.backend import Backend
from emulator.backend.service_config import Config
from emulator.directory import Directory, PhoneNumberView, SipMediaApplicationView, SipRuleView, TargetView
from emulator.errors import NotFoundError
from emulator.pool import NumberPool
from emulator.store import Store
from emulator.store_directory import StoreDirectory
from tests.emulator.helpers import lambda_arn


@pytest.fixture
def setup() -> tuple[Backend, Directory]:
    store = Store()
    config = Config(order_delay=0, pool=NumberPool(5))
    return Backend(store, config), StoreDirectory(store, config)


def _sma(backend: Backend, region: str, name: str) -> str:
    sma = backend.handle(
        "CreateSipMediaApplication",
        region,
        {"AwsRegion": region, "Name": name, "Endpoints": [{"LambdaArn": lambda_arn(region, name)}]},
    )
    return str(sma["SipMediaApplication"]["SipMediaApplicationId"])


def test_directory_reads_rules_applications_and_inventory(setup: tuple[Backend, Directory]) -> None:
    backend, directory = setup
    found = backend.handle("SearchAvailablePhoneNumbers", "us-east-1", {"AreaCode": "425", "MaxResults": 2})
    numbers = found["E164PhoneNumbers"]
    backend.handle(
        "CreatePhoneNumberOrder",
        "us-east-1",
        {"ProductType": "SipMediaApplicationDialIn", "E164PhoneNumbers": numbers},
    )
    east, west = _sma(backend, "us-east-1", "primary"), _sma(backend, "us-west-2", "backup")
    rule = backend.handle(
        "CreateSipRule",
        "us-east-1",
        {
            "Name": "r",
            "TriggerType": "ToPhoneNumber",
            "TriggerValue": numbers[0],
            "TargetApplications": [
                {"SipMediaApplicationId": west, "Priority": 2, "AwsRegion": "us-west-2"},
                {"SipMediaApplicationId": east, "Priority": 1},
            ],
        },
    )["SipRule"]
    vc = backend.handle("CreateVoiceConnector", "us-east-1", {"Name": "pbx", "RequireEncryption": True})
    host = vc["VoiceConnector"]["OutboundHostName"]
    backend.handle(
        "CreateSipRule",
        "us-east-1",
        {
            "Name": "h",
            "TriggerType": "RequestUriHostname",
            "TriggerValue": host,
            "Disabled": True,
            "TargetApplications": [{"SipMediaApplicationId": east, "Priority": 1}],
        },
    )

    assert directory.account_id == "123456789012"
    assert directory.enabled_sip_rules("ToPhoneNumber", numbers[0]) == [
        SipRuleView(
            rule["SipRuleId"],
            "us-east-1",
            "r",
            "ToPhoneNumber",
            numbers[0],
            False,
            (TargetView(east, 1, "us-east-1"), TargetView(west, 2, "us-west-2")),
        )
    ]
    assert directory.enabled_sip_rules("ToPhoneNumber", numbers[1]) == []
    assert directory.enabled_sip_rules("RequestUriHostname", host.upper()) == []  # disabled
    backend.handle(
        "UpdateSipRule",
        "us-east-1",
        {
            "SipRuleId": backend.handle("ListSipRules", "us-east-1", {})["SipRules"][1]["SipRuleId"],
            "Name": "h",
            "Disabled": False,
        },
    )
    assert [r.name for r in directory.enabled_sip_rules("RequestUriHostname", host.upper())] == ["h"]
    assert directory.sip_media_application("us-west-2", west) == SipMediaApplicationView(
        west, "us-west-2", "backup", lambda_arn("us-west-2", "backup")
    )
    assert directory.sip_media_application("us-east-1", west) is None
    assert directory.inventory_phone_number(numbers[0]) == PhoneNumberView(
        numbers[0], "SipMediaApplicationDialIn", "Assigned"
    )
    assert directory.inventory_phone_number(numbers[1]) == PhoneNumberView(
        numbers[1], "SipMediaApplicationDialIn", "Unassigned"
    )
    backend.handle("DeletePhoneNumber", "us-east-1", {"PhoneNumberId": numbers[1]})
    assert directory.inventory_phone_number(numbers[1]) is None
    assert directory.inventory_phone_number("+12065550100") is None


def test_orders_complete_and_releases_expire_lazily_from_timestamps() -> None:
    now = [1_800_000_000.0]
    store = Store()
    config = Config(order_delay=3600, pool=NumberPool(5), clock=lambda: now[0])
    backend, directory = Backend(store, config), StoreDirectory(store, config)
    number = backend.handle(
        "SearchAvailablePhoneNumbers", "us-east-1", {"TollFreePrefix": "866", "MaxResults": 1}
    )["E164PhoneNumbers"][0]
    backend.handle(
        "CreatePhoneNumberOrder",
        "us-east-1",
        {"ProductType": "SipMediaApplicationDialIn", "E164PhoneNumbers": [number]},
    )
    assert directory.inventory_phone_number(number) is None  # still being acquired
    now[0] += 3600  # nothing ran meanwhile: the next read settles the order
    assert directory.inventory_phone_number(number) == PhoneNumberView(
        number, "SipMediaApplicationDialIn", "Unassigned"
    )
    backend.handle("DeletePhoneNumber", "us-east-1", {"PhoneNumberId": number})
    now[0] += 7 * 24 * 3600 - 1
    assert (
        backend.handle("GetPhoneNumber", "us-east-1", {"PhoneNumberId": number})["PhoneNumber"]["Status"]
        == "ReleaseInProgress"
    )
    now[0] += 1  # seven days in the deletion queue: gone for good, and back in the pool
    with pytest.raises(NotFoundError):
        backend.handle("RestorePhoneNumber", "us-east-1", {"PhoneNumberId": number})
    assert (
        number
        in backend.handle(
            "SearchAvailablePhoneNumbers", "us-east-1", {"TollFreePrefix": "866", "MaxResults": 1}
        )["E164PhoneNumbers"]
    )
