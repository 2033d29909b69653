"""Fixtures for the providers' tests: the real dynamic-provider server, configured for the
worker's shared emulator, and small helpers to set up numbers and applications out of band."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeVar

import pytest
from pulumi.dynamic import ConfigureRequest, ResourceProvider
from pulumi.dynamic.config import Config

from providers import adoptions
from testbed.emulator_process import ACCOUNT_ID, RunningEmulator
from tests.providers.harness import DynamicHost
from tests.support.phone_numbers import DIAL_IN, acquire

# Small waits so a test spends its time on behaviour, not on sleeping: order polls and the
# providers' own retry backoff (both read from the environment at call time).
FAST_ENV = {"CHIME_PSTN_ORDER_POLL_SECONDS": "0.05", "CHIME_PSTN_RETRY_BASE_SECONDS": "0.01"}
REGION = "us-east-1"


P = TypeVar("P", bound=ResourceProvider)


def configured(provider: P, emulator: RunningEmulator) -> P:
    """A provider configured as the engine would: stack config aimed at this emulator."""
    provider.configure(ConfigureRequest(Config({"chime-pstn-routing:chimeEndpoint": emulator.url,
                                                "aws:region": REGION}, "chime-pstn-routing")))
    return provider


def lambda_arn(region: str = REGION, name: str = "call-handler") -> str:
    return f"arn:aws:lambda:{region}:{ACCOUNT_ID}:function:{name}"


@pytest.fixture(scope="session")
def dynamic_host(shared_emulator: RunningEmulator) -> Iterator[DynamicHost]:
    host = DynamicHost(env=FAST_ENV)
    try:
        assert host.get_plugin_info()
        host.configure({"chime-pstn-routing:chimeEndpoint": shared_emulator.url, "aws:region": REGION})
        yield host
    finally:
        host.close()


@pytest.fixture(autouse=True)
def new_provider_process() -> None:
    """Each test calls providers as a new `pulumi up` would: with no takeover remembered from an
    earlier test of this worker (`providers.adoptions`)."""
    adoptions.forget()


@pytest.fixture
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in FAST_ENV.items():
        monkeypatch.setenv(key, value)


def order_number(chime: Any, area_code: str = "206", product_type: str = DIAL_IN) -> str:
    """Order one number out of band and wait for it (the shared emulator's orders take 0.2 s)."""
    return acquire(chime, 1, product_type, AreaCode=area_code)[0]


def create_sma(chime: Any, name: str = "target", region: str = REGION) -> str:
    sma = chime.create_sip_media_application(
        AwsRegion=region, Name=name, Endpoints=[{"LambdaArn": lambda_arn(region)}])["SipMediaApplication"]
    return str(sma["SipMediaApplicationId"])
