"""Service-side failures a test can inject into the next N actions of a type (a test tool, not AWS), so a
handler's ACTION_FAILED branch for errors no parameter can cause is exercised too: SystemException,
ActionExecutionThrottled, AccessDenied (the Speak page's error table), and any other ErrorType with
a message of the test's choosing. Set with `PUT /_emulator/action-faults/{ActionType}`."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from emulator.errors import BadRequestError
from pstn.response_checks import SUPPORTED_ACTIONS

DEFAULT_MESSAGES = {
    "SystemException": "System error while running action.",
    "ActionExecutionThrottled": (
        "Failed to run action. The maximum number of actions per second has been reached."
    ),
    "AccessDenied": (
        "The AWSServiceRoleForAmazonChimeVoiceConnector service-linked role is not configured correctly."
    ),
}
SPEAK_THROTTLED = "Amazon Polly is throttling the request to synthesize speech."


@dataclass
class Fault:
    error_type: str
    message: str
    times: int

    def to_dict(self) -> dict[str, Any]:
        return {"errorType": self.error_type, "errorMessage": self.message, "times": self.times}


def parse_fault(action_type: str, body: object) -> Fault:
    if action_type not in SUPPORTED_ACTIONS:
        raise BadRequestError(f"{action_type} is not a PSTN audio action")
    if not isinstance(body, dict) or set(body) - {"errorType", "errorMessage", "times"}:
        raise BadRequestError("the body must be {errorType, errorMessage?, times?}")
    error_type, message, times = body.get("errorType"), body.get("errorMessage"), body.get("times", 1)
    if not isinstance(error_type, str) or not error_type:
        raise BadRequestError("errorType is required, e.g. SystemException")
    if message is None:
        if error_type == "ActionExecutionThrottled" and action_type in ("Speak", "SpeakAndGetDigits"):
            message = SPEAK_THROTTLED
        else:
            message = DEFAULT_MESSAGES.get(error_type)
    if not isinstance(message, str) or not message:
        raise BadRequestError(f"errorMessage is required for {error_type} (no page gives one)")
    if isinstance(times, bool) or not isinstance(times, int) or times < 1:
        raise BadRequestError("times must be a whole number of actions, at least 1")
    return Fault(error_type, message, times)


class ActionFaults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: dict[str, Fault] = {}

    def set(self, action_type: str, fault: Fault) -> None:
        with self._lock:
            self._faults[action_type] = fault

    def take(self, action_type: str) -> Fault | None:
        """The fault for this action, used up once."""
        if not self._faults:  # the common case, without the lock
            return None
        with self._lock:
            fault = self._faults.get(action_type)
            if fault is None:
                return None
            fault.times -= 1
            if fault.times <= 0:
                del self._faults[action_type]
            return fault

    def to_dict(self) -> dict[str, Any]:
        with self._lock:
            return {kind: fault.to_dict() for kind, fault in self._faults.items()}

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
