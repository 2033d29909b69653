"""`ops smoke`: invoke a handler with a synthetic event and judge its answer with
`pstn.answer_checks.judge_answer`, the checks PSTN audio applies (the call simulator applies the same
ones). The deployment gate runs it.

The verdict tells the two ways an answer goes wrong apart: "invalid" when the service would discard
the whole answer (INVALID_LAMBDA_RESPONSE), "would fail" when it would run the answer but an action
would end in ACTION_FAILED (named, with the ErrorType and ErrorMessage the service reports).
Exit 0 valid, 1 invalid or would fail (or the handler failed), 2 bad usage or the handler cannot be
invoked.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from awsutil.arn import parse_arn, split_function_arn
from awsutil.classify import error_code, error_message
from ops import synthetic_events
from ops.errors import FAILED, OpsError, usage_error


class Invalid(OpsError):
    """The handler answered badly or failed: a verdict (stdout, exit 1), not an operator error."""


SERVICE_WAIT_SECONDS = 5.0  # PSTN audio waits 5 s for an answer before retrying (cold start included)


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "smoke",
        help="invoke a handler with a synthetic event and validate its answer",
        description="Invoke the Lambda (boto3; endpoint from the standard environment, e.g. "
        "AWS_ENDPOINT_URL_LAMBDA) or, with --handler-file, the local handler in a subprocess; "
        "judge the answer as PSTN audio does: 'invalid' (the whole answer is discarded: "
        "INVALID_LAMBDA_RESPONSE) or 'would fail' (an action would end in ACTION_FAILED). "
        "Exit 0 valid, 1 invalid or would fail, 2 cannot invoke.",
    )
    parser.add_argument("--function-name", required=True, metavar="NAME_OR_ARN")
    parser.add_argument("--region", help="default: the ARN's Region, else AWS_REGION")
    parser.add_argument(
        "--handler-file",
        metavar="PATH.py:FUNCTION",
        help="run this local handler instead of invoking the deployed function",
    )
    parser.add_argument(
        "--event-type",
        default="NEW_INBOUND_CALL",
        choices=sorted(synthetic_events.EVENT_TYPES),
        metavar="TYPE",
        help="InvocationEventType of the synthetic event (default NEW_INBOUND_CALL)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=SERVICE_WAIT_SECONDS,
        metavar="SECONDS",
        help="longest acceptable answer time (default 5, what the service waits)",
    )
    parser.set_defaults(func=run)


def _arn_parts(name: str) -> tuple[str | None, str | None, str]:
    """(region, account, function name) from a function ARN; (None, None, name) for a plain name."""
    arn = parse_arn(name)
    function_name = split_function_arn(name)[0]
    if arn is None or function_name == name:
        return None, None, name
    return arn.region or None, arn.account or None, function_name


def _parse_handler_file(value: str) -> tuple[Path, str]:
    path_text, sep, function = value.rpartition(":")
    if not sep or not path_text or not function.isidentifier():
        raise usage_error(
            f"--handler-file: {value!r} is not PATH.py:FUNCTION (e.g. handlers/call_handler.py:handler)"
        )
    path = Path(path_text)
    if path.suffix != ".py" or not path.is_file():
        raise usage_error(f"--handler-file: {path} is not an existing .py file")
    return path, function


def run_local(
    path: Path, function: str, event: dict[str, Any], arn: str, region: str, timeout: float
) -> tuple[Any, float]:
    """Run the handler the way the emulator runs mapped functions (a Lambda-like worker process of
    its own); return (its answer, seconds from start to answer, cold start included)."""
    import time

    from pstn.local_lambda import HandlerSpec, LocalWorker

    function_name = split_function_arn(arn)[0]
    parsed = parse_arn(arn)
    account = parsed.account if parsed is not None else synthetic_events.ACCOUNT_ID
    worker = LocalWorker(HandlerSpec(function_name, str(path.resolve()), function), region, account, timeout)
    started = time.monotonic()
    try:
        result = worker.invoke(arn, event)
    finally:
        worker.close()
    elapsed = time.monotonic() - started
    if result.logs.strip():
        print(result.logs.rstrip(), file=sys.stderr)  # the handler's logs, for the operator
    if result.outcome == "init-error" and (result.error or "").startswith("Runtime.HandlerNotFound"):
        raise usage_error(f"cannot invoke {path}:{function}: {result.error}")
    if result.outcome == "timeout":
        raise Invalid(f"{path}:{function} did not answer within {timeout:g} s")
    if not result.ok:
        raise Invalid(
            f"{path}:{function} raised {result.error} "
            "(the service retries once, then ends the call with 480)"
        )
    return result.response, elapsed


def invoke_lambda(function_name: str, region: str | None, event: dict[str, Any]) -> Any:
    from botocore.exceptions import BotoCoreError, ClientError

    from ops.clients import call_once, lambda_client

    try:
        client = lambda_client(region)
        # Retried only when Lambda throttles (TooManyRequestsException): nothing ran then.
        answer = call_once(
            client.invoke,
            FunctionName=function_name,
            InvocationType="RequestResponse",
            Payload=json.dumps(event).encode(),
        )
        payload = answer["Payload"].read()
    except ClientError as err:
        raise usage_error(
            f"cannot invoke {function_name}: {error_code(err)}: {error_message(err)}"
        ) from None
    except BotoCoreError as err:
        raise usage_error(f"cannot invoke {function_name}: {err}") from None
    try:
        body = json.loads(payload) if payload else None
    except ValueError:
        raise Invalid(f"{function_name} answered with something that is not JSON") from None
    if answer.get("FunctionError"):
        message = body.get("errorMessage") if isinstance(body, dict) else body
        raise Invalid(
            f"{function_name} failed ({answer['FunctionError']}): {message} "
            "(the service retries once, then ends the call with 480)"
        )
    return body


def describe(response: Any) -> str:
    actions = response.get("Actions") if isinstance(response, dict) else None
    if actions is None:
        return "no Actions (keeps the pending actions)"
    if not actions:
        return "an empty action list"
    return ", ".join(str(a.get("Type")) if isinstance(a, dict) else "?" for a in actions)


def verdict_lines(target: str, event_type: str, response: Any) -> list[str] | None:
    """None for an answer the service would run without a failure; else the verdict's lines."""
    from pstn.answer_checks import judge_answer

    verdict = judge_answer(response)
    if verdict.response_error is not None:
        problem = verdict.response_error
        return [
            f"invalid: {target} answered {event_type} with an answer the service discards as a whole: "
            f"INVALID_LAMBDA_RESPONSE {problem.describe()}"
        ]
    if not verdict.action_failures:
        return None
    first, *rest = verdict.action_failures
    lines = [
        f"would fail: {target} answered {event_type} with {describe(response)}; the service runs it, "
        f"but {first.action_type} (Actions[{first.index}]) ends in ACTION_FAILED {first.error.describe()}"
    ]
    if first.index + 1 < len(response.get("Actions") or []):
        lines.append("  the actions after it are cleared")
    lines += [
        f"  also: {failure.action_type} (Actions[{failure.index}]) would fail with {failure.error.describe()}"
        for failure in rest
    ]
    return lines


def run(args: argparse.Namespace) -> int:
    arn_region, account, function_name = _arn_parts(args.function_name.strip())
    if not function_name:
        raise usage_error("--function-name must not be empty")
    if args.timeout <= 0:
        raise usage_error(f"--timeout: {args.timeout} must be positive")
    handler = _parse_handler_file(args.handler_file) if args.handler_file else None
    region = args.region or arn_region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    event = synthetic_events.build(args.event_type, region or "us-east-1",
                                   account or synthetic_events.ACCOUNT_ID)

    try:
        if handler is not None:
            target = f"{handler[0]}:{handler[1]} (local, as {function_name})"
            response, elapsed = run_local(*handler, event, args.function_name.strip(), region or "us-east-1",
                                          args.timeout)
        else:
            import time

            target = args.function_name
            started = time.monotonic()
            response = invoke_lambda(args.function_name, region, event)
            elapsed = time.monotonic() - started
    except Invalid as verdict:
        print(f"invalid: {verdict.message}")
        return FAILED

    lines = verdict_lines(target, args.event_type, response)
    if lines is not None:
        print("\n".join(lines))
        return FAILED
    if elapsed > args.timeout:  # cold start included: it counts against the service's wait too
        print(
            f"invalid: {target} took {elapsed:.1f} s to answer {args.event_type}; the service waits "
            f"{args.timeout:g} s"
        )
        return FAILED
    print(f"valid: {target} answered {args.event_type} with {describe(response)} ({elapsed * 1000:.0f} ms)")
    return 0
