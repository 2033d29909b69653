"""ACTION_FAILED in the greeting flow (call_handler and backup_handler): one rule per action it sends,
each ErrorType the Speak page documents, and a played-out call where actions keep failing to show
that no answer loops."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import backup_handler
import call_handler
import pytest
from sma.greeter_failures import FALLBACK_MARK, FALLBACK_TEXT

from tests.handlers import events as ev
from tests.handlers.support import action_types, assert_valid, log_lines

HANDLERS = [call_handler, backup_handler]
SAFE_VOICE = {"Engine": "standard", "VoiceId": "Joanna", "TextType": "text"}


def greeting(module: Any) -> dict[str, Any]:
    """The Speak the handler sends to NEW_INBOUND_CALL, as sent."""
    response = module.handler(ev.event("NEW_INBOUND_CALL"), None)
    speak: dict[str, Any] = response["Actions"][0]
    assert speak["Type"] == "Speak"
    return speak


def answer(module: Any, raw: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    response: dict[str, Any] = module.handler(raw, None)
    assert_valid(response)
    return response


def warning(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    found = [line for line in log_lines(capsys.readouterr().out) if line["level"] == "WARNING"]
    assert len(found) == 1, found
    return found[0]


def hangup(code: str, call_id: str | None = ev.CALL_ID) -> dict[str, Any]:
    params = {"CallId": call_id, "SipResponseCode": code} if call_id else {"SipResponseCode": code}
    return {"Type": "Hangup", "Parameters": params}


# --- Speak -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("module", HANDLERS, ids=lambda m: m.__name__)
@pytest.mark.parametrize(
    "error_type", ["InvalidActionParameter", "ActionExecutionThrottled", "SystemException"]
)
def test_failed_greeting_is_said_once_more_in_the_safe_voice_then_a_clean_hangup(
    module: Any, error_type: str, capsys
) -> None:
    sent = greeting(module)
    response = answer(module, ev.failed(sent, error_type, ev.SPEAK_ERRORS[error_type]), capsys)
    assert action_types(response) == ["Speak", "Hangup"]
    fallback = response["Actions"][0]["Parameters"]
    assert fallback == {"CallId": ev.CALL_ID, "Text": sent["Parameters"]["Text"], **SAFE_VOICE}
    assert response["Actions"][1] == hangup("0")
    assert response["TransactionAttributes"] == {FALLBACK_MARK: "used"}
    line = warning(capsys)
    assert (line["action"], line["error_type"]) == ("Speak", error_type)
    assert line["error_message"] == ev.SPEAK_ERRORS[error_type]
    assert line["then"].startswith("fallback speech")


@pytest.mark.parametrize("message", ["Text is a required parameter.", "Text is limited to 1,000 characters"])
def test_text_the_service_refused_is_replaced_by_the_fallback_text(message: str, capsys) -> None:
    # The Speak page types both text problems MissingRequiredActionParameter.
    response = answer(
        call_handler, ev.failed(greeting(call_handler), "MissingRequiredActionParameter", message), capsys
    )
    assert response["Actions"][0]["Parameters"]["Text"] == FALLBACK_TEXT
    assert response["Actions"][1] == hangup("0")


def test_failed_ssml_is_replaced_by_the_plain_fallback_text(capsys) -> None:
    sent = greeting(call_handler)
    sent["Parameters"].update(Text="<speak>Hello <break time='1s'/> there</speak>", TextType="ssml")
    response = answer(call_handler, ev.failed(sent, "InvalidActionParameter", None), capsys)
    assert response["Actions"][0]["Parameters"] == {"CallId": ev.CALL_ID, "Text": FALLBACK_TEXT, **SAFE_VOICE}


def test_access_denied_gets_no_second_try(capsys) -> None:
    # Polly cannot be reached at all (the service-linked role): another voice would fail the same way.
    raw = ev.failed(greeting(call_handler), "AccessDenied", ev.SPEAK_ERRORS["AccessDenied"])
    response = answer(call_handler, raw, capsys)
    assert response["Actions"] == [hangup("480")]
    assert "TransactionAttributes" not in response
    assert warning(capsys)["then"] == "hang up"


def fallback_speak() -> dict[str, Any]:
    return {"Type": "Speak", "Parameters": {"CallId": ev.CALL_ID, "Text": FALLBACK_TEXT, **SAFE_VOICE}}


@pytest.mark.parametrize(
    "failed_event",
    [
        # as the service sends it: the Speak as sent, the call's attributes
        lambda: ev.failed(fallback_speak(), "SystemException", attributes={FALLBACK_MARK: "used"}),
        # attributes lost: the safe voice in the echoed Parameters still says it was the fallback
        lambda: ev.failed(fallback_speak(), "SystemException"),
        # Parameters lost: the mark still says so
        lambda: ev.failed({"Type": "Speak"}, "SystemException", attributes={FALLBACK_MARK: "used"}),
    ],
    ids=["mark-and-parameters", "parameters-only", "mark-only"],
)
def test_a_failed_fallback_hangs_up_480_and_is_never_retried(
    failed_event: Callable[[], dict[str, Any]], capsys
) -> None:
    response = answer(call_handler, failed_event(), capsys)
    assert response["Actions"] == [hangup("480")]


def test_a_speak_already_in_the_default_voice_is_not_retried(capsys) -> None:
    # Parameters left out are the service's defaults (standard, Joanna, text): the safe voice itself.
    sent = {"Type": "Speak", "Parameters": {"CallId": ev.CALL_ID, "Text": "Hello"}}
    response = answer(call_handler, ev.failed(sent, "SystemException"), capsys)
    assert response["Actions"] == [hangup("480")]


def test_a_speak_with_a_language_code_gets_the_fallback_without_it(capsys) -> None:
    sent = {
        "Type": "Speak",
        "Parameters": {
            "CallId": ev.CALL_ID,
            "Text": "Hallo",
            "LanguageCode": "de-DE",
            "VoiceId": "Joanna",
            "Engine": "standard",
        },
    }
    response = answer(call_handler, ev.failed(sent, "InvalidActionParameter", None), capsys)
    assert response["Actions"][0]["Parameters"] == {"CallId": ev.CALL_ID, "Text": "Hallo", **SAFE_VOICE}


def test_failed_update_speak_also_falls_back_and_ends_the_call(capsys) -> None:
    update: Any = call_handler.handler(
        ev.update({"action": "speak", "text": "Your order has shipped."}), None
    )
    response = answer(call_handler, ev.failed(update["Actions"][0], "ActionExecutionThrottled"), capsys)
    assert response["Actions"][0]["Parameters"]["Text"] == "Your order has shipped."
    assert response["Actions"][1] == hangup("0")


def test_speak_failure_without_a_leg_a_call_id_hangs_up_whatever_leg_we_were_invoked_for(capsys) -> None:
    raw = ev.failed(
        {"Type": "Speak", "Parameters": {"Text": "hi"}},
        "SystemException",
        participants=[{"ParticipantTag": "LEG-A", "Status": "Connected"}],
    )
    assert answer(call_handler, raw, capsys)["Actions"] == [hangup("480", call_id=None)]


def test_a_blank_call_id_is_left_out(capsys) -> None:
    raw = ev.failed(
        {"Type": "Speak", "Parameters": {"CallId": "  ", "Text": "hi"}},
        "SystemException",
        participants=[{"ParticipantTag": "LEG-A", "CallId": " ", "Status": "Connected"}],
    )
    response = answer(call_handler, raw, capsys)
    assert response["Actions"] == [hangup("480", call_id=None)]
    assert warning(capsys)["then"] == "hang up"  # answered by the rules, not by the Router's safety net


def test_the_failed_actions_call_id_is_used_when_leg_a_names_none(capsys) -> None:
    raw = ev.failed(
        greeting(call_handler),
        "SystemException",
        participants=[{"ParticipantTag": "LEG-A", "Status": "Connected"}],
    )
    response = answer(call_handler, raw, capsys)
    assert [a["Parameters"]["CallId"] for a in response["Actions"]] == [ev.CALL_ID, ev.CALL_ID]


# --- Hangup, other actions, a caller who has gone ----------------------------------------------------------


@pytest.mark.parametrize("code", ["0", "480", "486"])
def test_a_failed_hangup_naming_a_call_id_is_sent_once_more_without_it(code: str, capsys) -> None:
    response = answer(call_handler, ev.failed(hangup(code), "SystemException"), capsys)
    assert response["Actions"] == [hangup(code, call_id=None)]
    assert warning(capsys)["then"] == "hang up again without a CallId"


@pytest.mark.parametrize(("code", "sent_again"), [(0, "0"), (486.0, "486"), ("200", "0"), (None, "0")])
def test_a_hangup_retry_sends_a_documented_code(code: object, sent_again: str, capsys) -> None:
    # The service may echo the code as a JSON number (the guide's HANGUP example shows one).
    sent = {"Type": "Hangup", "Parameters": {"CallId": ev.CALL_ID, "SipResponseCode": code}}
    response = answer(call_handler, ev.failed(sent, "SystemException"), capsys)
    assert response["Actions"] == [hangup(sent_again, call_id=None)]


@pytest.mark.parametrize("call_id", [None, ""])
def test_a_failed_hangup_without_a_call_id_is_not_repeated(call_id: str | None, capsys) -> None:
    params: dict[str, Any] = {"SipResponseCode": "0"}
    if call_id is not None:
        params["CallId"] = call_id
    response = answer(
        call_handler, ev.failed({"Type": "Hangup", "Parameters": params}, "SystemException"), capsys
    )
    assert response["Actions"] == []


@pytest.mark.parametrize("kind", ["CallAndBridge", "PlayAudio", None])
def test_any_other_failed_action_hangs_up_480(kind: str | None, capsys) -> None:
    action = {"Type": kind, "Parameters": {}} if kind else {}
    response = answer(call_handler, ev.failed(action, "CallNotAnswered", "Call not answered"), capsys)
    assert response["Actions"] == [hangup("480")]


def test_action_failed_without_action_data_hangs_up_480(capsys) -> None:
    raw = ev.event("ACTION_FAILED")
    assert answer(call_handler, raw, capsys)["Actions"] == [hangup("480")]
    assert warning(capsys)["action"] is None


def test_nothing_more_for_a_caller_who_has_gone(capsys) -> None:
    raw = ev.failed(
        greeting(call_handler), "SystemException", participants=[ev.participant(status="Disconnected")]
    )
    assert answer(call_handler, raw, capsys)["Actions"] == []


def test_error_in_the_error_string_form_is_logged_split(capsys) -> None:
    # The StartCallRecording and JoinChimeMeeting pages show `"Error": "Type: message"`.
    raw = ev.event(
        "ACTION_FAILED",
        {
            "Type": "StartCallRecording",
            "Parameters": {},
            "Error": "NoAccessToDestination: Error while accessing destination",
        },
    )
    answer(call_handler, raw, capsys)
    line = warning(capsys)
    assert (line["error_type"], line["error_message"]) == (
        "NoAccessToDestination",
        "Error while accessing destination",
    )


def test_failure_log_masks_numbers(capsys) -> None:
    raw = ev.failed(greeting(call_handler), "SystemException", "Polly failed for +14255550199")
    answer(call_handler, raw, capsys)
    out = capsys.readouterr().out
    assert "4255550199" not in out


# --- a played-out call: the service runs each answer, failing what the test says ---------------------


def play(module: Any, fails: Callable[[dict[str, Any]], str | None], limit: int = 12) -> list[dict[str, Any]]:
    """Run a call as the service would: actions in order; the first for which `fails` names an
    ErrorType fails (ACTION_FAILED, the rest dropped, the call's TransactionAttributes carried); a
    Hangup that runs ends the call; a list that runs to its end reports ACTION_SUCCESSFUL.
    Returns every answer; fails the test if the call has not ended after `limit` invocations."""
    attributes: dict[str, str] = {}
    answers = [module.handler(ev.event("NEW_INBOUND_CALL"), None)]
    for _ in range(limit):
        response = answers[-1]
        assert_valid(response)
        attributes.update(response.get("TransactionAttributes") or {})
        actions = response.get("Actions") or []
        if not actions:
            return answers  # nothing more to run: the flow has let the call go
        for action in actions:
            error_type = fails(action)
            if error_type is not None:
                raw = ev.failed(action, error_type, attributes=attributes)
                break
            if action["Type"] == "Hangup":
                return answers  # the call is over
        else:
            raw = ev.event("ACTION_SUCCESSFUL", copy.deepcopy(actions[-1]))
        answers.append(module.handler(raw, None))
    raise AssertionError(f"the call never ended: {[action_types(a) for a in answers]}")


def spoken(answers: list[dict[str, Any]]) -> int:
    return sum((action_types(a) or []).count("Speak") for a in answers)


@pytest.mark.parametrize("module", HANDLERS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("error_type", sorted(ev.SPEAK_ERRORS))
def test_when_every_speak_fails_the_call_ends_480_after_at_most_one_fallback(
    module: Any, error_type: str, capsys
) -> None:
    answers = play(module, lambda action: error_type if action["Type"] == "Speak" else None)
    assert spoken(answers) == (1 if error_type == "AccessDenied" else 2)
    assert answers[-1]["Actions"] == [hangup("480")]


def test_when_only_the_greeting_fails_the_caller_hears_the_fallback_and_a_clean_hangup(capsys) -> None:
    failures = iter(["SystemException"])
    answers = play(call_handler, lambda action: next(failures, None) if action["Type"] == "Speak" else None)
    assert [action_types(a) for a in answers] == [["Speak", "Hangup"], ["Speak", "Hangup"]]
    assert answers[-1]["Actions"][1] == hangup("0")


@pytest.mark.parametrize("error_type", ["SystemException", "InvalidActionParameter"])
def test_when_every_action_fails_the_flow_still_stops(error_type: str, capsys) -> None:
    answers = play(call_handler, lambda action: error_type)
    # greeting, fallback, Hangup 480 by CallId, Hangup 480 without, then nothing more
    assert [action_types(a) for a in answers] == [
        ["Speak", "Hangup"],
        ["Speak", "Hangup"],
        ["Hangup"],
        ["Hangup"],
        [],
    ]


# --- cold start ---------------------------------------------------------------------------------------


def test_the_failure_rules_stay_off_the_cold_start_path() -> None:
    import json
    import subprocess
    import sys

    from tests.handlers.conftest import HANDLERS as BUNDLE

    code = (
        "import json, sys\n"
        "import call_handler\n"
        "call_handler.handler(json.loads(sys.argv[1]), None)\n"
        "lazy = ('sma.actions', 'sma.greeter_failures', 'sma.results', 'sma.sip_headers')\n"
        "print(json.dumps(sorted(m for m in lazy if m in sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, json.dumps(ev.event("NEW_INBOUND_CALL"))],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(BUNDLE), "PATH": "/usr/bin:/bin"},
        timeout=60,
        check=True,
    )
    assert json.loads(done.stdout.splitlines()[-1]) == []
