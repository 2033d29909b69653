"""Small helpers shared by the emulator's API tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from testbed.emulator_process import ACCOUNT_ID, RunningEmulator
from tests.support.phone_numbers import DIAL_IN, acquire, wait_order

# Re-exported for the emulator tests; they live in tests/support because the simulator's tests use them too.
__all__ = ["DIAL_IN", "acquire", "wait_order"]


def lambda_arn(region: str = "us-east-1", name: str = "handler", account: str = ACCOUNT_ID) -> str:
    return f"arn:aws:lambda:{region}:{account}:function:{name}"


@contextmanager
def raises_code(
    code: str, *, status: int | None = None, mentions: str | None = None
) -> Iterator[dict[str, Any]]:
    """Assert the block fails with this service error code (and HTTP status / message text).
    Yields a dict that holds the error (`Code`, `Message`) once the block has failed."""
    seen: dict[str, Any] = {}
    with pytest.raises(ClientError) as caught:
        yield seen
    error = caught.value.response["Error"]
    seen.update(error)
    assert error["Code"] == code, caught.value.response
    if status is not None:
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == status
    if mentions is not None:
        assert mentions in error["Message"], error["Message"]


def create_sma(
    chime: Any, name: str = "app", region: str = "us-east-1", account: str = ACCOUNT_ID
) -> dict[str, Any]:
    result = chime.create_sip_media_application(
        AwsRegion=region, Name=name, Endpoints=[{"LambdaArn": lambda_arn(region, account=account)}]
    )
    return dict(result["SipMediaApplication"])


def rule_for(chime: Any, number: str, sma_id: str, name: str = "rule", **extra: Any) -> dict[str, Any]:
    result = chime.create_sip_rule(
        Name=name,
        TriggerType="ToPhoneNumber",
        TriggerValue=number,
        TargetApplications=[{"SipMediaApplicationId": sma_id, "Priority": 1, "AwsRegion": "us-east-1"}],
        **extra,
    )
    return dict(result["SipRule"])


def unvalidated(chime: Any) -> Any:
    """The same endpoint and Region without botocore's client-side checks (required, types, min),
    to show the server enforcing them itself."""
    return boto3.client(
        "chime-sdk-voice",
        endpoint_url=chime.meta.endpoint_url,
        region_name=chime.meta.region_name,
        config=Config(parameter_validation=False, retries={"total_max_attempts": 1}),
    )


def no_retry_client(emulator: RunningEmulator, region: str = "us-east-1") -> Any:
    """Exactly one attempt per call. (botocore's `retries.max_attempts` counts RETRIES, not attempts,
    so `RunningEmulator.client(retries=0)` still retries once; `total_max_attempts` is the total.)"""
    return boto3.client(
        "chime-sdk-voice",
        endpoint_url=emulator.url,
        region_name=region,
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
    )
