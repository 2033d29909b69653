"""The phone-number inventory as `ops numbers list` shows it: every number the account holds, with
its status and product type, the SIP rules that route it and their applications, and whether the
stack manages it (a number the stack does not manage is billed all the same)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import partial
from typing import Any

from awsutil.pagination import paginate
from ops import routing
from ops.clients import read
from ops.errors import usage_error
from ops.stack_outputs import StackOutputs

RULE_ASSOCIATION = "SipRuleId"


@dataclass(frozen=True)
class InventoryNumber:
    e164: str
    status: str
    product_type: str
    number_type: str
    rules: tuple[routing.Rule, ...]  # the SIP rules in the Region that route calls to it
    elsewhere: tuple[str, ...]  # other associations: a rule of another Region, a Voice Connector
    managed: bool  # in the stack's phoneNumbers output

    @property
    def routed(self) -> bool:
        return bool(self.rules or self.elsewhere)


@dataclass(frozen=True)
class Inventory:
    region: str
    numbers: tuple[InventoryNumber, ...]
    applications: dict[str, routing.Application]
    not_in_inventory: tuple[str, ...]  # the stack's numbers the account no longer holds

    @property
    def unmanaged(self) -> tuple[InventoryNumber, ...]:
        return tuple(n for n in self.numbers if not n.managed)


def _e164(value: object) -> str:
    text = str(value)
    return text if text.startswith("+") else "+" + text


def stack_numbers(outputs: StackOutputs) -> tuple[str, ...]:
    """The stack's `phoneNumbers` output; an empty list is a stack without numbers, a missing output
    is an error (without it nothing can be called unmanaged)."""
    if "phoneNumbers" not in outputs.values:
        have = ", ".join(sorted(outputs.values)) or "no outputs"
        raise usage_error(f"stack output 'phoneNumbers' is missing from {outputs.source} (it has: {have})")
    value = outputs.values["phoneNumbers"]
    numbers = [] if value is None else value
    if not isinstance(numbers, list) or not all(isinstance(n, str) for n in numbers):
        raise usage_error(
            f"stack output 'phoneNumbers' in {outputs.source} is not a list of numbers: {value!r}")
    return tuple(_e164(n) for n in numbers)


def _number(raw: dict[str, Any], by_id: dict[str, routing.Rule], by_number: dict[str, list[routing.Rule]],
            region: str, managed: Collection[str]) -> InventoryNumber:
    e164 = _e164(raw.get("E164PhoneNumber") or raw.get("PhoneNumberId"))
    rules = list(by_number.get(e164, ()))
    elsewhere = []
    for association in raw.get("Associations") or []:
        name, value = association.get("Name"), str(association.get("Value"))
        if name == RULE_ASSOCIATION and value in by_id:
            if by_id[value] not in rules:
                rules.append(by_id[value])
        elif name == RULE_ASSOCIATION:
            elsewhere.append(f"SIP rule {value} (not in {region})")
        else:
            elsewhere.append(f"{name} {value}")
    return InventoryNumber(
        e164=e164,
        status=str(raw.get("Status", "?")),
        product_type=str(raw.get("ProductType", "?")),
        number_type=str(raw.get("Type", "?")),
        rules=tuple(rules),
        elsewhere=tuple(elsewhere),
        managed=e164 in managed,
    )


def build(client_for: Callable[[str | None], Any], region: str | None, managed: Collection[str]) -> Inventory:
    """Every number (ListPhoneNumbers), matched with the SIP rules of `region` (a rule's trigger, or the
    number's SipRuleId association) and their target applications, each read in its own Region."""
    client = client_for(region)
    raw_numbers = list(paginate(partial(read, client.list_phone_numbers), "PhoneNumbers", MaxResults=100))
    graph = routing.from_api(client_for, region)
    by_id = {rule.rule_id: rule for rule in graph.rules}
    by_number: dict[str, list[routing.Rule]] = {}
    for rule in graph.rules:
        if rule.trigger_type == "ToPhoneNumber" and rule.trigger_value:
            by_number.setdefault(_e164(rule.trigger_value), []).append(rule)
    where = str(client.meta.region_name)
    numbers = sorted((_number(raw, by_id, by_number, where, managed) for raw in raw_numbers),
                     key=lambda n: n.e164)
    held = {n.e164 for n in numbers}
    missing = tuple(n for n in managed if n not in held)
    return Inventory(where, tuple(numbers), graph.applications, missing)
