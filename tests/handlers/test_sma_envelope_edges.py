"""The response envelope, SIP headers and phone-number masking on their edges: 10 actions, 100 pairs,
20 KB, 20 headers of 2,048 characters, the 7-digit masking threshold and the UUIDs it leaves alone."""

from __future__ import annotations

import json

import pytest
from sma.masking import mask_number, mask_text, masked
from sma.response import KEEP_PENDING, build_response, check_transaction_attributes
from sma.sip_headers import check_sip_headers, sip_header_problem

HANGUP: dict[str, object] = {"Type": "Hangup", "Parameters": {"SipResponseCode": "0"}}


def refused(build: object, *args: object) -> str:
    with pytest.raises(ValueError) as raised:
        build(*args)  # type: ignore[operator]
    return str(raised.value)


# --- response ----------------------------------------------------------------------------------------


def test_exactly_10_actions_and_11_refused() -> None:
    assert build_response([HANGUP] * 10)["Actions"] == [HANGUP] * 10
    assert refused(build_response, [HANGUP] * 11) == "Actions: at most 10 actions per response (got 11)"


def test_actions_absent_keep_the_queue_and_empty_stops_it() -> None:
    assert build_response(KEEP_PENDING) == {"SchemaVersion": "1.0"}
    assert build_response() == {"SchemaVersion": "1.0", "Actions": []}
    assert build_response(iter([HANGUP])) == {"SchemaVersion": "1.0", "Actions": [HANGUP]}


@pytest.mark.parametrize(
    "bad", ["Hangup", {"Type": 1, "Parameters": {}}, {"Type": "Hangup"}, {"Type": "Hangup", "Parameters": []}]
)
def test_an_action_not_built_by_the_builders_is_refused(bad: object) -> None:
    assert refused(build_response, [HANGUP, bad]) == (
        "Actions[1]: must be {Type, Parameters}; build it with sma.actions"
    )


def test_exactly_100_attribute_pairs_and_101_refused() -> None:
    attributes = {f"k{i}": "v" for i in range(100)}
    built = build_response([], attributes)
    assert built["TransactionAttributes"] == attributes and built["TransactionAttributes"] is not attributes
    assert refused(check_transaction_attributes, {f"k{i}": "v" for i in range(101)}) == (
        "TransactionAttributes: at most 100 pairs (got 101)"
    )
    assert build_response([], {})["TransactionAttributes"] == {}


def attributes_of(size: int) -> dict[str, str]:
    attributes = {"k": ""}
    attributes["k"] = "x" * (size - len(json.dumps(attributes).encode()))
    return attributes


def test_exactly_20_kib_of_attributes_and_one_byte_more_refused() -> None:
    assert check_transaction_attributes(attributes_of(20 * 1024))
    assert refused(check_transaction_attributes, attributes_of(20 * 1024 + 1)) == (
        "TransactionAttributes: at most 20 KB (got 20481 bytes)"
    )
    # UTF-8 bytes, not characters: 7,000 euro signs are 21,000 bytes
    assert refused(check_transaction_attributes, {"k": "€" * 7000}).endswith("(got 21009 bytes)")


def test_attribute_keys_and_values() -> None:
    assert refused(check_transaction_attributes, ["k"]) == (
        "TransactionAttributes: must be an object of string keys and values"
    )
    assert refused(check_transaction_attributes, {"": "v"}) == (
        "TransactionAttributes: keys must be non-empty strings (got '')"
    )
    assert refused(check_transaction_attributes, {1: "v"}) == (
        "TransactionAttributes: keys must be non-empty strings (got 1)"
    )
    assert refused(check_transaction_attributes, {"k": 1}) == (
        "TransactionAttributes.k: values must be strings (got int)"
    )


# --- SIP headers -------------------------------------------------------------------------------------


def test_exactly_20_headers_of_2048_characters() -> None:
    headers = {f"X-H{i}": "v" * 2048 for i in range(20)}
    assert check_sip_headers("H", headers) == headers
    assert refused(check_sip_headers, "H", {**headers, "X-H20": "v"}) == "H: at most 20 headers (got 21)"
    assert (
        refused(check_sip_headers, "H", {"X-H": "v" * 2049})
        == "H.X-H: must be at most 2048 characters (got 2049)"
    )


@pytest.mark.parametrize("name", ["X-Team", "x-a", "User-to-User", "DIVERSION"])
def test_allowed_header_names(name: str) -> None:
    assert sip_header_problem(name) is None


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("x-", "must be a custom header"),
        ("X", "must be a custom header"),
        ("Contact", "must be a custom header"),
        ("X-Amzn-Trace", "is reserved"),
        ("x-VC-id", "is reserved"),
        ("X-Canary", "is reserved"),
        ("x-vine", "is reserved"),
        ("X-Voice-1", "is reserved"),
    ],
)
def test_refused_header_names(name: str, fragment: str) -> None:
    problem = sip_header_problem(name)
    assert problem is not None and problem.startswith(fragment)


def test_header_values_and_names_must_be_strings() -> None:
    assert (
        refused(check_sip_headers, "H", "X-A: b") == "H: must be an object of header names to string values"
    )
    assert refused(check_sip_headers, "H", {"": "v"}) == "H: header names must be non-empty strings (got '')"
    assert refused(check_sip_headers, "H", {"X-A": 1}) == "H.X-A: must be a string (got int)"
    assert refused(check_sip_headers, "H", {"Contact": "v"}).startswith("H.Contact: must be a custom header")


# --- masking -----------------------------------------------------------------------------------------


def test_a_run_of_7_digits_is_masked_and_6_is_not() -> None:
    assert mask_text("call 5550100 now") == "call ***0100 now"
    assert mask_text("code 555010 now") == "code 555010 now"
    assert mask_text("1234567") == "***4567" and mask_text("123456") == "123456"
    # Each run counts its own digits: six stay, even where the whole text holds seven or more.
    assert mask_text("order 123456, room 12") == "order 123456, room 12"
    assert mask_text("order 123-456 and 1234567") == "order 123-456 and ***4567"


def test_separators_at_most_two_between_digits() -> None:
    assert mask_text("+1 (206) 555-0100") == "***0100"
    assert mask_text("206.555.0100") == "***0100"
    assert mask_text("206   555 0100") == "206   ***0100"  # three spaces end a run
    assert mask_text("12-34 56.78") == "***5678"


def test_uuids_are_left_whole_and_only_as_tokens() -> None:
    uuid = "12345678-1234-4234-8234-123456789012"
    assert mask_text(uuid) == uuid and mask_text(f"call {uuid} ended") == f"call {uuid} ended"
    assert mask_text("x" + uuid) != "x" + uuid  # not a token of its own
    assert mask_text(uuid + "9") != uuid + "9"
    assert mask_text("12345678_1234_4234_8234_123456789012") != "12345678_1234_4234_8234_123456789012"


def test_mask_number_keeps_the_last_four_digits() -> None:
    assert mask_number("+12065550102") == "***0102" and mask_number("12345") == "***2345"
    assert mask_number("1234") == "****" and mask_number("") == "****"


def test_masked_values_by_type_and_field() -> None:
    assert masked("+1", "To") == "****" and masked("sip:+12065550100@host", "Uri") == "sip:***0100@host"
    assert masked("", "To") == "" and masked("5550100") == "***0100"
    assert masked(12065550102) == "***0102" and masked(123456) == 123456 and masked(-1234567) == "***4567"
    assert masked(1234, "From") == "****" and masked(True) is True and masked(None) is None
    assert masked(12065550102.0) == "***0102" and masked(0.5) == 0.5 and masked(1.5, "To") == "****"
    assert masked(1234567.5) == "***5675"  # its repr "1234567.5" is one 8-digit run
    assert masked({"To": "+12065550100", 12065550100: "x", None: 1}) == {
        "To": "***0100",
        "***0100": "x",
        None: 1,
    }
    assert masked(["+12065550100", ("5550100",)]) == ["***0100", ["***0100"]]
    assert masked(object) == str(object)
