"""Getting phone numbers into an emulator's inventory the way a client must: search, order, wait."""

from __future__ import annotations

import time
from typing import Any

DIAL_IN = "SipMediaApplicationDialIn"


def wait_order(chime: Any, order_id: str, timeout: float = 10.0) -> dict[str, Any]:
    """The order once it is no longer Processing (or as it stands when `timeout` runs out)."""
    deadline = time.monotonic() + timeout
    while True:
        order = chime.get_phone_number_order(PhoneNumberOrderId=order_id)["PhoneNumberOrder"]
        if order["Status"] != "Processing" or time.monotonic() > deadline:
            return dict(order)
        time.sleep(0.05)


def acquire(chime: Any, count: int = 1, product: str = DIAL_IN, **search: Any) -> list[str]:
    """Search, order and wait: `count` numbers in inventory, Unassigned (the emulator sells only
    numbers its search offers)."""
    found = chime.search_available_phone_numbers(MaxResults=count, **(search or {"AreaCode": "206"}))
    numbers = list(found["E164PhoneNumbers"])
    assert len(numbers) == count
    order = chime.create_phone_number_order(ProductType=product, E164PhoneNumbers=numbers)
    done = wait_order(chime, order["PhoneNumberOrder"]["PhoneNumberOrderId"])
    assert done["Status"] == "Successful", done
    return numbers
