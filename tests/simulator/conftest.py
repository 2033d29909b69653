"""Simulator test fixtures: one warm CallService per module configuration, reset between tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from emulator.calls.service import CallService
from tests.simulator.support import FakeDirectory, handler_specs

# Generous: on a loaded 2-core machine a warm invocation can stall for a while, and a test that is not
# about timeouts must not fail because of one. The timeout test uses `impatient_service`.
LAMBDA_TIMEOUT = 5.0
SHORT_LAMBDA_TIMEOUT = 0.5


@pytest.fixture(scope="module")
def directory() -> FakeDirectory:
    return FakeDirectory()


@pytest.fixture(scope="module")
def warm_service(directory: FakeDirectory) -> Iterator[CallService]:
    """Idle hang-up far away: tests end calls themselves unless they are about the idle hang-up."""
    service = CallService(directory, handler_specs(), lambda_timeout=LAMBDA_TIMEOUT, idle_hangup=30)
    yield service
    service.close()


@pytest.fixture(scope="module")
def impatient_service(directory: FakeDirectory) -> Iterator[CallService]:
    """Lambda invocations time out after SHORT_LAMBDA_TIMEOUT: for the tests about that timeout."""
    service = CallService(directory, handler_specs(), lambda_timeout=SHORT_LAMBDA_TIMEOUT, idle_hangup=30)
    yield service
    service.close()


@pytest.fixture
def service(warm_service: CallService, directory: FakeDirectory) -> CallService:
    warm_service.reset()
    directory.clear()
    return warm_service
