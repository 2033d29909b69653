"""`ops numbers`: `search` (the tutorial's SearchAvailablePhoneNumbers, every criterion a flag) here;
`list` in `ops.commands.numbers_list`."""

from __future__ import annotations

import argparse
import json
from typing import Any

from awsutil import number_search
from awsutil.service_model import member_shape
from ops import inputs, table
from ops.clients import chime_client, read
from ops.commands import numbers_list, options
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
    for field in number_search.FIELDS:
        search.add_argument(field.flag, dest=field.input_key, help=field.description)
    search.add_argument("--max-results", type=int, metavar="N", help=_max_results_help())
    search.add_argument("--next-token", metavar="TOKEN", help="the token a previous search printed")
    search.add_argument("--json", action="store_true", help="print the API answer as JSON")
    options.add_endpoint(search)
    search.set_defaults(func=run)
    numbers_list.add_action(actions)


def _max_results_help() -> str:
    limits = member_shape(number_search.REQUEST, "MaxResults")
    return f"{limits['min']}-{limits['max']}"


def search_params(args: argparse.Namespace) -> dict[str, Any]:
    """The request, validated against the service model's constraints, each error naming its flag."""
    params: dict[str, Any] = {}
    for field in number_search.FIELDS:
        value = inputs.search_criterion(field, getattr(args, field.input_key))
        if value is not None:
            params[field.member] = value
    kind_field = number_search.NUMBER_TYPE
    kind = params.get(kind_field.member)
    for field in number_search.FIELDS:
        if field.member not in params:
            continue
        if field.only_for is not None and kind is not None and kind != field.only_for:
            raise usage_error(f"{field.flag} only applies to {kind_field.flag} {field.only_for}")
        if field.needs is not None and field.needs not in params:
            raise usage_error(f"{field.flag} also needs {number_search.BY_MEMBER[field.needs].flag}")
    max_results = inputs.in_range("--max-results", args.max_results, number_search.REQUEST, "MaxResults")
    if max_results is not None:
        params["MaxResults"] = max_results
    if args.next_token is not None:
        params["NextToken"] = args.next_token
    return params


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

