"""The engine for tests/engine, found (or built) before any test's timeout starts.

A module that runs the real CLI calls `probe.engine_or_skip()` at import, so that without an engine
(neither `pulumi` on PATH nor Go to build it) it is skipped with one reason, or fails when
CHIME_PSTN_REQUIRE_ENGINE=1 (CI); its tests then take the `pulumi_engine` fixture.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine import tooling
from tests.engine.probe import REPO_ROOT, engine_or_skip

POLICY_REQUIREMENTS = REPO_ROOT / "policy" / "requirements.txt"


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list) -> None:
    # The policy pack's virtualenv is a pip install the first time: done here, not in a fixture,
    # so that it does not count against the first test's timeout.
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents and "policy_venv" in getattr(item, "fixturenames", ()):
            tooling.ensure_policy_venv(POLICY_REQUIREMENTS)
            return


@pytest.fixture(scope="session")
def pulumi_engine() -> tooling.Engine:
    return engine_or_skip()


@pytest.fixture(scope="session")
def policy_venv(pulumi_engine: tooling.Engine) -> Path:
    """A virtualenv with policy/requirements.txt (pulumi-policy), created once in the cache."""
    return tooling.ensure_policy_venv(POLICY_REQUIREMENTS)
