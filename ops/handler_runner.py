"""Run one handler function on one event, in its own process, the way Lambda loads it.

`python ops/handler_runner.py FILE.py FUNCTION < event.json` puts FILE's folder first on sys.path
(so `handlers/` code imports `sma` as a top-level package, as in Lambda), imports FILE, calls
FUNCTION(event, context) and writes one JSON line to stdout: {"response": ...} or
{"error": "...", "stage": "resolve" | "load" | "invoke"}, with "seconds" spent importing and
answering (cold start included, interpreter start-up not). The handler's own prints go to stderr.
Exit 0 when the handler answered, 3 when FILE has no such function, 4 when importing or calling it
raised. Stdlib only.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import time
import traceback
import uuid
from pathlib import Path
from typing import Any


class LambdaContext:
    """The attributes handlers read from Lambda's context object."""

    def __init__(self, function_name: str, timeout_seconds: float) -> None:
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = os.environ.get("OPS_SMOKE_FUNCTION_ARN", function_name)
        self.memory_limit_in_mb = "128"
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "smoke"
        self._deadline = time.monotonic() + timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def main(argv: list[str]) -> int:
    path, function = Path(argv[0]).resolve(), argv[1]
    out = sys.stdout
    sys.stdout = sys.stderr  # the handler's prints must not corrupt the answer line

    def answer(payload: dict[str, Any], code: int) -> int:
        out.write(json.dumps(payload) + "\n")
        out.flush()
        return code

    # Replace this script's folder (ops/) with the handler's, as Lambda's task root.
    sys.path[0] = str(path.parent)
    event = json.loads(sys.stdin.read())
    started = time.monotonic()
    try:
        spec = importlib.util.spec_from_file_location(path.stem, path)
        if spec is None or spec.loader is None:
            return answer({"stage": "resolve", "error": f"{path} is not a Python module"}, 3)
        module = importlib.util.module_from_spec(spec)
        sys.modules[path.stem] = module
        spec.loader.exec_module(module)
    except Exception as err:  # an import failure is the function's failure (Runtime.ImportModuleError)
        traceback.print_exc()
        return answer({"stage": "load", "error": f"{type(err).__name__}: {err}"}, 4)
    handler = getattr(module, function, None)
    if not callable(handler):
        return answer({"stage": "resolve", "error": f"{path.name} defines no function {function!r}"}, 3)
    context = LambdaContext(os.environ.get("AWS_LAMBDA_FUNCTION_NAME", path.stem), float(argv[2]))
    try:
        response = handler(event, context)
        json.dumps(response)  # Lambda serialises the answer: unserialisable is a failure too
    except Exception as err:
        traceback.print_exc()
        return answer({"stage": "invoke", "error": f"{type(err).__name__}: {err}"}, 4)
    return answer({"response": response, "seconds": time.monotonic() - started}, 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
