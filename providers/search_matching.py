"""Which numbers a PhoneNumber search could have ordered, as far as the inventory and the orders
show: how a create recognises an earlier attempt's number or order for the same search."""

from __future__ import annotations

import re
from typing import Any

_ASCII_DIGITS = re.compile(r"[0-9]+")


def search_prefix(search: dict[str, Any]) -> str | None:
    """The E.164 prefix every match of a NANP area-code or toll-free search starts with, if any.

    Only these searches can be recognised in a pending order (which does not record its search);
    city/state/country-only searches are not resumed after a timeout: the error names the order.
    """
    if search.get("country", "US") not in ("US", "CA"):
        return None
    code = search.get("area_code") or search.get("toll_free_prefix")
    return f"+1{code}" if isinstance(code, str) and _ASCII_DIGITS.fullmatch(code) else None


def matches_search(number: dict[str, Any], search: dict[str, Any]) -> bool:
    """Whether an inventory number fits the search, as far as the inventory shows (not city/state)."""
    wanted_type, country = search.get("phone_number_type"), search.get("country")
    if wanted_type and number.get("Type") not in (None, wanted_type):
        return False
    if country and number.get("Country") not in (None, country):
        return False
    prefix = search_prefix(search)
    return prefix is None or str(number.get("E164PhoneNumber", "")).startswith(prefix)
