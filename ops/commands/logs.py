"""`ops logs`: a call handler's CloudWatch Logs (FilterLogEvents on `/aws/lambda/<function>`), its JSON
lines printed as readable rows, optionally one call's only, optionally followed as they arrive.

The function is `--function-name` (a name or ARN: a handler brought with its own ARN, or any other),
else the stack's `callHandlerArn` output (`backupCallHandlerArn` with `--backup`): its name and Region
come from the ARN. The endpoint is boto3's own (`AWS_ENDPOINT_URL_CLOUDWATCH_LOGS` for moto).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from awsutil.arn import parse_arn, split_function_arn
from awsutil.classify import error_code, error_message
from awsutil.service_model import compiled_pattern, shape
from ops import inputs, log_rows, stack_outputs
from ops.clients import logs_client, read
from ops.commands import options
from ops.errors import OpsError, usage_error

DEFAULT_SINCE = "10m"
POLL_SECONDS = 2.0
# CloudWatch Logs may make a line searchable after later ones: each poll looks back this far and
# skips the events it has printed, so a late line still shows, once.
LATE_MS = 30_000
PRIMARY_OUTPUT, BACKUP_OUTPUT = "callHandlerArn", "backupCallHandlerArn"
FIXED_NAME = "chime-pstn-routing-<stack>-{}-handler"  # the program's function names (README)

_sleep = time.sleep  # the pause between polls (tests replace it)


@dataclass(frozen=True)
class Handler:
    function_name: str
    region: str | None

    @property
    def log_group(self) -> str:
        return f"/aws/lambda/{self.function_name}"


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "logs",
        help="print a call handler's CloudWatch log lines as readable rows",
        description="FilterLogEvents on the handler's log group /aws/lambda/FUNCTION: by default the "
        "stack's primary handler (its callHandlerArn output), or --backup, or --function-name. Phone "
        "numbers appear masked, as the handlers log them.",
    )
    parser.add_argument(
        "--function-name", metavar="NAME_OR_ARN",
        help="the handler's Lambda (default: the stack's callHandlerArn output); use it for a handler "
        "brought with its own ARN",
    )  # fmt: skip
    parser.add_argument("--backup", action="store_true",
                        help="the backup Region's handler (the stack's backupCallHandlerArn output)")
    parser.add_argument(
        "--since", default=DEFAULT_SINCE, metavar="WHEN",
        help=f"from how long ago (30s, 10m, 2h, 1d, 1w) or from an ISO 8601 time (default {DEFAULT_SINCE})",
    )  # fmt: skip
    parser.add_argument("--follow", action="store_true", help="keep printing new lines until Ctrl-C")
    parser.add_argument("--transaction-id", metavar="ID", help="only the lines of this call")
    parser.add_argument("--json", action="store_true", help="one JSON object per line instead of rows")
    parser.add_argument("--region", help="default: the Region of the handler's ARN, else AWS_REGION")
    options.add_stack(parser)
    parser.set_defaults(func=run)


def _named(args: argparse.Namespace) -> Handler:
    if args.backup:
        raise usage_error("--backup picks the stack's backup handler: give it or --function-name, not both")
    text = inputs.not_blank("--function-name", args.function_name)
    if not compiled_pattern(shape("FunctionName", "lambda")["pattern"]).fullmatch(text):
        raise usage_error(f"--function-name: {text!r} is not a Lambda function name or ARN")
    name, region = split_function_arn(text)
    if parse_arn(text) is not None and not region:
        raise usage_error(f"--function-name: {text!r} is not a Lambda function ARN")
    return Handler(name, region or None)


def _from_stack(args: argparse.Namespace) -> Handler:
    outputs = stack_outputs.load(args.stack, args.outputs_file)
    key = BACKUP_OUTPUT if args.backup else PRIMARY_OUTPUT
    arn = outputs.get(key)
    if not arn and args.backup and PRIMARY_OUTPUT in outputs.values:
        raise usage_error(f"{outputs.source} has no backup handler (its {key} output is empty: "
                          "the stack sets no backupRegion)")
    which = "backup" if args.backup else "call"
    instead = f"--function-name NAME_OR_ARN (the program names it {FIXED_NAME.format(which)})"
    arn = outputs.require(key, instead)
    name, region = split_function_arn(str(arn))
    if not region:
        raise usage_error(f"stack output {key!r} in {outputs.source} is not a Lambda function ARN: {arn!r}")
    return Handler(name, region)


def handler(args: argparse.Namespace) -> Handler:
    """The function whose logs to read, and its Region; --region must not contradict an ARN's."""
    found = _named(args) if args.function_name is not None else _from_stack(args)
    if args.region and found.region and args.region != found.region:
        raise usage_error(f"--region {args.region} differs from the Region of {found.function_name}'s ARN "
                          f"({found.region}): its logs are in {found.region}")
    return Handler(found.function_name, args.region or found.region)


def transaction_filter(value: str | None) -> str | None:
    """The id of the call to show, usable inside a quoted filter term (no quote, no white space)."""
    if value is None:
        return None
    text = inputs.not_blank("--transaction-id", value)
    if any(c == '"' or c.isspace() for c in text):
        raise usage_error(f"--transaction-id: {value!r} must not contain quotes or spaces")
    return text


def fetch(client: Any, found: Handler, start_ms: int, transaction_id: str | None) -> list[dict[str, Any]]:
    """Every event from `start_ms` on, all pages, each page a retried read. With a transaction id the
    service narrows the search to events holding it (a quoted term); lines are matched exactly later."""
    params: dict[str, Any] = {"logGroupName": found.log_group, "startTime": start_ms}
    if transaction_id is not None:
        params["filterPattern"] = f'"{transaction_id}"'
    from botocore.exceptions import ClientError

    events: list[dict[str, Any]] = []
    token: str | None = None
    try:
        while True:
            page = read(client.filter_log_events, **params, **({"nextToken": token} if token else {}))
            events += page.get("events", [])
            token = page.get("nextToken")
            if not token:
                return events
    except ClientError as err:
        if error_code(err) != "ResourceNotFoundException":
            raise
        detail = error_message(err) or "not found"
        raise OpsError(
            f"no log group {found.log_group} in {client.meta.region_name} ({detail}): "
            f"is {found.function_name} deployed in that Region? (--backup reads the backup Region's handler; "
            "a handler that logs to a group of its own is not read)"
        ) from None


def _lines(events: Sequence[dict[str, Any]], transaction_id: str | None) -> list[log_rows.LogLine]:
    found = [line for event in events for line in log_rows.lines(event)]
    if transaction_id is not None:
        found = [line for line in found if line.transaction_id == transaction_id]
    return log_rows.in_order(found)


def _printer(as_json: bool) -> Callable[[Sequence[log_rows.LogLine]], None]:
    def emit(found: Sequence[log_rows.LogLine]) -> None:
        for line in found:
            print(json.dumps(log_rows.as_json(line)) if as_json else log_rows.row(line), flush=True)

    return emit


def follow(client: Any, found: Handler, since_ms: int, transaction_id: str | None,
           emit: Callable[[Sequence[log_rows.LogLine]], None]) -> None:
    """Poll until interrupted, printing each event once."""
    seen: dict[str, int] = {}  # eventId -> timestamp, for the events inside the look-back window
    start = since_ms
    while True:
        events = fetch(client, found, start, transaction_id)
        emit(_lines([e for e in events if str(e.get("eventId")) not in seen], transaction_id))
        seen.update({str(e.get("eventId")): int(e.get("timestamp", 0)) for e in events})
        if seen:
            start = max(since_ms, max(seen.values()) - LATE_MS)
            seen = {event_id: ts for event_id, ts in seen.items() if ts >= start}
        _sleep(POLL_SECONDS)


def run(args: argparse.Namespace) -> int:
    since_ms = inputs.since("--since", args.since, dt.datetime.now(dt.UTC))
    transaction_id = transaction_filter(args.transaction_id)
    found = handler(args)
    client = logs_client(found.region)
    emit = _printer(args.json)
    if args.follow:
        follow(client, found, since_ms, transaction_id, emit)
        return 0
    shown = _lines(fetch(client, found, since_ms, transaction_id), transaction_id)
    emit(shown)
    if not shown:
        which = f"of call {transaction_id} " if transaction_id else ""
        print(f"No log lines {which}in {found.log_group} ({client.meta.region_name}) since "
              f"{log_rows.timestamp(since_ms)}.", file=sys.stderr)
    return 0
