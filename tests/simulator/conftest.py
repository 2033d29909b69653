"""Simulator test fixtures: one warm CallService per module configuration, reset between tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from emulator.calls.service import CallService
from tests.simulator.support import FakeDirectory, handler_specs

LAMBDA_TIMEOUT = 0.5


@pytest.fixture(scope="module")
def directory() -> FakeDirectory:
    return FakeDirectory()


@pytest.fixture(scope="module")
def warm_service(directory: FakeDirectory) -> Iterator[CallService]:
    """Idle hang-up far away: tests end calls themselves unless they are about the idle hang-up."""
    service = CallService(directory, handler_specs(), lambda_timeout=LAMBDA_TIMEOUT, idle_hangup=30)
    yield service
    service.close()


@pytest.fixture
def service(warm_service: CallService, directory: FakeDirectory) -> CallService:
    warm_service.reset()
    directory.clear()
    return warm_service
