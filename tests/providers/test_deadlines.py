"""Every wait is bounded in time: against an endpoint that accepts connections and never answers,
each provider operation fails within its deadline, with an error naming the API operation, the
attempts made and the time spent."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from pulumi.dynamic import ConfigureRequest, ResourceProvider
from pulumi.dynamic.config import Config

from providers.errors import ProviderError
from providers.phone_number import PhoneNumberProvider
from providers.sip_media_application import SipMediaApplicationProvider
from providers.sip_rule import SipRuleProvider
from tests.providers.conftest import REGION, lambda_arn
from tests.support.blackhole import blackhole

DEADLINE = 3.0
# What may pass beyond the deadline: building a client and raising, on 2 shared cores.
SLACK = 1.5
SMA_ID = "0b7c7b53-5b0e-4d2e-9a55-2c1f6a3c1e11"
TARGET = {"sip_media_application_id": SMA_ID, "priority": 1, "region": REGION}


def aimed_at(provider: ResourceProvider, url: str, **config: str) -> ResourceProvider:
    provider.configure(ConfigureRequest(Config({"chime-pstn-routing:chimeEndpoint": url, "aws:region": REGION,
                                                **config}, "chime-pstn-routing")))
    return provider


def timed(action: Callable[[], Any], limit: float) -> tuple[BaseException | None, float]:
    """Run `action` in a daemon thread for at most `limit` s: (what it raised, seconds it took);
    a hang fails the test without holding the worker for the old ~18 minutes."""
    outcome: list[BaseException | None] = []
    started = time.monotonic()

    def run() -> None:
        try:
            action()
            outcome.append(None)
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(limit)
    assert outcome, f"still waiting after {limit:g} s"
    return outcome[0], time.monotonic() - started


OPERATIONS: dict[str, tuple[Callable[[], ResourceProvider], Callable[[Any], Any], str]] = {
    "number create": (PhoneNumberProvider,
                      lambda p: p.create({"e164_phone_number": "+12065550100", "order_timeout_seconds": 600}),
                      "GetPhoneNumber"),
    "number search": (PhoneNumberProvider,
                      lambda p: p.create({"search": {"area_code": "206"}, "order_marker": "p.s.n"}),
                      "ListPhoneNumbers"),
    "number delete": (PhoneNumberProvider, lambda p: p.delete("+12065550100", {"region": REGION}),
                      "DeletePhoneNumber"),
    "application create": (SipMediaApplicationProvider,
                           lambda p: p.create({"name": "app", "lambda_arn": lambda_arn(),
                                               "resource_marker": "p.s.app"}),
                           "ListSipMediaApplications"),
    "application read": (SipMediaApplicationProvider, lambda p: p.read(SMA_ID, {"region": REGION}),
                         "GetSipMediaApplication"),
    "rule create": (SipRuleProvider,
                    lambda p: p.create({"name": "r", "trigger_type": "ToPhoneNumber",
                                        "trigger_value": "+12065550100", "targets": [TARGET]}),
                    "ListSipRules"),
    "rule delete": (SipRuleProvider,
                    lambda p: p.delete("rule-id", {"name": "r", "region": REGION, "disabled": True}),
                    "DeleteSipRule"),
}


@pytest.mark.parametrize("case", sorted(OPERATIONS))
def test_a_blackholed_endpoint_fails_within_the_deadline(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    make, action, operation = OPERATIONS[case]
    monkeypatch.setenv("CHIME_PSTN_API_DEADLINE_SECONDS", str(DEADLINE))
    with blackhole() as url:
        provider = aimed_at(make(), url)
        error, took = timed(lambda: action(provider), DEADLINE + 30)
    assert isinstance(error, ProviderError), repr(error)
    assert took <= DEADLINE + SLACK, (took, str(error))
    message = str(error)
    assert operation in message, message
    attempts = re.search(r"(\d+) attempts? in (\d+(?:\.\d+)?) s", message)
    assert attempts is not None, message
    assert int(attempts.group(1)) >= 2 and float(attempts.group(2)) <= DEADLINE + SLACK
    assert "reached max retries" not in message


def test_the_stack_config_sets_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHIME_PSTN_API_DEADLINE_SECONDS", raising=False)
    with blackhole() as url:
        provider = aimed_at(SipMediaApplicationProvider(), url,
                            **{"chime-pstn-routing:apiDeadlineSeconds": "2"})
        error, took = timed(lambda: provider.read(SMA_ID, {"region": REGION}), 40)
    assert isinstance(error, ProviderError) and took <= 2 + SLACK, (took, error)
    assert "deadline 2 s" in str(error)
