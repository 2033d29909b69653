"""`ops call`: the tutorial's outbound call (CreateSipMediaApplicationCall).

From defaults to the stack's first number (caller ID must be an inventory number) and the SIP media
application to the stack's, both read from the stack outputs only when not given as flags.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from ops import inputs, table
from ops.clients import call_once, chime_client
from ops.commands import options


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "call",
        help="place an outbound call (CreateSipMediaApplicationCall)",
        description="Place an outbound call through the stack's SIP media application; its handler "
        "gets NEW_OUTBOUND_CALL with the --arg pairs as ActionData.Parameters.Arguments.",
    )
    parser.add_argument("--to", required=True, metavar="NUMBER", help="number to call, E.164 (+12065550102)")
    parser.add_argument(
        "--from",
        dest="from_number",
        metavar="NUMBER",
        help="caller ID, an inventory number (default: the stack's first phoneNumbers output)",
    )
    parser.add_argument(
        "--sip-media-application-id", metavar="ID", help="default: the stack's sipMediaApplicationId output"
    )
    parser.add_argument(
        "--arg", action="append", metavar="KEY=VALUE", help="ArgumentsMap entry (repeatable, <= 20)"
    )
    parser.add_argument(
        "--sip-header", action="append", metavar="KEY=VALUE", help="SipHeaders entry (repeatable, <= 20)"
    )
    parser.add_argument("--json", action="store_true", help="print the result as one JSON object")
    options.add_stack(parser)
    options.add_endpoint(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # Everything the operator typed is checked before the stack outputs are read or a call placed.
    to_number = inputs.phone_number("--to", args.to)
    from_number = None if args.from_number is None else inputs.phone_number("--from", args.from_number)
    sma_id = None
    if args.sip_media_application_id is not None:
        sma_id = inputs.not_blank("--sip-media-application-id", args.sip_media_application_id)
    arguments = inputs.key_values("--arg", args.arg, "CreateSipMediaApplicationCallRequest", "ArgumentsMap")
    headers = inputs.key_values("--sip-header", args.sip_header, "CreateSipMediaApplicationCallRequest",
                                "SipHeaders")

    outputs = options.LazyOutputs(args)
    if from_number is None:
        from_number = inputs.phone_number("stack output phoneNumbers[0]", outputs().first_phone_number())
    if sma_id is None:
        sma_id = str(outputs().require("sipMediaApplicationId", "--sip-media-application-id ID"))
    region = options.region(args, outputs.loaded)

    client = chime_client(region, args.endpoint_url)
    request: dict[str, Any] = {
        "FromPhoneNumber": from_number,
        "ToPhoneNumber": to_number,
        "SipMediaApplicationId": sma_id,
    }
    if arguments:
        request["ArgumentsMap"] = arguments
    if headers:
        request["SipHeaders"] = headers
    answer = call_once(client.create_sip_media_application_call, **request)
    transaction_id = answer["SipMediaApplicationCall"]["TransactionId"]
    if args.json:
        print(
            json.dumps(
                {
                    "TransactionId": transaction_id,
                    "SipMediaApplicationId": sma_id,
                    "FromPhoneNumber": from_number,
                    "ToPhoneNumber": to_number,
                    "Region": client.meta.region_name,
                }
            )
        )
        return 0
    print("Call started.")
    print(
        table.render(
            ["Field", "Value"],
            [
                ("TransactionId", transaction_id),
                ("SipMediaApplicationId", sma_id),
                ("From", from_number),
                ("To", to_number),
                ("Region", client.meta.region_name),
            ],
        )
    )
    print(
        f"\nUpdate it while it is live:\n  python -m ops update-call --transaction-id {transaction_id} "
        f"--sip-media-application-id {sma_id} --region {client.meta.region_name} --arg action=custom-action"
    )
    return 0
