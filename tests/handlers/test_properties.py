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
        "Parameters": st.fixed_dictionaries({}, optional={"Arguments": arguments | json_values})
        | json_values,
        "ErrorType": maybe_text,
        "ErrorMessage": st.text(max_size=40),
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
                    st.text(max_size=8), st.text(max_size=8), max_size=3
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
