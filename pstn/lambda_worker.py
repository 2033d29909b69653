"""One warm local "Lambda" process: `python lambda_worker.py FILE.py FUNCTION`.

Run by file path, never imported by the emulator (stdlib only, so it starts fast). Protocol: one
JSON line per request on stdin `{"event", "requestId", "deadlineMs", "arn"}`; one JSON line per
answer on the protocol pipe (the process's original stdout) `{"ok": true, "result", "logs"}` or
`{"ok": false, "errorType", "errorMessage", "logs"}`. The handler's own prints and logging go to a
per-invocation buffer returned as `logs`, as Lambda sends them to CloudWatch. The first line
written is `{"ready": true}` or `{"ready": false, ...}` once the module is imported (the init phase).
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import logging
import os
import sys
import time
import traceback
from typing import Any, TextIO

MAX_LOG_CHARS = 8192


class LambdaContext:
    """The attributes of the Python runtime's context object that handlers use."""

    def __init__(self, request_id: str, deadline_ms: int, arn: str) -> None:
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.invoked_function_arn = arn
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        self.aws_request_id = request_id
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
        self.identity = None
        self.client_context = None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self) -> int:
        return max(0, self._deadline_ms - int(time.time() * 1000))


class HandlerNotFound(Exception):
    """The module imported but has no such function (Lambda: Runtime.HandlerNotFound)."""


class _CurrentStderr(io.TextIOBase):
    """Lets a logging handler made once follow each invocation's redirected stderr."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)


def _load(path: str, function: str) -> Any:
    folder = os.path.dirname(os.path.abspath(path))
    # Lambda puts the bundle root (LAMBDA_TASK_ROOT) first on sys.path; this script's own folder must
    # not be there, or the emulator's modules could shadow the handler's.
    own_folder = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != own_folder]
    sys.path.insert(0, folder)
    module_name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    handler = getattr(module, function, None)
    if not callable(handler):
        raise HandlerNotFound(f"{os.path.basename(path)} defines no function {function!r}")
    return handler


def _send(proto: TextIO, message: dict[str, Any]) -> None:
    proto.write(json.dumps(message) + "\n")
    proto.flush()


def _invoke(handler: Any, request: dict[str, Any]) -> dict[str, Any]:
    buffer = io.StringIO()
    context = LambdaContext(
        str(request.get("requestId", "")), int(request.get("deadlineMs", 0)), str(request.get("arn", ""))
    )
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        try:
            result = handler(request.get("event"), context)
        except BaseException as exc:  # a handler failure of any kind is a failed invocation
            traceback.print_exc()
            return {
                "ok": False,
                "errorType": type(exc).__name__,
                "errorMessage": str(exc),
                "logs": buffer.getvalue()[-MAX_LOG_CHARS:],
            }
    try:
        encoded = json.loads(json.dumps(result))
    except (TypeError, ValueError) as exc:
        return {
            "ok": False,
            "errorType": "Runtime.MarshalError",
            "errorMessage": f"Unable to marshal response: {exc}",
            "logs": buffer.getvalue()[-MAX_LOG_CHARS:],
        }
    return {"ok": True, "result": encoded, "logs": buffer.getvalue()[-MAX_LOG_CHARS:]}


def main(argv: list[str]) -> int:
    path, function = argv[0], argv[1]
    # Keep the protocol pipe for ourselves; anything else printed to fd 1 lands on stderr.
    proto = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    logging.basicConfig(
        level=logging.INFO, stream=_CurrentStderr(), format="[%(levelname)s] %(name)s: %(message)s"
    )
    try:
        with contextlib.redirect_stdout(io.StringIO()) as init_logs:
            handler = _load(path, function)
    except HandlerNotFound as exc:
        _send(proto, {"ready": False, "errorType": "Runtime.HandlerNotFound", "errorMessage": str(exc)})
        return 1
    except BaseException as exc:
        _send(
            proto,
            {
                "ready": False,
                "errorType": "Runtime.ImportModuleError",
                "errorMessage": f"{type(exc).__name__}: {exc}",
            },
        )
        return 1
    _send(proto, {"ready": True, "logs": init_logs.getvalue()[-MAX_LOG_CHARS:]})
    for line in sys.stdin:
        if line.strip():
            _send(proto, _invoke(handler, json.loads(line)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
