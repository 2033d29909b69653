"""Digit input: SpeakAndGetDigits and PlayAudioAndGetDigits (a prompt, then one entry per attempt) and
ReceiveDigits (a listener on one leg for the rest of the call), with their timers on the virtual clock.

*GetDigits, per attempt (pages SpeakAndGetDigits, PlayAudioAndGetDigits): the prompt plays; a key
pressed during it stops it (barge-in) and starts the entry; the entry ends on a TerminatorDigits key
(not kept), at MaxNumberOfDigits, or InBetweenDigitsDurationInMilliseconds after the last key
(default: RepeatDurationInMilliseconds); with no key at all it ends RepeatDurationInMilliseconds after
the prompt. It is valid when it is not empty, Min <= length <= Max and InputDigitsRegex (when given)
matches all of it (a full match; the terminator is not part of it: the samples' patterns never include
it). An invalid entry plays the failure prompt (keys pressed meanwhile are discarded) and starts the
next attempt; after Repeat attempts the action fails (ErrorType `InvalidDigitsReceived`, the
simulator's name: the guide names none).

ReceiveDigits (pages ReceiveDigits, Receiving caller input): ACTION_SUCCESSFUL at once with
ReceivedDigits ""; the leg's keys are buffered (a `#` is a key like any other); InBetween ms after
the last key the buffer is checked against InputDigitsRegex (full match) and, when it matches, sent
as DIGITS_RECEIVED and cleared; FlushDigitsDurationInMilliseconds after the first key the buffer is
sent if it matches, else dropped, and the next key starts a new one. A new ReceiveDigits on the leg
replaces the listener; keys from another leg never reach it; keys a running *GetDigits, PlayAudio or
RecordAudio takes on that leg never reach it either.

The caller's `digits` of `POST /_emulator/calls` are typed into the first prompt that asks (one entry
per attempt: up to a terminator or MaxNumberOfDigits) or, when a listener is armed first, into it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from emulator.calls.media import audio_ms, speech_ms
from emulator.calls.model import Call, Leg, Listener
from emulator.calls.parties import Party
from pstn.action_checks import MAX_DIGITS, as_int, given

if TYPE_CHECKING:
    from emulator.calls.engine import Engine, Runner

NO_VALID_DIGITS = "No valid digits were received."


def _take_typeahead(party: Party, terminators: set[str], most: int) -> str:
    """One attempt's worth of the party's typed-ahead keys: up to a terminator, or `most` other keys."""
    taken = ""
    for key in party.typeahead:
        taken += key
        if key in terminators or len(taken) >= most:  # no terminator before this key: all count
            break
    party.typeahead = party.typeahead[len(taken) :]
    return taken


def _get_digits(engine: Engine, call: Call, action: dict[str, Any], params: dict[str, Any]) -> None:
    leg = engine.leg_or_fail(call, action, params)
    if leg is None:
        return
    if action["Type"] == "SpeakAndGetDigits":
        speech = params["SpeechParameters"]
        failure = {**speech, **params["FailureSpeechParameters"]}
        prompt_ms = speech_ms(speech["Text"], speech.get("TextType"))
        failure_ms: int | None = speech_ms(failure["Text"], failure.get("TextType"))
    else:
        prompt = audio_ms(engine, call, action, params["AudioSource"])
        if prompt is None:
            return
        failure_ms = audio_ms(engine, call, action, params["FailureAudioSource"])
        if failure_ms is None:
            return
        prompt_ms = prompt
    low = as_int(params.get("MinNumberOfDigits")) or 0
    high = as_int(params["MaxNumberOfDigits"]) if given(params, "MaxNumberOfDigits") else MAX_DIGITS
    assert high is not None
    terminators = set(params.get("TerminatorDigits") or ["#"])
    regex = params.get("InputDigitsRegex") or None
    repeat = as_int(params.get("Repeat")) or 1
    repeat_ms = as_int(params["RepeatDurationInMilliseconds"]) or 1
    between_ms = as_int(params.get("InBetweenDigitsDurationInMilliseconds")) or repeat_ms
    run = engine.start(call, action, leg, "digits")
    state: dict[str, Any] = {"attempt": 0, "phase": "prompt", "entry": "", "timer": None}

    def wait(delay_ms: int, label: str) -> None:
        if state["timer"] is not None:
            state["timer"].cancel()
        state["timer"] = engine.after(call, delay_ms, end_entry if label != "prompt" else prompt_done, label)

    def begin_attempt() -> None:
        state.update(attempt=state["attempt"] + 1, phase="prompt", entry="")
        wait(prompt_ms, "prompt")
        if leg.party is not None and leg.party.typeahead:
            engine.press(call, leg, _take_typeahead(leg.party, terminators, high))

    def prompt_done() -> None:
        state["phase"] = "collect"
        wait(repeat_ms, "no input")

    def on_digit(who: Leg, key: str) -> bool:
        if who is not leg:
            return False
        if state["phase"] == "failure":
            call.note(f"{leg.tag} pressed {key} during the failure prompt: discarded")
            return True
        state["phase"] = "collect"
        if key in terminators:
            end_entry()
            return True
        state["entry"] += key
        if len(state["entry"]) >= high:
            end_entry()
        else:
            wait(between_ms, "between digits")
        return True

    def end_entry() -> None:
        if state["timer"] is not None:
            state["timer"].cancel()
            state["timer"] = None
        entry = state["entry"]
        valid = (
            bool(entry)
            and low <= len(entry) <= high
            and (regex is None or re.fullmatch(regex, entry) is not None)
        )
        if valid:
            engine.finish(
                call, {"Type": action["Type"], "Parameters": params, "ReceivedDigits": entry}, leg, entry
            )
            return
        call.note(f"{action['Type']}: {entry!r} is not valid input (attempt {state['attempt']} of {repeat})")
        if state["attempt"] >= repeat:
            engine.fail(call, action, "InvalidDigitsReceived", NO_VALID_DIGITS)
            return
        state["phase"] = "failure"
        engine.after(call, failure_ms or 0, begin_attempt, "failure prompt")

    run.on_digit = on_digit
    begin_attempt()


def _receive_digits(engine: Engine, call: Call, action: dict[str, Any], params: dict[str, Any]) -> None:
    leg = engine.leg_or_fail(call, action, params)
    if leg is None:
        return
    if leg.listener is not None:
        leg.listener.cancel()
    leg.listener = Listener(params)
    engine.start(call, action, leg, "listening")
    engine.finish(call, {"ReceivedDigits": "", "Type": "ReceiveDigits", "Parameters": params}, leg)
    party = leg.party
    if (
        party is not None
        and party.typeahead
        and leg.connected
        and not call.ended
        and leg.listener is not None
    ):
        keys, party.typeahead = party.typeahead, ""
        engine.press(call, leg, keys)


def listener_key(engine: Engine, call: Call, leg: Leg, key: str) -> None:
    listener = leg.listener
    assert listener is not None
    params = listener.params
    regex = str(params["InputDigitsRegex"])

    def matches() -> bool:
        return re.fullmatch(regex, listener.buffer) is not None

    def send() -> None:
        received, listener.buffer = listener.buffer, ""
        listener.cancel()
        engine.invoke_and_apply(
            call,
            "DIGITS_RECEIVED",
            {"ReceivedDigits": received, "Type": "ReceiveDigits", "Parameters": params},
        )

    def check() -> None:
        listener.between = None
        if leg.listener is listener and matches():
            send()

    def flush() -> None:
        listener.flush = None
        if leg.listener is not listener:
            return
        if matches():
            send()
            return
        call.note(f"ReceiveDigits on {leg.tag}: {listener.buffer!r} does not match {regex!r}; flushed")
        listener.buffer = ""
        listener.cancel()

    if not listener.buffer:
        listener.flush = call.timeline.after(as_int(params["FlushDigitsDurationInMilliseconds"]) or 1, flush)
    listener.buffer += key
    if listener.between is not None:
        listener.between.cancel()
    listener.between = call.timeline.after(
        as_int(params["InBetweenDigitsDurationInMilliseconds"]) or 1, check
    )


RUNNERS: dict[str, Runner] = {
    "SpeakAndGetDigits": _get_digits,
    "PlayAudioAndGetDigits": _get_digits,
    "ReceiveDigits": _receive_digits,
}
