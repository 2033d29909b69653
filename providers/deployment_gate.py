"""DeploymentGate: a call handler smoke-tested before anything routes calls to it, as a dynamic resource.

Create and update run `python -m ops smoke` (a synthetic NEW_INBOUND_CALL whose answer is judged the
way PSTN audio judges it) in a subprocess of the provider's own interpreter, from the project root.
A failing verdict fails the resource, so nothing that depends on it (the handler's `live` alias, the
SIP rules) is created or changed. Any input change runs it again: the function, alias or version ARN,
the `triggers` (the handler bundle's hash), the local handler file or its environment. Read and
delete touch nothing: the gate owns no cloud resource.

A subprocess rather than an import: `ops` is an app of its own (providers import only the neutral
packages), and its exit code and one-line verdict are the contract the README documents.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from awsutil.arn import parse_arn
from awsutil.chime_values import pstn_audio_regions
from providers.base import input_keys, resource_props
from providers.diffing import differs
from providers.errors import ProviderError
from providers.input_checks import contains_unknown, is_unknown

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EVENT_TYPE = "NEW_INBOUND_CALL"
# PSTN audio waits this long for a handler's answer (cold start included) before it retries.
DEFAULT_TIMEOUT_SECONDS = 5.0
# The subprocess may also start a local Lambda-like worker (import, cold start) or call Lambda with
# its own retries: allow that much on top of the answer's own timeout before calling it hung.
_SUBPROCESS_GRACE_SECONDS = 120.0
_VERDICT_LINES = 20
_HANDLER_FILE = re.compile(r"(?P<path>[^:]+\.py):(?P<function>[A-Za-z_][A-Za-z0-9_]*)")
_FUNCTION_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
_EVENT_TYPE = re.compile(r"[A-Z_]{1,64}")


@dataclass
class DeploymentGateArgs:
    function_arn: pulumi.Input[str]  # a Lambda function, alias or version ARN (or a function name)
    region: pulumi.Input[str]
    # Anything whose change must run the gate again, e.g. the handler bundle's hash.
    triggers: pulumi.Input[list[pulumi.Input[str]]] | None = None
    # "PATH.py:FUNCTION", relative to the project root or absolute: smoke this file as the emulator
    # runs it instead of invoking the deployed function (stacks whose chime endpoint is the emulator).
    handler_file: pulumi.Input[str] | None = None
    # The handler's environment, for handler_file only (the deployed function has its own).
    environment: pulumi.Input[dict[str, pulumi.Input[str]]] | None = None
    event_type: pulumi.Input[str] = DEFAULT_EVENT_TYPE
    timeout_seconds: pulumi.Input[float] = DEFAULT_TIMEOUT_SECONDS


_INPUT_KEYS = input_keys(DeploymentGateArgs)


def _function_failures(value: Any) -> list[CheckFailure]:
    if is_unknown(value):
        return []
    arn = parse_arn(value)
    if arn is not None:
        name = arn.resource_id.split(":", 1)[0]
        if arn.service == "lambda" and arn.resource_type == "function" and _FUNCTION_NAME.fullmatch(name):
            return []
    elif isinstance(value, str) and _FUNCTION_NAME.fullmatch(value):
        return []
    return [CheckFailure("function_arn", "function_arn must be a Lambda function name or a function, "
                                         f"alias or version ARN; got {value!r}")]


def _handler_file_failures(value: Any) -> list[CheckFailure]:
    if value is None or is_unknown(value):
        return []
    found = _HANDLER_FILE.fullmatch(value) if isinstance(value, str) else None
    if found is None:
        return [CheckFailure("handler_file", f"handler_file must be PATH.py:FUNCTION (e.g. "
                                             f"handlers/call_handler.py:handler); got {value!r}")]
    path = Path(found["path"])
    if not (path if path.is_absolute() else PROJECT_ROOT / path).is_file():
        return [CheckFailure("handler_file", f"handler_file {found['path']} is not a file (relative "
                                             "paths start at the project root)")]
    return []


def _string_map_failures(prop: str, value: Any) -> list[CheckFailure]:
    if value is None or is_unknown(value):
        return []
    if not isinstance(value, dict) or not all(isinstance(k, str) and (isinstance(v, str) or is_unknown(v))
                                              for k, v in value.items()):
        return [CheckFailure(prop, f"{prop} must map names to strings")]
    return []


def _timeout(value: Any) -> float:
    return float(value) if value is not None else DEFAULT_TIMEOUT_SECONDS


class DeploymentGateProvider(ResourceProvider):
    serialize_as_secret_always = False  # the pickle is a class reference: nothing secret in it

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        failures = _function_failures(news.get("function_arn"))
        region = news.get("region")
        if not is_unknown(region) and region not in pstn_audio_regions():
            failures.append(CheckFailure("region", f"region must be a PSTN audio Region; got {region!r}"))
        triggers = news.get("triggers")
        if triggers is not None and not is_unknown(triggers) and not (
                isinstance(triggers, list) and all(isinstance(t, str) or is_unknown(t) for t in triggers)):
            failures.append(CheckFailure("triggers", "triggers must be a list of strings"))
        failures += _handler_file_failures(news.get("handler_file"))
        failures += _string_map_failures("environment", news.get("environment"))
        event_type = news.get("event_type", DEFAULT_EVENT_TYPE)
        if not is_unknown(event_type) and not (isinstance(event_type, str)
                                               and _EVENT_TYPE.fullmatch(event_type)):
            failures.append(CheckFailure("event_type", f"event_type must be an InvocationEventType such as "
                                                       f"NEW_INBOUND_CALL; got {event_type!r}"))
        timeout = news.get("timeout_seconds", DEFAULT_TIMEOUT_SECONDS)
        if not is_unknown(timeout) and (isinstance(timeout, bool) or not isinstance(timeout, int | float)
                                        or not 0 < timeout <= 60):
            failures.append(CheckFailure("timeout_seconds", "timeout_seconds must be a number of seconds "
                                                            f"above 0 and at most 60; got {timeout!r}"))
        return CheckResult(news, failures)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = [key for key in _INPUT_KEYS if differs(olds.get(key), news.get(key))]
        # Never a replace: running the smoke test again is all a change can mean.
        return DiffResult(changes=bool(changed), replaces=[], delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(f"gate-{uuid.uuid4()}", {**_inputs(props), "verdict": _smoke(props)})

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult({**_inputs(news), "verdict": _smoke(news)})

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        return ReadResult(id_, props, _inputs(props))  # nothing in the cloud to read back

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        return None


def _inputs(props: dict[str, Any]) -> dict[str, Any]:
    return {key: props.get(key) for key in _INPUT_KEYS}


def smoke_argv(props: dict[str, Any]) -> list[str]:
    """The `ops smoke` command line for a gate's inputs (run with the provider's interpreter)."""
    argv = [sys.executable, "-m", "ops", "smoke", "--function-name", str(props["function_arn"]),
            "--region", str(props["region"]),
            "--event-type", str(props.get("event_type") or DEFAULT_EVENT_TYPE),
            "--timeout", f"{_timeout(props.get('timeout_seconds')):g}"]
    if props.get("handler_file"):
        argv += ["--handler-file", str(props["handler_file"])]
    return argv


def _smoke(props: dict[str, Any]) -> str:
    """Run the smoke test; its `valid: ...` line, or ProviderError with what it printed."""
    if contains_unknown(props):
        raise ProviderError("deployment gate: an input is still unknown")  # the engine never sends one
    environment = {**os.environ, **{str(k): str(v) for k, v in (props.get("environment") or {}).items()}}
    try:
        done = subprocess.run(smoke_argv(props), cwd=PROJECT_ROOT, env=environment, capture_output=True,
                              text=True, check=False,
                              timeout=_timeout(props.get("timeout_seconds")) + _SUBPROCESS_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        raise ProviderError(f"deployment gate: `ops smoke` for {props['function_arn']} "
                            "did not finish") from None
    # Line by line from each stream: stdout need not end with a newline (a crash mid-line).
    output = "\n".join(line for line in done.stdout.splitlines() + done.stderr.splitlines() if line.strip())
    if done.returncode != 0:
        tail = "\n".join(output.splitlines()[-_VERDICT_LINES:])
        raise ProviderError(f"deployment gate failed for {props['function_arn']} (ops smoke exit "
                            f"{done.returncode}); nothing that waits for it (the `live` alias, the SIP "
                            f"rules) was created or changed:\n{tail}")
    verdicts = [line for line in done.stdout.splitlines() if line.startswith("valid")]
    return verdicts[-1] if verdicts else output


class DeploymentGate(pulumi.dynamic.Resource, module="gate", name="DeploymentGate"):
    function_arn: pulumi.Output[str]
    region: pulumi.Output[str]
    triggers: pulumi.Output[list[str] | None]
    handler_file: pulumi.Output[str | None]
    environment: pulumi.Output[dict[str, str] | None]
    event_type: pulumi.Output[str]
    timeout_seconds: pulumi.Output[float]
    verdict: pulumi.Output[str]

    def __init__(self, resource_name: str, args: DeploymentGateArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(DeploymentGateProvider(), resource_name, resource_props(args, "verdict"), opts)
