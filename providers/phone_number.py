"""PhoneNumber: a number in the Chime SDK Voice inventory as a Pulumi dynamic resource.

Money is at stake, so the rules are: a number already in inventory is adopted (or restored from
the deletion queue), never ordered again; an order whose response was lost is found again, not
repeated; an order that fails, ends partial or outlasts `order_timeout_seconds` raises an error
naming the order and each number's status (what a partial order acquired is released, a
timed-out order is left to finish and adopted by the next run); delete releases only when
`release_on_delete` is true, and says so when it leaves a number behind.

A create whose result was lost (the CLI killed after the provider finished) is sent again by the
next `pulumi up`; it adopts what the earlier attempt ordered and nothing else:
- by number (`e164_phone_number`): the number itself, in the inventory or in an order in flight;
- by search: the inventory number whose Name ends in this resource's order name
  (`providers.order_marker`), which every order and every later rename keeps; or an order in
  flight for the search's prefix whose number turns out to carry it.

Creates running at once in this process order distinct numbers (`providers.number_claims`: a
search skips the numbers other creates are ordering, by search or by number, and the program's
listed numbers, `avoid_numbers`); an order that fails outright (its number taken meanwhile, say
by someone else) searches again, up to SEARCH_ATTEMPTS times. A replacement that took the live
number over keeps it (`providers.adoptions`).

This module is the lifecycle; orders live in `providers.number_orders`, the operator's advice on
a failed or timed-out order in `providers.order_advice`, what a search could have ordered in
`providers.search_matching`.
"""

from __future__ import annotations

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
from awsutil.pagination import paginate
from awsutil.service_model import shape
from providers import adoptions, number_claims
from providers import input_checks as v
from providers.base import ChimeProvider, input_keys, resource_props
from providers.diffing import differs
from providers.errors import ProviderError
from providers.number_orders import (
    GONE,
    RESTORABLE,
    OrderFailed,
    PollSchedule,
    get_number,
    pending_order,
    place_order,
    release,
    restore,
    wait_for_order,
)
from providers.order_advice import ordered_numbers, timeout_advice
from providers.order_marker import (
    MARKER_MAX,
    MARKER_PATTERN,
    carries,
    default_order_marker,
    name_max,
    number_name,
    order_name,
    user_name,
)
from providers.search_matching import matches_search, search_prefix

DEFAULT_PRODUCT_TYPE = "SipMediaApplicationDialIn"
DEFAULT_ORDER_TIMEOUT = 600
KIND = "PhoneNumber"
# Searches (and orders) a create makes when each order fails because its number was taken.
SEARCH_ATTEMPTS = 3
# Numbers one search asks for beyond those other creates of this process hold.
SEARCH_SPARE = 10
# Which marked inventory numbers create takes over, best first (Assigned ones are in use: never).
_MARKED_STATUSES = ("Unassigned", "AcquireInProgress", RESTORABLE)



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
    # For a search: numbers it must not take (the program's listed `e164_phone_number`s, which
    # other resources of the same deployment may be ordering at the same moment).
    avoid_numbers: pulumi.Input[list[str]] | None = None


_INPUT_KEYS = input_keys(PhoneNumberArgs, "order_marker")


@dataclass(frozen=True)
class _Wanted:
    """What one create wants of its number."""

    product_type: str
    name: str | None
    ordered_as: str | None  # the order name (`providers.order_marker`); None without a marker
    timeout: float
    inventory: str  # where numbers are claimed (`providers.client.Connection.inventory`)

    def full_name(self) -> str | None:
        """The Name to order and keep the number under: the user's `name`, then the order name."""
        return number_name(self.name, self.ordered_as)


def _seconds(value: Any) -> int | float:
    """The timeout as given, an int when whole (the engine sends 600 back as 600.0)."""
    seconds = float(value) if value is not None else float(DEFAULT_ORDER_TIMEOUT)
    return int(seconds) if seconds.is_integer() else seconds


def _ordered_as(props: dict[str, Any], region: str) -> str | None:
    """This resource's order name (`providers.order_marker`), from its inputs."""
    return order_name(props, region, props.get("product_type") or DEFAULT_PRODUCT_TYPE)


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


def _name_failures(name: Any, marker: Any) -> list[CheckFailure]:
    failures = v.string_failures("name", name, shape("PhoneNumberName"))
    if failures or v.is_unknown(name) or v.is_unknown(marker) or not isinstance(marker, str):
        return failures
    limit = name_max(marker)
    if len(name) > limit:
        return [CheckFailure("name", f"name must be at most {limit} characters long: the number's Name also "
                                     f"carries this resource's order marker ({len(marker) + 13} characters)")]
    return []


class PhoneNumberProvider(ChimeProvider):
    # Waits between order polls (ORDER_POLL_ENV overrides the first).
    poll = PollSchedule()

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
            failures += _name_failures(news["name"], news.get("order_marker"))
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
        avoid = news.get("avoid_numbers")
        if avoid is not None and not v.is_unknown(avoid):
            if not isinstance(avoid, list):
                failures.append(CheckFailure("avoid_numbers", "avoid_numbers must be a list of E.164 "
                                                              "numbers"))
            else:
                failures += [f for number in avoid for f in v.e164_failures("avoid_numbers", number)]
        if news.get("order_marker") is not None:
            failures += v.string_failures("order_marker", news["order_marker"],
                                          {"min": 1, "max": MARKER_MAX, "pattern": MARKER_PATTERN})
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
        # order_marker and avoid_numbers are not compared: they matter only at create (a stack
        # rename, or another number listed in the program, is no diff).
        # Replacing the SAME number (new product type or Region) must release before it adopts,
        # or the old resource's delete would release the number the new one just adopted.
        return DiffResult(changes=bool(replaces or changed), replaces=replaces,
                          delete_before_replace=bool(replaces) and same_number)

    # ---- lifecycle --------------------------------------------------------------------------
    def create(self, props: dict[str, Any]) -> CreateResult:
        region = self._connection.resolve_region(props.get("region"))
        client = self._connection.client(region)
        product_type = props.get("product_type") or DEFAULT_PRODUCT_TYPE
        timeout = float(props.get("order_timeout_seconds") or DEFAULT_ORDER_TIMEOUT)
        wanted = _Wanted(product_type, props.get("name"), _ordered_as(props, region), timeout,
                         self._connection.inventory())
        if props.get("e164_phone_number"):
            number, adopted = self._by_number(client, props["e164_phone_number"], wanted)
        else:
            avoid = list(props.get("avoid_numbers") or [])
            number, adopted = self._by_search(client, props["search"], wanted, avoid)
        token = adoptions.new_token()
        if adopted:
            adoptions.took_over(KIND, number["PhoneNumberId"], token)
        else:
            adoptions.made(KIND, number["PhoneNumberId"])
        return self._result(number, props, region, token)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        outs = {**olds, "release_on_delete": news.get("release_on_delete", True),
                "order_timeout_seconds": _seconds(news.get("order_timeout_seconds"))}
        name = news.get("name")
        if name is not None and differs(olds.get("name"), name):
            region = olds.get("region") or self._connection.resolve_region(news.get("region"))
            # The order name stays on the number: a later create must still recognise it.
            full_name = number_name(name, _ordered_as(news, region))
            number = self._connection.client(region).update_phone_number(PhoneNumberId=id_, Name=full_name)
            outs.update(self._number_outputs(number["PhoneNumber"]),
                        name=user_name(number["PhoneNumber"].get("Name"), news.get("order_marker")))
        return UpdateResult(outs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        region = self._connection.resolve_region(props.get("region"))
        number = get_number(self._connection.client(region), id_)
        if number is None or number.get("Status") in GONE:
            return ReadResult("", {})
        outs = {**props, **self._number_outputs(number),
                "name": user_name(number.get("Name"), props.get("order_marker")),
                "product_type": number.get("ProductType") or props.get("product_type")}
        inputs = {k: outs.get(k) for k in _INPUT_KEYS}
        if props.get("search") is not None:
            inputs["e164_phone_number"] = None
        return ReadResult(id_, outs, inputs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        if adoptions.handed_over(KIND, id_, props.get("create_token")):
            pulumi.log.warn(f"phone number {id_} was not released: its replacement took it over in this run")
            return
        if props.get("release_on_delete", True) is False:
            pulumi.log.warn(f"phone number {id_} was left in the inventory (release_on_delete is false); "
                            "it is still billed until you release it")
            return
        region = self._connection.resolve_region(props.get("region"))
        release(self._connection.client(region), id_)

    # ---- create, by number ------------------------------------------------------------------
    def _by_number(self, client: Any, e164: str, wanted: _Wanted) -> tuple[dict[str, Any], bool]:
        """The number named by e164: adopted from the inventory, resumed from an order in flight,
        or ordered. Returns it and whether it was adopted rather than ordered now."""
        existing = get_number(client, e164)
        if existing is not None:
            return self._adopt(client, existing, wanted), True
        with number_claims.Claims(wanted.inventory) as claims:
            # Searches running beside this create must not order the same number.
            if claims.first_free([e164]) is None:
                raise ProviderError(f"phone number {e164} is being ordered by another resource of this "
                                    "deployment; a number can belong to one resource only")
            order = pending_order(client, lambda numbers: numbers == [e164])
            if order is None:
                # An earlier run's order that completed between the two looks is in neither place
                # it was looked for: look again, or its number would be ordered twice (seen under
                # the engine, in an `up` after an interrupted one).
                existing = get_number(client, e164)
                if existing is not None:
                    return self._adopt(client, existing, wanted), True
            adopted = order is not None
            if order is None:
                order = place_order(client, e164, wanted.product_type, wanted.full_name())
            wait_for_order(client, order, wanted.timeout, self.poll,
                           timeout_advice(e164, in_flight=True, completed=True))
            return self._settled(client, e164, wanted), adopted

    # ---- create, by search ------------------------------------------------------------------
    def _by_search(self, client: Any, search: dict[str, Any], wanted: _Wanted,
                   avoid: list[str]) -> tuple[dict[str, Any], bool]:
        """An earlier attempt's number for this search, adopted; else a new one (never one of
        `avoid`), searched for and ordered (again, if its order fails because the number was
        taken meanwhile)."""
        found = self._resume(client, search, wanted, avoid)
        if found is not None:
            return found, True
        in_flight, completed = search_prefix(search) is not None, wanted.ordered_as is not None
        failed: list[OrderFailed] = []
        with number_claims.Claims(wanted.inventory) as claims:
            for _ in range(SEARCH_ATTEMPTS):
                taken = [ordered_numbers(f.order)[0] for f in failed]
                e164 = self._pick(client, search, claims, [*avoid, *taken])
                order = place_order(client, e164, wanted.product_type, wanted.full_name())
                try:
                    wait_for_order(client, order, wanted.timeout, self.poll,
                                   timeout_advice(e164, in_flight=in_flight, completed=completed))
                except OrderFailed as exc:
                    if exc.order.get("Status") != "Failed":
                        raise  # Partial (more than one number) never happens here; say so if it does
                    failed.append(exc)
                    claims.let_go(e164)
                    continue
                return self._settled(client, e164, wanted), False
        raise ProviderError(f"{SEARCH_ATTEMPTS} orders for search {search} failed, each because its number "
                            "could not be acquired: " + "; ".join(str(f) for f in failed))

    @staticmethod
    def _pick(client: Any, search: dict[str, Any], claims: number_claims.Claims, skip: list[str]) -> str:
        """Search, and claim the first number that no other create of this process is ordering
        and that is not in `skip` (numbers to avoid, and those earlier orders failed to get)."""
        query = {number_search.BY_INPUT_KEY[k].member: val for k, val in search.items() if val is not None}
        want = min(500, SEARCH_SPARE + number_claims.held_count(claims.scope) + len(skip))
        offered = client.search_available_phone_numbers(**query, MaxResults=want).get("E164PhoneNumbers", [])
        if not offered:
            raise ProviderError(f"no available phone number matches search {search}")
        picked = claims.first_free(offered, skip=skip)
        if picked is None:
            raise ProviderError(f"no available phone number matches search {search}: the {len(offered)} it "
                                "offered are being ordered by other resources of this deployment")
        return str(picked)

    def _resume(self, client: Any, search: dict[str, Any], wanted: _Wanted,
                avoid: list[str]) -> dict[str, Any] | None:
        """The number an earlier run's order got for this resource, adopted; None if there is none.

        First the inventory (a completed order left a number carrying the order name), then
        orders in flight whose single number fits the search's prefix (and that no other create
        of this process placed). An order in flight does not show its name, so once a resumed
        order completes its number is checked: a number without this resource's order name (a
        sibling's, or one ordered by hand) is left alone.
        """
        prefix = search_prefix(search)

        def fits(numbers: list[str]) -> bool:
            return prefix is not None and len(numbers) == 1 and numbers[0].startswith(prefix) \
                and not number_claims.held(wanted.inventory, numbers[0]) and numbers[0] not in avoid

        seen: set[str] = set()
        while True:
            marked = self._marked_number(client, wanted, search) if wanted.ordered_as else None
            if marked is not None:
                return self._adopt(client, marked, wanted)
            order = None if prefix is None else pending_order(client, fits, wanted.product_type, skip=seen)
            if order is None:
                # An order of ours that completed between the two looks is in neither place it was
                # looked for: look in the inventory again, or a second number would be ordered.
                marked = self._marked_number(client, wanted, search) if wanted.ordered_as else None
                return None if marked is None else self._adopt(client, marked, wanted)
            seen.add(order["PhoneNumberOrderId"])
            e164 = ordered_numbers(order)[0]
            try:
                wait_for_order(client, order, wanted.timeout, self.poll,
                               timeout_advice(e164, in_flight=True, completed=wanted.ordered_as is not None))
            except OrderFailed:
                continue  # that order got nothing: nothing of ours there
            number: dict[str, Any] = client.get_phone_number(PhoneNumberId=e164)["PhoneNumber"]
            # Our orders carry the order name, and the number keeps it: with a marker, a number
            # without it (someone else's, or ordered by hand) is not ours. Without a marker (a
            # provider driven directly) an in-flight order is all there is to go by.
            if wanted.ordered_as is None or carries(number.get("Name"), wanted.ordered_as):
                return self._align(client, number, wanted)

    @staticmethod
    def _marked_number(client: Any, wanted: _Wanted, search: dict[str, Any]) -> dict[str, Any] | None:
        """The inventory number named by this resource's order, if any (best status first)."""
        assert wanted.ordered_as is not None
        marked = [dict(n) for n in paginate(client.list_phone_numbers, "PhoneNumbers",
                                            ProductType=wanted.product_type)
                  if carries(n.get("Name"), wanted.ordered_as) and n.get("Status") in _MARKED_STATUSES
                  and matches_search(n, search)]
        return min(marked, key=lambda n: (_MARKED_STATUSES.index(n["Status"]), n["E164PhoneNumber"]),
                   default=None)

    # ---- create, shared -----------------------------------------------------------------------
    def _adopt(self, client: Any, number: dict[str, Any], wanted: _Wanted) -> dict[str, Any]:
        e164 = number["E164PhoneNumber"]
        status = number.get("Status")
        if status == RESTORABLE:
            # This account's, released within the last 7 days: restoring is free, re-ordering impossible.
            number = restore(client, number["PhoneNumberId"])
        elif status == "AcquireInProgress" and number.get("OrderId"):
            # An earlier run's order (e.g. one that timed out) is still in flight: wait for it.
            order = client.get_phone_number_order(PhoneNumberOrderId=number["OrderId"])["PhoneNumberOrder"]
            wait_for_order(client, order, wanted.timeout, self.poll,
                           timeout_advice(e164, in_flight=True, completed=True))
            number = client.get_phone_number(PhoneNumberId=e164)["PhoneNumber"]
        elif status in GONE:
            raise ProviderError(f"phone number {e164} is in the inventory with status {status}; "
                                "it cannot be adopted or ordered now")
        return self._align(client, number, wanted)

    def _settled(self, client: Any, e164: str, wanted: _Wanted) -> dict[str, Any]:
        """The number once its order succeeded, aligned with what the resource wants."""
        return self._align(client, client.get_phone_number(PhoneNumberId=e164)["PhoneNumber"], wanted)

    @staticmethod
    def _align(client: Any, number: dict[str, Any], wanted: _Wanted) -> dict[str, Any]:
        changes: list[dict[str, Any]] = []
        if number.get("ProductType") != wanted.product_type:
            changes.append({"ProductType": wanted.product_type})
        # Without a `name`, an adopted number keeps whatever Name it has.
        full_name = wanted.full_name() if wanted.name is not None else None
        if full_name is not None and (number.get("Name") or None) != full_name:
            changes.append({"Name": full_name})
        # "You can update one phone number detail at a time" (API reference): one call each.
        for change in changes:
            number = client.update_phone_number(
                PhoneNumberId=number["PhoneNumberId"], **change)["PhoneNumber"]
        return number

    @staticmethod
    def _number_outputs(number: dict[str, Any]) -> dict[str, Any]:
        return {
            "phone_number_id": number["PhoneNumberId"],
            "e164_phone_number": number.get("E164PhoneNumber"),
            "order_id": number.get("OrderId"),
            "status": number.get("Status"),
        }

    def _result(self, number: dict[str, Any], props: dict[str, Any], region: str, token: str) -> CreateResult:
        outs = {k: props.get(k) for k in _INPUT_KEYS}
        outs["create_token"] = token
        outs.update(self._number_outputs(number))
        outs.update(region=region, name=user_name(number.get("Name"), props.get("order_marker")),
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
    avoid_numbers: pulumi.Output[list[str] | None]
    order_marker: pulumi.Output[str]
    create_token: pulumi.Output[str]

    def __init__(
        self, resource_name: str, args: PhoneNumberArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        props = resource_props(args, "phone_number_id", "order_id", "status", "create_token")
        # Internal: names this resource's orders so a later run finds their numbers (module docstring).
        props["order_marker"] = default_order_marker(pulumi.get_project(), pulumi.get_stack(), resource_name)
        if args.e164_phone_number is not None:
            # Replacing a number named by e164 gives the same number: it must be released before it
            # is adopted again. The provider's diff says so, but `pulumi up --replace` asks no diff
            # and creates first: the replacement would adopt the number, and the old resource's
            # delete would then release it (or, while a rule uses it, fail on every later `up`).
            opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(delete_before_replace=True))
        super().__init__(PhoneNumberProvider(), resource_name, props, opts)
