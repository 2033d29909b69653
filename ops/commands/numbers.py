"""`ops numbers search`: the tutorial's SearchAvailablePhoneNumbers, every criterion a flag.
`ops numbers list`: the account's inventory, how each number is routed, and which ones the stack does
not manage."""

from __future__ import annotations

import argparse
import json
from typing import Any

from awsutil import number_search
from awsutil.service_model import member_shape
from ops import inputs, inventory, table
from ops.clients import chime_client, read
from ops.commands import options
from ops.errors import usage_error
from ops.routing import Application, Rule


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

    listing = actions.add_parser(
        "list",
        help="every number in the inventory, how it is routed, and whether the stack manages it",
        description="ListPhoneNumbers, with the SIP rules of the Region (the stack's, or --region) that "
        "route each number and their applications; numbers the stack's phoneNumbers output does not "
        "name are flagged: they are billed all the same.",
    )
    listing.add_argument("--json", action="store_true", help="print the inventory as JSON")
    options.add_stack(listing)
    options.add_endpoint(listing)
    listing.set_defaults(func=run_list)


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


def _route(rule: Rule, applications: dict[str, Application]) -> str:
    name = rule.name or rule.rule_id
    targets = []
    for target in rule.targets:
        app = applications.get(target.application_id)
        label = (app.name if app is not None and app.name else None) or target.application_id
        missing = ", not found" if app is not None and not app.found else ""
        targets.append(f"{label} ({target.region}, p{target.priority}{missing})")
    disabled = " [disabled]" if rule.disabled else ""
    return f"{name}{disabled} -> {', '.join(targets) or 'no target'}"


def _routes(number: inventory.InventoryNumber, applications: dict[str, Application]) -> str:
    parts = [_route(rule, applications) for rule in number.rules] + list(number.elsewhere)
    return "; ".join(parts) if parts else "not routed"


def _json(found: inventory.Inventory, source: str) -> dict[str, Any]:
    def target(app_id: str, priority: int, region: str) -> dict[str, Any]:
        app = found.applications.get(app_id)
        return {"sipMediaApplicationId": app_id, "priority": priority, "region": region,
                "name": app.name if app else None, "found": app.found if app else None,
                "lambdaArns": list(app.lambda_arns) if app else []}

    return {
        "region": found.region,
        "stack": source,
        "numbers": [
            {
                "e164PhoneNumber": n.e164,
                "status": n.status,
                "productType": n.product_type,
                "type": n.number_type,
                "managed": n.managed,
                "routed": n.routed,
                "sipRules": [
                    {"sipRuleId": r.rule_id, "name": r.name, "disabled": r.disabled,
                     "targets": [target(t.application_id, t.priority, t.region) for t in r.targets]}
                    for r in n.rules
                ],
                "otherAssociations": list(n.elsewhere),
            }
            for n in found.numbers
        ],
        "notInInventory": list(found.not_in_inventory),
    }


def run_list(args: argparse.Namespace) -> int:
    outputs = options.LazyOutputs(args)
    managed = inventory.stack_numbers(outputs())
    region = options.region(args, outputs.loaded)
    found = inventory.build(lambda r: chime_client(r, args.endpoint_url), region, managed)
    source = outputs().source
    if args.json:
        print(json.dumps(_json(found, source), indent=2))
        return 0
    if not found.numbers:
        print(f"No phone numbers in the inventory ({found.region}).")
    else:
        rows = [
            (n.e164, n.status, n.product_type, n.number_type, _routes(n, found.applications),
             "managed" if n.managed else "NOT MANAGED")
            for n in found.numbers
        ]
        headers = ["Number", "Status", "Product type", "Type", f"Routed by ({found.region})", "Stack"]
        print(table.render(headers, rows))
    unmanaged = found.unmanaged
    if unmanaged:
        listed = ", ".join(n.e164 for n in unmanaged)
        print(
            f"\n{len(unmanaged)} number(s) not managed by {source}, billed all the same: {listed}. "
            "To manage one, list it as {e164: NUMBER} in phoneNumbers (it is adopted, not re-ordered); "
            "to stop paying for one, release it "
            "(aws chime-sdk-voice delete-phone-number --phone-number-id NUMBER)."
        )
    if found.not_in_inventory:
        print(
            f"\n{source} names number(s) the inventory does not hold: {', '.join(found.not_in_inventory)} "
            "(released outside Pulumi? `pulumi refresh` records it)."
        )
    return 0
