"""The answer's frame at its documented limits (10 actions, 100 attribute pairs, 20 KB of attributes)
and the one verdict `pstn.answer_checks` makes of both layers."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pstn.action_checks import ActionError
from pstn.answer_checks import ActionFailure, Verdict, judge_answer, validate_response
from pstn.response_checks import (
    BLANK,
    MAX_ACTIONS,
    MAX_ATTRIBUTE_PAIRS,
    MAX_ATTRIBUTES_BYTES,
    SCHEMA_MISMATCH,
    TOO_MANY_ACTIONS,
    UNREADABLE_ACTIONS,
    ResponseError,
    check_response,
    check_transaction_attributes,
)

HANGUP = {"Type": "Hangup", "Parameters": {"SipResponseCode": "0"}}


def answer(actions: Any = None, **top: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"SchemaVersion": "1.0", **top}
    if actions is not None:
        body["Actions"] = actions
    return body


def problem(response: object) -> tuple[str, str]:
    error = check_response(response)
    assert error is not None, f"{response!r} passed"
    return error.error_type, error.message


def test_exactly_10_actions_pass_and_11_are_too_many() -> None:
    assert MAX_ACTIONS == 10
    assert check_response(answer([HANGUP] * 10)) is None
    assert problem(answer([HANGUP] * 11)) == ("TooManyActions", TOO_MANY_ACTIONS)
    error = check_response(answer([HANGUP] * 11))
    assert error is not None and error.detail == "11 actions"


def test_no_actions_or_an_empty_list_is_a_usable_answer() -> None:
    assert check_response(answer()) is None
    assert check_response(answer([])) is None


@pytest.mark.parametrize("blank", [None, "", {}])
def test_a_blank_answer_is_discarded(blank: object) -> None:
    assert check_response(blank) == ResponseError(
        "InvalidLambdaResponse", BLANK
    )  # no detail: nothing to name


def test_an_answer_that_is_not_an_object_says_what_it_is() -> None:
    error = check_response([HANGUP])
    assert error == ResponseError("InvalidLambdaResponse", BLANK, "the answer is a list")


@pytest.mark.parametrize("version", [None, "1", 1.0, "2.0"])
def test_any_schema_version_but_the_string_1_0_is_a_mismatch(version: object) -> None:
    response = {"Actions": [HANGUP]} if version is None else {"SchemaVersion": version, "Actions": [HANGUP]}
    error = check_response(response)
    assert error is not None and (error.error_type, error.message) == (
        "InvalidSchemaVersion",
        SCHEMA_MISMATCH,
    )
    assert error.detail == f"SchemaVersion {version!r}"


@pytest.mark.parametrize(
    ("actions", "detail"),
    [
        ({"Type": "Hangup"}, "Actions is not a list"),
        (["Hangup"], "Actions[0] is not an object"),
        ([HANGUP, {"Parameters": {}}], "Actions[1].Type is not a string"),
        ([{"Type": 5}], "Actions[0].Type is not a string"),
        ([{"Type": "Hangup", "Parameters": []}], "Actions[0].Parameters is not an object"),
    ],
)
def test_an_unreadable_action_list_names_where(actions: object, detail: str) -> None:
    error = check_response(answer(actions))
    assert error == ResponseError("InvalidActionList", UNREADABLE_ACTIONS, detail)


def test_an_unknown_action_type_is_unsupported_even_after_good_ones() -> None:
    error = check_response(answer([HANGUP, {"Type": "Dance"}]))
    assert error == ResponseError("UnsupportedAction", "Unsupported action Dance specified", "Actions[1]")
    assert check_response(answer([{"Type": "Hangup", "Parameters": None}])) is None


def test_exactly_100_attribute_pairs_pass_and_101_fail() -> None:
    assert MAX_ATTRIBUTE_PAIRS == 100
    assert check_transaction_attributes({f"k{i}": "v" for i in range(100)}) is None
    error = check_transaction_attributes({f"k{i}": "v" for i in range(101)})
    assert error is not None and error.error_type == "TransactionAttributesInvalidMapSize"
    assert error.message.endswith("Maximum number of mappings is 100") and error.detail == "101 pairs"


def attributes_of(size: int) -> dict[str, str]:
    attributes = {"k": ""}
    attributes["k"] = "x" * (size - len(json.dumps(attributes).encode()))
    assert len(json.dumps(attributes).encode()) == size
    return attributes


def test_attributes_of_exactly_20_kib_pass_and_one_byte_more_fails() -> None:
    assert MAX_ATTRIBUTES_BYTES == 20 * 1024
    assert check_transaction_attributes(attributes_of(20 * 1024)) is None
    error = check_transaction_attributes(attributes_of(20 * 1024 + 1))
    assert error is not None and error.error_type == "TransactionAttributesInvalidPayloadSize"
    assert error.detail == f"{20 * 1024 + 1} bytes"


def test_attribute_size_counts_utf8_bytes_not_characters() -> None:
    # 7,000 three-byte characters: 21,000 bytes but only 7,000 characters
    error = check_transaction_attributes({"k": "€" * 7000})
    assert error is not None and error.error_type == "TransactionAttributesInvalidPayloadSize"


def test_attributes_must_be_a_string_map_and_may_be_absent() -> None:
    assert check_transaction_attributes(None) is None
    error = check_transaction_attributes(["k"])
    assert error is not None and (error.error_type, error.detail) == (
        "TransactionAttributesInvalidType",
        "got list",
    )
    error = check_transaction_attributes({"a": "x", "b": 2})
    assert error is not None and error.detail == "TransactionAttributes.b is int"
    error = check_response(answer([HANGUP], TransactionAttributes={"b": None}))
    assert error is not None and error.error_type == "TransactionAttributesInvalidType"


def test_describe_joins_type_message_and_detail() -> None:
    assert ResponseError("T", "m", "d").describe() == "T: m (d)"
    assert ResponseError("T", "m").describe() == "T: m"
    assert ActionError("T", "m", "f").describe() == "T: m (f)"
    assert ActionError("T", "m").describe() == "T: m"


def test_judge_answer_lists_every_failing_action_with_its_place() -> None:
    bad_pause = {"Type": "Pause", "Parameters": {"DurationInMilliseconds": 1}}
    bad_voice = {"Type": "Speak", "Parameters": {"Text": "hi", "VoiceId": "Nobody"}}
    verdict = judge_answer(answer([HANGUP, bad_pause, bad_voice]))
    assert verdict.response_error is None and not verdict.ok
    assert [(f.index, f.action_type, f.error.field) for f in verdict.action_failures] == [
        (1, "Pause", "DurationInMilliseconds"),
        (2, "Speak", "VoiceId"),
    ]
    without_polly = judge_answer(answer([HANGUP, bad_pause, bad_voice]), polly=False)
    assert [f.index for f in without_polly.action_failures] == [1]


def test_judge_answer_stops_at_the_frame() -> None:
    bad_pause = {"Type": "Pause", "Parameters": {"DurationInMilliseconds": 1}}
    verdict = judge_answer(answer([bad_pause] * 11))
    assert verdict.response_error is not None and verdict.action_failures == () and not verdict.ok
    assert judge_answer(answer([HANGUP])) == Verdict(None, ())
    assert judge_answer(answer([HANGUP])).ok
    assert not Verdict(None, (ActionFailure(0, "Pause", ActionError("T", "m")),)).ok


def test_validate_response_names_the_first_failing_action_and_its_field() -> None:
    bad_pause = {"Type": "Pause", "Parameters": {"DurationInMilliseconds": 1}}
    error = validate_response(answer([HANGUP, bad_pause, bad_pause]))
    assert error == ResponseError(
        "InvalidActionParameter",
        "The Duration parameter is invalid.",
        "Actions[1] Pause.DurationInMilliseconds",
    )
    no_field = {"Type": "Speak", "Parameters": {}}
    error = validate_response(answer([no_field]))
    assert error is not None and error.detail == "Actions[0] Speak.Text"
    assert validate_response(answer([HANGUP])) is None
    assert (
        validate_response(answer([{"Type": "Speak", "Parameters": {"Text": "a", "VoiceId": "Nobody"}}]))
        is None
    )
    assert validate_response(None) == ResponseError("InvalidLambdaResponse", BLANK)


def test_errors_and_verdicts_are_values_that_cannot_change() -> None:
    import dataclasses

    error = ResponseError("T", "m")
    verdict = Verdict(error, ())
    for value in (error, verdict, ActionFailure(0, "Pause", ActionError("T", "m"))):
        with pytest.raises(dataclasses.FrozenInstanceError):
            value.detail = "x"  # type: ignore[misc,union-attr]
    assert len({ResponseError("T", "m"), ResponseError("T", "m")}) == 1
