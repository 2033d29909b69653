"""The greeting flow with events as Lambda hands them over (parsed from JSON: equal strings, never the
interned literals of a test file): every update verb, what ends a call after ACTION_SUCCESSFUL, and
the ACTION_FAILED rules on their edges (a 1,000-character text, a failure with nothing echoed)."""

from __future__ import annotations

import json
from typing import Any

import call_handler
import pytest
from sma.config import VoiceConfig
from sma.greeter import CUSTOM_ACTION_TEXT, greeting_router
from sma.greeter_failures import FALLBACK_MARK, FALLBACK_TEXT

from tests.handlers import events as ev
from tests.handlers.support import assert_valid

SSML = "<speak>Hello there</speak>"


def router() -> Any:
    return greeting_router(VoiceConfig(SSML, "Joanna", "neural", "en-US"), "edges")


def answer(raw: dict[str, Any], handle: Any = None) -> dict[str, Any]:
    response: dict[str, Any] = (handle or router())(json.loads(json.dumps(raw)), None)
    assert_valid(response)
    return response


def speak(text: str, text_type: str | None = None) -> dict[str, Any]:
    params = {
        "CallId": ev.CALL_ID,
        "Text": text,
        "Engine": "neural",
        "LanguageCode": "en-US",
        "VoiceId": "Joanna",
    }
    if text_type:
        params["TextType"] = text_type
    return {"Type": "Speak", "Parameters": params}


def hangup(code: str, call_id: str | None = ev.CALL_ID) -> dict[str, Any]:
    params = {"CallId": call_id, "SipResponseCode": code} if call_id else {"SipResponseCode": code}
    return {"Type": "Hangup", "Parameters": params}


# --- updates -----------------------------------------------------------------------------------------


def test_each_update_verb() -> None:
    assert answer(ev.update({"action": "custom-action"}))["Actions"] == [speak(CUSTOM_ACTION_TEXT)]
    assert answer(ev.update({"action": "greet"}))["Actions"] == [speak(SSML, "ssml")]
    assert answer(ev.update({"action": "speak", "text": "Hold on"}))["Actions"] == [speak("Hold on")]
    for code in ("0", "480", "486"):
        assert answer(ev.update({"action": "hangup", "code": code}))["Actions"] == [hangup(code)]
    assert answer(ev.update({"action": "hangup"}))["Actions"] == [hangup("0")]


def test_speaking_the_greeting_text_keeps_its_text_type() -> None:
    assert answer(ev.update({"action": "speak", "text": SSML}))["Actions"] == [speak(SSML, "ssml")]
    # another text, whether it sorts before or after the greeting, is plain text
    assert answer(ev.update({"action": "speak", "text": "1 moment"}))["Actions"] == [speak("1 moment")]
    assert answer(ev.update({"action": "speak", "text": "<speak>Other</speak>"}))["Actions"] == [
        speak("<speak>Other</speak>")
    ]


def test_speak_text_is_1_to_1000_characters() -> None:
    assert answer(ev.update({"action": "speak", "text": "x" * 1000}))["Actions"] == [speak("x" * 1000)]
    for bad in ("x" * 1001, "  ", ""):
        assert answer(ev.update({"action": "speak", "text": bad})) == {"SchemaVersion": "1.0"}
    assert answer(ev.update({"action": "speak"})) == {"SchemaVersion": "1.0"}


def test_ignored_updates_keep_what_is_queued() -> None:
    for arguments in ({"action": "hangup", "code": "200"}, {"action": "dance"}, {}):
        assert answer(ev.update(arguments)) == {"SchemaVersion": "1.0"}
    no_leg = ev.update({"action": "custom-action"})
    no_leg["CallDetails"]["Participants"] = []
    assert answer(no_leg) == {"SchemaVersion": "1.0"}


# --- after an action succeeded -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["Speak", "Pause", "CallAndBridge", "VoiceFocus"])
def test_after_any_action_but_hangup_the_call_ends_cleanly(kind: str) -> None:
    assert answer(ev.event("ACTION_SUCCESSFUL", {"Type": kind, "Parameters": {}}))["Actions"] == [hangup("0")]


def test_after_the_hangup_nothing_more() -> None:
    assert answer(ev.event("ACTION_SUCCESSFUL", {"Type": "Hangup", "Parameters": {}}))["Actions"] == []
    assert answer(ev.event("ACTION_SUCCESSFUL"))["Actions"] == [hangup("0")]


# --- ACTION_FAILED -----------------------------------------------------------------------------------


def failed_speak(params: dict[str, Any] | None, error_type: str = "SystemException") -> dict[str, Any]:
    data: dict[str, Any] = {"Type": "Speak", "ErrorType": error_type, "ErrorMessage": "failed"}
    if params is not None:
        data["Parameters"] = params
    return ev.event("ACTION_FAILED", data, sequence=2)


def fallback(text: str) -> list[dict[str, Any]]:
    return [
        {
            "Type": "Speak",
            "Parameters": {
                "CallId": ev.CALL_ID,
                "Text": text,
                "Engine": "standard",
                "TextType": "text",
                "VoiceId": "Joanna",
            },
        },
        hangup("0"),
    ]


def test_a_failed_speak_of_exactly_1000_characters_is_said_again_as_it_was() -> None:
    response = answer(failed_speak(ev.speak_params("x" * 1000)), call_handler.handler)
    assert response["Actions"] == fallback("x" * 1000)
    assert response["TransactionAttributes"] == {FALLBACK_MARK: "used"}


def test_a_failed_speak_without_text_or_with_ssml_falls_back_to_the_fixed_text() -> None:
    no_text = {k: v for k, v in ev.speak_params().items() if k != "Text"}
    assert answer(failed_speak(no_text), call_handler.handler)["Actions"] == fallback(FALLBACK_TEXT)
    ssml = {**ev.speak_params("<speak>hi</speak>"), "TextType": "ssml"}
    assert answer(failed_speak(ssml), call_handler.handler)["Actions"] == fallback(FALLBACK_TEXT)


def test_a_failed_speak_with_nothing_echoed_still_gets_its_one_fallback() -> None:
    assert answer(failed_speak(None), call_handler.handler)["Actions"] == fallback(FALLBACK_TEXT)
    assert answer(failed_speak({}), call_handler.handler)["Actions"] == fallback(FALLBACK_TEXT)


@pytest.mark.parametrize("kind", ["VoiceFocus", "StartBotConversation", "Pause", "CallAndBridge"])
def test_another_failed_action_hangs_up_480(kind: str) -> None:
    raw = ev.event(
        "ACTION_FAILED", {"Type": kind, "Parameters": {}, "ErrorType": "SystemException"}, sequence=2
    )
    assert answer(raw, call_handler.handler)["Actions"] == [hangup("480")]
