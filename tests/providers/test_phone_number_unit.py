"""PhoneNumber's pure parts and short paths in process: checks at their limits, what a diff replaces
(and when it must release first), the order timeout as stored, and the update/read/delete paths
with a scripted client."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from awsutil.retry import PROVISIONING
from providers import adoptions
from providers.order_marker import MARKER_MAX, name_max
from providers.phone_number import DEFAULT_ORDER_TIMEOUT, PhoneNumberProvider, _seconds
from tests.providers.scripted import NOT_FOUND, ScriptedClient, ScriptedConnection

NUMBER = "+18445550100"
SEARCH = {"phone_number_type": "TollFree", "country": "US", "toll_free_prefix": "844"}


@pytest.fixture(autouse=True)
def fast_waits(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(PROVISIONING.base_env, "0.001")
    adoptions.forget()
    yield


def provider(client: ScriptedClient | None = None) -> PhoneNumberProvider:
    p = PhoneNumberProvider()
    p._connection = ScriptedConnection(client or ScriptedClient())
    return p


def failures(**news: Any) -> list[tuple[str, str]]:
    return [(f.property, f.reason) for f in provider().check({}, news).failures]


def test_exactly_one_of_number_and_search() -> None:
    assert failures(e164_phone_number=NUMBER) == [] and failures(search=SEARCH) == []
    assert failures() == [("search", "give exactly one of e164_phone_number or search")]
    assert failures(e164_phone_number=NUMBER, search=SEARCH)[0] == (
        "e164_phone_number",
        "give exactly one of e164_phone_number or search",
    )


def test_a_16_character_number_is_the_longest() -> None:
    assert failures(e164_phone_number="+1" + "5" * 14) == []
    assert failures(e164_phone_number="+1" + "5" * 15)[0][0] == "e164_phone_number"


def test_search_keys_and_values() -> None:
    assert failures(search={})[0] == (
        "search",
        "search must be an object with at least one of "
        "phone_number_type, country, toll_free_prefix, area_code, city, state",
    )
    assert failures(search="844")[0][0] == "search"
    [(prop, reason)] = failures(search={**SEARCH, "zip": "1"})
    assert prop == "search" and reason.startswith("search has unknown keys ['zip']")
    assert failures(search={**SEARCH, "country": "usa"})[0][1].startswith("search.country ")
    assert failures(search={"area_code": "206", "city": None}) == []


@pytest.mark.parametrize(
    ("timeout", "ok"),
    [
        (1, True),
        (86400, True),
        (0.5, True),
        (0, False),
        (86400.5, False),
        (-1, False),
        (True, False),
        ("600", False),
    ],
)
def test_order_timeout_is_above_0_and_at_most_a_day(timeout: Any, ok: bool) -> None:
    found = failures(e164_phone_number=NUMBER, order_timeout_seconds=timeout)
    assert (found == []) is ok
    if not ok:
        assert found == [
            (
                "order_timeout_seconds",
                "order_timeout_seconds must be a number of seconds above 0 "
                f"and at most 86400; got {timeout!r}",
            )
        ]


def test_name_must_leave_room_for_the_order_marker() -> None:
    marker = "m" * 20
    limit = name_max(marker)
    assert failures(e164_phone_number=NUMBER, name="n" * limit, order_marker=marker) == []
    [(prop, reason)] = failures(e164_phone_number=NUMBER, name="n" * (limit + 1), order_marker=marker)
    assert prop == "name" and reason.startswith(f"name must be at most {limit} characters long")
    assert failures(e164_phone_number=NUMBER, name="n" * (limit + 1)) == []  # no marker: the model's limit


def test_other_inputs() -> None:
    assert (
        failures(
            e164_phone_number=NUMBER,
            product_type="VoiceConnector",
            release_on_delete=False,
            region="us-west-2",
            avoid_numbers=[NUMBER],
            order_marker="m" * MARKER_MAX,
        )
        == []
    )
    assert [
        p
        for p, _ in failures(
            e164_phone_number=NUMBER,
            product_type="Fax",
            release_on_delete="no",
            region="mars-1",
            avoid_numbers=["12"],
            order_marker="m" * (MARKER_MAX + 1),
        )
    ] == ["product_type", "release_on_delete", "region", "avoid_numbers", "order_marker"]
    assert failures(e164_phone_number=NUMBER, avoid_numbers=NUMBER) == [
        ("avoid_numbers", "avoid_numbers must be a list of E.164 numbers")
    ]


def test_diff_replaces_and_releases_first_only_for_the_same_number() -> None:
    p = provider()
    olds = {"e164_phone_number": NUMBER, "product_type": "SipMediaApplicationDialIn", "region": "us-east-1"}
    assert not p.diff("id", olds, {"e164_phone_number": NUMBER}).changes
    product = p.diff("id", olds, {"e164_phone_number": NUMBER, "product_type": "VoiceConnector"})
    assert product.replaces == ["product_type"] and product.delete_before_replace
    other = p.diff("id", olds, {"e164_phone_number": "+18445550101"})
    assert other.replaces == ["e164_phone_number"] and not other.delete_before_replace
    by_search = {**olds, "e164_phone_number": None, "search": SEARCH}
    assert not p.diff("id", by_search, {"search": SEARCH}).changes
    moved = p.diff("id", by_search, {"search": SEARCH, "region": "us-west-2"})
    assert moved.replaces == ["region"] and not moved.delete_before_replace
    assert p.diff("id", olds, {"search": SEARCH}).replaces == ["search"]


def test_diff_in_place_changes() -> None:
    p = provider()
    olds = {
        "e164_phone_number": NUMBER,
        "product_type": "SipMediaApplicationDialIn",
        "region": "us-east-1",
        "name": "a",
    }
    for change in ({"name": "b"}, {"release_on_delete": False}, {"order_timeout_seconds": 60}):
        result = p.diff("id", olds, {"e164_phone_number": NUMBER, **change})
        assert result.changes and result.replaces == [], change
    assert not p.diff("id", olds, {"e164_phone_number": NUMBER, "order_timeout_seconds": 600.0}).changes
    assert not p.diff("id", olds, {"e164_phone_number": NUMBER, "name": None}).changes


def test_order_timeout_is_stored_whole_when_whole() -> None:
    assert _seconds(None) == DEFAULT_ORDER_TIMEOUT == 600 and isinstance(_seconds(600.0), int)
    assert _seconds(2.5) == 2.5


def test_update_renames_keeping_the_order_name_and_stores_the_rest() -> None:
    client = ScriptedClient(
        update_phone_number=[
            {
                "PhoneNumber": {
                    "PhoneNumberId": NUMBER,
                    "E164PhoneNumber": NUMBER,
                    "Name": "new",
                    "Status": "Assigned",
                }
            }
        ]
    )
    out = provider(client).update(
        NUMBER,
        {"name": "old", "region": "us-east-1"},
        {"name": "new", "release_on_delete": False, "order_timeout_seconds": 60.0},
    )
    assert client.calls == [("update_phone_number", {"PhoneNumberId": NUMBER, "Name": "new"})]
    assert out.outs is not None and out.outs["name"] == "new" and out.outs["release_on_delete"] is False
    assert out.outs["order_timeout_seconds"] == 60 and isinstance(out.outs["order_timeout_seconds"], int)
    client = ScriptedClient()
    out = provider(client).update(NUMBER, {"name": "same"}, {"name": "same"})
    assert client.calls == [] and out.outs is not None and out.outs["release_on_delete"] is True


def test_read_of_a_released_number_is_empty() -> None:
    for answer in (NOT_FOUND, {"PhoneNumber": {"PhoneNumberId": NUMBER, "Status": "ReleaseInProgress"}}):
        assert provider(ScriptedClient(get_phone_number=[answer])).read(NUMBER, {}).id == ""
    found = {
        "PhoneNumber": {
            "PhoneNumberId": NUMBER,
            "E164PhoneNumber": NUMBER,
            "Status": "Assigned",
            "ProductType": "SipMediaApplicationDialIn",
            "Name": "mine",
        }
    }
    result = provider(ScriptedClient(get_phone_number=[found])).read(NUMBER, {"search": SEARCH})
    assert result.id == NUMBER and result.outs is not None and result.outs["name"] == "mine"
    assert result.inputs is not None
    assert result.inputs["e164_phone_number"] is None and result.inputs["search"] == SEARCH


def test_delete_releases_unless_told_not_to_or_handed_over() -> None:
    client = ScriptedClient()
    provider(client).delete(NUMBER, {"release_on_delete": False})
    assert client.calls == []
    token = adoptions.new_token()
    adoptions.took_over("PhoneNumber", NUMBER, "other")
    provider(client).delete(NUMBER, {"create_token": token})
    assert client.calls == []
    client = ScriptedClient(delete_phone_number=[{}], get_phone_number=[NOT_FOUND])
    provider(client).delete(NUMBER, {})
    assert client.names()[0] == "delete_phone_number"


def test_release_retries_an_assigned_number_and_gives_up_with_an_error() -> None:
    from providers.errors import ProviderError
    from providers.number_orders import RELEASE_ATTEMPTS
    from tests.providers.scripted import CONFLICT, FATAL

    assigned = {"PhoneNumber": {"PhoneNumberId": NUMBER, "Status": "Assigned"}}
    client = ScriptedClient(delete_phone_number=[CONFLICT, {}], get_phone_number=[assigned])
    provider(client).delete(NUMBER, {})
    assert client.names() == ["delete_phone_number", "get_phone_number", "delete_phone_number"]
    client = ScriptedClient(delete_phone_number=[CONFLICT] * 20, get_phone_number=[assigned] * 20)
    with pytest.raises(
        ProviderError,
        match=re.escape(f"cannot release phone number {NUMBER} (status Assigned): ")
        + f".*gave up after {RELEASE_ATTEMPTS} attempts",
    ):
        provider(client).delete(NUMBER, {})
    assert client.names().count("delete_phone_number") == RELEASE_ATTEMPTS == 8
    released = {"PhoneNumber": {"PhoneNumberId": NUMBER, "Status": "ReleaseInProgress"}}
    client = ScriptedClient(delete_phone_number=[CONFLICT], get_phone_number=[released])
    provider(client).delete(NUMBER, {})  # an earlier, lost answer had released it
    assert client.names() == ["delete_phone_number", "get_phone_number"]
    with pytest.raises(Exception, match="ForbiddenException"):
        provider(ScriptedClient(delete_phone_number=[FATAL])).delete(NUMBER, {})


def _order(status: str, number_status: str) -> dict[str, Any]:
    ordered = [{"E164PhoneNumber": NUMBER, "Status": number_status}]
    return {"PhoneNumberOrder": {"PhoneNumberOrderId": "order-1", "Status": status,
                                 "OrderedPhoneNumbers": ordered}}


def test_a_search_asks_for_ten_spare_numbers_and_one_more_per_number_it_must_skip() -> None:
    from providers.phone_number import SEARCH_ATTEMPTS, SEARCH_SPARE

    offered = {"E164PhoneNumbers": [NUMBER, "+18445550101", "+18445550102"]}
    client = ScriptedClient(search_available_phone_numbers=[offered] * SEARCH_ATTEMPTS,
                            create_phone_number_order=[_order("Failed", "Failed")] * SEARCH_ATTEMPTS)
    with pytest.raises(Exception, match=f"{SEARCH_ATTEMPTS} orders for search"):
        provider(client).create({"search": SEARCH, "avoid_numbers": ["+18445550199"]})
    asked = [p["MaxResults"] for name, p in client.calls if name == "search_available_phone_numbers"]
    # The avoided number, then each number an earlier order failed to get, widen the next search.
    assert SEARCH_SPARE == 10 and asked == [11, 12, 13]


def test_an_order_ending_other_than_failed_is_raised_not_searched_again() -> None:
    # A one-number order cannot end Partial; if the service says so anyway, the create stops there
    # rather than ordering another number on top of one it may have got.
    offered = {"E164PhoneNumbers": [NUMBER]}
    client = ScriptedClient(search_available_phone_numbers=[offered, offered],
                            create_phone_number_order=[_order("Partial", "Failed")] * 2)
    with pytest.raises(Exception, match="order-1 ended Partial"):
        provider(client).create({"search": SEARCH})
    assert client.names().count("create_phone_number_order") == 1


def test_delete_with_release_on_delete_unset_releases() -> None:
    # None is what a state holds for an input never given: the default, release, applies.
    client = ScriptedClient(delete_phone_number=[{}], get_phone_number=[NOT_FOUND])
    provider(client).delete(NUMBER, {"release_on_delete": None})
    assert client.names()[0] == "delete_phone_number"
