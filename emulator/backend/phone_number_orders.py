"""Getting numbers: search the seeded pool, the countries it sells in, orders that complete after
`--order-delay` (settled lazily, see `settling`). Orders belong to the account, not a Region."""

from __future__ import annotations

from typing import Any

from emulator.backend.context import Ctx, Doc, Params
from emulator.backend.ids import new_guid
from emulator.backend.kinds import DIAL_IN, NUMBER, ORDER, PENDING_ORDER, RESERVED_NUMBER
from emulator.backend.list_pages import list_answer
from emulator.backend.next_tokens import decode_token, encode_token
from emulator.backend.relations import numbers_held, with_plus
from emulator.backend.resources import check_quota
from emulator.backend.settling import settle
from emulator.errors import BadRequestError, NotFoundError
from emulator.pool import LOCAL, TOLL_FREE, Criteria
from emulator.store import Tx

DEFAULT_SEARCH_RESULTS = 100  # undocumented default; the model allows 1-500
OUTSIDE_US = "productType: numbers outside the U.S. must use product type SipMediaApplicationDialIn"


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
    taken = {n["PhoneNumberId"] for n in tx.list(NUMBER)} | {r["id"] for r in tx.list(RESERVED_NUMBER)}
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


def list_supported_phone_number_countries(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    # What the pool sells; outside the U.S. only the SIP media application product type may be
    # used (UpdatePhoneNumber, CreatePhoneNumberOrder), so VoiceConnector lists the U.S. alone.
    offered = ctx.config.pool.offered()
    if p["ProductType"] != DIAL_IN:
        offered = {c: t for c, t in offered.items() if c == "US"}
    return {"PhoneNumberCountries": [{"CountryCode": c, "SupportedPhoneNumberTypes": list(t)}
                                     for c, t in offered.items()]}


def create_phone_number_order(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    numbers = [with_plus(n) for n in p["E164PhoneNumbers"]]
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
            raise BadRequestError(OUTSIDE_US)
        taken = tx.get(NUMBER, e164) is not None or tx.get(RESERVED_NUMBER, e164) is not None
        available = block is not None and not taken
        plan[e164] = "Acquired" if available else "Failed"
    acquiring = sum(1 for v in plan.values() if v == "Acquired")
    quota = ctx.config.phone_number_quota
    check_quota(numbers_held(tx), acquiring, quota,
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
            tx.put(RESERVED_NUMBER, e164, {"id": e164, "order": order_id})
    # Always answered Processing, even with --order-delay 0: the next request settles it.
    tx.put(PENDING_ORDER, order_id, {"id": order_id, "due": ctx.now + ctx.config.order_delay})
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


OPERATIONS: dict[str, Any] = {
    "SearchAvailablePhoneNumbers": search_available_phone_numbers,
    "ListSupportedPhoneNumberCountries": list_supported_phone_number_countries,
    "CreatePhoneNumberOrder": create_phone_number_order,
    "GetPhoneNumberOrder": get_phone_number_order,
    "ListPhoneNumberOrders": list_phone_number_orders,
}
