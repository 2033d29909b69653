"""Outbound calling names, named after the pages they come from: UpdatePhoneNumber and
BatchUpdatePhoneNumber (API reference: one detail at a time, pending updates must complete first,
no duplicate ids), Get/UpdatePhoneNumberSettings (the default name, once every seven days), and
the Administrator Guide's "Setting outbound calling names" (toll-based numbers only, every seven
days). Time-driven rules run in-process on an injected clock; one test crosses the wire.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from emulator.backend import Backend
from emulator.backend.service_config import Config
from emulator.errors import BadRequestError, ConflictError
from emulator.pool import NumberPool
from emulator.store import Store
from testbed.emulator_process import running_emulator
from tests.emulator.helpers import acquire, raises_code

DAY = 24 * 3600.0
DELAY = 60.0  # the calling-name delay of the in-process backend


class Clocked:
    """A backend on its own store whose clock the test moves."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0
        self.backend = Backend(Store(), Config(order_delay=0, calling_name_delay=DELAY, pool=NumberPool(5),
                                               clock=lambda: self.now))

    def call(self, operation: str, **params: Any) -> Any:
        return self.backend.handle(operation, "us-east-1", params)

    def numbers(self, count: int = 1, **search: Any) -> list[str]:
        found = self.call("SearchAvailablePhoneNumbers", MaxResults=count, **(search or {"AreaCode": "206"}))
        numbers = list(found["E164PhoneNumbers"])
        self.call("CreatePhoneNumberOrder", ProductType="SipMediaApplicationDialIn", E164PhoneNumbers=numbers)
        return numbers

    def number(self, e164: str) -> dict[str, Any]:
        return dict(self.call("GetPhoneNumber", PhoneNumberId=e164)["PhoneNumber"])

    def later(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clocked() -> Iterator[Clocked]:
    env = Clocked()
    yield env
    env.backend.store.close()


def test_api_update_phone_number_calling_name_is_in_progress_then_succeeds(clocked: Clocked) -> None:
    (number,) = clocked.numbers()
    assert clocked.number(number)["CallingNameStatus"] == "Unassigned"
    updated = clocked.call("UpdatePhoneNumber", PhoneNumberId=number, CallingName="Acme Sales")["PhoneNumber"]
    assert (updated["CallingName"], updated["CallingNameStatus"]) == ("Acme Sales", "UpdateInProgress")
    clocked.later(DELAY - 1)
    assert clocked.number(number)["CallingNameStatus"] == "UpdateInProgress"
    clocked.later(1)
    done = clocked.number(number)
    assert (done["CallingName"], done["CallingNameStatus"]) == ("Acme Sales", "UpdateSucceeded")
    assert done["UpdatedTimestamp"] == updated["UpdatedTimestamp"] + DELAY
    # Listing settles the same way as a Get.
    listed = clocked.call("ListPhoneNumbers")["PhoneNumbers"]
    assert [n["CallingNameStatus"] for n in listed] == ["UpdateSucceeded"]


def test_api_update_phone_number_pending_update_must_complete_first(clocked: Clocked) -> None:
    (number,) = clocked.numbers()
    clocked.call("UpdatePhoneNumber", PhoneNumberId=number, CallingName="Acme Sales")
    with pytest.raises(ConflictError, match="still in progress"):
        clocked.call("UpdatePhoneNumber", PhoneNumberId=number, CallingName="Acme Support")
    # The other details are not held up by a pending calling name.
    renamed = clocked.call("UpdatePhoneNumber", PhoneNumberId=number, Name="sales")["PhoneNumber"]
    assert renamed["Name"] == "sales"
    assert clocked.number(number)["CallingName"] == "Acme Sales"


def test_ag_calling_name_every_seven_days(clocked: Clocked) -> None:
    (number,) = clocked.numbers()
    clocked.call("UpdatePhoneNumber", PhoneNumberId=number, CallingName="Acme Sales")
    clocked.later(DAY)
    assert clocked.number(number)["CallingNameStatus"] == "UpdateSucceeded"
    with pytest.raises(ConflictError, match="once every seven days"):
        clocked.call("UpdatePhoneNumber", PhoneNumberId=number, CallingName="Acme Support")
    clocked.later(6 * DAY)  # seven days after the first update
    again = clocked.call("UpdatePhoneNumber", PhoneNumberId=number, CallingName="Acme Support")["PhoneNumber"]
    assert (again["CallingName"], again["CallingNameStatus"]) == ("Acme Support", "UpdateInProgress")


def test_api_update_phone_number_empty_calling_name_clears_it(clocked: Clocked) -> None:
    (number,) = clocked.numbers()
    clocked.call("UpdatePhoneNumber", PhoneNumberId=number, CallingName="Acme Sales")
    clocked.later(7 * DAY)
    cleared = clocked.call("UpdatePhoneNumber", PhoneNumberId=number, CallingName="")["PhoneNumber"]
    assert cleared["CallingNameStatus"] == "UpdateInProgress"
    clocked.later(DELAY)
    done = clocked.number(number)
    assert done["CallingNameStatus"] == "Unassigned" and "CallingName" not in done


def test_ag_calling_names_apply_to_toll_based_numbers_only(clocked: Clocked) -> None:
    (toll_free,) = clocked.numbers(TollFreePrefix="844")
    with pytest.raises(BadRequestError, match="toll-free"):
        clocked.call("UpdatePhoneNumber", PhoneNumberId=toll_free, CallingName="Acme Sales")
    assert clocked.number(toll_free)["CallingNameStatus"] == "Unassigned"


def test_api_phone_number_settings_default_calling_name(clocked: Clocked) -> None:
    assert clocked.call("GetPhoneNumberSettings") == {}
    assert clocked.call("UpdatePhoneNumberSettings", CallingName="Acme") == {}
    assert clocked.call("GetPhoneNumberSettings") == {"CallingName": "Acme",
                                                      "CallingNameUpdatedTimestamp": clocked.now}
    clocked.later(7 * DAY - 1)
    with pytest.raises(BadRequestError, match="once every seven days"):
        clocked.call("UpdatePhoneNumberSettings", CallingName="Acme Corp")
    clocked.later(1)
    clocked.call("UpdatePhoneNumberSettings", CallingName="Acme Corp")
    assert clocked.call("GetPhoneNumberSettings")["CallingName"] == "Acme Corp"


def test_api_batch_update_phone_number_reports_each_failure_and_applies_the_rest(clocked: Clocked) -> None:
    local = clocked.numbers(3)
    (toll_free,) = clocked.numbers(TollFreePrefix="844")
    clocked.call("UpdatePhoneNumber", PhoneNumberId=local[2], CallingName="Acme Sales")  # now pending
    answer = clocked.call("BatchUpdatePhoneNumber", UpdatePhoneNumberRequestItems=[
        {"PhoneNumberId": local[0], "CallingName": "Acme Support"},
        {"PhoneNumberId": local[1], "Name": "front desk"},
        {"PhoneNumberId": local[2], "CallingName": "Acme Other"},
        {"PhoneNumberId": toll_free, "CallingName": "Acme Free"},
        {"PhoneNumberId": "+18005550100", "Name": "nobody"},
    ])
    errors = {(e["PhoneNumberId"], e["ErrorCode"]) for e in answer["PhoneNumberErrors"]}
    assert errors == {(local[2], "Conflict"), (toll_free, "BadRequest"), ("+18005550100", "NotFound")}
    assert all(e["ErrorMessage"] for e in answer["PhoneNumberErrors"])
    assert clocked.number(local[0])["CallingNameStatus"] == "UpdateInProgress"
    assert clocked.number(local[1])["Name"] == "front desk"
    assert clocked.number(local[2])["CallingName"] == "Acme Sales"  # the failed item changed nothing


def test_api_batch_update_phone_number_one_attribute_per_item(clocked: Clocked) -> None:
    (number,) = clocked.numbers()
    answer = clocked.call("BatchUpdatePhoneNumber", UpdatePhoneNumberRequestItems=[
        {"PhoneNumberId": number, "Name": "x", "CallingName": "Acme"},
        {"PhoneNumberId": clocked.numbers()[0]},
    ])
    assert [e["ErrorCode"] for e in answer["PhoneNumberErrors"]] == ["BadRequest", "BadRequest"]
    assert "Name" not in clocked.number(number)


def test_api_batch_update_phone_number_no_duplicate_ids(clocked: Clocked) -> None:
    (number,) = clocked.numbers()
    with pytest.raises(BadRequestError, match="more than once") as refused:
        clocked.call("BatchUpdatePhoneNumber", UpdatePhoneNumberRequestItems=[
            {"PhoneNumberId": number, "Name": "a"}, {"PhoneNumberId": number, "CallingName": "Acme"}])
    assert number not in refused.value.message  # phone numbers are sensitive: never echoed
    assert "Name" not in clocked.number(number)  # the whole request failed


def _eventually(read: Callable[[], Any], wanted: Any, timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while (value := read()) != wanted and time.monotonic() < deadline:
        time.sleep(0.05)
    return value


def test_calling_name_progression_and_settings_over_the_wire() -> None:
    with running_emulator(["--calling-name-delay", "0.3", "--order-delay", "0"]) as emulator:
        chime = emulator.client()
        (number,) = acquire(chime, 1)
        updated = chime.update_phone_number(PhoneNumberId=number, CallingName="Acme Sales")
        assert updated["PhoneNumber"]["CallingNameStatus"] == "UpdateInProgress"
        status = _eventually(
            lambda: chime.get_phone_number(PhoneNumberId=number)["PhoneNumber"]["CallingNameStatus"],
            "UpdateSucceeded")
        assert status == "UpdateSucceeded"
        assert "CallingName" not in chime.get_phone_number_settings()
        response = chime.update_phone_number_settings(CallingName="Acme")
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
        settings = chime.get_phone_number_settings()
        assert settings["CallingName"] == "Acme" and settings["CallingNameUpdatedTimestamp"].year >= 2024
        with raises_code("BadRequestException", mentions="seven days"):
            chime.update_phone_number_settings(CallingName="Other")
        with raises_code("ConflictException", mentions="seven days"):
            chime.update_phone_number(PhoneNumberId=number, CallingName="Acme Support")
        batch = chime.batch_update_phone_number(UpdatePhoneNumberRequestItems=[
            {"PhoneNumberId": number, "Name": "main line"},
            {"PhoneNumberId": "+18005550100", "Name": "other"}])
        assert [e["ErrorCode"] for e in batch["PhoneNumberErrors"]] == ["NotFound"]
        assert chime.get_phone_number(PhoneNumberId=number)["PhoneNumber"]["Name"] == "main line"
