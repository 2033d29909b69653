"""Developer Guide, "StartBotConversation": a conversation with a scripted bot (the simulator's stand-in
for Lex), the IntentResult the page documents, and the failures it lists."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.calls.service import CallService
from tests.simulator.plans import action, bridge, hangup, on
from tests.simulator.support import FakeDirectory, invocation, planned_call

NUMBER = "+15550200901"
ARN = "arn:aws:lex:us-east-1:123456789012:bot-alias/BANKBOT1/ALIAS001"
BOT = {
    "botAliasArn": ARN,
    "intents": [
        {
            "name": "CheckBalance",
            "utterances": ["balance"],
            "slots": [
                {
                    "name": "AccountType",
                    "prompt": "Which account?",
                    "values": {"checking": "Checking", "savings": "Savings"},
                }
            ],
            "state": "Fulfilled",
            "confidence": 0.91,
        }
    ],
}


def start_bot(**params: Any) -> dict[str, Any]:
    config = {
        "SessionState": {"SessionAttributes": {"mood": "calm"}, "DialogAction": {"Type": "ElicitIntent"}},
        "WelcomeMessages": [{"Content": "Welcome to the bank", "ContentType": "PlainText"}],
    }
    return action(
        "StartBotConversation", **{"BotAliasArn": ARN, "LocaleId": "en_US", "Configuration": config, **params}
    )


@pytest.fixture(autouse=True)
def bot(service: CallService) -> None:
    service.handle_admin("POST", "/_emulator/bots", BOT)


def converse(
    service: CallService, directory: FakeDirectory, script: list[dict[str, Any]], **params: Any
) -> dict[str, Any]:
    return planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", start_bot(**params)),
        on(["ACTION_SUCCESSFUL", "ACTION_FAILED"], hangup()),
        script=script,
    )


def test_the_pages_fulfilled_intent(service: CallService, directory: FakeDirectory) -> None:
    record = converse(service, directory, [{"at": 2, "say": "What is my checking balance"}])
    data = invocation(record, "ACTION_SUCCESSFUL")["ActionData"]
    call_id = record["participants"][0]["CallId"]
    assert data["CallId"] == call_id and data["Type"] == "StartBotConversation"
    slot = {
        "Value": {
            "OriginalValue": "checking",
            "InterpretedValue": "Checking",
            "ResolvedValues": ["Checking"],
        },
        "Values": [],
    }
    intent = {
        "Name": "CheckBalance",
        "Slots": {"AccountType": slot},
        "State": "Fulfilled",
        "ConfirmationState": "None",
    }
    assert data["IntentResult"] == {
        "SessionId": call_id,
        "SessionState": {"SessionAttributes": {"mood": "calm"}, "Intent": intent},
        "Interpretations": [{"NluConfidence": {"Score": 0.91}, "Intent": intent}],
    }


def test_a_missing_slot_is_asked_for(service: CallService, directory: FakeDirectory) -> None:
    record = converse(service, directory, [{"at": 2, "say": "balance please"}, {"at": 5, "say": "savings"}])
    intent = invocation(record, "ACTION_SUCCESSFUL")["ActionData"]["IntentResult"]["SessionState"]["Intent"]
    assert (
        intent["Slots"]["AccountType"]["Value"]["InterpretedValue"] == "Savings"
        and intent["State"] == "Fulfilled"
    )


def test_an_answer_the_slot_does_not_know_fails_the_intent(
    service: CallService, directory: FakeDirectory
) -> None:
    record = converse(service, directory, [{"at": 2, "say": "balance"}, {"at": 5, "say": "my piggy bank"}])
    intent = invocation(record, "ACTION_SUCCESSFUL")["ActionData"]["IntentResult"]["SessionState"]["Intent"]
    assert (intent["State"], intent["Slots"]) == ("Failed", {"AccountType": None})


def test_nothing_understood_is_the_fallback_intent(service: CallService, directory: FakeDirectory) -> None:
    record = converse(service, directory, [{"at": 2, "say": "hello?"}])
    result = invocation(record, "ACTION_SUCCESSFUL")["ActionData"]["IntentResult"]
    assert result["SessionState"]["Intent"]["Name"] == "FallbackIntent"
    assert result["SessionState"]["Intent"]["State"] == "Failed"


def test_silence_ends_the_conversation_after_five_seconds(
    service: CallService, directory: FakeDirectory
) -> None:
    record = converse(service, directory, [])
    assert (
        invocation(record, "ACTION_SUCCESSFUL")["ActionData"]["IntentResult"]["SessionState"]["Intent"][
            "State"
        ]
        == "Failed"
    )
    assert record["invocations"][1]["virtualMs"] == len("Welcome to the bank") * 60 + 5000


def test_dtmf_input_ends_with_the_pound_key(service: CallService, directory: FakeDirectory) -> None:
    BOT_DTMF = {**BOT, "intents": [{**BOT["intents"][0], "utterances": ["1"], "slots": []}]}  # type: ignore[dict-item]
    service.handle_admin("POST", "/_emulator/bots", BOT_DTMF)
    record = converse(service, directory, [{"at": 2, "digits": "1#"}])
    assert (
        invocation(record, "ACTION_SUCCESSFUL")["ActionData"]["IntentResult"]["SessionState"]["Intent"][
            "Name"
        ]
        == "CheckBalance"
    )


@pytest.mark.parametrize(
    ("params", "error_type", "message"),
    [
        (
            {"BotAliasArn": "arn:aws:lex:us-east-1:123456789012:bot-alias/OTHER/ALIAS"},
            "ResourceNotFound",
            "A specified bot is not found.",
        ),
        (
            {"BotAliasArn": "arn:aws:lex:us-west-2:123456789012:bot-alias/BANKBOT1/ALIAS001"},
            "InvalidActionParameter",
            "BotAliasArn parameter value is invalid.",
        ),
        ({"LocaleId": "fr_FR"}, "InvalidActionParameter", "LocaleId parameter value is invalid."),
        (
            {"ParticipantTag": "LEG-B"},
            "InvalidActionParameter",
            "CallId or ParticipantTag parameter for action is invalid.",
        ),
    ],
)
def test_the_pages_failures(
    service: CallService, directory: FakeDirectory, params: dict[str, Any], error_type: str, message: str
) -> None:
    record = converse(service, directory, [], **params)
    failed = invocation(record, "ACTION_FAILED")["ActionData"]
    assert (failed["ErrorType"], failed["ErrorMessage"]) == (error_type, message)
    assert failed["CallId"] == record["participants"][0]["CallId"]


def test_a_bot_that_does_not_grant_access(service: CallService, directory: FakeDirectory) -> None:
    service.handle_admin("POST", "/_emulator/bots", {**BOT, "accessGranted": False})
    failed = invocation(converse(service, directory, []), "ACTION_FAILED")["ActionData"]
    assert (failed["ErrorType"], failed["ErrorMessage"]) == (
        "ResourceAccessDenied",
        "Access to the bot is denied.",
    )


def test_not_on_a_bridged_call(service: CallService, directory: FakeDirectory) -> None:
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", bridge("+15550200999"), start_bot()),
        on("ACTION_FAILED", hangup("{B}")),
    )
    failed = invocation(record, "ACTION_FAILED")["ActionData"]
    assert (failed["Type"], failed["ErrorMessage"]) == ("StartBotConversation", "Invalid action on the call.")
