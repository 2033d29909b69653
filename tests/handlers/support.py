"""Helpers shared by the handler tests: the simulator's validator and log-line capture."""

from __future__ import annotations

import json
from typing import Any

from pstn.answer_checks import validate_response


def assert_valid(response: Any) -> None:
    """The call simulator's independent copy of the service's documented response validation."""
    problem = validate_response(response)
    assert problem is None, f"{problem} in {response}"


def log_lines(out: str) -> list[dict[str, Any]]:
    """Every stdout line must be one JSON object; return them in order."""
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def action_types(response: dict[str, Any]) -> list[str] | None:
    actions = response.get("Actions")
    return None if actions is None else [a["Type"] for a in actions]
