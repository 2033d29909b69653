"""Phone numbers: search the seeded pool, orders that complete after `--order-delay`, the inventory.

Phone numbers and orders belong to the account (not a Region). Orders are settled lazily: every
operation that can see numbers first applies the orders whose delay has passed, so nothing needs
a timer and a restarted emulator catches up by itself.
"""

from __future__ import annotations

from typing import Any

from emulator.backend.context import Ctx, Doc, Params
from emulator.backend.ids import new_guid
from emulator.backend.list_pages import list_answer
from emulator.backend.next_tokens import decode_token, encode_token
from emulator.backend.resources import check_quota
from emulator.errors import BadRequestError, ConflictError, NotFoundError
from emulator.pool import LOCAL, TOLL_FREE, Criteria
from emulator.store import Tx

NUMBER, ORDER, PENDING, RESERVED = "number", "order", "pending-order", "reserved-number"
DIAL_IN = "SipMediaApplicationDialIn"
RELEASING = "ReleaseInProgress"
INVENTORY_STATUSES = ("Unassigned", "Assigned")
DEFAULT_SEARCH_RESULTS = 100  # undocumented default; the model allows 1-500


def normalise(e164: str) -> str:
    return e164 if e164.startswith("+") else "+" + e164


# --- settling -------------------------------------------------------------------------------------

def settle(tx: Tx, ctx: Ctx) -> None:
    """Complete orders whose delay has passed; purge numbers whose 7 days in the deletion queue ended."""
    for pending in tx.list(PENDING):
        if pending["due"] <= ctx.now:
            _complete_order(tx, ctx, pending["id"], pending["due"])
            tx.delete(PENDING, pending["id"])
    for number in tx.list(NUMBER):
        deleted = number.get("DeletionTimestamp")
        if deleted is not None and deleted + ctx.config.deletion_queue_seconds <= ctx.now:
            tx.delete(NUMBER, number["PhoneNumberId"])


def _complete_order(tx: Tx, ctx: Ctx, order_id: str, done_at: float) -> None:
    order = tx.get(ORDER, order_id)
    if order is None:
        return
    acquired = 0
    for ordered in order["OrderedPhoneNumbers"]:
        e164 = ordered["E164PhoneNumber"]
        outcome = order["_plan"][e164]
        ordered["Status"] = outcome
        if outcome != "Acquired":
            continue  # a Failed number may be reserved by another order: leave that alone
        tx.delete(RESERVED, e164)
        acquired += 1
        block = ctx.config.pool.lookup(e164)
        tx.put(NUMBER, e164, _new_number(e164, order, block.country if block else "US",
                                         block.number_type if block else LOCAL, done_at))
    total = len(order["OrderedPhoneNumbers"])
    order["Status"] = "Successful" if acquired == total else ("Failed" if acquired == 0 else "Partial")
    order["UpdatedTimestamp"] = done_at
    tx.put(ORDER, order_id, order)


def _new_number(e164: str, order: Doc, country: str, number_type: str, when: float) -> Doc:
    number: Doc = {
        "PhoneNumberId": e164,
        "E164PhoneNumber": e164,
        "Country": country,
        "Type": number_type,
        "ProductType": order["ProductType"],
        "Status": "Unassigned",
        "Capabilities": {
            "InboundCall": True, "OutboundCall": True,
            "InboundSMS": number_type == LOCAL, "OutboundSMS": number_type == LOCAL,
            "InboundMMS": False, "OutboundMMS": False,
        },
        "Associations": [],
        "CallingNameStatus": "Unassigned",
        "CreatedTimestamp": when,
        "UpdatedTimestamp": when,
        "OrderId": order["PhoneNumberOrderId"],
    }
    if order.get("_name"):
        number["Name"] = order["_name"]
    return number


def _active_count(tx: Tx) -> int:
    """Numbers held against the quota: inventory (not the deletion queue) plus ones being acquired."""
    held = sum(1 for n in tx.list(NUMBER) if n["Status"] != RELEASING)
    return held + tx.count(RESERVED)


# --- search -----------------------------------------------------------------------------------------

def search_available_phone_numbers(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    number_type = p.get("PhoneNumberType")
    prefix, area, city, state = p.get("TollFreePrefix"), p.get("AreaCode"), p.get("City"), p.get("State")
    # Stricter than the (silent) docs: contradictory criteria are an error, not an empty page.
    if prefix and number_type == LOCAL:
        raise BadRequestError("tollFreePrefix applies only to phoneNumberType TollFree")
    if (area or city or state) and number_type == TOLL_FREE:
        raise BadRequestError("areaCode, city and state apply only to phoneNumberType Local")
    if prefix and (area or city or state):
        raise BadRequestError("tollFreePrefix cannot be combined with areaCode, city or state")
    if city and not state:
        raise BadRequestError("city requires state")
    if number_type is None:
        number_type = TOLL_FREE if prefix else (LOCAL if (area or city or state) else None)
    criteria = Criteria(number_type, p.get("Country") or "US", prefix, area, city, state)
    # A search page's token carries its last number: the next page starts after it.
    after = "+" + decode_token(p["NextToken"], "after") if p.get("NextToken") else None
    limit = p.get("MaxResults") or DEFAULT_SEARCH_RESULTS
    settle(tx, ctx)
    taken = {n["PhoneNumberId"] for n in tx.list(NUMBER)} | {r["id"] for r in tx.list(RESERVED)}
    found: list[str] = []
    more = False
    for e164 in ctx.config.pool.numbers(criteria, after):
        if e164 in taken:
            continue
        if len(found) == limit:
            more = True
            break
        found.append(e164)
    out: Doc = {"E164PhoneNumbers": found}
    if more:
        out["NextToken"] = encode_token("after", found[-1][1:])
    return out


# --- orders -----------------------------------------------------------------------------------------

def create_phone_number_order(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    numbers = [normalise(n) for n in p["E164PhoneNumbers"]]
    if not numbers:
        raise BadRequestError("e164PhoneNumbers must contain at least one phone number")
    if len(set(numbers)) != len(numbers):
        raise BadRequestError("e164PhoneNumbers contains the same phone number more than once")
    product = p["ProductType"]
    settle(tx, ctx)
    plan: dict[str, str] = {}
    for e164 in numbers:
        block = ctx.config.pool.lookup(e164)
        outside_us = not e164.startswith("+1") or (block is not None and block.country != "US")
        if outside_us and product != DIAL_IN:
            raise BadRequestError(
                "productType: numbers outside the U.S. must use product type SipMediaApplicationDialIn")
        available = block is not None and tx.get(NUMBER, e164) is None and tx.get(RESERVED, e164) is None
        plan[e164] = "Acquired" if available else "Failed"
    acquiring = sum(1 for v in plan.values() if v == "Acquired")
    quota = ctx.config.phone_number_quota
    check_quota(_active_count(tx), acquiring, quota,
                f"The order would exceed the account's phone number quota of {quota} phone numbers")
    order_id = new_guid()
    order: Doc = {
        "PhoneNumberOrderId": order_id,
        "ProductType": product,
        "Status": "Processing",
        "OrderType": "New",
        "OrderedPhoneNumbers": [{"E164PhoneNumber": n, "Status": "Processing"} for n in numbers],
        "CreatedTimestamp": ctx.now,
        "UpdatedTimestamp": ctx.now,
        "_plan": plan,
        "_name": p.get("Name"),
    }
    tx.put(ORDER, order_id, order)
    for e164, outcome in plan.items():
        if outcome == "Acquired":
            tx.put(RESERVED, e164, {"id": e164, "order": order_id})
    # Always answered Processing, even with --order-delay 0: the next request settles it.
    tx.put(PENDING, order_id, {"id": order_id, "due": ctx.now + ctx.config.order_delay})
    return {"PhoneNumberOrder": order}


def get_phone_number_order(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    settle(tx, ctx)
    order = tx.get(ORDER, p["PhoneNumberOrderId"].lower())
    if order is None:
        raise NotFoundError(f"Phone number order {p['PhoneNumberOrderId']} not found")
    return {"PhoneNumberOrder": order}


def list_phone_number_orders(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    settle(tx, ctx)
    return list_answer("PhoneNumberOrders", tx.list(ORDER), p)


# --- inventory --------------------------------------------------------------------------------------

def _number(tx: Tx, ident: str) -> Doc:
    number = tx.get(NUMBER, ident)
    if number is None:
        raise NotFoundError("Phone number not found in the account's inventory")
    return number


def list_phone_numbers(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    from emulator.backend.sip_rules import find as find_rule

    settle(tx, ctx)
    filter_name, filter_value = p.get("FilterName"), p.get("FilterValue")
    if (filter_name is None) != (filter_value is None):
        raise BadRequestError("filterName and filterValue must be given together")
    missing_rule = filter_name == "SipRuleId" and find_rule(tx, ctx.region, filter_value or "") is None
    if missing_rule:
        raise NotFoundError(f"SIP rule {filter_value} not found")
    numbers = sorted(tx.list(NUMBER), key=lambda n: n["E164PhoneNumber"])
    if p.get("Status") is not None:
        numbers = [n for n in numbers if n["Status"] == p["Status"]]
    if p.get("ProductType") is not None:
        numbers = [n for n in numbers if n["ProductType"] == p["ProductType"]]
    if filter_name is not None:
        numbers = [n for n in numbers
                   if any(a["Name"] == filter_name and a["Value"] == filter_value for a in n["Associations"])]
    return list_answer("PhoneNumbers", numbers, p)


def get_phone_number(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    settle(tx, ctx)
    return {"PhoneNumber": _number(tx, p["PhoneNumberId"])}


def update_phone_number(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    settle(tx, ctx)
    number = _number(tx, p["PhoneNumberId"])
    changes = [k for k in ("ProductType", "CallingName", "Name") if k in p]
    # "You can update one phone number detail at a time" (API reference): enforced.
    if len(changes) != 1:
        raise BadRequestError("Update exactly one of productType, callingName or name at a time")
    if number["Status"] not in INVENTORY_STATUSES:
        raise ConflictError(f"The phone number cannot be updated while its status is {number['Status']}")
    change = changes[0]
    if change == "ProductType" and p["ProductType"] != number["ProductType"]:
        if number["Associations"]:
            raise ConflictError("productType cannot change while the phone number is assigned")
        if number["Country"] != "US" and p["ProductType"] != DIAL_IN:
            raise BadRequestError(
                "productType: numbers outside the U.S. must use product type SipMediaApplicationDialIn")
    number[change] = p[change]
    if change == "CallingName":
        # The service takes up to 72 hours; the emulator applies it at once.
        number["CallingNameStatus"] = "UpdateSucceeded"
    number["UpdatedTimestamp"] = ctx.now
    tx.put(NUMBER, number["PhoneNumberId"], number)
    return {"PhoneNumber": number}


def delete_phone_number(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    settle(tx, ctx)
    number = _number(tx, p["PhoneNumberId"])
    if number["Status"] == RELEASING:
        raise BadRequestError("The phone number is already in the deletion queue")
    if number["Associations"] or number["Status"] == "Assigned":
        raise BadRequestError("The phone number is assigned: delete the SIP rule that uses it first")
    number["Status"] = RELEASING
    number["DeletionTimestamp"] = ctx.now
    number["UpdatedTimestamp"] = ctx.now
    tx.put(NUMBER, number["PhoneNumberId"], number)
    return {}


def restore_phone_number(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    settle(tx, ctx)
    number = _number(tx, p["PhoneNumberId"])
    if number["Status"] != RELEASING:
        raise BadRequestError("Only a phone number in the deletion queue (ReleaseInProgress) can be restored")
    # Numbers in the deletion queue do not count against the quota (the model lists
    # ResourceLimitExceededException for RestorePhoneNumber), so restoring one must fit in it.
    quota = ctx.config.phone_number_quota
    check_quota(_active_count(tx), 1, quota, f"Restoring would exceed the phone number quota of {quota}")
    number["Status"] = "Unassigned"
    number.pop("DeletionTimestamp", None)
    number["UpdatedTimestamp"] = ctx.now
    tx.put(NUMBER, number["PhoneNumberId"], number)
    return {"PhoneNumber": number}


def inventory_number(tx: Tx, e164: str) -> Doc | None:
    number = tx.get(NUMBER, e164)
    return number if number is not None and number["Status"] in INVENTORY_STATUSES else None


OPERATIONS: dict[str, Any] = {
    "SearchAvailablePhoneNumbers": search_available_phone_numbers,
    "CreatePhoneNumberOrder": create_phone_number_order,
    "GetPhoneNumberOrder": get_phone_number_order,
    "ListPhoneNumberOrders": list_phone_number_orders,
    "ListPhoneNumbers": list_phone_numbers,
    "GetPhoneNumber": get_phone_number,
    "UpdatePhoneNumber": update_phone_number,
    "DeletePhoneNumber": delete_phone_number,
    "RestorePhoneNumber": restore_phone_number,
}
