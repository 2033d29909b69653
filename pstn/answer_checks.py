"""A Lambda's answer judged as the PSTN audio service judges it, in its two layers:

- the answer as a whole (`pstn.response_checks`): a problem there discards the answer and the
  service sends INVALID_LAMBDA_RESPONSE;
- each action (`pstn.action_checks`): a bad parameter makes that action fail with ACTION_FAILED
  when it is reached, after the actions before it ran.

`judge_answer(response)` returns both for `ops smoke` and the call simulator's callers;
`validate_response(response)` keeps the older one-answer form (None, or the first problem of either
layer) for tests that only need "would the service run all of this?". Stdlib-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pstn.action_checks import ACTION_RULES, ActionError, check_action, speech_problem
from pstn.response_checks import (
    MAX_ACTIONS,
    MAX_ATTRIBUTE_PAIRS,
    MAX_ATTRIBUTES_BYTES,
    ResponseError,
    check_response,
    check_transaction_attributes,
)

__all__ = [
    "ACTION_RULES",
    "MAX_ACTIONS",
    "MAX_ATTRIBUTES_BYTES",
    "MAX_ATTRIBUTE_PAIRS",
    "ActionError",
    "ActionFailure",
    "ResponseError",
    "Verdict",
    "check_action",
    "check_response",
    "check_transaction_attributes",
    "judge_answer",
    "validate_response",
]


@dataclass(frozen=True)
class ActionFailure:
    """An action of the answer that would fail: its place in the list, its Type, and the error."""

    index: int
    action_type: str
    error: ActionError


@dataclass(frozen=True)
class Verdict:
    response_error: ResponseError | None
    action_failures: tuple[ActionFailure, ...]

    @property
    def ok(self) -> bool:
        return self.response_error is None and not self.action_failures


def judge_answer(response: object, polly: bool = True) -> Verdict:
    """Both layers. Action failures are listed for every action that would fail on its own text (and,
    with `polly`, Polly's catalogue); at run time only the first of them is reached, the rest are
    cleared with it."""
    problem = check_response(response)
    if problem is not None or not isinstance(response, dict):
        return Verdict(problem, ())
    failures: list[ActionFailure] = []
    for index, action in enumerate(response.get("Actions") or []):
        error = check_action(action) or (speech_problem(action) if polly else None)
        if error is not None:
            failures.append(ActionFailure(index, str(action.get("Type")), error))
    return Verdict(None, tuple(failures))


def validate_response(response: Any) -> ResponseError | None:
    """None when the service would accept the answer and run every action without a parameter failing;
    else the first problem: a response-level one as it is, an action's as a ResponseError naming it.
    Polly's catalogue (voice IDs, language codes) is not consulted: Polly checks it when the action runs."""
    verdict = judge_answer(response, polly=False)
    if verdict.response_error is not None:
        return verdict.response_error
    if verdict.action_failures:
        first = verdict.action_failures[0]
        error = first.error
        return ResponseError(
            error.error_type,
            error.message,
            f"Actions[{first.index}] {first.action_type}" + (f".{error.field}" if error.field else ""),
        )
    return None
