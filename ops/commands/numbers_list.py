"""`ops numbers list`: every number in the account's inventory with its status and product type, the
SIP rules (and their applications) that route it, and the numbers the stack does not manage, which are
billed all the same."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ops import inventory, stack_outputs, table
from ops.clients import chime_client
from ops.commands import options
from ops.routing import Application, Rule


def add_action(actions: Any) -> None:
    """Registers `list` under `ops numbers`."""
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
    listing.set_defaults(func=run)


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


def run(args: argparse.Namespace) -> int:
    outputs = stack_outputs.load(args.stack, args.outputs_file)
    managed = inventory.stack_numbers(outputs)
    region = options.region(args, outputs)
    found = inventory.build(lambda r: chime_client(r, args.endpoint_url), region, managed)
    source = outputs.source
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
