"""The one retry loop and the two budgets it runs with."""

from __future__ import annotations

import pytest

from awsutil.retry import OPERATOR, PROVISIONING, RetryPolicy


def test_waits_double_up_to_the_cap_with_or_without_jitter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(OPERATOR.base_env, raising=False)
    assert [OPERATOR.delay(n) for n in range(6)] == [1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    monkeypatch.setenv(PROVISIONING.base_env, "1")
    for attempt in range(8):
        assert 0.0 <= PROVISIONING.delay(attempt) <= min(2.0**attempt, PROVISIONING.cap_seconds)
    assert len({PROVISIONING.delay(5) for _ in range(20)}) > 1  # jittered


def test_only_retryable_errors_are_repeated_and_attempts_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    policy = RetryPolicy(attempts=3, cap_seconds=0.0, jitter=False, base_env="TEST_RETRY_BASE")
    sent: list[str] = []

    def fails(kind: str) -> str:
        sent.append(kind)
        raise ValueError(kind)

    with pytest.raises(ValueError, match="again"):
        policy.call(lambda: fails("again"), lambda err: str(err) == "again")
    assert sent == ["again"] * 3
    sent.clear()
    with pytest.raises(ValueError, match="stop"):
        policy.call(lambda: fails("stop"), lambda err: str(err) == "again")
    assert sent == ["stop"]
