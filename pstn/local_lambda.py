"""A local Lambda-like runtime for a handler file: one warm worker process per function, started
and driven like a Lambda sandbox (environment, init phase, one invocation at a time, timeouts).

`LocalWorker.invoke(arn, event)` never raises for a handler's fault: it answers an
`InvocationResult` whose `outcome` says what happened ("ok", "error", "timeout", "not-json",
"init-error", "crashed"). Only "ok" carries a response.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_WORKER_SCRIPT = str(Path(__file__).with_name("lambda_worker.py"))
INIT_TIMEOUT_SECONDS = 15.0  # Lambda's init phase has its own (10 s) budget; allow for a loaded machine


@dataclass(frozen=True)
class HandlerSpec:
    function_name: str
    path: str
    function: str


@dataclass(frozen=True)
class InvocationResult:
    outcome: str
    response: Any = None
    error: str | None = None
    logs: str = ""
    duration_ms: float = 0.0
    via: str = "none"

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


class LocalWorker:
    """One warm process running one handler; serves one invocation at a time, as one Lambda sandbox does."""

    def __init__(self, spec: HandlerSpec, region: str, account_id: str, timeout: float) -> None:
        self.spec, self.region, self.account_id, self.timeout = spec, region, account_id, timeout
        self._lock = threading.Lock()
        self._process: subprocess.Popen[str] | None = None
        self._answers: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.starts = 0

    def _environment(self) -> dict[str, str]:
        name = self.spec.function_name
        env = dict(os.environ)
        env.update(
            AWS_LAMBDA_FUNCTION_NAME=name,
            AWS_LAMBDA_FUNCTION_VERSION="$LATEST",
            AWS_LAMBDA_FUNCTION_MEMORY_SIZE="128",
            AWS_LAMBDA_LOG_GROUP_NAME=f"/aws/lambda/{name}",
            AWS_LAMBDA_LOG_STREAM_NAME=f"{time.strftime('%Y/%m/%d')}/[$LATEST]{uuid.uuid4().hex}",
            AWS_LAMBDA_RUNTIME_API="127.0.0.1:9001",
            AWS_EXECUTION_ENV="AWS_Lambda_python3.13",
            LAMBDA_TASK_ROOT=str(Path(self.spec.path).parent),
            LAMBDA_RUNTIME_DIR="/var/runtime",
            _HANDLER=f"{Path(self.spec.path).stem}.{self.spec.function}",
            AWS_REGION=self.region,
            AWS_DEFAULT_REGION=self.region,
            PYTHONUNBUFFERED="1",
            PYTHONDONTWRITEBYTECODE="1",
        )
        return env

    def _start(self) -> str | None:
        """Start the process and wait for its init phase; an error text if it could not start."""
        self.starts += 1
        self._answers = queue.Queue()
        process = subprocess.Popen(
            [sys.executable, _WORKER_SCRIPT, self.spec.path, self.spec.function],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=None,
            text=True,
            encoding="utf-8",
            cwd=str(Path(self.spec.path).parent),
            env=self._environment(),
        )
        answers = self._answers

        def read() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                try:
                    answers.put(json.loads(line))
                except ValueError:
                    answers.put(
                        {"ok": False, "errorType": "Runtime.ProtocolError", "errorMessage": line[:200]}
                    )
            answers.put(None)

        threading.Thread(target=read, name=f"lambda-{self.spec.function_name}", daemon=True).start()
        self._process = process
        try:
            ready = answers.get(timeout=max(INIT_TIMEOUT_SECONDS, self.timeout))
        except queue.Empty:
            self._kill()
            return "Runtime.InitTimeout: the handler module did not finish importing"
        if not ready or not ready.get("ready"):
            self._kill()
            detail = ready or {}
            return (
                f"{detail.get('errorType', 'Runtime.ExitError')}: "
                f"{detail.get('errorMessage', 'worker exited')}"
            )
        return None

    def _kill(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        if process is not None and process.stdin is not None:
            with contextlib.suppress(OSError):
                process.stdin.close()

    def invoke(self, arn: str, event: dict[str, Any]) -> InvocationResult:
        with self._lock:
            started = time.perf_counter()
            if self._process is None or self._process.poll() is not None:
                self._process = None
                problem = self._start()
                if problem is not None:
                    return InvocationResult(
                        "init-error",
                        error=problem,
                        via="local",
                        duration_ms=(time.perf_counter() - started) * 1000,
                    )
            process = self._process
            assert process is not None and process.stdin is not None
            request_id = str(uuid.uuid4())
            begun = time.perf_counter()
            deadline_ms = int(time.time() * 1000 + self.timeout * 1000)
            try:
                process.stdin.write(
                    json.dumps(
                        {"event": event, "requestId": request_id, "deadlineMs": deadline_ms, "arn": arn}
                    )
                    + "\n"
                )
                process.stdin.flush()
                answer = self._answers.get(timeout=self.timeout)
            except queue.Empty:
                # Lambda stops the sandbox on a timeout; the next invocation gets a fresh (cold) one.
                self._kill()
                return InvocationResult(
                    "timeout",
                    error=f"Task timed out after {self.timeout:.2f} seconds",
                    via="local",
                    duration_ms=(time.perf_counter() - begun) * 1000,
                )
            except (BrokenPipeError, OSError) as exc:
                self._kill()
                return InvocationResult("crashed", error=f"worker unavailable: {exc}", via="local")
            elapsed = (time.perf_counter() - begun) * 1000
            if answer is None:
                self._kill()
                return InvocationResult(
                    "crashed",
                    error="Runtime.ExitError: the handler process exited",
                    via="local",
                    duration_ms=elapsed,
                )
            logs = str(answer.get("logs", ""))
            if answer.get("ok"):
                return InvocationResult(
                    "ok", response=answer.get("result"), logs=logs, via="local", duration_ms=elapsed
                )
            outcome = "not-json" if answer.get("errorType") == "Runtime.MarshalError" else "error"
            return InvocationResult(
                outcome,
                error=f"{answer.get('errorType')}: {answer.get('errorMessage')}",
                logs=logs,
                via="local",
                duration_ms=elapsed,
            )

    def close(self) -> None:
        with self._lock:
            self._kill()
