"""`ops numbers search`: the tutorial's SearchAvailablePhoneNumbers, every criterion a flag."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ops import inputs, table
from ops.clients import chime_client, read
from ops.commands import options
from ops.errors import usage_error


def add_parser(subparsers: Any) -> None:
    numbers = subparsers.add_parser("numbers", help="phone numbers")
    actions = numbers.add_subparsers(dest="numbers_command", required=True, metavar="ACTION")
    search = actions.add_parser(
        "search",
        help="search available phone numbers (SearchAvailablePhoneNumbers)",
        description="Search the numbers you could order. Example: "
        "python -m ops numbers search --phone-number-type TollFree --country US --toll-free-prefix 844",
    )
    search.add_argument("--phone-number-type", metavar="TYPE", help="Local or TollFree")
    search.add_argument("--country", help="two-letter country code, e.g. US")
    search.add_argument("--toll-free-prefix", metavar="PREFIX", help="800, 833, 844, 855, 866, 877 or 888")
    search.add_argument("--area-code", help="area code of Local numbers, e.g. 206")
    search.add_argument("--city", help="city of Local numbers")
    search.add_argument("--state", help="state of Local numbers, e.g. WA")
    search.add_argument("--max-results", type=int, metavar="N", help="1-500")
    search.add_argument("--next-token", metavar="TOKEN", help="the token a previous search printed")
    search.add_argument("--json", action="store_true", help="print the API answer as JSON")
    options.add_endpoint(search)
    search.set_defaults(func=run)


def search_params(args: argparse.Namespace) -> dict[str, Any]:
    """The request, validated against the service model's constraints, each error naming its flag."""
    kind = inputs.choice("--phone-number-type", args.phone_number_type, inputs.PHONE_NUMBER_TYPES)
    country = inputs.matching("--country", args.country, inputs.COUNTRY, "US (two capital letters)")
    prefix = inputs.matching(
        "--toll-free-prefix",
        args.toll_free_prefix,
        inputs.TOLL_FREE_PREFIX,
        "844 (800, 833, 844, 855, 866, 877 or 888)",
    )
    if prefix is not None and kind == "Local":
        raise usage_error("--toll-free-prefix only applies to --phone-number-type TollFree")
    max_results = inputs.int_between("--max-results", args.max_results, 1, 500)
    params: dict[str, Any] = {
        "PhoneNumberType": kind,
        "Country": country,
        "TollFreePrefix": prefix,
        "AreaCode": _optional("--area-code", args.area_code),
        "City": _optional("--city", args.city),
        "State": _optional("--state", args.state),
        "MaxResults": max_results,
        "NextToken": args.next_token,
    }
    return {key: value for key, value in params.items() if value is not None}


def _optional(flag: str, value: str | None) -> str | None:
    return None if value is None else inputs.not_blank(flag, value)


def run(args: argparse.Namespace) -> int:
    params = search_params(args)
    client = chime_client(args.region, args.endpoint_url)
    answer = read(client.search_available_phone_numbers, **params)
    numbers = answer.get("E164PhoneNumbers", [])
    token = answer.get("NextToken")
    if args.json:
        print(json.dumps({"E164PhoneNumbers": numbers, "NextToken": token}, indent=2))
        return 0
    if not numbers:
        print("No available numbers match.")
        return 0
    print(table.render(["#", "E.164 number"], [(i, n) for i, n in enumerate(numbers, 1)]))
    if token:
        print(f"\nMore results: add --next-token {token}")
    return 0
