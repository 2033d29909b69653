"""Invoking a SIP media application's Lambda: the warm local worker of a mapped function
(`pstn.local_lambda`), else the Lambda API.

`Invoker.invoke(arn, event)` never raises for a handler's fault: it answers an `InvocationResult`
whose `outcome` says what happened (the local worker's outcomes, plus "unmapped" and "api-error").
Only "ok" carries a response; everything else is a failed invocation.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

from awsutil.arn import split_function_arn
from pstn.local_lambda import HandlerSpec, InvocationResult, LocalWorker


def parse_handler_spec(text: str) -> HandlerSpec:
    """`FUNCTION_NAME=path/to/file.py:function` → HandlerSpec; ValueError naming the flag otherwise."""
    name, sep, target = text.partition("=")
    path, colon, function = target.rpartition(":")
    if not sep or not name or not colon or not path or not function:
        raise ValueError(f"--handler {text!r}: expected FUNCTION_NAME=path/to/file.py:function")
    if not path.endswith(".py"):
        raise ValueError(f"--handler {text!r}: {path!r} is not a .py file")
    if not Path(path).is_file():
        raise ValueError(f"--handler {text!r}: no such file {path!r}")
    return HandlerSpec(name, str(Path(path).resolve()), function)


class LambdaApiInvoker:
    """`lambda.invoke` through boto3 for functions without a local mapping (e.g. a moto or LocalStack)."""

    def __init__(self, endpoint_url: str, timeout: float) -> None:
        self.endpoint_url, self.timeout = endpoint_url, timeout
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()

    def _client(self, region: str) -> Any:
        with self._lock:
            client = self._clients.get(region)
            if client is None:
                import boto3  # only needed on this path; keeps the emulator's import light
                from botocore.config import Config

                config = Config(
                    read_timeout=self.timeout, connect_timeout=self.timeout, retries={"max_attempts": 1}
                )
                client = boto3.client(
                    "lambda", region_name=region or "us-east-1", endpoint_url=self.endpoint_url, config=config
                )
                self._clients[region] = client
            return client

    def invoke(self, arn: str, region: str, event: dict[str, Any]) -> InvocationResult:
        from botocore.exceptions import BotoCoreError, ClientError, ReadTimeoutError

        started = time.perf_counter()

        def done(outcome: str, **fields: Any) -> InvocationResult:
            elapsed = (time.perf_counter() - started) * 1000
            return InvocationResult(outcome, via="lambda-api", duration_ms=elapsed, **fields)

        try:
            reply = self._client(region).invoke(
                FunctionName=arn, InvocationType="RequestResponse", Payload=json.dumps(event).encode()
            )
            payload = reply["Payload"].read()
        except ReadTimeoutError:
            return done("timeout", error=f"no answer within {self.timeout:.2f} seconds")
        except ClientError as exc:
            error = exc.response.get("Error", {})
            return done("api-error", error=f"{error.get('Code')}: {error.get('Message')}")
        except BotoCoreError as exc:
            return done("api-error", error=str(exc))
        if reply.get("FunctionError"):
            return done("error", error=f"{reply['FunctionError']}: {payload[:500].decode(errors='replace')}")
        try:
            response = json.loads(payload) if payload else None
        except ValueError:
            return done("not-json", error="the function's answer is not JSON")
        return done("ok", response=response)


class Invoker:
    """Routes each invocation to the function's local worker, or the Lambda API, or fails it."""

    def __init__(
        self, handlers: list[HandlerSpec], account_id: str, timeout: float, lambda_endpoint: str | None = None
    ) -> None:
        self._specs = {spec.function_name: spec for spec in handlers}
        self._account_id, self._timeout = account_id, timeout
        self._workers: dict[tuple[str, str], LocalWorker] = {}
        self._lock = threading.Lock()
        self._api = LambdaApiInvoker(lambda_endpoint, timeout) if lambda_endpoint else None

    def _worker(self, name: str, region: str) -> LocalWorker | None:
        spec = self._specs.get(name)
        if spec is None:
            return None
        with self._lock:
            # One sandbox per function and Region: the same name in two Regions is two functions.
            worker = self._workers.get((name, region))
            if worker is None:
                worker = LocalWorker(spec, region, self._account_id, self._timeout)
                self._workers[(name, region)] = worker
            return worker

    def invoke(self, arn: str, event: dict[str, Any]) -> InvocationResult:
        name, region = split_function_arn(arn)
        worker = self._worker(name, region)
        if worker is not None:
            return worker.invoke(arn, event)
        if self._api is not None:
            return self._api.invoke(arn, region, event)
        return InvocationResult(
            "unmapped",
            error=f"cannot invoke {arn}: no --handler for {name!r} and no "
            "--lambda-endpoint / AWS_ENDPOINT_URL_LAMBDA",
        )

    def worker_starts(self) -> dict[str, int]:
        with self._lock:
            return {f"{name}@{region}": w.starts for (name, region), w in self._workers.items()}

    def close(self) -> None:
        with self._lock:
            workers = list(self._workers.values())
            self._workers.clear()
        for worker in workers:
            worker.close()
