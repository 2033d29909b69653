"""Where the providers' clients come from, what they carry, and what they retry."""

from __future__ import annotations

import base64
import re
import subprocess
import sys
from typing import Any

import pytest
from pulumi.dynamic.config import Config

from awsutil import retry
from providers.base import resource_props
from providers.client import Connection, call_with_retries
from providers.errors import ProviderError
from providers.phone_number import PhoneNumberProvider
from providers.sip_media_application import SipMediaApplicationProvider
from providers.sip_rule import SipRuleArgs, SipRuleProvider
from testbed.emulator_process import ROOT, RunningEmulator, running_emulator
from tests.providers.conftest import REGION, configured, create_sma, lambda_arn
from tests.providers.harness import provider_blob


@pytest.mark.parametrize("provider", [PhoneNumberProvider(), SipMediaApplicationProvider(),
                                      SipRuleProvider()])
def test_pickled_provider_is_a_reference_with_nothing_secret(provider: Any) -> None:
    assert provider.serialize_as_secret_always is False
    raw = base64.b64decode(provider_blob(provider))
    assert type(provider).__module__.encode() in raw and type(provider).__name__.encode() in raw
    for leak in (b"testing", b"AWS", b"http", b"boto"):
        assert leak not in raw


def test_resource_props_are_every_args_field_and_the_outputs_unset() -> None:
    args = SipRuleArgs(name="n", trigger_type="ToPhoneNumber", trigger_value="+12065550100", targets=[])
    assert resource_props(args, "sip_rule_id") == {
        "name": "n", "trigger_type": "ToPhoneNumber", "trigger_value": "+12065550100", "targets": [],
        "disabled": False, "region": None, "sip_rule_id": None}


def test_provider_modules_import_without_boto3() -> None:
    code = ("import sys, providers.phone_number, providers.sip_media_application, providers.sip_rule; "
            "print(sorted(m for m in ('boto3', 'botocore') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_without_stack_config_the_standard_aws_environment_is_used(
        emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_CHIME_SDK_VOICE", emulator.url)
    monkeypatch.setenv("AWS_REGION", "us-west-2")
    created = SipMediaApplicationProvider().create({"name": "env", "lambda_arn": lambda_arn("us-west-2")})
    assert created.outs is not None and created.outs["region"] == "us-west-2"
    assert [r["region"] for r in emulator.requests()] == ["us-west-2"]


def test_no_region_anywhere_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    with pytest.raises(ProviderError, match="no AWS Region"):
        Connection().resolve_region()


def test_throttling_is_retried_but_client_errors_are_not(fast_retries: None) -> None:
    from botocore.exceptions import ClientError

    def error(code: str, status: int) -> ClientError:
        response: Any = {"Error": {"Code": code, "Message": "x"},
                         "ResponseMetadata": {"HTTPStatusCode": status}}
        return ClientError(response, "GetSipRule")

    answers: list[Any] = [error("ThrottledClientException", 429), error("ServiceFailureException", 500), "ok"]
    sent: list[int] = []

    def send() -> Any:
        sent.append(1)
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert call_with_retries(send) == "ok" and len(sent) == 3
    answers[:] = [error("BadRequestException", 400), "never"]
    with pytest.raises(ClientError):
        call_with_retries(send)
    assert answers == ["never"]


def test_rule_create_rides_out_the_bad_request_of_a_number_still_arriving(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Until its order completes (1 s here) the number is not in the inventory and CreateSipRule answers
    # BadRequest, as the service does right after an order or a new application. The waits are the
    # policy's without jitter (0.2, 0.4, 0.8 s ...), so the order completes within the create's
    # attempts however loaded the machine is; the first attempt comes long before it completes.
    monkeypatch.setenv("CHIME_PSTN_RETRY_BASE_SECONDS", "0.2")
    monkeypatch.setattr(retry.random, "random", lambda: 1.0)
    with running_emulator(["--order-delay", "1.0"]) as emulator:
        chime = emulator.client()
        sma = create_sma(chime)
        e164 = chime.search_available_phone_numbers(AreaCode="213", MaxResults=1)["E164PhoneNumbers"][0]
        emulator.reset_requests()
        chime.create_phone_number_order(ProductType="SipMediaApplicationDialIn", E164PhoneNumbers=[e164])
        rule = configured(SipRuleProvider(), emulator).create({
            "name": "early", "trigger_type": "ToPhoneNumber", "trigger_value": e164, "region": REGION,
            "targets": [{"sip_media_application_id": sma, "priority": 1, "region": REGION}]})
        statuses = [r["status"] for r in emulator.requests() if r["operation"] == "CreateSipRule"]
        assert statuses[0] == 400 and statuses[-1] == 201 and statuses.count(201) == 1
        assert [r["SipRuleId"] for r in chime.list_sip_rules()["SipRules"]] == [rule.id]


@pytest.mark.parametrize(("config", "message"), [
    ({"chime-pstn-routing:chimeEndpoint": "http://127.0.0.1:8600/?X-Amz-Signature=abc"},
     "must not have a query"),
    ({"chime-pstn-routing:chimeEndpoint": "http://user:pw@127.0.0.1:8600"}, "must not contain credentials"),
    ({"chime-pstn-routing:chimeEndpoint": "http://127.0.0.1:8600\n"}, "plain URL"),
    ({"chime-pstn-routing:apiDeadlineSeconds": "soon"}, "expected a number of seconds"),
    ({"chime-pstn-routing:apiDeadlineSeconds": "\u0661\u0662\u0660"}, "expected a number of seconds"),
    ({"chime-pstn-routing:apiDeadlineSeconds": "0"}, "expected a number of seconds"),
    ({"chime-pstn-routing:apiDeadlineSeconds": "0.5"}, "a number of seconds from 1 to 3600, got '0.5'"),
    ({"chime-pstn-routing:apiDeadlineSeconds": "3600.5"}, "from 1 to 3600, got '3600.5'"),
])
def test_configure_refuses_what_settings_refuse(config: dict[str, str], message: str) -> None:
    # The providers read the raw stack config: they hold the same line as the program's settings.
    with pytest.raises(ProviderError, match=re.escape(message)) as refused:
        Connection.from_config(Config({"aws:region": REGION, **config}, "chime-pstn-routing"))
    assert "abc" not in str(refused.value) and "pw@" not in str(refused.value)


def test_configure_reads_the_deadline() -> None:
    # The range's ends, as the program's settings take them (awsutil.retry.DEADLINE_RANGE).
    for edge in ("1", "3600"):
        deadline = Connection.from_config(Config({"chime-pstn-routing:apiDeadlineSeconds": edge},
                                                 "chime-pstn-routing")).deadline_seconds
        assert deadline == float(edge)
    with pytest.raises(ProviderError) as refused:  # a long value is quoted in its first 60 characters
        Connection.from_config({"chime-pstn-routing:apiDeadlineSeconds": "9" * 100})
    assert str(refused.value).endswith(f"got {'9' * 60!r}")
    connection = Connection.from_config(Config({"chime-pstn-routing:apiDeadlineSeconds": "42.5"},
                                               "chime-pstn-routing"))
    assert connection.deadline_seconds == 42.5
    assert Connection.from_config(Config({}, "chime-pstn-routing")).deadline_seconds is None
