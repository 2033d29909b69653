"""Command-line surface of the call simulator: its `python -m emulator` flags and the `call` command."""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from emulator.calls.service import DEFAULT_CALL_RETENTION, CallService
from emulator.directory import Directory


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("call simulator")
    group.add_argument(
        "--handler",
        action="append",
        default=[],
        metavar="FUNCTION_NAME=FILE.py:FUNCTION",
        help="run this Lambda function locally from a Python handler (repeatable)",
    )
    group.add_argument(
        "--lambda-endpoint",
        default=None,
        metavar="URL",
        help="Lambda API endpoint for functions without --handler (default: $AWS_ENDPOINT_URL_LAMBDA)",
    )
    group.add_argument(
        "--idle-hangup",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="the caller hangs up after this many real seconds idle (default 30)",
    )
    group.add_argument(
        "--lambda-timeout",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="how long one Lambda invocation may take (default 5, as the service waits)",
    )
    group.add_argument(
        "--time-scale",
        type=float,
        default=0.0,
        metavar="FACTOR",
        help="real seconds per virtual second of a call's timed events (prompts, digit timers, ringing; "
        "0: no waiting at all)",
    )
    group.add_argument(
        "--active-calls-per-sma",
        type=int,
        default=0,
        metavar="N",
        help="refuse calls beyond N active calls per SIP media application, a bridged call counting twice "
        "(the service's default quota is 10; default 0: no limit)",
    )
    group.add_argument(
        "--call-retention",
        type=int,
        default=DEFAULT_CALL_RETENTION,
        metavar="N",
        help="calls kept for /_emulator/calls; past N the oldest ended ones are forgotten "
        f"(default {DEFAULT_CALL_RETENTION})",
    )


def build_service(args: argparse.Namespace, directory: Directory) -> CallService:
    """Raises SystemExit with a message naming the flag when a flag's value is unusable."""
    from emulator.calls.invoker import parse_handler_spec

    try:
        handlers = [parse_handler_spec(text) for text in getattr(args, "handler", None) or []]
    except ValueError as exc:
        raise SystemExit(str(exc)) from None
    names = [h.function_name for h in handlers]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise SystemExit(f"--handler: function {', '.join(duplicates)} is mapped more than once")
    # Finite, too: a NaN or infinite delay would corrupt (or kill) the timer thread every call shares.
    for flag, value in (("--idle-hangup", args.idle_hangup), ("--lambda-timeout", args.lambda_timeout)):
        if not (math.isfinite(value) and value > 0):
            raise SystemExit(f"{flag} must be a finite number > 0 (got {value})")
    if not (math.isfinite(args.time_scale) and args.time_scale >= 0):
        raise SystemExit(f"--time-scale must be a finite number >= 0 (got {args.time_scale})")
    retention = getattr(args, "call_retention", DEFAULT_CALL_RETENTION)
    if retention < 0:
        raise SystemExit(f"--call-retention must be >= 0 (got {retention})")
    quota = getattr(args, "active_calls_per_sma", 0)
    if quota < 0:
        raise SystemExit(f"--active-calls-per-sma must be 0 (no limit) or more (got {quota})")
    endpoint = getattr(args, "lambda_endpoint", None) or os.environ.get("AWS_ENDPOINT_URL_LAMBDA") or None
    return CallService(
        directory,
        handlers,
        lambda_endpoint=endpoint,
        lambda_timeout=args.lambda_timeout,
        idle_hangup=args.idle_hangup,
        time_scale=args.time_scale,
        call_retention=retention,
        active_calls_per_sma=quota,
    )


def _call_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m emulator call", description="Simulate an inbound call and print its transcript."
    )
    parser.add_argument("--endpoint", required=True, help="the emulator's URL, e.g. http://127.0.0.1:8600")
    parser.add_argument("--to", required=True, help="the dialled number (E.164)")
    parser.add_argument("--from", dest="from_", required=True, help="the caller's number (E.164)")
    parser.add_argument(
        "--digits", default="", help="DTMF keys the caller types into the first prompt or listener"
    )
    parser.add_argument("--host", default=None, help="Request-URI hostname (a Voice Connector host)")
    parser.add_argument(
        "--sip-header",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a SIP header of the INVITE (repeatable); x-..., User-to-User and Diversion reach the events",
    )
    parser.add_argument("--json", action="store_true", help="print the call record as JSON")
    return parser


def _post(url: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), method="POST", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read() or b"null")


def call_command(argv: list[str]) -> int:
    """`python -m emulator call ...`: 0 when the call was placed, 1 when the emulator refused it, 2 when
    it could not be reached."""
    from emulator.calls.transcript import render

    parser = _call_parser()
    args = parser.parse_args(argv)
    if urllib.parse.urlsplit(args.endpoint).scheme not in ("http", "https"):
        parser.error(f"--endpoint must be an http:// or https:// URL (got {args.endpoint!r})")
    body: dict[str, Any] = {"to": args.to, "from": args.from_}
    if args.digits:
        body["digits"] = args.digits
    if args.host:
        body["requestUriHostname"] = args.host
    headers: dict[str, str] = {}
    for pair in args.sip_header:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            parser.error(f"--sip-header {pair!r}: expected NAME=VALUE")
        headers[name] = value
    if headers:
        body["sipHeaders"] = headers
    try:
        record = _post(args.endpoint.rstrip("/") + "/_emulator/calls", body)
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode(errors="replace")
        with contextlib.suppress(ValueError, AttributeError):
            detail = json.loads(detail).get("Message", detail)
        print(f"call refused ({exc.code}): {detail}", file=sys.stderr)
        return 1
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        # ValueError: a bad port in the URL, or an answer that is not JSON (not the emulator).
        print(f"cannot reach the emulator at {args.endpoint}: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(record, indent=2) if args.json else render(record))
    return 0
