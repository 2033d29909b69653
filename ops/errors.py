"""The one error type commands raise for anything the operator must fix; `ops.cli` prints it
without a traceback and exits with its code."""

from __future__ import annotations

USAGE = 2  # bad input or a missing prerequisite: nothing was changed
FAILED = 1  # the request was made and failed, or the answer was invalid


class OpsError(Exception):
    def __init__(self, message: str, exit_code: int = FAILED) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


def usage_error(message: str) -> OpsError:
    return OpsError(message, USAGE)
