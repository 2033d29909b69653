"""Tests write the planned handler's answers (fixtures/planned.py) as rules, then call its number.

    plan(directory, NUMBER,
         on("NEW_INBOUND_CALL", speak("{A}", "hi")),
         on("ACTION_SUCCESSFUL", hangup("{A}"), type="Speak"))

"{A}"/"{B}" stand for LEG-A's/LEG-B's CallId, "{FROM}" for LEG-A's From, "{DIGITS}" for ReceivedDigits.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

# One folder per test process (pytest-xdist workers would otherwise share the controller's and write
# each other's plans); the handler processes a CallService starts inherit it.
PLANS = Path(tempfile.mkdtemp(prefix="sim-test-plans-"))
os.environ["SIM_TEST_PLANS"] = str(PLANS)
atexit.register(shutil.rmtree, PLANS, True)


def on(event: str | list[str], *actions: dict[str, Any], once: bool = False, **match: Any) -> dict[str, Any]:
    rule: dict[str, Any] = {"on": event, "actions": list(actions), **match}
    if once:
        rule["once"] = True
    return rule


def answer(event: str | list[str], response: Any, once: bool = False, **match: Any) -> dict[str, Any]:
    rule: dict[str, Any] = {"on": event, "answer": response, **match}
    if once:
        rule["once"] = True
    return rule


def write_plan(number: str, *rules: dict[str, Any]) -> None:
    (PLANS / f"{number}.json").write_text(json.dumps({"rules": list(rules)}))


def action(kind: str, **params: Any) -> dict[str, Any]:
    return {"Type": kind, "Parameters": params}


def speak(call_id: str, text: str, **params: Any) -> dict[str, Any]:
    return action("Speak", CallId=call_id, Text=text, **params)


def hangup(call_id: str = "{A}", code: str = "0") -> dict[str, Any]:
    return action("Hangup", CallId=call_id, SipResponseCode=code)


def pause(ms: int, call_id: str = "{A}") -> dict[str, Any]:
    return action("Pause", CallId=call_id, DurationInMilliseconds=ms)


def play(key: str, call_id: str = "{A}", bucket: str = "prompts", **params: Any) -> dict[str, Any]:
    return action(
        "PlayAudio", CallId=call_id, AudioSource={"Type": "S3", "BucketName": bucket, "Key": key}, **params
    )


def bridge(uri: str, caller_id: str = "{FROM}", **params: Any) -> dict[str, Any]:
    return action(
        "CallAndBridge",
        CallerIdNumber=caller_id,
        Endpoints=[{"BridgeEndpointType": "PSTN", "Uri": uri}],
        **params,
    )


def receive_digits(
    regex: str, call_id: str = "{A}", between: int = 1000, flush: int = 5000
) -> dict[str, Any]:
    return action(
        "ReceiveDigits",
        CallId=call_id,
        InputDigitsRegex=regex,
        InBetweenDigitsDurationInMilliseconds=between,
        FlushDigitsDurationInMilliseconds=flush,
    )
