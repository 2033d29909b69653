"""The policy pack's virtualenv, made before any test's timeout starts: the first time it is a pip
install of policy/requirements.txt (tests/engine/conftest.py does the same for its tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine import tooling

POLICY_REQUIREMENTS = Path(__file__).resolve().parents[2] / "policy" / "requirements.txt"


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents and "pack" in getattr(item, "fixturenames", ()):
            tooling.ensure_policy_venv(POLICY_REQUIREMENTS)
            return
