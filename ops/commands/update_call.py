"""`ops update-call`: the tutorial's mid-call trigger (UpdateSipMediaApplicationCall).

The service answers 202 and invokes the handler with CALL_UPDATE_REQUESTED; an ended or unknown
call is a NotFoundException, reported as such.
"""

from __future__ import annotations

import argparse
from typing import Any

from awsutil.classify import error_code, error_message
from ops import inputs
from ops.clients import call_once, chime_client
from ops.commands import options
from ops.errors import OpsError


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "update-call",
        help="send arguments to a live call's handler (UpdateSipMediaApplicationCall)",
        description="The handler gets CALL_UPDATE_REQUESTED with the --arg pairs as "
        "ActionData.Parameters.Arguments and its answer replaces the call's queued actions.",
    )
    parser.add_argument(
        "--transaction-id",
        required=True,
        metavar="ID",
        help="the call's TransactionId (printed by `ops call`, in every handler event)",
    )
    parser.add_argument(
        "--sip-media-application-id", metavar="ID", help="default: the stack's sipMediaApplicationId output"
    )
    parser.add_argument(
        "--arg",
        action="append",
        required=True,
        metavar="KEY=VALUE",
        help="Arguments entry (repeatable, <= 20)",
    )
    options.add_stack(parser)
    options.add_endpoint(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    transaction_id = inputs.not_blank("--transaction-id", args.transaction_id)
    arguments = inputs.key_values("--arg", args.arg, "UpdateSipMediaApplicationCallRequest", "Arguments")
    outputs = options.LazyOutputs(args)
    if args.sip_media_application_id is not None:
        sma_id = inputs.not_blank("--sip-media-application-id", args.sip_media_application_id)
    else:
        sma_id = str(outputs().require("sipMediaApplicationId", "--sip-media-application-id ID"))
    region = options.region(args, outputs.loaded)

    from botocore.exceptions import ClientError

    client = chime_client(region, args.endpoint_url)
    try:
        answer = call_once(
            client.update_sip_media_application_call,
            SipMediaApplicationId=sma_id,
            TransactionId=transaction_id,
            Arguments=arguments,
        )
    except ClientError as err:
        if error_code(err) != "NotFoundException":
            raise
        raise OpsError(
            f"no live call {transaction_id} on SIP media application {sma_id} in {client.meta.region_name}: "
            f"the call has ended, or the transaction or application id is wrong "
            f"(NotFoundException: {error_message(err) or ''})"
        ) from None
    status = answer.get("ResponseMetadata", {}).get("HTTPStatusCode")
    print(
        f"Update accepted ({status}): the handler of call {transaction_id} is invoked with "
        f"CALL_UPDATE_REQUESTED and Arguments {arguments}."
    )
    return 0
