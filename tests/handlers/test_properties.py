"""Property-based: whatever arrives, the handlers never raise and always answer something the
service accepts (checked with the call simulator's independent validator)."""

from __future__ import annotations

import contextlib
import copy
import io
import json
from typing import Any

import backup_handler
import call_handler
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sma import actions as a
from sma.events import EventType
from sma.greeter import UPDATE_VERBS
from sma.greeter_failures import FALLBACK_MARK

from pstn.answer_checks import validate_response
from tests.handlers import events as ev

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=12,
)
numbers = st.from_regex(r"\+1[2-9][0-9]{9}", fullmatch=True)
maybe_text = st.none() | st.text(max_size=12)

participants = st.fixed_dictionaries(
    {},
    optional={
        "CallId": st.text(max_size=12) | json_values,
        "ParticipantTag": st.sampled_from(["LEG-A", "LEG-B", "LEG-C", ""]),
        "To": numbers | maybe_text,
        "From": numbers | maybe_text,
        "Direction": st.sampled_from(["Inbound", "Outbound"]),
        "Status": st.sampled_from(["Connected", "Disconnected"]),
        "StartTimeInMilliseconds": st.text(max_size=15),
        "SipHeaders": st.dictionaries(st.text(max_size=8), st.text(max_size=8) | json_values, max_size=3),
    },
)
arguments = st.fixed_dictionaries(
    {},
    optional={
        "action": st.sampled_from([*UPDATE_VERBS, "HANGUP", "custom_action"]) | st.text(max_size=12),
        "text": st.text(max_size=1100) | json_values,
        "code": st.sampled_from(["0", "480", "486", "200", ""]) | json_values,
    },
).flatmap(
    lambda fixed: st.dictionaries(st.text(max_size=8), json_values, max_size=2).map(
        lambda extra: {**extra, **fixed}
    )
)
action_data = st.fixed_dictionaries(
    {},
    optional={
        "Type": st.sampled_from(["Speak", "Hangup", "PlayAudio", "CallUpdateRequest", "ReceiveDigits"])
        | maybe_text,
        "Parameters": st.fixed_dictionaries(
            {},
            optional={
                "Arguments": arguments | json_values,
                "CallId": maybe_text | json_values,
                "Text": st.text(max_size=1100) | json_values,
                "TextType": st.sampled_from(["text", "ssml"]) | json_values,
                "VoiceId": st.sampled_from(["Joanna", "Matthew"]) | json_values,
                "Engine": st.sampled_from(["standard", "neural"]) | json_values,
                "SipResponseCode": st.sampled_from(["0", "480", "486", 486, 0.0]) | json_values,
            },
        )
        | json_values,
        "ErrorType": st.sampled_from(sorted(ev.SPEAK_ERRORS)) | maybe_text,
        "ErrorMessage": st.text(max_size=40),
        "Error": maybe_text | json_values,
        "CallId": maybe_text | json_values,
        "ReceivedDigits": maybe_text,
    },
)
generated_events = st.fixed_dictionaries(
    {
        "InvocationEventType": st.sampled_from(sorted(EventType.ALL)) | st.text(max_size=20),
        "CallDetails": st.fixed_dictionaries(
            {"TransactionId": st.text(min_size=1, max_size=36)},
            optional={
                "Participants": st.lists(participants, max_size=3),
                "TransactionAttributes": st.dictionaries(
                    st.sampled_from([FALLBACK_MARK]) | st.text(max_size=8), st.text(max_size=8), max_size=3
                ),
                "SipMediaApplicationId": maybe_text,
                "SipApplicationId": maybe_text,
                "AwsRegion": maybe_text,
            },
        ),
    },
    optional={
        "SchemaVersion": st.sampled_from(["1.0", "2.0"]) | json_values,
        "Sequence": st.integers(min_value=-1, max_value=1001) | json_values,
        "ActionData": action_data | json_values,
        "ErrorType": maybe_text,
        "ErrorMessage": maybe_text,
    },
)

SEEDS = [
    *ev.ALL_EVENTS.values(),
    ev.DOC_NEW_INBOUND_CALL,
    ev.DOC_ACTION_SUCCESSFUL,
    *(ev.update({"action": verb, "text": "hello", "code": "486"}) for verb in UPDATE_VERBS),
]


def _containers(value: Any, out: list[Any]) -> list[Any]:
    if isinstance(value, dict):
        out.append(value)
        for item in value.values():
            _containers(item, out)
    elif isinstance(value, list):
        out.append(value)
        for item in value:
            _containers(item, out)
    return out


@st.composite
def mutated_events(draw: st.DrawFn) -> Any:
    """A real event with a few fields deleted, retyped or replaced by arbitrary JSON."""
    raw = copy.deepcopy(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        spots = _containers(raw, [])
        target = spots[draw(st.integers(min_value=0, max_value=len(spots) - 1))]
        if not target:
            continue
        keys = list(target) if isinstance(target, dict) else list(range(len(target)))
        key = draw(st.sampled_from(keys))
        if draw(st.booleans()):
            del target[key]
        else:
            target[key] = draw(json_values)
    return raw


def answer(module: Any, raw: Any) -> tuple[Any, list[str]]:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        response = module.handler(raw, None)
    return response, buffer.getvalue().splitlines()


def check(module: Any, raw: Any) -> None:
    response, lines = answer(module, raw)
    problem = validate_response(response)
    assert problem is None, f"{problem}: {response} for {raw!r}"
    # Logging is part of the contract too: every line JSON, exactly one invocation line.
    records = [json.loads(line) for line in lines]
    assert [r["message"] for r in records].count("invocation") == 1
    # The response must be JSON (it crosses the Lambda boundary as JSON).
    json.dumps(response)


@FAST
@given(generated_events)
def test_generated_events_always_get_a_valid_answer(raw: dict[str, Any]) -> None:
    check(call_handler, raw)


@FAST
@given(mutated_events())
def test_mutated_events_always_get_a_valid_answer(raw: Any) -> None:
    check(call_handler, raw)


@settings(max_examples=60, deadline=None)
@given(json_values)
def test_arbitrary_json_always_gets_a_valid_answer(raw: Any) -> None:
    check(backup_handler, raw)


@FAST
@given(arguments)
def test_any_update_arguments_get_a_valid_answer(args: dict[str, Any]) -> None:
    raw = ev.update({})
    raw["ActionData"]["Parameters"]["Arguments"] = args
    check(call_handler, raw)


@FAST
@given(numbers, numbers)
def test_caller_numbers_never_reach_the_log(caller: str, called: str) -> None:
    raw = ev.event("NEW_INBOUND_CALL", participants=[ev.participant(to=called, from_=caller)])
    _, lines = answer(call_handler, raw)
    text = "\n".join(lines)
    assert caller not in text and called not in text and caller[-4:] in text


@FAST
@given(
    call_id=st.text(max_size=8),
    text=st.text(max_size=1100),
    engine=st.none() | st.text(max_size=9),
    voice=st.none() | st.text(max_size=8),
)
def test_speak_builder_agrees_with_the_service(
    call_id: str, text: str, engine: str | None, voice: str | None
) -> None:
    try:
        action = a.speak(call_id, text, engine=engine, voice_id=voice)
    except ValueError:
        return
    assert validate_response({"SchemaVersion": "1.0", "Actions": [action]}) is None


@FAST
@given(code=st.text(max_size=4) | st.sampled_from(list(a.HANGUP_CODES)), tag=st.none() | st.text(max_size=6))
def test_hangup_builder_agrees_with_the_service(code: str, tag: str | None) -> None:
    try:
        action = a.hangup(code, participant_tag=tag)
    except ValueError:
        assert code not in a.HANGUP_CODES or tag not in a.PARTICIPANT_TAGS
        return
    assert validate_response({"SchemaVersion": "1.0", "Actions": [action]}) is None


@st.composite
def failed_greetings(draw: st.DrawFn) -> dict[str, Any]:
    """ACTION_FAILED for a Speak or Hangup the handler really sent, with parameters dropped or changed,
    any ErrorType, the fallback mark or not, and LEG-A in any state."""
    sent: Any = call_handler.handler(ev.event("NEW_INBOUND_CALL"), None)["Actions"]
    action = copy.deepcopy(draw(st.sampled_from(sent)))
    params = action["Parameters"]
    for key in draw(st.lists(st.sampled_from(sorted(params)), unique=True)):
        if draw(st.booleans()):
            del params[key]
        else:
            params[key] = draw(json_values)
    attributes = draw(st.dictionaries(st.sampled_from([FALLBACK_MARK, "k"]), st.text(max_size=4), max_size=2))
    leg = draw(participants | st.just(ev.participant()))
    error = draw(st.sampled_from(sorted(ev.SPEAK_ERRORS)) | st.text(max_size=12))
    return ev.failed(action, error, draw(maybe_text), attributes=attributes, participants=[leg])


failed_events = generated_events.map(lambda raw: {**raw, "InvocationEventType": "ACTION_FAILED"})


@FAST
@given(failed_events | failed_greetings())
def test_an_answer_to_action_failed_always_ends_the_call_and_never_repeats_the_fallback(
    raw: dict[str, Any],
) -> None:
    check(call_handler, raw)
    response, _ = answer(call_handler, raw)
    kinds = [action["Type"] for action in response["Actions"]]
    # Every list ends the call (the service dropped what was queued after the failed action).
    assert kinds in ([], ["Hangup"], ["Speak", "Hangup"]), kinds
    attributes = raw["CallDetails"].get("TransactionAttributes") or {}
    if FALLBACK_MARK in attributes:
        assert "Speak" not in kinds  # this call has had its one fallback
    if "Speak" in kinds:
        assert response["TransactionAttributes"] == {FALLBACK_MARK: "used"}
