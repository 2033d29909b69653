"""`python -m emulator`: serve the local chime-sdk-voice API; `python -m emulator call ...`: place a call."""

from __future__ import annotations

import argparse
import math
import signal
import sqlite3
import sys
from types import FrameType

from emulator.http_limits import Limits


def _limits(parser: argparse.ArgumentParser, args: argparse.Namespace) -> Limits:
    if args.max_body_bytes < 0:
        parser.error(f"--max-body-bytes must be >= 0 (got {args.max_body_bytes})")
    if not (math.isfinite(args.request_timeout) and args.request_timeout > 0):
        parser.error(f"--request-timeout must be a finite number > 0 (got {args.request_timeout})")
    if args.max_connections < 1:
        parser.error(f"--max-connections must be >= 1 (got {args.max_connections})")
    return Limits(args.max_body_bytes, args.request_timeout, args.max_connections)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8600, help="0 picks a free port")
    parser.add_argument("--state", default=None, metavar="FILE", help="SQLite file (default: in memory)")
    parser.add_argument("--seed", type=int, default=0, help="seeds the number pool and the fault injector")
    parser.add_argument("--throttle-rate", type=float, default=0.0, metavar="R",
                        help="share of API requests answered 429 ThrottledClientException, nothing changed")
    parser.add_argument("--error-rate", type=float, default=0.0, metavar="R",
                        help="share of API requests answered 503 ServiceUnavailableException, no change")
    parser.add_argument("--drop-rate", type=float, default=0.0, metavar="R",
                        help="share of API requests whose change is committed, then the connection closes "
                             "with no answer")
    parser.add_argument("--order-delay", type=float, default=2.0, metavar="S",
                        help="seconds until a phone number order completes")
    parser.add_argument("--calling-name-delay", type=float, default=5.0, metavar="S",
                        help="seconds a phone number's calling-name update stays UpdateInProgress "
                             "(the service takes up to 72 hours)")
    parser.add_argument("--account-id", default="123456789012", help="the account that owns everything")
    parser.add_argument("--phone-number-quota", type=int, default=5, metavar="N",
                        help="provisioned phone numbers per account (the service's default quota: 5)")
    http = parser.add_argument_group("HTTP limits")
    http.add_argument("--max-body-bytes", type=int, default=Limits.max_body_bytes, metavar="N",
                      help="larger request bodies are answered 413 and the connection closed "
                           f"(default {Limits.max_body_bytes})")
    http.add_argument("--request-timeout", type=float, default=Limits.request_timeout, metavar="S",
                      help="seconds a connection may sit idle, and then take to send one whole request, "
                           f"before it is closed (default {Limits.request_timeout:g})")
    http.add_argument("--max-connections", type=int, default=Limits.max_connections, metavar="N",
                      help="connections served at once; more wait for a slot "
                           f"(default {Limits.max_connections})")
    return parser


def serve(argv: list[str]) -> int:
    import emulator.calls.cli as cli
    from emulator.app import Emulator
    from emulator.backend import Backend
    from emulator.backend.service_config import Config
    from emulator.faults import FaultInjector
    from emulator.pool import NumberPool
    from emulator.server import EmulatorHTTPServer
    from emulator.store import Store
    from emulator.store_directory import StoreDirectory

    parser = _parser()
    cli.add_arguments(parser)
    args = parser.parse_args(argv)
    if not args.account_id.isdigit() or len(args.account_id) != 12:
        parser.error("--account-id must be 12 digits")
    if args.phone_number_quota < 0:
        parser.error("--phone-number-quota must be >= 0")
    if not 0 <= args.port <= 65535:
        parser.error(f"--port must be between 0 and 65535 (got {args.port})")
    delays = (("--order-delay", args.order_delay), ("--calling-name-delay", args.calling_name_delay))
    for flag, value in delays:
        if not (math.isfinite(value) and value >= 0):
            parser.error(f"{flag} must be a finite number >= 0 (got {value})")
    limits = _limits(parser, args)
    try:
        faults = FaultInjector(args.seed, args.throttle_rate, args.error_rate, args.drop_rate)
    except ValueError as exc:
        parser.error(str(exc))
    try:
        store = Store(args.state)
    except sqlite3.Error as exc:  # a path that cannot be opened, or a file that is not our database
        print(f"python -m emulator: cannot use --state {args.state}: {exc}", file=sys.stderr)
        return 2
    config = Config(account_id=args.account_id, order_delay=args.order_delay,
                    calling_name_delay=args.calling_name_delay, phone_number_quota=args.phone_number_quota,
                    seed=args.seed, pool=NumberPool(args.seed))
    directory = StoreDirectory(store, config)
    try:
        calls = cli.build_service(args, directory)
    except (ValueError, SystemExit) as exc:  # e.g. a --handler that names no file: bad usage, exit 2
        parser.error(str(exc))
    config.calls = calls
    emulator = Emulator(Backend(store, config), faults, calls)
    try:
        server = EmulatorHTTPServer((args.host, args.port), emulator, limits)
    except OSError as exc:
        print(f"python -m emulator: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 2

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    print(f"chime-sdk-voice emulator listening on {server.url}", flush=True)
    try:
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        calls.close()
        store.close()
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["call"]:
        import emulator.calls.cli as cli

        return int(cli.call_command(argv[1:]))
    return serve(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
