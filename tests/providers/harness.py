"""The provider tests' engine stand-in: testbed/dynamic_host.py (shared with bench/bench_engine.py),
plus what only these tests need."""

from __future__ import annotations

from typing import Any

from testbed.dynamic_host import (
    PROJECT,
    PROVIDER_KEY,
    UNKNOWN,
    CheckFailed,
    DiffOutcome,
    DynamicHost,
    ResourceState,
    provider_blob,
)
from testbed.emulator_process import RunningEmulator

__all__ = ["PROJECT", "PROVIDER_KEY", "UNKNOWN", "CheckFailed", "DiffOutcome", "DynamicHost", "ResourceState",
           "provider_blob", "refused_without_calls"]


def refused_without_calls(host: DynamicHost, emulator: RunningEmulator, state: ResourceState,
                          news: dict[str, Any]) -> list[str]:
    """`pulumi up` with inputs Check must refuse: the properties it names. Fails if Check
    accepts them or if anything reached the API."""
    emulator.reset_requests()
    try:
        host.up(state, news)
    except CheckFailed as failed:
        assert emulator.requests() == []
        return [prop for prop, _ in failed.failures]
    raise AssertionError(f"Check accepted {news!r}")
