"""Model-driven routing and validation: every constraint kind rejected, naming the field."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest
from botocore.loaders import Loader

from awsutil.service_model import service_model
from emulator.backend import OPERATIONS
from emulator.routes import route_table
from testbed.emulator_process import RunningEmulator
from tests.emulator.helpers import lambda_arn, raises_code, unvalidated

SMA_ID = "00000000-0000-4000-8000-000000000000"


def test_every_model_operation_routes_to_itself() -> None:
    table = route_table()
    model = service_model()
    for name in model.operation_names:
        http = model.operation_model(name).http
        path, _, fixed = http["requestUri"].partition("?")
        concrete = path.replace("{", "").replace("}", "")  # each label's own name stands in as its value
        query = {k: [v] for k, v in (p.split("=", 1) for p in fixed.split("&") if p)}
        found = table.match(http["method"], concrete, query)
        assert found is not None and found[0].name == name, name


def test_paths_outside_the_model_match_no_route() -> None:
    table = route_table()
    found = table.match("GET", "/sip-media-applications/abc", {})
    assert found is not None and found[0].name == "GetSipMediaApplication" and found[1] == {
        "sipMediaApplicationId": "abc"}
    assert table.match("GET", "/sip-media-applications/abc/extra/more", {}) is None
    assert table.match("GET", "/no-such-resource/abc", {}) is None
    assert table.match("GET", "/", {}) is None
    assert table.match("PATCH", "/sip-media-applications/abc", {}) is None


def test_the_issue_operations_are_all_emulated() -> None:
    wanted = {
        "SearchAvailablePhoneNumbers",
        "CreatePhoneNumberOrder",
        "GetPhoneNumberOrder",
        "ListPhoneNumberOrders",
        "ListPhoneNumbers",
        "GetPhoneNumber",
        "UpdatePhoneNumber",
        "DeletePhoneNumber",
        "RestorePhoneNumber",
        "BatchUpdatePhoneNumber",
        "BatchDeletePhoneNumber",
        "ListSupportedPhoneNumberCountries",
        "GetPhoneNumberSettings",
        "UpdatePhoneNumberSettings",
        "CreateSipMediaApplication",
        "GetSipMediaApplication",
        "ListSipMediaApplications",
        "UpdateSipMediaApplication",
        "DeleteSipMediaApplication",
        "PutSipMediaApplicationLoggingConfiguration",
        "GetSipMediaApplicationLoggingConfiguration",
        "CreateSipRule",
        "GetSipRule",
        "ListSipRules",
        "UpdateSipRule",
        "DeleteSipRule",
        "CreateSipMediaApplicationCall",
        "UpdateSipMediaApplicationCall",
        "CreateVoiceConnector",
        "GetVoiceConnector",
        "ListVoiceConnectors",
        "DeleteVoiceConnector",
        "UpdateVoiceConnector",
        "ListAvailableVoiceConnectorRegions",
        "PutVoiceConnectorLoggingConfiguration",
        "GetVoiceConnectorLoggingConfiguration",
        "AssociatePhoneNumbersWithVoiceConnector",
        "DisassociatePhoneNumbersFromVoiceConnector",
        "TagResource",
        "UntagResource",
        "ListTagsForResource",
    }
    assert set(OPERATIONS) == wanted
    raw = Loader().load_service_model("chime-sdk-voice", "service-2")
    assert wanted <= set(raw["operations"])


# (operation, arguments, field named in the message, constraint words)
CASES: list[tuple[str, dict[str, Any], str, str]] = [
    (
        "create_sip_media_application",  # pattern, matched against the whole value
        {"AwsRegion": "us-east-1", "Name": "bad*name", "Endpoints": [{"LambdaArn": lambda_arn()}]},
        "Value 'bad*name' at 'name'",
        "Member must satisfy regular expression pattern: [a-zA-Z0-9 _.-]+",
    ),
    (
        "create_sip_media_application",  # max length
        {"AwsRegion": "us-east-1", "Name": "n" * 257, "Endpoints": [{"LambdaArn": lambda_arn()}]},
        "at 'name'",
        "Member must have length less than or equal to 256",
    ),
    (
        "create_sip_media_application",  # min length
        {"AwsRegion": "us-east-1", "Name": "", "Endpoints": [{"LambdaArn": lambda_arn()}]},
        "at 'name'",
        "Member must have length greater than or equal to 1",
    ),
    (
        "create_sip_media_application",  # list max size
        {"AwsRegion": "us-east-1", "Name": "a", "Endpoints": [{"LambdaArn": lambda_arn()}] * 2},
        "at 'endpoints'",
        "Member must have length less than or equal to 1",
    ),
    (
        "create_sip_media_application",  # list min size
        {"AwsRegion": "us-east-1", "Name": "a", "Endpoints": []},
        "at 'endpoints'",
        "Member must have length greater than or equal to 1",
    ),
    (
        "create_sip_media_application",  # nested pattern, sensitive value not echoed
        {
            "AwsRegion": "us-east-1",
            "Name": "a",
            "Endpoints": [{"LambdaArn": "arn:aws:lambda:us-east-1:1:function:f"}],
        },
        "Value at 'endpoints.1.member.lambdaArn'",
        "Member must satisfy regular expression pattern",
    ),
    (
        "create_sip_media_application",  # required
        {"AwsRegion": "us-east-1", "Endpoints": [{"LambdaArn": lambda_arn()}]},
        "Value null at 'name'",
        "Member must not be null",
    ),
    (
        "create_sip_media_application",  # type
        {"AwsRegion": "us-east-1", "Name": 5, "Endpoints": [{"LambdaArn": lambda_arn()}]},
        "Value '5' at 'name'",
        "Member must be of type string",
    ),
    (
        "create_phone_number_order",  # enum
        {"ProductType": "Business", "E164PhoneNumbers": ["+12065550100"]},
        "Value 'Business' at 'productType'",
        "Member must satisfy enum value set: [VoiceConnector, SipMediaApplicationDialIn]",
    ),
    (
        "list_sip_media_applications",  # integer max (querystring)
        {"MaxResults": 500},
        "Value '500' at 'maxResults'",
        "Member must have value less than or equal to 100",
    ),
    (
        "list_sip_rules",  # integer min (querystring)
        {"MaxResults": 0},
        "Value '0' at 'maxResults'",
        "Member must have value greater than or equal to 1",
    ),
    (
        "search_available_phone_numbers",  # anchored pattern in the model
        {"TollFreePrefix": "899"},
        "Value '899' at 'tollFreePrefix'",
        "^8(00|33|44|55|66|77|88)$",
    ),
    (
        "search_available_phone_numbers",  # pattern needs the whole value: 'USA' contains 'US'
        {"Country": "USA"},
        "Value 'USA' at 'country'",
        "Member must satisfy regular expression pattern: [A-Z]{2}",
    ),
    (
        "create_sip_media_application_call",  # map max size
        {
            "SipMediaApplicationId": SMA_ID,
            "FromPhoneNumber": "+12065550100",
            "ToPhoneNumber": "+12065550101",
            "SipHeaders": {f"X-{i}": "v" for i in range(21)},
        },
        "at 'sipHeaders'",
        "Member must have length less than or equal to 20",
    ),
    (
        "create_sip_rule",  # nested integer min, list max
        {
            "Name": "r",
            "TriggerType": "ToPhoneNumber",
            "TriggerValue": "+12065550100",
            "TargetApplications": [{"SipMediaApplicationId": SMA_ID, "Priority": 0}],
        },
        "Value '0' at 'targetApplications.1.member.priority'",
        "Member must have value greater than or equal to 1",
    ),
    (
        "create_sip_rule",
        {
            "Name": "r",
            "TriggerType": "ToPhoneNumber",
            "TriggerValue": "+12065550100",
            "TargetApplications": [{"SipMediaApplicationId": SMA_ID, "Priority": 1}] * 26,
        },
        "at 'targetApplications'",
        "Member must have length less than or equal to 25",
    ),
    (
        "create_sip_rule",  # boolean type
        {
            "Name": "r",
            "TriggerType": "ToPhoneNumber",
            "TriggerValue": "+12065550100",
            "Disabled": "yes",
            "TargetApplications": [{"SipMediaApplicationId": SMA_ID, "Priority": 1}],
        },
        "at 'disabled'",
        "Member must be of type boolean",
    ),
    (
        "update_phone_number",  # alternation pattern
        {"PhoneNumberId": "+12065550100", "CallingName": "x"},
        "at 'callingName'",
        "^$|^[a-zA-Z0-9 ]{2,15}$",
    ),
    (
        "get_phone_number_order",  # URI label pattern
        {"PhoneNumberOrderId": "abcd1234-5678-90ab-cdef-EXAMPLE55555"},
        "Value 'abcd1234-5678-90ab-cdef-EXAMPLE55555' at 'phoneNumberOrderId'",
        "Member must satisfy regular expression pattern",
    ),
    (
        "create_voice_connector",  # enum in a body member
        {"Name": "vc", "RequireEncryption": True, "AwsRegion": "mars-north-1"},
        "Value 'mars-north-1' at 'awsRegion'",
        "Member must satisfy enum value set",
    ),
]


@pytest.mark.parametrize(
    ("operation", "arguments", "field", "constraint"), CASES, ids=[f"{c[0]}-{c[2][:30]}" for c in CASES]
)
def test_constraints_are_enforced_by_the_server(
    emulator: RunningEmulator, operation: str, arguments: dict[str, Any], field: str, constraint: str
) -> None:
    raw = unvalidated(emulator.client())
    with raises_code("BadRequestException", status=400) as error:
        getattr(raw, operation)(**arguments)
    message = error["Message"]
    assert message.startswith(("1 validation error detected: ", "2 validation errors detected: "))
    assert field in message and constraint in message, message
    assert emulator.requests()[-1]["status"] == 400


def test_a_failed_validation_changes_nothing(chime: Any) -> None:
    with raises_code("BadRequestException"):
        chime.create_sip_media_application(
            AwsRegion="us-east-1", Name="bad*name", Endpoints=[{"LambdaArn": lambda_arn()}]
        )
    assert chime.list_sip_media_applications()["SipMediaApplications"] == []


def test_phone_numbers_are_never_echoed_in_messages(chime: Any) -> None:
    raw = unvalidated(chime)
    with raises_code("BadRequestException") as error:
        raw.create_phone_number_order(ProductType="VoiceConnector", E164PhoneNumbers=["+1206555010x"])
    assert "+1206555010x" not in error["Message"] and "e164PhoneNumbers.1.member" in error["Message"]


def test_operations_outside_the_issue_answer_not_emulated(chime: Any) -> None:
    with raises_code("BadRequestException", status=400, mentions="not emulated"):
        chime.get_global_settings()
    with raises_code("BadRequestException", mentions="GetVoiceConnectorTermination is not emulated"):
        chime.get_voice_connector_termination(VoiceConnectorId="abcdefghijklmnopqrstuv")


def _raw(
    emulator: RunningEmulator, method: str, path: str, headers: dict[str, str], body: bytes | None = None
) -> tuple[int, dict[str, Any], dict[str, str]]:
    request = urllib.request.Request(emulator.url + path, method=method, headers=headers, data=body)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"{}"), dict(response.headers)
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"{}"), dict(err.headers)


def test_unsigned_requests_and_unknown_paths(emulator: RunningEmulator) -> None:
    status, body, headers = _raw(emulator, "GET", "/sip-media-applications", {})
    assert status == 401 and headers["x-amzn-ErrorType"] == "UnauthorizedClientException" and body["Message"]
    signed = {
        "Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-2/chime/aws4_request, "
        "SignedHeaders=host, Signature=00"
    }
    status, body, headers = _raw(emulator, "GET", "/sip-media-applications", signed)
    assert status == 200 and body == {"SipMediaApplications": []}
    assert emulator.requests()[-1] == {
        "operation": "ListSipMediaApplications",
        "status": 200,
        "region": "eu-west-2",
        "fault": None,
    }
    status, body, headers = _raw(emulator, "GET", "/no-such-thing", signed)
    assert status == 404 and headers["x-amzn-ErrorType"] == "UnknownOperationException"


def test_a_body_that_is_not_a_json_object_is_a_bad_request(emulator: RunningEmulator) -> None:
    signed = {"Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/chime/aws4_request, "
                               "SignedHeaders=host, Signature=00", "Content-Type": "application/json"}
    for body in (b"{not json", b"[1, 2]"):
        status, answer, headers = _raw(emulator, "POST", "/sip-media-applications", signed, body)
        assert status == 400 and headers["x-amzn-ErrorType"] == "BadRequestException", answer
        assert "JSON" in answer["Message"]
