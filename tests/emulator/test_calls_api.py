"""CreateSipMediaApplicationCall / UpdateSipMediaApplicationCall: validated by the API layer.

Through the server they reach the call simulator when `emulator.calls` is present; the backend's
own fallback (record the call when there is no simulator) is exercised in-process.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from emulator.backend import Backend
from emulator.backend.service_config import Config
from emulator.errors import BadRequestError, NotFoundError
from emulator.pool import NumberPool
from emulator.store import Store
from tests.emulator.helpers import acquire, create_sma, lambda_arn, raises_code

GUID = re.compile(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}")


def test_outbound_call_is_validated_before_it_reaches_the_simulator(chime: Any) -> None:
    (number,) = acquire(chime, 1)
    (other,) = acquire(chime, 1, product="VoiceConnector", AreaCode="303")
    sma = create_sma(chime)
    ident = sma["SipMediaApplicationId"]
    with raises_code("BadRequestException", status=400, mentions="sipMediaApplicationId"):
        chime.create_sip_media_application_call(
            SipMediaApplicationId="00000000-0000-4000-8000-000000000000",
            FromPhoneNumber=number,
            ToPhoneNumber="+12065550102",
        )
    with raises_code("BadRequestException", mentions="inventory"):
        chime.create_sip_media_application_call(
            SipMediaApplicationId=ident, FromPhoneNumber="+12065550100", ToPhoneNumber="+12065550102"
        )
    with raises_code("BadRequestException", mentions="SipMediaApplicationDialIn"):
        chime.create_sip_media_application_call(
            SipMediaApplicationId=ident, FromPhoneNumber=other, ToPhoneNumber="+12065550102"
        )
    with raises_code("BadRequestException", mentions="argumentsMap"):
        chime.create_sip_media_application_call(
            SipMediaApplicationId=ident,
            FromPhoneNumber=number,
            ToPhoneNumber="+12065550102",
            ArgumentsMap={f"k{i}": "v" for i in range(21)},
        )
    with raises_code("NotFoundException", status=404):
        chime.update_sip_media_application_call(
            SipMediaApplicationId=ident,
            TransactionId="00000000-0000-4000-8000-000000000000",
            Arguments={"action": "x"},
        )
    with raises_code("NotFoundException"):
        chime.update_sip_media_application_call(
            SipMediaApplicationId="00000000-0000-4000-8000-000000000000",
            TransactionId="00000000-0000-4000-8000-000000000000",
            Arguments={},
        )


@pytest.mark.parametrize(("headers", "mentions"), [
    ({"X-Amzn-Trace": "1"}, "X-Amzn-Trace"),  # an internal prefix
    ({"P-Asserted-Identity": "<sip:a@b>"}, "P-Asserted-Identity"),  # not x-, User-to-User or Diversion
    ({"X-Long": "v" * 2049}, "X-Long"),  # values are at most 2,048 characters
])
def test_outbound_call_sip_headers_follow_the_using_sip_headers_page(chime: Any, headers: dict[str, str],
                                                                     mentions: str) -> None:
    (number,) = acquire(chime, 1)
    ident = create_sma(chime)["SipMediaApplicationId"]
    with raises_code("BadRequestException", status=400, mentions=mentions):
        chime.create_sip_media_application_call(SipMediaApplicationId=ident, FromPhoneNumber=number,
                                                ToPhoneNumber="+12065550102", SipHeaders=headers)
    accepted = {"X-Case": "42", "User-to-User": "616d;encoding=hex", "Diversion": "<sip:+1@x>",
                "X-Max": "v" * 2048}
    answer = chime.create_sip_media_application_call(SipMediaApplicationId=ident, FromPhoneNumber=number,
                                                     ToPhoneNumber="+12065550102", SipHeaders=accepted)
    assert GUID.fullmatch(answer["SipMediaApplicationCall"]["TransactionId"])


@pytest.fixture
def backend() -> Backend:
    return Backend(Store(), Config(order_delay=0, pool=NumberPool(3)))


def test_without_the_simulator_calls_are_recorded_and_updatable(backend: Backend) -> None:
    numbers = backend.handle("SearchAvailablePhoneNumbers", "us-east-1", {"AreaCode": "617", "MaxResults": 1})
    backend.handle(
        "CreatePhoneNumberOrder",
        "us-east-1",
        {"ProductType": "SipMediaApplicationDialIn", "E164PhoneNumbers": numbers["E164PhoneNumbers"]},
    )
    sma = backend.handle(
        "CreateSipMediaApplication",
        "us-east-1",
        {"AwsRegion": "us-east-1", "Name": "a", "Endpoints": [{"LambdaArn": lambda_arn()}]},
    )["SipMediaApplication"]
    call = backend.handle(
        "CreateSipMediaApplicationCall",
        "us-east-1",
        {
            "SipMediaApplicationId": sma["SipMediaApplicationId"],
            "FromPhoneNumber": numbers["E164PhoneNumbers"][0],
            "ToPhoneNumber": "+12065550102",
            "ArgumentsMap": {"a": "1"},
        },
    )
    txn = call["SipMediaApplicationCall"]["TransactionId"]
    assert GUID.fullmatch(txn)
    updated = backend.handle(
        "UpdateSipMediaApplicationCall",
        "us-east-1",
        {
            "SipMediaApplicationId": sma["SipMediaApplicationId"],
            "TransactionId": txn,
            "Arguments": {"b": "2"},
        },
    )
    assert updated == {"SipMediaApplicationCall": {"TransactionId": txn}}
    with pytest.raises(NotFoundError):
        backend.handle(
            "UpdateSipMediaApplicationCall",
            "us-west-2",
            {"SipMediaApplicationId": sma["SipMediaApplicationId"], "TransactionId": txn, "Arguments": {}},
        )
    with pytest.raises(NotFoundError):
        backend.handle(
            "UpdateSipMediaApplicationCall",
            "us-east-1",
            {
                "SipMediaApplicationId": sma["SipMediaApplicationId"],
                "TransactionId": "txn-unknown",
                "Arguments": {},
            },
        )
    with pytest.raises(BadRequestError):
        backend.handle(
            "CreateSipMediaApplicationCall",
            "us-east-1",
            {
                "SipMediaApplicationId": sma["SipMediaApplicationId"],
                "FromPhoneNumber": "+12065550100",
                "ToPhoneNumber": "+12065550102",
            },
        )
