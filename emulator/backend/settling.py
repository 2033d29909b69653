"""Phone-number state that changes with time, applied lazily: orders complete after their delay,
numbers leave the deletion queue for good after 7 days, calling-name updates finish.

Every operation that can see numbers calls `settle` first, so nothing needs a timer and a
restarted emulator catches up by itself.
"""

from __future__ import annotations

from emulator.backend import calling_names
from emulator.backend.context import Ctx, Doc
from emulator.backend.kinds import NUMBER, ORDER, PENDING_ORDER, RESERVED_NUMBER, UNASSIGNED
from emulator.pool import LOCAL
from emulator.store import Tx


def settle(tx: Tx, ctx: Ctx) -> None:
    """Complete due orders; purge numbers whose 7 days in the deletion queue ended; finish due
    calling-name updates."""
    for pending in tx.list(PENDING_ORDER):
        if pending["due"] <= ctx.now:
            _complete_order(tx, ctx, pending["id"], pending["due"])
            tx.delete(PENDING_ORDER, pending["id"])
    for number in tx.list(NUMBER):
        deleted = number.get("DeletionTimestamp")
        if deleted is not None and deleted + ctx.config.deletion_queue_seconds <= ctx.now:
            tx.delete(NUMBER, number["PhoneNumberId"])
        elif calling_names.settle_number(number, ctx.now):
            tx.put(NUMBER, number["PhoneNumberId"], number)


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
        tx.delete(RESERVED_NUMBER, e164)
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
        "Status": UNASSIGNED,
        "Capabilities": {
            "InboundCall": True, "OutboundCall": True,
            "InboundSMS": number_type == LOCAL, "OutboundSMS": number_type == LOCAL,
            "InboundMMS": False, "OutboundMMS": False,
        },
        "Associations": [],
        "CallingNameStatus": calling_names.UNASSIGNED,
        "CreatedTimestamp": when,
        "UpdatedTimestamp": when,
        "OrderId": order["PhoneNumberOrderId"],
    }
    if order.get("_name"):
        number["Name"] = order["_name"]
    return number
