"""Phone number orders and the inventory calls around them: place an order exactly once, find one
in flight, wait for one to settle, and restore or release a number.

Every call goes through the provider's retrying client (`providers.client`); loops that wait for
the service to converge (a number still Assigned just after its rule was deleted) are bounded by
the same deadline as the calls themselves.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from awsutil.classify import error_code, is_not_found
from awsutil.pagination import paginate
from awsutil.retry import PROVISIONING, RetriesExhausted
from providers.errors import ProviderError
from providers.order_advice import numbers_status, ordered_numbers, timed_out_message
from providers.reconcile import create_reconciled, created_since

PENDING_ORDER = frozenset({"Processing", "Submitted", "PendingDocuments", "FOC", "ChangeRequested"})
GONE = frozenset({"ReleaseInProgress", "DeleteInProgress", "Cancelled", "AcquireFailed"})
RESTORABLE = "ReleaseInProgress"
# How often DeletePhoneNumber is tried while the number is still Assigned (within the deadline).
RELEASE_ATTEMPTS = 8
# First wait between order polls, overriding PollSchedule.first_seconds (tests shrink it).
ORDER_POLL_ENV = "CHIME_PSTN_ORDER_POLL_SECONDS"


@dataclass(frozen=True)
class PollSchedule:
    """Waits between order polls: the first, growing by `growth` per poll up to `cap_seconds`."""

    first_seconds: float = 2.0
    growth: float = 1.5
    cap_seconds: float = 30.0

    def first(self) -> float:
        return float(os.environ.get(ORDER_POLL_ENV, self.first_seconds))


class OrderFailed(ProviderError):
    """An order that settled without acquiring its numbers; `order` is its final state."""

    def __init__(self, message: str, order: dict[str, Any]) -> None:
        super().__init__(message)
        self.order = order


def get_number(client: Any, number_id: str) -> dict[str, Any] | None:
    """The inventory number, or None when the inventory does not hold it."""
    try:
        number: dict[str, Any] = client.get_phone_number(PhoneNumberId=number_id)["PhoneNumber"]
        return number
    except Exception as exc:
        if is_not_found(exc):
            return None
        raise


def restore(client: Any, number_id: str) -> dict[str, Any]:
    """Bring a number back from the deletion queue."""
    try:
        restored: dict[str, Any] = client.restore_phone_number(PhoneNumberId=number_id)["PhoneNumber"]
        return restored
    except Exception as exc:
        # A retry after a lost response finds the number already restored: that is success.
        current = get_number(client, number_id)
        if error_code(exc) == "BadRequestException" and current is not None \
                and current.get("Status") in ("Unassigned", "Assigned"):
            return current
        raise


def pending_order(client: Any, matches: Callable[[list[str]], bool], product_type: str | None = None,
                  skip: set[str] | frozenset[str] = frozenset()) -> dict[str, Any] | None:
    """An order still in flight (say, from a run that timed out) whose numbers match."""
    for order in paginate(client.list_phone_number_orders, "PhoneNumberOrders"):
        if order.get("Status") in PENDING_ORDER and matches(ordered_numbers(order)) \
                and product_type in (None, order.get("ProductType")) \
                and order.get("PhoneNumberOrderId") not in skip:
            return dict(order)
    return None


def place_order(client: Any, e164: str, product_type: str, name: str | None) -> dict[str, Any]:
    """CreatePhoneNumberOrder for one number, named `name`; a lost answer is found, not repeated."""
    request: dict[str, Any] = {"ProductType": product_type, "E164PhoneNumbers": [e164]}
    if name:
        request["Name"] = name
    sent_at = dt.datetime.now(dt.UTC)

    def create() -> dict[str, Any]:
        order: dict[str, Any] = client.once.create_phone_number_order(**request)["PhoneNumberOrder"]
        return order

    def lookup() -> dict[str, Any] | None:
        matches = [
            o for o in paginate(client.list_phone_number_orders, "PhoneNumberOrders")
            if any(n.get("E164PhoneNumber") == e164 for n in o.get("OrderedPhoneNumbers", []))
            and created_since(o, sent_at)
        ]
        if not matches:
            return None
        newest: dict[str, Any] = max(matches, key=lambda o: o.get("CreatedTimestamp") or sent_at)
        return dict(newest)

    return create_reconciled(create, lookup, f"CreatePhoneNumberOrder for {e164}", client.deadline)


def wait_for_order(client: Any, order: dict[str, Any], timeout: float, poll: PollSchedule,
                   advice: str | None = None) -> dict[str, Any]:
    """Poll until the order is no longer pending, for at most `timeout` seconds (`advice` ends the
    timeout's message: what the next run does with the order). Returns a Successful order; an
    order that ends otherwise raises `OrderFailed`, after releasing what a partial order acquired."""
    order_id = order["PhoneNumberOrderId"]
    deadline = time.monotonic() + timeout
    interval = poll.first()
    while order.get("Status") in PENDING_ORDER:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ProviderError(timed_out_message(order, timeout, advice))
        time.sleep(min(interval, remaining))
        interval = min(interval * poll.growth, poll.cap_seconds)
        order = client.get_phone_number_order(PhoneNumberOrderId=order_id)["PhoneNumberOrder"]
    status = order.get("Status")
    if status == "Successful":
        return order
    acquired = [n["E164PhoneNumber"] for n in order.get("OrderedPhoneNumbers", [])
                if n.get("Status") == "Acquired"]
    for e164 in acquired:
        release(client, e164)
    note = f"; released what it acquired: {', '.join(acquired)}" if acquired else ""
    raise OrderFailed(f"phone number order {order_id} ended {status} ({numbers_status(order)}){note}", order)


def release(client: Any, number_id: str) -> None:
    """DeletePhoneNumber until the number is in the deletion queue (or gone).

    A rule deleted a moment ago can leave the number Assigned for a while: that is retried, up to
    RELEASE_ATTEMPTS times within the client's deadline.
    """
    status: Any = None
    try:
        with PROVISIONING.operation(f"DeletePhoneNumber {number_id}", client.deadline,
                                    attempts=RELEASE_ATTEMPTS) as budget:
            while True:
                try:
                    client.delete_phone_number(PhoneNumberId=number_id)
                    return
                except Exception as exc:
                    if is_not_found(exc):
                        return
                    if error_code(exc) not in ("ConflictException", "BadRequestException"):
                        raise
                    number = get_number(client, number_id)
                    if number is None or number.get("Status") in GONE:
                        return  # an earlier attempt whose response was lost already released it
                    status = number.get("Status")
                    budget.retry_after(exc)
    except RetriesExhausted as exc:
        raise ProviderError(f"cannot release phone number {number_id} (status {status}): {exc}") from exc.last
