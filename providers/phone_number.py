"""PhoneNumber: a number in the Chime SDK Voice inventory as a Pulumi dynamic resource.

Money is at stake, so the rules are: a number already in inventory is adopted (or restored from
the deletion queue), never ordered again; an order whose response was lost is found again, not
repeated; an order that fails, ends partial or outlasts `order_timeout_seconds` raises an error
naming the order and each number's status (what a partial order acquired is released, a
timed-out order is left to finish and adopted by the next run); delete releases only when
`release_on_delete` is true, and says so when it leaves a number behind.

Order marker (how a timed-out order is recognised after it completed). Orders do not record the
search they came from, but CreatePhoneNumberOrder's `Name` is assigned to the ordered numbers and
the inventory shows it. So every order this provider places is named
`"<order_marker> <digest>"`, where `order_marker` is an internal input `PhoneNumber` derives from
the Pulumi project, stack and resource name (`default_order_marker`, sanitised to the model's
PhoneNumberName pattern) and `digest` hashes what identifies the resource's number (search or
number, product type, Region: exactly the inputs whose change replaces it). Before it searches,
`create` adopts an inventory number carrying that name (Unassigned; restored from the deletion
queue; or waited for while AcquireInProgress) instead of ordering again. Because the marker is
unique per stack resource and per replacement, a number of another resource, stack or project,
or the one a replacement is about to release, is never taken. A user `name` is applied after the
order (one UpdatePhoneNumber), never used as the marker: names need not be unique. The marker
matters only at create: changing it (a stack rename) is no diff at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    UpdateResult,
)

from awsutil import number_search
from awsutil.classify import error_code, is_not_found
from awsutil.pagination import paginate
from awsutil.retry import PROVISIONING
from awsutil.service_model import shape
from providers import input_checks as v
from providers.base import ChimeProvider, input_keys, resource_props
from providers.diffing import differs
from providers.errors import ProviderError
from providers.reconcile import create_reconciled, created_since

DEFAULT_PRODUCT_TYPE = "SipMediaApplicationDialIn"
DEFAULT_ORDER_TIMEOUT = 600
# First wait between order polls; later waits grow by _POLL_GROWTH up to _POLL_CAP. Tests shrink it.
ORDER_POLL_ENV = "CHIME_PSTN_ORDER_POLL_SECONDS"
_DEFAULT_POLL = 2.0
_POLL_GROWTH = 1.5
_POLL_CAP = 30.0
_PENDING_ORDER = frozenset({"Processing", "Submitted", "PendingDocuments", "FOC", "ChangeRequested"})
_GONE = frozenset({"ReleaseInProgress", "DeleteInProgress", "Cancelled", "AcquireFailed"})
_RESTORABLE = "ReleaseInProgress"
_RELEASE_ATTEMPTS = 8

# The order name is "<marker> <12 hex digits>"; PhoneNumberName allows 256 characters.
_DIGEST_LENGTH = 12
MARKER_MAX = 256 - 1 - _DIGEST_LENGTH
_MARKER_CHARS = re.compile(r"[^A-Za-z0-9,._-]+")
# Which marked inventory numbers create takes over, best first (Assigned ones are in use: never).
_MARKED_STATUSES = ("Unassigned", "AcquireInProgress", _RESTORABLE)


# Held from a search until its order is placed (and while any order is placed): see create.
_ORDERING = threading.Lock()

# A search: criteria by their provider input keys (`awsutil.number_search.FIELDS`, e.g.
# {"phone_number_type": "TollFree", "toll_free_prefix": "844"}).
PhoneNumberSearch = dict[str, str]


@dataclass
class PhoneNumberArgs:
    e164_phone_number: pulumi.Input[str] | None = None
    search: pulumi.Input[PhoneNumberSearch] | None = None
    product_type: pulumi.Input[str] = DEFAULT_PRODUCT_TYPE
    name: pulumi.Input[str] | None = None
    release_on_delete: pulumi.Input[bool] = True
    order_timeout_seconds: pulumi.Input[float] = DEFAULT_ORDER_TIMEOUT
    region: pulumi.Input[str] | None = None


_INPUT_KEYS = input_keys(PhoneNumberArgs, "order_marker")


def default_order_marker(project: str, stack: str, resource_name: str) -> str:
    """`project.stack.resource`, made one PhoneNumberName token of at most MARKER_MAX characters.

    Stable across runs; when characters had to be replaced or the name cut, a hash of the original
    is appended so that two names differing only there still get different markers.
    """
    raw = f"{project}.{stack}.{resource_name}"
    marker = _MARKER_CHARS.sub("-", raw)
    if marker != raw or len(marker) > MARKER_MAX:
        marker = f"{marker[:MARKER_MAX - 9]}-{hashlib.sha256(raw.encode()).hexdigest()[:8]}"
    return marker


def _order_name(props: dict[str, Any], region: str, product_type: str) -> str | None:
    """The Name this resource's orders carry (module docstring); None without a marker."""
    marker = props.get("order_marker")
    if not marker:
        return None
    search = props.get("search")
    identity = {
        "e164_phone_number": props.get("e164_phone_number"),
        "search": {k: v for k, v in sorted(search.items()) if v is not None} if search else None,
        "product_type": product_type,
        "region": region,
    }
    digest = hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()
    return f"{marker} {digest[:_DIGEST_LENGTH]}"


def _matches_search(number: dict[str, Any], search: dict[str, Any]) -> bool:
    """Whether an inventory number fits the search, as far as the inventory shows (not city/state)."""
    wanted_type, country = search.get("phone_number_type"), search.get("country")
    if wanted_type and number.get("Type") not in (None, wanted_type):
        return False
    if country and number.get("Country") not in (None, country):
        return False
    prefix = _search_prefix(search)
    return prefix is None or str(number.get("E164PhoneNumber", "")).startswith(prefix)


def _timeout_advice(numbers: str, in_flight: bool, completed: bool) -> str:
    """What the next `pulumi up` will do with a timed-out order, and what the user may do."""
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


def _seconds(value: Any) -> int | float:
    """The timeout as given, an int when whole (the engine sends 600 back as 600.0)."""
    seconds = float(value) if value is not None else float(DEFAULT_ORDER_TIMEOUT)
    return int(seconds) if seconds.is_integer() else seconds


def _ordered_numbers(order: dict[str, Any] | None) -> list[str]:
    return [str(n.get("E164PhoneNumber")) for n in (order or {}).get("OrderedPhoneNumbers", [])]


def _search_prefix(search: dict[str, Any]) -> str | None:
    """The E.164 prefix every match of a NANP area-code or toll-free search starts with, if any.

    Only these searches can be recognised in a pending order (which does not record its search);
    city/state/country-only searches are not resumed after a timeout: the error names the order.
    """
    if search.get("country", "US") not in ("US", "CA"):
        return None
    code = search.get("area_code") or search.get("toll_free_prefix")
    return f"+1{code}" if isinstance(code, str) and code.isdigit() else None


def _numbers_status(order: dict[str, Any]) -> str:
    numbers = order.get("OrderedPhoneNumbers", [])
    return ", ".join(f"{n.get('E164PhoneNumber')}: {n.get('Status')}" for n in numbers)


def _search_failures(search: Any) -> list[CheckFailure]:
    if v.is_unknown(search):
        return []
    known = ", ".join(number_search.BY_INPUT_KEY)
    if not isinstance(search, dict) or not search:
        return [CheckFailure("search", "search must be an object with at least one of " + known)]
    failures = []
    extra = sorted(set(search) - set(number_search.BY_INPUT_KEY))
    if extra:
        failures.append(CheckFailure("search", f"search has unknown keys {extra}; allowed: " + known))
    for field in number_search.FIELDS:
        if search.get(field.input_key) is not None:
            failures += [CheckFailure("search", f"search.{f.reason}")
                         for f in v.string_failures(field.input_key, search[field.input_key],
                                                    field.constraints())]
    return failures


class PhoneNumberProvider(ChimeProvider):
    # Order polling: first wait, growth per poll, cap. ORDER_POLL_ENV overrides the first wait.
    first_poll_seconds = _DEFAULT_POLL
    poll_growth = _POLL_GROWTH
    poll_cap_seconds = _POLL_CAP

    # ---- preview: pure ----------------------------------------------------------------------
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        failures: list[CheckFailure] = []
        e164, search = news.get("e164_phone_number"), news.get("search")
        if (e164 is None) == (search is None):
            failures.append(CheckFailure("e164_phone_number" if e164 is not None else "search",
                                         "give exactly one of e164_phone_number or search"))
        if e164 is not None:
            failures += v.e164_failures("e164_phone_number", e164)
        if search is not None:
            failures += _search_failures(search)
        if news.get("product_type") is not None:
            failures += v.string_failures("product_type", news["product_type"],
                                          shape("PhoneNumberProductType"))
        if news.get("name") is not None:
            failures += v.string_failures("name", news["name"], shape("PhoneNumberName"))
        if news.get("release_on_delete") is not None:
            failures += v.bool_failures("release_on_delete", news["release_on_delete"])
        timeout = news.get("order_timeout_seconds")
        bad_timeout = isinstance(timeout, bool) or not isinstance(timeout, int | float) \
            or not 0 < timeout <= 86400
        if timeout is not None and not v.is_unknown(timeout) and bad_timeout:
            failures.append(CheckFailure(
                "order_timeout_seconds",
                "order_timeout_seconds must be a number of seconds above 0 and at most 86400; "
                f"got {timeout!r}"))
        if news.get("region") is not None:
            failures += v.region_failures("region", news["region"])
        if news.get("order_marker") is not None:
            failures += v.string_failures("order_marker", news["order_marker"],
                                          {"min": 1, "max": MARKER_MAX, "pattern": r"[A-Za-z0-9,._-]+"})
        return CheckResult(news, failures)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        replaces: list[str] = []
        # Only a number named by e164 stays the same across a replace; a search finds a new one.
        same_number = news.get("e164_phone_number") is not None
        if news.get("e164_phone_number") is not None:
            if differs(olds.get("e164_phone_number"), news["e164_phone_number"]):
                replaces.append("e164_phone_number")
                same_number = False
        elif olds.get("search") is None or differs(olds.get("search"), news.get("search")):
            replaces.append("search")
        if differs(olds.get("product_type"), news.get("product_type", DEFAULT_PRODUCT_TYPE)):
            replaces.append("product_type")
        if differs(olds.get("region"), news.get("region") or self._default_region()):
            replaces.append("region")
        # An unset name leaves the number's name alone (an adopted number may carry one).
        changed = ["name"] if news.get("name") is not None and differs(olds.get("name"), news["name"]) else []
        if differs(olds.get("release_on_delete", True), news.get("release_on_delete", True)):
            changed.append("release_on_delete")
        if differs(olds.get("order_timeout_seconds", DEFAULT_ORDER_TIMEOUT),
                   news.get("order_timeout_seconds", DEFAULT_ORDER_TIMEOUT)):
            changed.append("order_timeout_seconds")
        # order_marker is not compared: it only names orders at create (a stack rename is no diff).
        # Replacing the SAME number (new product type or Region) must release before it adopts,
        # or the old resource's delete would release the number the new one just adopted.
        return DiffResult(changes=bool(replaces or changed), replaces=replaces,
                          delete_before_replace=bool(replaces) and same_number)

    # ---- lifecycle --------------------------------------------------------------------------
    def create(self, props: dict[str, Any]) -> CreateResult:
        region = self._connection.resolve_region(props.get("region"))
        client = self._connection.client(region)
        product_type = props.get("product_type") or DEFAULT_PRODUCT_TYPE
        name = props.get("name")
        timeout = float(props.get("order_timeout_seconds") or DEFAULT_ORDER_TIMEOUT)
        order_name = _order_name(props, region, product_type)
        e164: str = props.get("e164_phone_number") or ""
        if e164:
            existing = self._get_number(client, e164)
            if existing is None:
                order = self._pending_order(client, lambda numbers: numbers == [e164])
                if order is None:
                    # An earlier run's order that completed between the two looks is in neither
                    # place it was looked for: look again, or its number would be ordered twice.
                    existing = self._get_number(client, e164)
            if existing is not None:
                number = self._adopt(client, existing, product_type, name, timeout)
                return self._result(number, props, region)
            resumable = True  # by number, in flight or completed
        else:
            search = props["search"]
            # A run that timed out left an order behind: adopt its number (completed) or resume
            # the order (in flight) instead of ordering again.
            found = self._resume(client, search, product_type, order_name, name, timeout)
            if found is not None:
                return self._result(found, props, region)
            order = None
            resumable = _search_prefix(search) is not None
        if order is None:
            # The engine creates up to four resources at once in one provider process: two searches
            # alike must not both pick the first available number (the later order would fail).
            # Once an order is placed its number is reserved and no search returns it.
            with _ORDERING:
                if not e164:
                    e164 = self._search(client, search)
                order = self._place_order(client, e164, product_type, order_name or name)
        by_number = bool(props.get("e164_phone_number"))
        advice = _timeout_advice(e164, in_flight=resumable, completed=by_number or order_name is not None)
        self._wait_for_order(client, order, timeout, advice)
        number = client.get_phone_number(PhoneNumberId=e164)["PhoneNumber"]
        number = self._align(client, number, product_type, name)
        return self._result(number, props, region)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        outs = {**olds, "release_on_delete": news.get("release_on_delete", True),
                "order_timeout_seconds": _seconds(news.get("order_timeout_seconds"))}
        name = news.get("name")
        if name is not None and differs(olds.get("name"), name):
            region = olds.get("region") or self._connection.resolve_region(news.get("region"))
            number = self._connection.client(region).update_phone_number(PhoneNumberId=id_, Name=name)
            outs.update(self._number_outputs(number["PhoneNumber"]), name=number["PhoneNumber"].get("Name"))
        return UpdateResult(outs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        region = self._connection.resolve_region(props.get("region"))
        number = self._get_number(self._connection.client(region), id_)
        if number is None or number.get("Status") in _GONE:
            return ReadResult("", {})
        outs = {**props, **self._number_outputs(number), "name": number.get("Name") or None,
                "product_type": number.get("ProductType") or props.get("product_type")}
        inputs = {k: outs.get(k) for k in _INPUT_KEYS}
        if props.get("search") is not None:
            inputs["e164_phone_number"] = None
        return ReadResult(id_, outs, inputs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        if props.get("release_on_delete", True) is False:
            pulumi.log.warn(f"phone number {id_} was left in the inventory (release_on_delete is false); "
                            "it is still billed until you release it")
            return
        region = self._connection.resolve_region(props.get("region"))
        self._release(self._connection.client(region), id_)

    # ---- helpers ----------------------------------------------------------------------------
    @staticmethod
    def _get_number(client: Any, number_id: str) -> dict[str, Any] | None:
        try:
            number: dict[str, Any] = client.get_phone_number(PhoneNumberId=number_id)["PhoneNumber"]
            return number
        except Exception as exc:
            if is_not_found(exc):
                return None
            raise

    def _adopt(self, client: Any, number: dict[str, Any], product_type: str, name: str | None,
               timeout: float) -> dict[str, Any]:
        e164 = number["E164PhoneNumber"]
        status = number.get("Status")
        if status == _RESTORABLE:
            # This account's, released within the last 7 days: restoring is free, re-ordering impossible.
            number = self._restore(client, number["PhoneNumberId"])
        elif status == "AcquireInProgress" and number.get("OrderId"):
            # An earlier run's order (e.g. one that timed out) is still in flight: wait for it.
            order = client.get_phone_number_order(PhoneNumberOrderId=number["OrderId"])["PhoneNumberOrder"]
            advice = _timeout_advice(e164, in_flight=True, completed=True)
            self._wait_for_order(client, order, timeout, advice)
            number = client.get_phone_number(PhoneNumberId=e164)["PhoneNumber"]
        elif status in _GONE:
            raise ProviderError(f"phone number {e164} is in the inventory with status {status}; "
                                "it cannot be adopted or ordered now")
        return self._align(client, number, product_type, name)

    @staticmethod
    def _restore(client: Any, number_id: str) -> dict[str, Any]:
        try:
            restored: dict[str, Any] = client.restore_phone_number(PhoneNumberId=number_id)["PhoneNumber"]
            return restored
        except Exception as exc:
            # A retry after a lost response finds the number already restored: that is success.
            current = PhoneNumberProvider._get_number(client, number_id)
            if error_code(exc) == "BadRequestException" and current is not None \
                    and current.get("Status") in ("Unassigned", "Assigned"):
                return current
            raise

    @staticmethod
    def _align(client: Any, number: dict[str, Any], product_type: str, name: str | None) -> dict[str, Any]:
        changes: list[dict[str, Any]] = []
        if number.get("ProductType") != product_type:
            changes.append({"ProductType": product_type})
        if name is not None and (number.get("Name") or None) != name:
            changes.append({"Name": name})
        # "You can update one phone number detail at a time" (API reference): one call each.
        for change in changes:
            number = client.update_phone_number(
                PhoneNumberId=number["PhoneNumberId"], **change)["PhoneNumber"]
        return number

    @staticmethod
    def _search(client: Any, search: dict[str, Any]) -> str:
        query = {number_search.BY_INPUT_KEY[k].member: val for k, val in search.items() if val is not None}
        found = client.search_available_phone_numbers(**query, MaxResults=1).get("E164PhoneNumbers", [])
        if not found:
            raise ProviderError(f"no available phone number matches search {search}")
        return str(found[0])

    def _resume(self, client: Any, search: dict[str, Any], product_type: str, order_name: str | None,
                name: str | None, timeout: float) -> dict[str, Any] | None:
        """The number an earlier run's order got for this resource, adopted; None if there is none.

        First the inventory (a completed order left a number carrying the order name), then
        orders in flight whose single number fits the search's prefix. An order in flight does
        not show its name, so once a resumed order completes its number is checked: a number
        without this resource's order name (a sibling's, or one ordered by hand) is left alone.
        """
        prefix = _search_prefix(search)

        def fits(numbers: list[str]) -> bool:
            return prefix is not None and len(numbers) == 1 and numbers[0].startswith(prefix)

        seen: set[str] = set()
        while True:
            marked = self._marked_number(client, order_name, product_type, search) if order_name else None
            if marked is not None:
                return self._adopt(client, marked, product_type, name, timeout)
            order = None if prefix is None else self._pending_order(client, fits, product_type, skip=seen)
            if order is None:
                # An order of ours that completed between the two looks is in neither place it was
                # looked for: look in the inventory again, or a second number would be ordered.
                marked = self._marked_number(client, order_name, product_type, search) if order_name else None
                return None if marked is None else self._adopt(client, marked, product_type, name, timeout)
            seen.add(order["PhoneNumberOrderId"])
            e164 = _ordered_numbers(order)[0]
            self._wait_for_order(client, order, timeout,
                                 _timeout_advice(e164, in_flight=True, completed=order_name is not None))
            number: dict[str, Any] = client.get_phone_number(PhoneNumberId=e164)["PhoneNumber"]
            # Our orders carry the order name, and the number takes it: with a marker, any other
            # name (or none: ordered by hand) means someone else's number. Without a marker
            # (a provider driven directly) an in-flight order is all there is to go by.
            if order_name is None or number.get("Name") == order_name:
                return self._align(client, number, product_type, name)

    @staticmethod
    def _marked_number(client: Any, order_name: str, product_type: str,
                       search: dict[str, Any]) -> dict[str, Any] | None:
        """The inventory number named by this resource's order, if any (best status first)."""
        marked = [dict(n) for n in paginate(client.list_phone_numbers, "PhoneNumbers",
                                            ProductType=product_type)
                  if n.get("Name") == order_name and n.get("Status") in _MARKED_STATUSES
                  and _matches_search(n, search)]
        return min(marked, key=lambda n: (_MARKED_STATUSES.index(n["Status"]), n["E164PhoneNumber"]),
                   default=None)

    @staticmethod
    def _pending_order(client: Any, matches: Callable[[list[str]], bool],
                       product_type: str | None = None,
                       skip: set[str] | frozenset[str] = frozenset()) -> dict[str, Any] | None:
        """An order still in flight (say, from a run that timed out) whose numbers match."""
        for order in paginate(client.list_phone_number_orders, "PhoneNumberOrders"):
            if order.get("Status") in _PENDING_ORDER and matches(_ordered_numbers(order)) \
                    and product_type in (None, order.get("ProductType")) \
                    and order.get("PhoneNumberOrderId") not in skip:
                return dict(order)
        return None

    def _place_order(self, client: Any, e164: str, product_type: str, name: str | None) -> dict[str, Any]:
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

        return create_reconciled(create, lookup, f"order phone number {e164}")

    def _wait_for_order(self, client: Any, order: dict[str, Any], timeout: float,
                        advice: str | None = None) -> None:
        """Poll until the order is no longer pending; `advice` ends a timeout's message (what the
        next run does with the order)."""
        order_id = order["PhoneNumberOrderId"]
        deadline = time.monotonic() + timeout
        interval = float(os.environ.get(ORDER_POLL_ENV, self.first_poll_seconds))
        while order.get("Status") in _PENDING_ORDER:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                numbers = ", ".join(_ordered_numbers(order))
                raise ProviderError(
                    f"phone number order {order_id} is still {order.get('Status')} after {timeout:g} s "
                    f"({_numbers_status(order)}). It was NOT cancelled: once it completes, {numbers} is in "
                    "your inventory and billed. "
                    + (advice or _timeout_advice(numbers, in_flight=True, completed=True)))
            time.sleep(min(interval, remaining))
            interval = min(interval * self.poll_growth, self.poll_cap_seconds)
            order = client.get_phone_number_order(PhoneNumberOrderId=order_id)["PhoneNumberOrder"]
        status = order.get("Status")
        if status == "Successful":
            return
        acquired = [n["E164PhoneNumber"] for n in order.get("OrderedPhoneNumbers", [])
                    if n.get("Status") == "Acquired"]
        released = []
        for e164 in acquired:
            self._release(client, e164)
            released.append(e164)
        note = f"; released what it acquired: {', '.join(released)}" if released else ""
        raise ProviderError(f"phone number order {order_id} ended {status} ({_numbers_status(order)}){note}")

    @staticmethod
    def _release(client: Any, number_id: str) -> None:
        """DeletePhoneNumber until the number is in the deletion queue (or gone).

        A rule deleted a moment ago can leave the number Assigned for a while: that is retried.
        """
        for attempt in range(_RELEASE_ATTEMPTS):
            try:
                client.delete_phone_number(PhoneNumberId=number_id)
                return
            except Exception as exc:
                if is_not_found(exc):
                    return
                if error_code(exc) not in ("ConflictException", "BadRequestException"):
                    raise
                number = PhoneNumberProvider._get_number(client, number_id)
                if number is None or number.get("Status") in _GONE:
                    return  # an earlier attempt whose response was lost already released it
                if attempt == _RELEASE_ATTEMPTS - 1:
                    raise ProviderError(f"cannot release phone number {number_id} (status "
                                        f"{number.get('Status')}): {exc}") from exc
                time.sleep(PROVISIONING.delay(attempt))

    @staticmethod
    def _number_outputs(number: dict[str, Any]) -> dict[str, Any]:
        return {
            "phone_number_id": number["PhoneNumberId"],
            "e164_phone_number": number.get("E164PhoneNumber"),
            "order_id": number.get("OrderId"),
            "status": number.get("Status"),
        }

    def _result(self, number: dict[str, Any], props: dict[str, Any], region: str) -> CreateResult:
        outs = {k: props.get(k) for k in _INPUT_KEYS}
        outs.update(self._number_outputs(number))
        outs.update(region=region, name=number.get("Name") or None,
                    product_type=number.get("ProductType") or props.get("product_type"),
                    release_on_delete=props.get("release_on_delete", True),
                    order_timeout_seconds=_seconds(props.get("order_timeout_seconds")))
        return CreateResult(number["PhoneNumberId"], outs)


class PhoneNumber(pulumi.dynamic.Resource, module="chime", name="PhoneNumber"):
    phone_number_id: pulumi.Output[str]
    e164_phone_number: pulumi.Output[str]
    order_id: pulumi.Output[str | None]
    status: pulumi.Output[str]
    search: pulumi.Output[dict[str, str] | None]
    product_type: pulumi.Output[str]
    name: pulumi.Output[str | None]
    release_on_delete: pulumi.Output[bool]
    order_timeout_seconds: pulumi.Output[float]
    region: pulumi.Output[str]
    order_marker: pulumi.Output[str]

    def __init__(
        self, resource_name: str, args: PhoneNumberArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        props = resource_props(args, "phone_number_id", "order_id", "status")
        # Internal: names this resource's orders so a later run finds their numbers (module docstring).
        props["order_marker"] = default_order_marker(pulumi.get_project(), pulumi.get_stack(), resource_name)
        if args.e164_phone_number is not None:
            # Replacing a number named by e164 gives the same number: it must be released before it
            # is adopted again. The provider's diff says so, but `pulumi up --replace` asks no diff
            # and creates first: the replacement would adopt the number, and the old resource's
            # delete would then release it (or, while a rule uses it, fail on every later `up`).
            opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(delete_before_replace=True))
        super().__init__(PhoneNumberProvider(), resource_name, props, opts)
