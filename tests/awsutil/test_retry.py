"""The one retry loop, its time budget, and the two budgets it runs with."""

from __future__ import annotations

import time
from typing import Any

import pytest

from awsutil.classify import describe
from awsutil.retry import OPERATOR, PROVISIONING, RetriesExhausted, RetryPolicy

# How late a sleep may wake on 2 shared cores: the deadline is checked before each wait.
LATE = 0.25
FAST = RetryPolicy(deadline_seconds=0.5, cap_seconds=8.0, jitter=False, connect_timeout=5.0,
                   read_timeout=20.0, base_env="TEST_RETRY_BASE", deadline_env="TEST_RETRY_DEADLINE",
                   base_seconds=0.01)


def test_waits_double_up_to_the_cap_with_or_without_jitter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(OPERATOR.base_env, raising=False)
    assert [OPERATOR.delay(n) for n in range(6)] == [1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    monkeypatch.setenv(PROVISIONING.base_env, "1")
    for attempt in range(8):
        assert 0.0 <= PROVISIONING.delay(attempt) <= min(2.0**attempt, PROVISIONING.cap_seconds)
    assert len({PROVISIONING.delay(5) for _ in range(20)}) > 1  # jittered
    # A shorter first wait shortens the cap with it (tests and benchmarks compress time).
    monkeypatch.setenv(OPERATOR.base_env, "0.01")
    assert [OPERATOR.delay(n) for n in range(6)] == pytest.approx([0.01, 0.02, 0.04, 0.08, 0.08, 0.08])


def _failing(kind: str, sent: list[float], pause: float = 0.0) -> Any:
    def send() -> str:
        sent.append(time.monotonic())
        time.sleep(pause)
        raise ValueError(kind)

    return send


def test_only_retryable_errors_are_repeated_and_the_budget_is_time(monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[float] = []
    started = time.monotonic()
    with pytest.raises(RetriesExhausted) as exhausted:
        FAST.call(_failing("again", sent), lambda err: str(err) == "again", "GetSipRule")
    took = time.monotonic() - started
    # Waits of 10, 20, 40, 80 ms, then 80 ms each: several attempts, all within the deadline.
    assert 3 <= len(sent) <= 12 and took <= FAST.deadline_seconds + LATE
    error = exhausted.value
    assert error.attempts == len(sent) and isinstance(error.last, ValueError)
    assert str(error).startswith(f"GetSipRule: gave up after {len(sent)} attempts in ")
    assert "(deadline 0.5 s); last error: again" in str(error)

    sent.clear()
    with pytest.raises(ValueError, match="stop"):
        FAST.call(_failing("stop", sent), lambda err: str(err) == "again", "GetSipRule")
    assert len(sent) == 1


def test_a_slow_attempt_is_not_started_when_it_could_not_end_in_time() -> None:
    # Each attempt hangs 0.3 s (as against an endpoint that never answers, until the read timeout):
    # after the first, another fits only while 0.3 s plus the wait remain.
    sent: list[float] = []
    started = time.monotonic()
    with pytest.raises(RetriesExhausted) as exhausted:
        FAST.call(_failing("hung", sent, pause=0.3), lambda err: True, "ListSipRules", deadline=0.8)
    took = time.monotonic() - started
    assert took <= 0.8 + LATE and exhausted.value.attempts == len(sent) in (1, 2)


def test_the_deadline_comes_from_config_then_environment_then_default(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PROVISIONING.deadline_env, raising=False)
    assert PROVISIONING.deadline() == 300.0 and OPERATOR.deadline() == 30.0
    monkeypatch.setenv(PROVISIONING.deadline_env, "12")
    assert PROVISIONING.deadline() == 12.0 and PROVISIONING.deadline(40) == 40.0


def test_timeouts_fit_several_attempts_into_a_short_deadline() -> None:
    assert PROVISIONING.timeouts(300) == (5.0, 20.0)
    assert PROVISIONING.timeouts(4) == (0.5, 1.0)
    config = PROVISIONING.client_config(4)
    assert (config.connect_timeout, config.read_timeout) == (0.5, 1.0)
    assert config.retries == {"mode": "standard", "total_max_attempts": 1}


def test_an_operation_inside_another_ends_by_the_outer_deadline() -> None:
    sent: list[float] = []
    started = time.monotonic()
    with FAST.operation("create", deadline=0.3), pytest.raises(RetriesExhausted):
        FAST.call(_failing("again", sent), lambda err: True, "ListSipRules", deadline=60)
    assert time.monotonic() - started <= 0.3 + LATE


def test_attempts_can_be_capped_too() -> None:
    with FAST.operation("DeleteSipRule", deadline=60, attempts=3) as budget:
        budget.retry_after(ValueError("conflict"))
        budget.retry_after(ValueError("conflict"))
        with pytest.raises(RetriesExhausted, match="after 3 attempts"):
            budget.retry_after(ValueError("conflict"))


def test_service_errors_are_described_without_botocore_retry_noise() -> None:
    from botocore.exceptions import ClientError

    response: Any = {"Error": {"Code": "ThrottledClientException", "Message": "Rate exceeded"},
                     "ResponseMetadata": {"HTTPStatusCode": 429, "RetryAttempts": 0,
                                          "MaxAttemptsReached": True}}
    error = ClientError(response, "GetSipRule")
    assert "reached max retries" in str(error)  # what botocore says with its own retries off
    assert describe(error) == "ThrottledClientException: Rate exceeded"
    assert describe(TimeoutError()) == "TimeoutError"
