"""What a phone number order's errors tell the operator: the state of each number, and what the
next `pulumi up` will do with an order that outlasted `order_timeout_seconds`."""

from __future__ import annotations

from typing import Any


def ordered_numbers(order: dict[str, Any] | None) -> list[str]:
    return [str(n.get("E164PhoneNumber")) for n in (order or {}).get("OrderedPhoneNumbers", [])]


def numbers_status(order: dict[str, Any]) -> str:
    """`+1...: Acquired, +1...: Failed`: each ordered number and its status."""
    numbers = order.get("OrderedPhoneNumbers", [])
    return ", ".join(f"{n.get('E164PhoneNumber')}: {n.get('Status')}" for n in numbers)


def timeout_advice(numbers: str, in_flight: bool, completed: bool) -> str:
    """What the next `pulumi up` will do with a timed-out order for `numbers`, and what the user
    may do: `in_flight` whether it resumes the order while pending, `completed` whether it
    recognises the number once the order completed."""
    release = f"To give it up instead, release {numbers} with DeletePhoneNumber once the order completes."
    if in_flight and completed:
        return (f"The next `pulumi up` adopts {numbers}, whether the order is still in flight or has "
                f"completed: nothing in the program needs to change. {release}")
    if completed:
        return (f"Once the order has completed, the next `pulumi up` adopts {numbers}; run it only then "
                "(this search names no area code or toll-free prefix, so an order in flight cannot be "
                f"recognised and another number would be ordered). {release}")
    if in_flight:
        return ("The next `pulumi up` resumes this order while it is in flight; after it completes, "
                f"set e164_phone_number: {numbers} to adopt it (a search would order another number), "
                "or release it with DeletePhoneNumber.")
    return (f"Once it completes, set e164_phone_number: {numbers} to adopt it (a search would order "
            "another number), or release it with DeletePhoneNumber.")


def timed_out_message(order: dict[str, Any], timeout: float, advice: str | None) -> str:
    """The error for an order still pending after `timeout` seconds; `advice` ends it."""
    numbers = ", ".join(ordered_numbers(order))
    return (f"phone number order {order['PhoneNumberOrderId']} is still {order.get('Status')} after "
            f"{timeout:g} s ({numbers_status(order)}). It was NOT cancelled: once it completes, {numbers} "
            "is in your inventory and billed. "
            + (advice or timeout_advice(numbers, in_flight=True, completed=True)))
