"""Test-wide setup: nothing may reach AWS, and one shared emulator per pytest worker.

Fake credentials and no instance metadata, so a test that forgets an endpoint fails fast instead
of finding real credentials.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from testbed.emulator_process import RunningEmulator, running_emulator

for _key in ("AWS_PROFILE", "AWS_REGION", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL",
             "AWS_ENDPOINT_URL_CHIME_SDK_VOICE", "AWS_ENDPOINT_URL_LAMBDA", "AWS_CONFIG_FILE",
             "AWS_SHARED_CREDENTIALS_FILE"):
    os.environ.pop(_key, None)
os.environ.update(
    AWS_ACCESS_KEY_ID="testing",
    AWS_SECRET_ACCESS_KEY="testing",
    AWS_DEFAULT_REGION="us-east-1",
    AWS_EC2_METADATA_DISABLED="true",
    AWS_CONFIG_FILE=os.devnull,
    AWS_SHARED_CREDENTIALS_FILE=os.devnull,
)


@pytest.fixture(scope="session")
def shared_emulator() -> Iterator[RunningEmulator]:
    """One emulator process per worker, fast orders; tests get it reset through `emulator`."""
    with running_emulator(["--order-delay", "0.2", "--seed", "1"]) as emu:
        yield emu


@pytest.fixture
def emulator(shared_emulator: RunningEmulator) -> RunningEmulator:
    shared_emulator.reset()
    return shared_emulator


@pytest.fixture
def chime(emulator: RunningEmulator) -> Any:
    """A boto3 chime-sdk-voice client (us-east-1) on a freshly reset emulator."""
    return emulator.client()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The engine's test files first. They take the longest (minutes, mostly waiting on the CLI) and
    each runs whole on one worker (`--dist loadfile`); sent out first, in collection order
    (`--no-loadscope-reorder`), the rest of the suite fills the other worker beside them instead of
    leaving them for last."""
    items.sort(key=lambda item: not item.nodeid.startswith("tests/engine/"))
