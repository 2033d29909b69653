"""call_handler / backup_handler: every event type, every update verb, the doc samples, the log line."""

from __future__ import annotations

import copy
from typing import Any

import backup_handler
import call_handler
import pytest
from sma.greeter import CUSTOM_ACTION_TEXT

from tests.handlers import events as ev
from tests.handlers.support import action_types, assert_valid, log_lines

GREETING = call_handler.DEFAULT_GREETING


def run(
    raw: Any, capsys: pytest.CaptureFixture[str], module: Any = call_handler, context: Any = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    response = module.handler(raw, context)
    assert_valid(response)
    return response, log_lines(capsys.readouterr().out)


def invocation_line(lines: list[dict[str, Any]]) -> dict[str, Any]:
    found = [line for line in lines if line["message"] == "invocation"]
    assert len(found) == 1, lines
    return found[0]


def greeting_actions(call_id: str, text: str = GREETING, voice: str = "Joanna") -> list[dict[str, Any]]:
    return [
        {
            "Type": "Speak",
            "Parameters": {
                "CallId": call_id,
                "Text": text,
                "Engine": "neural",
                "TextType": "text",
                "VoiceId": voice,
            },
        },
        {"Type": "Hangup", "Parameters": {"CallId": call_id, "SipResponseCode": "0"}},
    ]


@pytest.mark.parametrize("event_type", ["NEW_INBOUND_CALL", "CALL_ANSWERED"])
def test_answered_calls_hear_the_greeting_then_a_clean_hangup(event_type: str, capsys) -> None:
    response, _ = run(ev.ALL_EVENTS[event_type], capsys)
    assert response == {"SchemaVersion": "1.0", "Actions": greeting_actions(ev.CALL_ID)}


def test_doc_sample_new_inbound_call(capsys) -> None:
    # Spelled SipApplicationId in the guide: still a greeting addressed to that sample's LEG-A.
    response, lines = run(copy.deepcopy(ev.DOC_NEW_INBOUND_CALL), capsys)
    assert response["Actions"] == greeting_actions("call-id-1")
    line = invocation_line(lines)
    assert (line["transaction_id"], line["event_type"], line["sequence"]) == (
        "transaction-id",
        "NEW_INBOUND_CALL",
        1,
    )


def test_doc_sample_action_successful_ends_the_call(capsys) -> None:
    response, _ = run(copy.deepcopy(ev.DOC_ACTION_SUCCESSFUL), capsys)
    assert response["Actions"] == [
        {
            "Type": "Hangup",
            "Parameters": {"CallId": "bbff30c5-866a-41b5-8d0a-5d23d5e19f3e", "SipResponseCode": "0"},
        }
    ]


def test_action_successful_after_hangup_asks_for_nothing(capsys) -> None:
    raw = ev.event("ACTION_SUCCESSFUL", {"Type": "Hangup", "Parameters": {"SipResponseCode": "0"}})
    response, _ = run(raw, capsys)
    assert response["Actions"] == []


# ACTION_FAILED, per action and ErrorType: test_greeter_failures.py


@pytest.mark.parametrize("event_type", ["HANGUP", "NEW_OUTBOUND_CALL", "RINGING", "ACTION_INTERRUPTED"])
def test_events_whose_answer_is_ignored_get_no_actions(event_type: str, capsys) -> None:
    response, lines = run(ev.ALL_EVENTS[event_type], capsys)
    assert response == {"SchemaVersion": "1.0", "Actions": []}
    assert invocation_line(lines)["actions"] == []


def test_invalid_lambda_response_is_logged_and_hangs_up_480(capsys) -> None:
    response, lines = run(ev.ALL_EVENTS["INVALID_LAMBDA_RESPONSE"], capsys)
    assert response["Actions"] == [
        {"Type": "Hangup", "Parameters": {"CallId": ev.CALL_ID, "SipResponseCode": "480"}}
    ]
    errors = [line for line in lines if line["level"] == "ERROR"]
    assert errors[0]["error_type"] == "TransactionAttributesInvalidMapSize"


def test_digits_received_keeps_the_queued_actions(capsys) -> None:
    response, lines = run(ev.ALL_EVENTS["DIGITS_RECEIVED"], capsys)
    assert response == {"SchemaVersion": "1.0"}  # Actions absent: the queue carries on
    assert invocation_line(lines)["actions"] is None


def test_every_documented_event_type_has_a_route() -> None:
    from sma.events import EventType

    assert set(ev.ALL_EVENTS) == EventType.ALL
    assert set(call_handler._ROUTER.routes()) == EventType.ALL


def test_unknown_event_type_is_an_error_and_a_safe_hangup(capsys) -> None:
    response, lines = run(ev.event("CALL_TELEPORTED"), capsys)
    assert response["Actions"] == [
        {"Type": "Hangup", "Parameters": {"CallId": ev.CALL_ID, "SipResponseCode": "480"}}
    ]
    assert any(line["level"] == "ERROR" and line["event_type"] == "CALL_TELEPORTED" for line in lines)


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (None, "event"),
        ([], "event"),
        ({}, "InvocationEventType"),
        ({"InvocationEventType": "NEW_INBOUND_CALL"}, "CallDetails"),
        (
            {"InvocationEventType": "NEW_INBOUND_CALL", "CallDetails": {"Participants": []}},
            "CallDetails.TransactionId",
        ),
        (
            {
                "InvocationEventType": "NEW_INBOUND_CALL",
                "CallDetails": {"TransactionId": "t", "Participants": "x"},
            },
            "CallDetails.Participants",
        ),
        (
            {
                "InvocationEventType": "NEW_INBOUND_CALL",
                "CallDetails": {"TransactionId": "t", "Participants": [1]},
            },
            "CallDetails.Participants[0]",
        ),
        ({**ev.event("ACTION_SUCCESSFUL"), "ActionData": "Speak"}, "ActionData"),
    ],
)
def test_malformed_events_get_a_logged_error_and_a_safe_hangup(raw: Any, field: str, capsys) -> None:
    response, lines = run(raw, capsys)
    assert action_types(response) == ["Hangup"]
    assert response["Actions"][0]["Parameters"]["SipResponseCode"] == "480"
    errors = [line for line in lines if line["level"] == "ERROR"]
    assert len(errors) == 1 and errors[0]["field"] == field


def test_malformed_event_still_hangs_up_the_leg_it_names(capsys) -> None:
    raw = ev.event("NEW_INBOUND_CALL")
    del raw["CallDetails"]["TransactionId"]
    response, _ = run(raw, capsys)
    assert response["Actions"][0]["Parameters"] == {"CallId": ev.CALL_ID, "SipResponseCode": "480"}


def test_new_inbound_call_without_a_leg_a_call_id_hangs_up(capsys) -> None:
    raw = ev.event("NEW_INBOUND_CALL", participants=[{"ParticipantTag": "LEG-A", "To": ev.CALLED}])
    response, lines = run(raw, capsys)
    assert response["Actions"] == [{"Type": "Hangup", "Parameters": {"SipResponseCode": "480"}}]
    assert any(line["level"] == "ERROR" for line in lines)


# --- CALL_UPDATE_REQUESTED verbs -----------------------------------------------------------------


def spoken(response: dict[str, Any]) -> str:
    assert action_types(response) == ["Speak"]
    params = response["Actions"][0]["Parameters"]
    assert params["CallId"] == ev.CALL_ID and params["VoiceId"] == "Joanna"
    return str(params["Text"])


def test_update_custom_action_from_the_tutorial(capsys) -> None:
    response, _ = run(ev.update({"action": "custom-action"}), capsys)
    assert spoken(response) == CUSTOM_ACTION_TEXT


def test_update_speak_says_the_given_text(capsys) -> None:
    response, _ = run(ev.update({"action": "speak", "text": "Your order has shipped."}), capsys)
    assert spoken(response) == "Your order has shipped."


def test_update_greet_repeats_the_greeting(capsys) -> None:
    response, _ = run(ev.update({"action": "greet"}), capsys)
    assert spoken(response) == GREETING


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ({"action": "hangup"}, "0"),
        ({"action": "hangup", "code": "486"}, "486"),
        ({"action": "hangup", "code": "480"}, "480"),
    ],
)
def test_update_hangup(arguments: dict[str, str], code: str, capsys) -> None:
    response, _ = run(ev.update(arguments), capsys)
    assert response["Actions"] == [
        {"Type": "Hangup", "Parameters": {"CallId": ev.CALL_ID, "SipResponseCode": code}}
    ]


@pytest.mark.parametrize(
    "arguments",
    [
        {},
        {"action": "dance"},
        {"action": "speak"},
        {"action": "speak", "text": "   "},
        {"action": "speak", "text": "x" * 1001},
        {"action": "hangup", "code": "200"},
    ],
)
def test_bad_updates_are_logged_and_leave_the_call_as_it_was(arguments: dict[str, str], capsys) -> None:
    response, lines = run(ev.update(arguments), capsys)
    assert response == {"SchemaVersion": "1.0"}
    warnings = [line for line in lines if line["level"] == "WARNING"]
    assert len(warnings) == 1 and warnings[0]["message"].startswith("call update ignored")


def test_update_with_no_leg_a_to_speak_to_is_ignored(capsys) -> None:
    raw = ev.update({"action": "speak", "text": "hello"})
    raw["CallDetails"]["Participants"] = []
    response, _ = run(raw, capsys)
    assert response == {"SchemaVersion": "1.0"}


def test_update_then_success_ends_the_call(capsys) -> None:
    # The Speak an update returns replaces the queued Hangup; its ACTION_SUCCESSFUL must end the call.
    first, _ = run(ev.update({"action": "speak", "text": "one moment"}), capsys)
    finished = ev.event("ACTION_SUCCESSFUL", first["Actions"][0], sequence=3)
    response, _ = run(finished, capsys)
    assert response["Actions"] == [
        {"Type": "Hangup", "Parameters": {"CallId": ev.CALL_ID, "SipResponseCode": "0"}}
    ]


# --- logging ---------------------------------------------------------------------------------------


class _Context:
    aws_request_id = "req-123"


def test_one_json_line_per_invocation_with_numbers_masked(capsys) -> None:
    _, lines = run(ev.ALL_EVENTS["NEW_INBOUND_CALL"], capsys, context=_Context())
    assert len(lines) == 1
    line = lines[0]
    assert line["level"] == "INFO" and line["message"] == "invocation"
    assert line["transaction_id"] == "tx-1" and line["event_type"] == "NEW_INBOUND_CALL"
    assert line["sequence"] == 1 and line["actions"] == ["Speak", "Hangup"]
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["request_id"] == "req-123"
    assert line["from"] == "***0199" and line["to"] == "***0101"


def test_no_phone_number_reaches_the_log_on_any_path(capsys) -> None:
    for raw in [
        *ev.ALL_EVENTS.values(),
        ev.update({"action": "speak", "text": "call me on +14255550199"}),
        ev.event(
            "ACTION_FAILED",
            {
                "Type": "CallAndBridge",
                "ErrorType": "CallNotAnswered",
                "ErrorMessage": "Call to +14255550199 not answered",
            },
        ),
    ]:
        call_handler.handler(raw, None)
    out = capsys.readouterr().out
    assert "invocation" in out
    for number in (ev.CALLER, ev.CALLED, "4255550199", "4345550101"):
        assert number not in out


def test_numbers_sent_as_json_numbers_are_masked_in_the_log(capsys) -> None:
    raw = ev.event("NEW_INBOUND_CALL", participants=[ev.participant(to=ev.CALLED, from_=ev.CALLER)])
    leg = raw["CallDetails"]["Participants"][0]
    leg["To"], leg["From"] = int(ev.CALLED), float(ev.CALLER)  # malformed: numbers, not strings
    _, lines = run(raw, capsys)
    line = invocation_line(lines)
    assert line["to"] == "***" + ev.CALLED[-4:] and line["from"] == "***" + ev.CALLER[-4:]


# --- backup ---------------------------------------------------------------------------------------


def test_backup_handler_has_its_own_greeting_and_voice(capsys) -> None:
    response, lines = run(ev.ALL_EVENTS["NEW_INBOUND_CALL"], capsys, module=backup_handler)
    assert response["Actions"] == greeting_actions(ev.CALL_ID, backup_handler.DEFAULT_GREETING, "Matthew")
    assert invocation_line(lines)["handler"] == "backup-handler"


@pytest.mark.parametrize("event_type", sorted(ev.ALL_EVENTS))
def test_backup_handler_answers_every_event_type_validly(event_type: str, capsys) -> None:
    run(ev.ALL_EVENTS[event_type], capsys, module=backup_handler)
