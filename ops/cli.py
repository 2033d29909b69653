"""`python -m ops`: argument parsing, dispatch, and the one place errors become messages.

Every command module in `ops.commands` exposes `add_parser(subparsers)` (registering `run` as the
parser's `func`). Exit codes: 0 done, 1 the request failed or the answer was invalid, 2 bad input
or a missing prerequisite (nothing changed).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from awsutil.classify import error_code, error_message
from awsutil.retry import RetriesExhausted
from ops.errors import FAILED, USAGE, OpsError


def build_parser() -> argparse.ArgumentParser:
    from ops.commands import call, logs, numbers, smoke, topology, update_call

    parser = argparse.ArgumentParser(
        prog="python -m ops",
        description="Operate Chime SDK PSTN call routing, on AWS or the local emulator "
        "(set AWS_ENDPOINT_URL_CHIME_SDK_VOICE or pass --endpoint-url).",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (numbers, call, update_call, topology, smoke, logs):
        module.add_parser(subparsers)
    return parser


def _client_error_message(err: Exception) -> str:
    operation = getattr(err, "operation_name", "request")
    message = error_message(err)
    return f"{operation} failed: {error_code(err) or 'Error'}: {str(err) if message is None else message}"


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from botocore.exceptions import (
        BotoCoreError,
        ClientError,
        EndpointConnectionError,
        NoCredentialsError,
        NoRegionError,
        ParamValidationError,
    )

    try:
        code: int = args.func(args)
        return code
    except OpsError as err:
        print(f"error: {err.message}", file=sys.stderr)
        return err.exit_code
    except RetriesExhausted as err:
        print(f"error: {err}", file=sys.stderr)
        return FAILED
    except ClientError as err:
        print(f"error: {_client_error_message(err)}", file=sys.stderr)
        return FAILED
    except NoRegionError:
        print("error: no AWS Region: pass --region or set AWS_REGION", file=sys.stderr)
        return USAGE
    except NoCredentialsError:
        print("error: no AWS credentials found (environment, profile or role)", file=sys.stderr)
        return USAGE
    except ParamValidationError as err:
        print(f"error: {err}", file=sys.stderr)
        return USAGE
    except EndpointConnectionError as err:
        print(
            f"error: cannot reach {err.kwargs.get('endpoint_url', 'the endpoint')}: is it running?",
            file=sys.stderr,
        )
        return FAILED
    except BotoCoreError as err:
        print(f"error: {err}", file=sys.stderr)
        return FAILED
    except KeyboardInterrupt:
        return 130
