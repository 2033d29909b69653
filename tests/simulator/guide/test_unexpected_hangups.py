"""Developer Guide, "Debugging unexpected hangups" (and "Invalid inputs" for TransactionAttributes): the
problems that make the service discard an answer as a whole (INVALID_LAMBDA_RESPONSE), with the
page's log messages as ErrorMessage. Everything else about an action is not a response problem."""

from __future__ import annotations

from typing import Any

import pytest

from pstn.response_checks import ResponseError, check_response, check_transaction_attributes
from tests.simulator.guide.actions import VALID_ACTIONS, answer


def test_every_documented_action_passes_the_response_layer() -> None:
    for kind, params in VALID_ACTIONS.items():
        assert check_response(answer((kind, params))) is None, kind


def test_absent_or_null_actions_and_attributes_are_accepted() -> None:
    assert check_response({"SchemaVersion": "1.0"}) is None
    assert check_response({"SchemaVersion": "1.0", "Actions": None, "TransactionAttributes": None}) is None
    assert check_response({"SchemaVersion": "1.0", "Actions": [], "TransactionAttributes": {}}) is None


@pytest.mark.parametrize(
    ("response", "error_type", "message"),
    [
        (None, "InvalidLambdaResponse", "Response is blank or empty"),
        ("", "InvalidLambdaResponse", "Response is blank or empty"),
        ({}, "InvalidLambdaResponse", "Response is blank or empty"),
        (["not", "an", "object"], "InvalidLambdaResponse", "Response is blank or empty"),
        (
            {"Actions": []},
            "InvalidSchemaVersion",
            "The schema version in the invocation request does not match the schema version in the response.",
        ),
        ({"SchemaVersion": "2.0", "Actions": []}, "InvalidSchemaVersion", "The schema version in the"),
        ({"SchemaVersion": 1.0, "Actions": []}, "InvalidSchemaVersion", "The schema version in the"),
        (
            {"SchemaVersion": "1.0", "Actions": {"Type": "Speak"}},
            "InvalidActionList",
            "Error while reading actions list.",
        ),
        (
            {"SchemaVersion": "1.0", "Actions": ["Speak"]},
            "InvalidActionList",
            "Error while reading actions list.",
        ),
        (
            {"SchemaVersion": "1.0", "Actions": [{"Parameters": {}}]},
            "InvalidActionList",
            "Error while reading actions list.",
        ),
        (
            {"SchemaVersion": "1.0", "Actions": [{"Type": "Pause", "Parameters": "x"}]},
            "InvalidActionList",
            "Error while reading actions list.",
        ),
        (
            answer(*[("Pause", VALID_ACTIONS["Pause"])] * 11),
            "TooManyActions",
            "Too many actions specified in a response.",
        ),
        (answer(("Dance", {})), "UnsupportedAction", "Unsupported action Dance specified"),
        # A Type the use-cases page mentions but no action page defines.
        (answer(("RecordMeeting", {})), "UnsupportedAction", "Unsupported action RecordMeeting specified"),
    ],
)
def test_response_level_problems_carry_the_pages_log_message(
    response: Any, error_type: str, message: str
) -> None:
    error = check_response(response)
    assert isinstance(error, ResponseError)
    assert error.error_type == error_type
    assert error.message.startswith(message)


def test_ten_actions_are_the_most_an_answer_may_hold() -> None:
    assert check_response(answer(*[("Pause", VALID_ACTIONS["Pause"])] * 10)) is None


def test_a_bad_parameter_is_not_a_response_problem() -> None:
    """The tutorial's Hangup "200" and an 11-digit Pause are ACTION_FAILED material, not ILR."""
    assert check_response(answer(("Hangup", {"SipResponseCode": "200"}))) is None
    assert check_response(answer(("Pause", {"DurationInMilliseconds": 0}), ("Speak", {}))) is None


@pytest.mark.parametrize(
    ("attributes", "error_type"),
    [
        ({f"k{i}": "v" for i in range(101)}, "TransactionAttributesInvalidMapSize"),
        ({"k": "v" * (20 * 1024)}, "TransactionAttributesInvalidPayloadSize"),
        ({"k": 1}, "TransactionAttributesInvalidType"),
        ({"k": None}, "TransactionAttributesInvalidType"),
        (["k", "v"], "TransactionAttributesInvalidType"),
    ],
)
def test_invalid_inputs_page_transaction_attribute_limits(attributes: Any, error_type: str) -> None:
    error = check_response({"SchemaVersion": "1.0", "Actions": [], "TransactionAttributes": attributes})
    assert error is not None and error.error_type == error_type


def test_invalid_inputs_page_message_with_the_overview_pages_limit() -> None:
    error = check_transaction_attributes({f"k{i}": "v" for i in range(101)})
    assert error is not None
    assert error.message == "Transaction Attributes has too many mappings. Maximum number of mappings is 100"


def test_transaction_attributes_at_the_limits_are_accepted() -> None:
    hundred = {f"k{i}": "v" for i in range(100)}
    assert check_response({"SchemaVersion": "1.0", "TransactionAttributes": hundred}) is None
    # 20 KB of JSON in all: {"k": "..."} is 9 bytes of punctuation and key around the value.
    assert (
        check_response({"SchemaVersion": "1.0", "TransactionAttributes": {"k": "v" * (20 * 1024 - 9)}})
        is None
    )
