"""The order marker: how PhoneNumber derives it, the order name the provider builds from it, and
the number Name that carries both the user's name and the order name."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from providers import input_checks as v
from providers.order_marker import (
    MARKER_MAX,
    carries,
    default_order_marker,
    name_max,
    number_name,
    user_name,
)
from providers.order_marker import order_name as _order_name
from providers.search_matching import matches_search as _matches_search
from testbed.program_mocks import evaluate

NAME_PATTERN = v.shape("PhoneNumberName")["pattern"]
PROGRAM = '''
from providers.phone_number import PhoneNumber, PhoneNumberArgs
PhoneNumber("main-number", PhoneNumberArgs(search={"area_code": "206"}))
PhoneNumber("odd name/with:chars", PhoneNumberArgs(e164_phone_number="+12065550123"))
'''


@pytest.mark.parametrize("resource_name", ["routing-number-844", "odd name/with:chars", "ü" * 300, "x" * 300])
def test_default_marker_fits_the_model_and_is_stable(resource_name: str) -> None:
    marker = default_order_marker("chime-pstn-routing", "prod", resource_name)
    assert marker == default_order_marker("chime-pstn-routing", "prod", resource_name)
    assert len(marker) <= MARKER_MAX and re.fullmatch(r"[A-Za-z0-9,._-]+", marker)
    assert re.search(NAME_PATTERN, f"{marker} 0123456789ab") is not None


def test_markers_differ_by_project_stack_and_name_even_after_sanitising() -> None:
    markers = {default_order_marker(*parts) for parts in [
        ("chime-pstn-routing", "prod", "number"), ("chime-pstn-routing", "dev", "number"),
        ("other", "prod", "number"), ("chime-pstn-routing", "prod", "a b"),
        ("chime-pstn-routing", "prod", "a-b"), ("chime-pstn-routing", "prod", "a/b"),
    ]}
    assert len(markers) == 6
    assert default_order_marker("chime-pstn-routing", "prod", "number") == "chime-pstn-routing.prod.number"


def _props(**extra: Any) -> dict[str, Any]:
    return {"order_marker": "p.s.number", "search": {"area_code": "206", "country": None}, **extra}


def test_order_name_changes_exactly_with_what_replaces_the_resource() -> None:
    base = _order_name(_props(), "us-east-1", "SipMediaApplicationDialIn")
    assert base is not None and base.startswith("p.s.number ") and len(base) == len("p.s.number ") + 12
    # Stable: the engine drops None-valued keys and may reorder them.
    assert _order_name(_props(search={"area_code": "206"}, name="front desk", release_on_delete=False,
                              order_timeout_seconds=5), "us-east-1", "SipMediaApplicationDialIn") == base
    replaced = [
        _order_name(_props(search={"area_code": "207"}), "us-east-1", "SipMediaApplicationDialIn"),
        _order_name(_props(), "us-west-2", "SipMediaApplicationDialIn"),
        _order_name(_props(), "us-east-1", "VoiceConnector"),
        _order_name(_props(order_marker="p.s.other"), "us-east-1", "SipMediaApplicationDialIn"),
    ]
    assert len({base, *replaced}) == 5
    assert _order_name({"search": {"area_code": "206"}}, "us-east-1", "SipMediaApplicationDialIn") is None


@pytest.mark.parametrize(("number", "search", "fits"), [
    ({"E164PhoneNumber": "+12065550100", "Type": "Local", "Country": "US"}, {"area_code": "206"}, True),
    ({"E164PhoneNumber": "+13125550100", "Type": "Local", "Country": "US"}, {"area_code": "206"}, False),
    ({"E164PhoneNumber": "+18445550100", "Type": "TollFree", "Country": "US"},
     {"toll_free_prefix": "844", "phone_number_type": "TollFree"}, True),
    ({"E164PhoneNumber": "+18445550100", "Type": "TollFree", "Country": "US"},
     {"phone_number_type": "Local", "state": "WA"}, False),
    ({"E164PhoneNumber": "+442071234567", "Type": "Local", "Country": "GB"}, {"country": "US"}, False),
    # City and state do not show in the inventory: not checked.
    ({"E164PhoneNumber": "+12065550100", "Type": "Local", "Country": "US"},
     {"city": "Seattle", "state": "WA"}, True),
])
def test_matches_search_where_the_inventory_shows_it(number: dict[str, str], search: dict[str, str],
                                                      fits: bool) -> None:
    assert _matches_search(number, search) is fits


def test_phone_number_sends_its_marker_as_an_input(tmp_path: Path) -> None:
    program = tmp_path / "program.py"
    program.write_text(PROGRAM)
    run = evaluate("staging", {"aws:region": "us-east-1"}, program)
    assert run.error is None
    numbers = run.of_type("pulumi-python:dynamic/chime:PhoneNumber")
    markers = {r.name: r.inputs.get("order_marker") for r in numbers}
    assert markers == {
        "main-number": "chime-pstn-routing.staging.main-number",
        "odd name/with:chars": default_order_marker("chime-pstn-routing", "staging", "odd name/with:chars"),
    }
    assert markers["odd name/with:chars"].startswith("chime-pstn-routing.staging.odd-name-with-chars-")


ORDER_NAME = "p.s.number 0123456789ab"


@pytest.mark.parametrize(("name", "full"), [
    (None, ORDER_NAME),
    ("front desk", f"front desk {ORDER_NAME}"),
    ("x", f"x {ORDER_NAME}"),
])
def test_the_number_name_keeps_the_order_name_after_the_users(name: str | None, full: str) -> None:
    assert number_name(name, ORDER_NAME) == full
    assert re.fullmatch(NAME_PATTERN, full) is not None
    assert carries(full, ORDER_NAME)
    assert user_name(full, "p.s.number") == name
    assert number_name(name, None) == name


@pytest.mark.parametrize("listed", [
    "front desk",  # renamed by hand: the marker is gone
    "p.s.number 0123456789ac",  # another digest: a replaced resource's number
    "p.s.other 0123456789ab",  # another resource's marker
    "front desk p.s.number",  # no digest
    "p.s.number 0123456789AB",  # not our digest's form
    None,
    "",
])
def test_only_this_order_name_is_recognised(listed: str | None) -> None:
    assert not carries(listed, ORDER_NAME)
    # The user's part: everything but this resource's marker and a digest after it.
    expected = None if listed == "p.s.number 0123456789ac" else (listed or None)
    assert user_name(listed, "p.s.number") == expected


def test_a_long_marker_leaves_less_room_for_the_name() -> None:
    marker = "m" * MARKER_MAX
    limit = name_max(marker)
    full = number_name("n" * limit, f"{marker} 0123456789ab")
    assert full is not None and len(full) == 256 and limit == 256 - MARKER_MAX - 14
